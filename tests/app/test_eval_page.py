"""The Evaluation page: pick a set, run it, read metrics and per-question results, compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_helpers import APP
from streamlit.testing.v1 import AppTest

from ui.eval_runs import EVAL_SETS_DIR, eval_sets, save_run, saved_runs

pytest.importorskip("eval.harness", reason="the eval harness is not in this build")
SET = EVAL_SETS_DIR / "seed-articles.jsonl"  # the smaller set keeps this test short


@pytest.fixture
def eval_page(workspace: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/evaluation.py").run()
    assert not at.exception, at.exception
    return at


def _run(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Run evaluation").click().run()
    assert not at.exception, at.exception


def test_run_shows_metrics_table_and_saves(eval_page: AppTest, workspace: Path) -> None:
    assert SET in eval_sets()
    eval_page.selectbox[0].set_value(SET).run()
    assert any("No run of this set yet" in c.value for c in eval_page.caption)
    _run(eval_page)
    saved = saved_runs(workspace / "eval-runs", SET.stem)
    assert len(saved) == 1, "a run is saved under <index parent>/eval-runs/<set>-<time>.json"
    data = json.loads(saved[0].read_text())
    assert data["set"] == SET.stem and len(data["results"]) == data["summary"]["n_cases"]
    labels = [m.label for m in eval_page.metric]
    assert "Passed" in labels and "Fact coverage" in labels, labels
    table = eval_page.dataframe[1].value  # [0] is "All summary metrics"
    assert len(table) == data["summary"]["n_cases"]
    assert {"Result", "Expected facts (✓ found / ✗ missing)", "Got"} <= set(table.columns)
    assert any("No earlier saved run" in c.value for c in eval_page.caption)


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


def test_saved_runs_newest_first(tmp_path: Path) -> None:
    a = save_run(tmp_path, "core", {"summary": {}, "results": []})
    b = save_run(tmp_path, "core", {"summary": {}, "results": []})
    save_run(tmp_path, "core-extra", {"summary": {}, "results": []})
    assert saved_runs(tmp_path, "core") == [b, a]


def test_audit_tab_lists_and_filters_answers(workspace: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from apptest_helpers import ask

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
    assert table["citations"].iloc[1], "answered rows list the cited chunk ids"
    at.text_input(key="audit_contains").set_value("apixaban").run()
    assert list(at.dataframe[0].value["question"]) == ["apixaban dose in renal impairment?"]
    at.selectbox(key="audit_kind").set_value("answered").run()
    assert len(at.dataframe[0].value) == 0
