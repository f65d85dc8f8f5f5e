"""Evaluation page (QA staff): score an eval set on the index it was written for, read its
metrics, open any case with its answer and citations, compare with an earlier run; the audit
log of clinicians' questions (eval questions marked apart)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import streamlit as st

from config.settings import Settings
from ui import resources
from ui.audit_view import audit_tab_view
from ui.eval_jobs import EVAL_SLOT, Target, drift_words, eval_work, target_for
from ui.eval_runs import eval_sets, load_run, run_label, runs_dir, saved_runs
from ui.eval_view import case_html, case_label, run_title
from ui.job_view import job_panel
from ui.jobs import jobs, start_job
from ui.render import CSS
from ui.wording import plural

CURRENT = "cw_eval_current"  # {"path": str, "data": run dict} of the run on show
SEEN_JOB = "cw_eval_seen_job"  # the finished eval job whose run was put on show
# Summary metrics shown as headline tiles, in this order, when the run has them.
HEADLINE = {"passed": "Passed", "fact_coverage": "Fact coverage", "source_hit": "Source hit",
            "citation_precision": "Citation precision", "recall@5": "Recall@5", "mrr": "MRR",
            "latency_p50_ms": "Latency p50 (ms)"}
TILES_PER_ROW = 4
# Plain symbols: the table canvas has no colour-emoji font in a bare Debian browser.
_STATUS_ICON = {"better": "▲ better", "worse": "▼ worse", "same": "= same", "new": "+ new",
                "gone": "− gone"}
OWN, LIVE = "own", "live"


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.0f}"
    return "—" if value is None else str(value)


def _summary(data: dict[str, Any]) -> None:
    summary: dict[str, Any] = data.get("summary", {})
    n = summary.get("n_cases", len(data.get("results", [])))
    shown = [k for k in HEADLINE if k in summary]
    for start in range(0, len(shown), TILES_PER_ROW):
        row = shown[start:start + TILES_PER_ROW]
        for column, key in zip(st.columns(TILES_PER_ROW), row, strict=False):
            value = f"{summary[key]} / {n}" if key == "passed" else _fmt(summary[key])
            column.metric(HEADLINE[key], value, border=True)
    with st.expander("All summary metrics"):
        st.dataframe([{"metric": k, "value": _fmt(v)} for k, v in summary.items()],
                     hide_index=True, width="stretch")


def _facts(result: dict[str, Any]) -> str:
    """Expected facts, each marked found (✓) or missing (✗) in the answer."""
    covered = result.get("scores", {}).get("facts_covered") or []
    facts = result.get("expected_facts") or []
    return " · ".join(f"{'✓' if ok else '✗'} {phrasings[0]}"
                      for phrasings, ok in zip(facts, covered, strict=False)) or "—"


def _results(data: dict[str, Any]) -> None:
    results = data.get("results", [])
    rows = []
    for r in results:
        scores = r.get("scores", {})
        rows.append({
            "Result": "✓ pass" if scores.get("passed") else "✗ FAIL",
            "id": r.get("id"),
            "Question": r.get("question"),
            "Why it failed": "; ".join(scores.get("failures") or []),
            "Expected facts (✓ found / ✗ missing)": _facts(r) if r.get("answerable", True)
            else "should abstain",
            "Expected sources": ", ".join(r.get("expected_sources") or []) or "—",
            "Cited": ", ".join(scores.get("cited_articles") or []) or "—",
            "Got": "(abstained)" if r.get("abstained") else r.get("answer", ""),
        })
    only_failed = st.toggle("Show failing questions only", value=False)
    if only_failed:
        rows = [row for row in rows if row["Result"] == "✗ FAIL"]
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"Question": st.column_config.TextColumn(width="medium"),
                                "Why it failed": st.column_config.TextColumn(width="medium"),
                                "Got": st.column_config.TextColumn(width="large")})
    # Failing cases first: they are the ones a QA lead opens.
    ordered = sorted(results, key=lambda r: bool(r.get("scores", {}).get("passed")))
    pick = st.selectbox("Open a question with its answer and citations", range(len(ordered)),
                        format_func=lambda i: case_label(ordered[i]), index=None,
                        placeholder="Choose a question (failing ones first)", key="eval_case")
    if pick is not None:
        with st.container(border=True):
            st.markdown(case_html(ordered[pick]), unsafe_allow_html=True)


def _compare(data: dict[str, Any], current_path: str, runs: list[Path]) -> None:
    from eval.compare import compare_runs, compare_summaries

    others = [p for p in runs if str(p) != current_path]
    st.subheader("Compare with a previous run")
    if not others:
        st.caption("No earlier saved run of this set yet: run it again after a change to compare.")
        return
    baseline_path = st.selectbox("Previous run", others, format_func=run_label)
    baseline = load_run(baseline_path)
    rows = compare_runs(data, baseline)
    counts = {k: sum(1 for r in rows if r["status"] == k) for k in _STATUS_ICON}
    st.markdown(" · ".join(f"{_STATUS_ICON[k]}: **{v}**" for k, v in counts.items() if v))
    if data.get("meta", {}).get("index_dir") != baseline.get("meta", {}).get("index_dir"):
        st.warning("The two runs scored different indexes: a difference may come from the "
                   "index, not from the change.", icon=":material/compare_arrows:")
    metric_rows = compare_summaries(data, baseline)
    st.dataframe([{"metric": m["metric"], "before": _fmt(m["before"]), "after": _fmt(m["after"]),
                   "change": _fmt(m["delta"]), "": m["direction"]} for m in metric_rows],
                 hide_index=True, width="stretch")
    order = {"worse": 0, "better": 1, "new": 2, "gone": 3, "same": 4}
    st.dataframe([{"Status": _STATUS_ICON.get(r["status"], r["status"]), "id": r["id"],
                   "Question": r["question"],
                   "Before": _state(r["before"]), "After": _state(r["after"])}
                  for r in sorted(rows, key=lambda r: order.get(r["status"], 5))],
                 hide_index=True, width="stretch")


def _state(state: dict[str, Any] | None) -> str:
    if state is None:
        return "—"
    if state.get("abstained"):
        return ("pass" if state.get("passed") else "fail") + " · abstained"
    coverage = state.get("fact_coverage")
    facts = "" if coverage is None else f" · facts {coverage:.0%}"
    hit = state.get("source_hit")
    source = "" if hit is None else f" · source {'hit' if hit else 'missed'}"
    return ("pass" if state.get("passed") else "fail") + facts + source


def _scored_on(meta: dict[str, Any]) -> None:
    """What the run scored: the index, its version and articles, the corpus, any mismatch."""
    index = meta.get("index_dir")
    if index is None:
        st.warning("This run was saved before runs recorded which index and corpus they "
                   f"scored (index version `{meta.get('index_version')}`, "
                   f"{meta.get('n_articles')} articles).", icon=":material/help:")
        return
    where = "the live index" if meta.get("live_index") else "the set's own index"
    corpus = (f", built from <code>{escape(str(meta['corpus']))}</code>"
              if meta.get("corpus_match") else "")
    st.markdown(f'<p data-testid="cw-scored-on">Scored on {where} <code>{escape(index)}</code> '
                f"(version <code>{escape(str(meta.get('index_version')))}</code>, "
                f"{plural(int(meta.get('n_articles') or 0), 'article')}){corpus}.</p>",
                unsafe_allow_html=True)
    if meta.get("corpus") and meta.get("corpus_match") is False:
        st.warning(f"This index does not match the corpus the set was written for "
                   f"(`{meta['corpus']}`): {meta.get('corpus_missing', 0)} of its files are "
                   f"not in it, {meta.get('corpus_changed', 0)} differ, and it holds "
                   f"{meta.get('corpus_extra', 0)} other articles. The scores are not the "
                   "set's and not comparable with `citewise eval`.", icon=":material/warning:")


def _target(s: Settings, corpus: Path | None) -> Target:
    """Let the QA lead choose the index; say what it holds against the set's corpus."""
    live = resources.index_snapshot(s)
    present = corpus is not None and corpus.is_dir()
    choice = OWN
    if present:
        labels = {OWN: "The set's own corpus", LIVE: "The live index"}  # fixed: see key
        choice = st.radio("Score on", list(labels), format_func=labels.get, horizontal=True,
                          key="eval_target")
    target = target_for(s, corpus, live, use_live=choice == LIVE)
    if corpus is None:
        st.warning("This set does not name the corpus it was written for (a `# corpus:` line): "
                   "it is scored on the live index.", icon=":material/help:")
    elif not present:
        st.warning(f"The corpus this set was written for, `{corpus}`, is not on this machine: "
                   "it can only be scored on the live index, and its scores are not the set's.",
                   icon=":material/warning:")
    elif target.matches is False and target.drift is not None:
        st.warning(f"The live index does not match the set's corpus `{corpus}` "
                   f"({drift_words(target.drift)}): the scores will not be the set's and not "
                   "comparable with `citewise eval`.", icon=":material/warning:")
    note = " (the corpus is ingested into it first, incrementally)" if target.ingest_first else ""
    st.caption(f"Will score on {target.describe()}{note}.")
    return target


