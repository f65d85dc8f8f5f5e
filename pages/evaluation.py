"""Evaluation page (QA staff): run an eval set, read its metrics, compare with an earlier run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from ui import resources
from ui.eval_runs import eval_sets, load_run, runs_dir, save_run, saved_runs
from ui.render import CSS

CURRENT = "cw_eval_current"  # {"path": str, "data": run dict} of the run on show
# Summary metrics shown as headline tiles, in this order, when the run has them.
HEADLINE = {"passed": "Passed", "fact_coverage": "Fact coverage", "source_hit": "Source hit",
            "citation_precision": "Citation precision", "recall@5": "Recall@5", "mrr": "MRR",
            "latency_p50_ms": "Latency p50 (ms)"}
# Plain symbols: the table canvas has no colour-emoji font in a bare Debian browser.
_STATUS_ICON = {"better": "▲ better", "worse": "▼ worse", "same": "= same", "new": "+ new",
                "gone": "− gone"}


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
    columns = st.columns(len(shown) or 1)
    for column, key in zip(columns, shown, strict=False):
        value = f"{summary[key]} / {n}" if key == "passed" else _fmt(summary[key])
        column.metric(HEADLINE[key], value)
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
    rows = []
    for r in data.get("results", []):
        scores = r.get("scores", {})
        rows.append({
            "Result": "✓ pass" if scores.get("passed") else "✗ FAIL",
            "id": r.get("id"),
            "Question": r.get("question"),
            "Expected facts (✓ found / ✗ missing)": _facts(r) if r.get("answerable", True)
            else "should abstain",
            "Why it failed": "; ".join(scores.get("failures") or []),
            "Expected sources": ", ".join(r.get("expected_sources") or []) or "—",
            "Cited": ", ".join(scores.get("cited_articles") or []) or "—",
            "Got": "(abstained)" if r.get("abstained") else r.get("answer", ""),
        })
    only_failed = st.toggle("Show failing questions only", value=False)
    if only_failed:
        rows = [row for row in rows if row["Result"] == "✗ FAIL"]
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"Question": st.column_config.TextColumn(width="medium"),
                                "Got": st.column_config.TextColumn(width="large")})


def _compare(data: dict[str, Any], current_path: str, runs: list[Path]) -> None:
    from eval.compare import compare_runs, compare_summaries

    others = [p for p in runs if str(p) != current_path]
    st.subheader("Compare with a previous run")
    if not others:
        st.caption("No earlier saved run of this set yet: run it again after a change to compare.")
        return
    baseline_path = st.selectbox("Previous run", others, format_func=lambda p: p.stem)
    baseline = load_run(baseline_path)
    rows = compare_runs(data, baseline)
    counts = {k: sum(1 for r in rows if r["status"] == k) for k in _STATUS_ICON}
    st.markdown(" · ".join(f"{_STATUS_ICON[k]}: **{v}**" for k, v in counts.items() if v))
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


def page() -> None:
    s = resources.settings()
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Evaluation")
    runs_tab, audit_tab = st.tabs(["Eval runs", "Audit log"])
    with runs_tab:
        _evaluation(s)
    with audit_tab:
        _audit(s)


def _audit(s: Any) -> None:
    """Every answer the engine gave (questions may hold patient data: local file only)."""
    from qa.audit import AuditLog

    if not s.audit_log:
        st.info("The audit log is off (CITEWISE_AUDIT_LOG=false).")
        return
    if not Path(s.audit_path).exists():
        st.caption(f"No answers recorded yet in `{s.audit_path}`.")
        return
    st.caption(f"Answers recorded in `{s.audit_path}`. Questions may contain patient data; "
               "the file never leaves this machine.")
    left, mid, right = st.columns([2, 1, 1])
    contains = left.text_input("Question contains", key="audit_contains")
    kind = mid.selectbox("Outcome", ["all", "answered", "abstained"], key="audit_kind")
    limit = right.number_input("Newest", min_value=10, max_value=5000, value=200, step=50,
                               key="audit_limit")
    abstained = {"all": None, "answered": False, "abstained": True}[kind]
    entries = AuditLog(Path(s.audit_path)).entries(int(limit), contains, abstained)
    st.dataframe(
        [{"time": e.at, "question": e.question, "abstained": e.abstained,
          "citations": ", ".join(str(c["chunk_id"]) for c in e.citations),
          "index version": e.index_version, "settings": e.settings_hash,
          "evidence": round(e.evidence, 3), "ms": round(e.latency_ms)} for e in entries],
        hide_index=True, use_container_width=True)


def _evaluation(s: Any) -> None:
    st.caption("Run a question set against the live index and check every answer against the "
               "facts and sources it must contain.")
    try:
        from eval.cases import EvalSetError, load_cases
        from eval.harness import run_eval
    except ImportError as exc:
        st.info(f"The evaluation harness is not available in this build ({exc}).")
        return
    sets = eval_sets()
    if not sets:
        st.info("No eval sets found in eval/sets/.")
        return
    chosen = st.selectbox("Eval set", sets, format_func=lambda p: p.stem)
    try:
        cases = load_cases(chosen)
    except EvalSetError as exc:
        st.error(f"This eval set cannot be read: {exc}")
        return
    folder = runs_dir(s)
    runs = saved_runs(folder, chosen.stem)
    st.caption(f"{len(cases)} questions · runs are saved in `{folder}`")

    left, right = st.columns([1, 2], vertical_alignment="bottom")
    if left.button("Run evaluation", type="primary", icon=":material/play_arrow:"):
        engine = resources.engine_or_error(s)
        if engine is None:
            return
        bar = st.progress(0.0, text="Asking…")
        run = run_eval(engine, cases, progress=lambda done, total: bar.progress(
            done / max(total, 1), text=f"Asked {done} of {total} questions"))
        data = run.as_dict()
        path = save_run(folder, chosen.stem, data)
        bar.progress(1.0, text=f"Done: saved as {path.name}")
        st.session_state[CURRENT] = {"path": str(path), "data": load_run(path)}
        runs = saved_runs(folder, chosen.stem)
    elif runs:
        labels = {str(p): p.stem for p in runs}
        shown = st.session_state.get(CURRENT)
        default = shown["path"] if shown and shown["path"] in labels else str(runs[0])
        pick = right.selectbox("Or open a saved run", list(labels), format_func=labels.get,
                               index=list(labels).index(default))
        if shown is None or shown["path"] != pick:
            st.session_state[CURRENT] = {"path": pick, "data": load_run(Path(pick))}

    current = st.session_state.get(CURRENT)
    if current is None or Path(current["path"]) not in runs:
        st.caption("No run of this set yet.")
        return
    st.subheader(f"Run {Path(current['path']).stem}")
    meta = current["data"].get("meta", {})
    if meta:
        st.caption(f"index version `{meta.get('index_version')}` · {meta.get('n_articles')} "
                   f"articles · min evidence {meta.get('min_evidence')}")
    _summary(current["data"])
    st.subheader("Per question")
    _results(current["data"])
    _compare(current["data"], current["path"], runs)


page()
