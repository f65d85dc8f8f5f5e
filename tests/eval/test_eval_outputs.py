"""Comparison, HTML report, RAGAS export and the answer threshold on hand-made runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from eval.compare import compare_runs, compare_summaries
from eval.ragas import write_ragas
from eval.report import write_html
from eval.train_scorer import choose_threshold


def result(case_id: str, *, answerable: bool = True, coverage: float | None = 1.0,
           abstained: bool = False, hit: bool | None = True, passed: bool = True,
           latency: float = 120.0) -> dict[str, Any]:
    facts = [[f"fact {case_id}"], ["second"]]
    covered = [] if coverage is None else [coverage >= 0.5, coverage >= 1.0]
    scores = {"abstained": abstained, "fact_coverage": coverage, "facts_covered": covered,
              "source_hit": hit, "passed": passed, "latency_ms": latency, "evidence": 0.4,
              "failures": [] if passed else ["missing fact(s): second"],
              "cited_articles": ["a"], "recall@5": 1.0, "mrr": 1.0}
    return {"id": case_id, "question": f"question {case_id}?", "answer": f"answer <{case_id}>",
            "answerable": answerable, "expected_sources": ["a"] if answerable else [],
            "expected_facts": facts if answerable else [], "abstained": abstained,
            "citations": [{"text": f"cited passage {case_id}"}],
            "retrieved": [{"chunk_id": f"{case_id}:0"}, {"chunk_id": f"{case_id}:9"}],
            "scores": scores}


def run(*results: dict[str, Any], **summary: float) -> dict[str, Any]:
    return {"summary": {"n_cases": len(results), "fact_coverage": 0.9, "source_hit": 1.0,
                        "false_abstentions": 0, "latency_p50_ms": 100.0} | summary,
            "results": list(results)}


BASE = run(result("same"), result("drop", coverage=1.0), result("abstains"),
           result("scope", answerable=False, abstained=False, hit=None, coverage=None,
                  passed=False), result("removed"))
NOW = run(result("same"), result("drop", coverage=0.5, passed=False),
          result("abstains", abstained=True, coverage=0.0, hit=False, passed=False),
          result("scope", answerable=False, abstained=True, hit=None, coverage=None),
          result("added"), fact_coverage=0.8, false_abstentions=1, latency_p50_ms=90.0)


def test_compare_runs_statuses() -> None:
    rows = {r["id"]: r for r in compare_runs(NOW, BASE)}
    assert {k: r["status"] for k, r in rows.items()} == {
        "same": "same", "drop": "worse", "abstains": "worse", "scope": "better",
        "added": "new", "removed": "gone"}
    assert rows["drop"]["before"] == {"fact_coverage": 1.0, "abstained": False,
                                      "source_hit": True, "passed": True}
    assert rows["drop"]["after"]["fact_coverage"] == 0.5
    assert rows["added"]["before"] is None and rows["removed"]["after"] is None
    assert rows["drop"]["question"] == "question drop?"


def test_identical_runs_compare_same() -> None:
    assert {r["status"] for r in compare_runs(BASE, json.loads(json.dumps(BASE)))} == {"same"}


def test_summary_deltas_know_which_direction_is_better() -> None:
    rows = {r["metric"]: r for r in compare_summaries(NOW, BASE)}
    assert "n_cases" not in rows
    assert rows["fact_coverage"]["delta"] == pytest.approx(-0.1)
    assert rows["fact_coverage"]["direction"] == "worse"
    assert rows["false_abstentions"]["direction"] == "worse"
    assert rows["latency_p50_ms"]["direction"] == "better"
    assert rows["latency_p50_ms"]["graded"] is False


def test_html_report_is_self_contained_and_highlights_changes(tmp_path: Path) -> None:
    path = write_html(NOW, tmp_path / "out" / "report.html", baseline=BASE)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.count("<svg") == 2
    assert "src=" not in html and "<script" not in html and "http://" not in html.replace(
        "http://www.w3.org/2000/svg", "")
    assert "<tr class='worse'><td>drop</td>" in html
    assert "<tr class='better'><td>scope</td>" in html
    assert "answer &lt;drop&gt;" in html  # answers are escaped
    plain = write_html(NOW, tmp_path / "plain.html").read_text(encoding="utf-8")
    assert "class='worse'" not in plain and "Changes against the baseline" not in plain


def test_ragas_export_jsonl_and_csv(tmp_path: Path) -> None:
    texts = {"drop:0": "chunk zero", "drop:9": "chunk nine"}
    assert write_ragas(NOW, tmp_path / "r.jsonl", texts, n_contexts=1) == 5
    rows = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert list(rows[1]) == ["question", "answer", "contexts", "ground_truth"]
    assert rows[1] == {"question": "question drop?", "answer": "answer <drop>",
                       "contexts": ["chunk zero"], "ground_truth": "fact drop; second"}
    assert rows[3]["ground_truth"] == ""  # unanswerable: nothing to state
    write_ragas(NOW, tmp_path / "r.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert json.loads(table[0]["contexts"]) == ["cited passage same"]
    with pytest.raises(ValueError, match=r"r\.txt: RAGAS export needs"):
        write_ragas(NOW, tmp_path / "r.txt")


def test_answer_threshold_is_the_best_f1_within_the_false_abstention_bar() -> None:
    """Declining below 0.28 declines 0.12 and 0.25 and keeps every answerable case but 0.05:
    the best F1 allowed; 0.45 would decline 0.40 too but also the answerable 0.31."""
    confidence = [0.50, 0.31, 0.62, 0.12, 0.25, 0.40] + [0.9] * 60 + [0.05]
    answerable = [True, True, True, False, False, False] + [True] * 60 + [True]
    # one false abstention in 64 answerable cases is within 2%; two would not be
    assert choose_threshold(confidence, answerable) == pytest.approx(0.28)
    assert choose_threshold(confidence[:6], answerable[:6]) == pytest.approx(0.28)
    strict = [0.50, 0.31, 0.62, 0.12, 0.25, 0.40, 0.05, 0.06]
    assert choose_threshold(strict, [True] * 3 + [False] * 3 + [True] * 2) == 0.0, \
        "declining anything here declines an answerable case: 1 of 5 is over 2%"


def test_html_report_shows_answers_side_by_side_with_the_previous_run(tmp_path: Path) -> None:
    reworded = result("same") | {"answer": "answer <same>, said differently"}
    now = run(*(reworded if r["id"] == "same" else r for r in NOW["results"]))
    html = write_html(now, tmp_path / "report.html", baseline=BASE).read_text(encoding="utf-8")
    section = html.split("<h2>Answers side by side with the previous run</h2>", 1)[1]
    section = section.split("</table>", 1)[0]
    rows = section.split("<tr")[2:]
    ids = [row.split("<b>", 1)[1].split("</b>", 1)[0] for row in rows]
    # regressions first, then improvements, new, gone; unchanged grades last
    assert ids == ["drop", "abstains", "scope", "added", "removed", "same"]
    drop = rows[0]
    # the previous answer (passed) in the left column, this run's (failed) on the right
    assert drop.index("<span class=pass>pass</span>") < drop.index("<span class=fail>fail</span>")
    assert drop.count("answer &lt;drop&gt;") == 2
    assert "abstained:" in rows[1] and "(not in this run)" in rows[4]
    assert "text changed" in rows[5] and "said differently" in rows[5]
    assert "4 cases changed grade" not in section and "5 cases changed grade" in section
    assert "1 changed wording only" in section
    plain = write_html(now, tmp_path / "plain.html").read_text(encoding="utf-8")
    assert "side by side" not in plain