def _run_button(s: Settings, chosen: Path, cases: list, target: Target, held_out: bool) -> None:
    ready = True
    if held_out:
        st.warning("**Held-out set.** It checks settings fitted on the other sets and is never "
                   "fitted on: do not change a threshold, a weight or a rule because of what it "
                   "shows, or it stops measuring anything.", icon=":material/lock:")
        ready = st.checkbox("I am checking, not tuning", key=f"heldout-{chosen.stem}")
    running = (job := jobs().latest(EVAL_SLOT)) is not None and job.running
    st.button("Run evaluation", type="primary", icon=":material/play_arrow:",
              disabled=not ready or running, on_click=start_job,
              args=(EVAL_SLOT, f"Scoring {chosen.stem} ({plural(len(cases), 'question')})",
                    eval_work(s, chosen, cases, target), False))


def _show_finished_run() -> None:
    """Put the run a finished job saved on show, once."""
    job = jobs().latest(EVAL_SLOT)
    if job is None or job.running or st.session_state.get(SEEN_JOB) == job.id:
        return
    st.session_state[SEEN_JOB] = job.id
    if path := job.result.get("path"):
        st.session_state[CURRENT] = {"path": path, "data": load_run(Path(path))}
        st.session_state[f"run-{job.result['set']}"] = path  # the saved-run picker shows it


