"""The Evaluation page: pick a set, score it on the index it was written for, read metrics and
per-question results, open a case, compare; the audit log with eval questions marked apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_helpers import APP, ask, wait_for_jobs
from streamlit.testing.v1 import AppTest

from ui.eval_runs import EVAL_SETS_DIR, eval_sets, save_run, saved_runs

pytest.importorskip("eval.harness", reason="the eval harness is not in this build")
SET = EVAL_SETS_DIR / "core.jsonl"  # written for corpus/, which the workspace index holds
HELD_OUT = EVAL_SETS_DIR / "real-guidelines-heldout.jsonl"


@pytest.fixture
def eval_page(workspace: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/evaluation.py").run()
    assert not at.exception, at.exception
    return at


def _run(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Run evaluation").click().run()
    wait_for_jobs(at)


def test_run_names_the_index_and_corpus_it_scored(eval_page: AppTest, workspace: Path) -> None:
    assert SET in eval_sets()
    eval_page.selectbox[0].set_value(SET).run()
    assert any("No run of this set yet" in c.value for c in eval_page.caption)
    assert any("Will score on the live index `index` built from" in c.value
               for c in eval_page.caption), "the live index holds core's corpus: it is used"
    _run(eval_page)
    saved = saved_runs(workspace / "eval-runs", SET.stem)
    assert len(saved) == 1, "a run is saved under <index parent>/eval-runs/<set>-<time>.json"
    data = json.loads(saved[0].read_text())
    assert data["set"] == SET.stem and len(data["results"]) == data["summary"]["n_cases"]
    meta = data["meta"]
    assert meta["index_dir"] == "index" and meta["live_index"] and meta["corpus_match"]
    assert Path(meta["corpus"]).name == "corpus"
    scored = next(m.value for m in eval_page.markdown if "cw-scored-on" in m.value)
    assert "the live index" in scored and "built from" in scored and "version" in scored
    labels = [m.label for m in eval_page.metric]
    assert "Passed" in labels and "Fact coverage" in labels, labels
    table = eval_page.dataframe[1].value  # [0] is "All summary metrics"
    assert len(table) == data["summary"]["n_cases"]
    assert {"Result", "Why it failed", "Expected facts (✓ found / ✗ missing)", "Got"} <= set(
        table.columns)
    assert any(b.label == "Download the HTML report" for b in eval_page.get("download_button"))
    eval_page.selectbox(key="eval_case").set_value(0).run()
    case = next(m.value for m in eval_page.markdown if "cw-eval-case" in m.value)
    assert "Expected facts" in case and "Citations" in case and "Answer" in case
    assert any("No earlier saved run" in c.value for c in eval_page.caption)


def test_a_live_index_unlike_the_sets_corpus_is_warned_about(workspace: Path) -> None:
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import chunker_settings

    (workspace / "corpus" / "red-flags-low-back-pain.md").unlink()
    sync_corpus(Path("corpus"), Path("index"), chunker_settings(Settings()))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/evaluation.py").run()
    at.selectbox[0].set_value(SET).run()
    assert any("the corpus is ingested into it first" in c.value for c in at.caption), \
        "by default the set is scored on its own corpus"
    at.radio(key="eval_target").set_value("live").run()
    warning = next(w.value for w in at.warning if "does not match the set's corpus" in w.value)
    assert "1 of the set's corpus files are not in it" in warning


def test_compare_with_previous_run(eval_page: AppTest, workspace: Path) -> None:
    eval_page.selectbox[0].set_value(SET).run()
    _run(eval_page)
    # a doctored earlier run: one case failed then, so this run is better on it
    first = saved_runs(workspace / "eval-runs", SET.stem)[0]
    earlier = json.loads(first.read_text())
    case = next(r for r in earlier["results"]
                if not r["scores"]["abstained"] and r["scores"].get("fact_coverage"))
    case["scores"] |= {"passed": False, "fact_coverage": 0.0, "abstained": True,
                       "source_hit": False}
    first.unlink()
    save_run(workspace / "eval-runs", SET.stem, earlier)
    _run(eval_page)
    assert len(saved_runs(workspace / "eval-runs", SET.stem)) == 2
    assert any("▲ better: **1**" in m.value for m in eval_page.markdown), \
        "the summary line should count the one improved case"
    compare = eval_page.dataframe[-1].value
    row = compare[compare["id"] == case["id"]].iloc[0]
    assert row["Status"] == "▲ better", row.to_dict()
    assert row["Before"].startswith("fail · abstained"), row.to_dict()


def test_held_out_set_is_not_run_in_one_click(eval_page: AppTest) -> None:
    eval_page.selectbox[0].set_value(HELD_OUT).run()
    assert any("Held-out set" in w.value for w in eval_page.warning)
    run = next(b for b in eval_page.button if b.label == "Run evaluation")
    assert run.disabled, "a held-out run needs 'checking, not tuning' ticked first"
    eval_page.checkbox(key="heldout-real-guidelines-heldout").check().run()
    assert not next(b for b in eval_page.button if b.label == "Run evaluation").disabled


def test_saved_runs_newest_first(tmp_path: Path) -> None:
    a = save_run(tmp_path, "core", {"summary": {}, "results": []})
    b = save_run(tmp_path, "core", {"summary": {}, "results": []})
    save_run(tmp_path, "core-extra", {"summary": {}, "results": []})
    assert saved_runs(tmp_path, "core") == [b, a]


def test_audit_tab_lists_and_filters_answers(workspace: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEWISE_AUDIT_LOG", "true")
    monkeypatch.setenv("CITEWISE_AUDIT_PATH", str(workspace / "audit.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    ask(at, "what are the red flags in low back pain?")
    ask(at, "apixaban dose in renal impairment?")
    at.switch_page("pages/evaluation.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 2 and list(table["abstained"]) == [True, False]
    assert set(table["from"]) == {"clinician"}
    assert table["citations"].iloc[1], "answered rows list the cited chunk ids"
    at.text_input(key="audit_contains").set_value("apixaban").run()
    assert list(at.dataframe[0].value["question"]) == ["apixaban dose in renal impairment?"]
    at.selectbox(key="audit_kind").set_value("answered").run()
    assert len(at.dataframe[0].value) == 0
    # an eval run's questions are recorded apart, shown only when asked for
    at.text_input(key="audit_contains").set_value("").run()
    at.selectbox(key="audit_kind").set_value("all").run()
    at.selectbox[0].set_value(SET).run()
    _run(at)
    assert len(at.dataframe[-1].value) == 2, "eval questions stay out of the clinicians' log"
    at.toggle(key="audit_eval").set_value(True).run()
    table = at.dataframe[-1].value
    assert (table["from"] == "eval set").sum() == 59 and (table["from"] == "clinician").sum() == 2


def test_no_page_uses_the_deprecated_use_container_width() -> None:
    """Streamlit warns on every run of a page that passes it (its removal date has passed)."""
    root = Path(__file__).resolve().parents[2]
    sources = [root / "app.py", *(root / "pages").glob("*.py"), *(root / "ui").glob("*.py")]
    users = [p.name for p in sources if "use_container_width" in p.read_text(encoding="utf-8")]
    assert users == [], f"use width='stretch' instead in {users}"