def _evaluation(s: Settings) -> None:
    from eval.cases import EvalSetError, is_held_out, load_cases, set_corpus
    from eval.report import render_html

    sets = eval_sets()
    if not sets:
        st.info("No eval sets found in eval/sets/.")
        return
    chosen = st.selectbox("Eval set", sets, format_func=lambda p: p.stem)
    try:
        cases = load_cases(chosen)
        corpus, held_out = set_corpus(chosen), is_held_out(chosen)
    except EvalSetError as exc:
        st.error(f"This eval set cannot be read: {exc}")
        return
    folder = runs_dir(s)
    st.caption(f"{plural(len(cases), 'question')} · written for "
               f"{f'`{corpus}`' if corpus else 'no named corpus'} · runs are saved in "
               f"`{folder}`")
    target = _target(s, corpus)
    _run_button(s, chosen, cases, target, held_out)
    job = jobs().latest(EVAL_SLOT)
    if job is not None and (job.running or job.result.get("set") == chosen.stem):
        job_panel(EVAL_SLOT)  # a finished run is news only beside its own set
    _show_finished_run()

    runs = saved_runs(folder, chosen.stem)
    if not runs:
        st.caption("No run of this set yet.")
        return
    labels = {str(p): run_label(p) for p in runs}
    shown = st.session_state.get(CURRENT)
    key = f"run-{chosen.stem}"
    if st.session_state.get(key) not in labels:  # a run no longer on disk, or none picked
        st.session_state.pop(key, None)
        default = shown["path"] if shown and shown["path"] in labels else str(runs[0])
        st.session_state[key] = default
    pick = st.selectbox("Saved run", list(labels), format_func=labels.get, key=key)
    if shown is None or shown["path"] != pick:
        st.session_state[CURRENT] = shown = {"path": pick, "data": load_run(Path(pick))}
    data = shown["data"]
    st.subheader(run_title(Path(pick).stem, data))
    _scored_on(data.get("meta", {}))
    _summary(data)
    st.download_button("Download the HTML report", render_html(
        data, title=f"citewise eval · {chosen.stem}"), file_name=f"{Path(pick).stem}.html",
        mime="text/html", icon=":material/download:")
    st.subheader("Per question")
    _results(data)
    _compare(data, pick, runs)


def page() -> None:
    s = resources.settings()
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Evaluation")
    runs_tab, audit_tab = st.tabs(["Eval runs", "Audit log"])
    with runs_tab:
        _evaluation(s)
    with audit_tab:
        audit_tab_view(s)


page()
