"""`citewise eval` end to end on the seed articles: files written, baseline, gates, folds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from citewise.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEED_SET = ROOT / "eval" / "sets" / "seed-articles.jsonl"
SEED_CORPUS = ROOT.parent / "shared" / "seed-articles"  # where the set's "# corpus:" line points
SUMMARY_KEYS = {"fact_coverage", "source_hit", "citation_precision", "recall@1", "recall@5",
                "recall@10", "mrr", "ndcg@10", "abstention_precision", "abstention_recall",
                "abstention_f1", "false_abstentions", "latency_p50_ms", "latency_p95_ms"}

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["eval", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory, eval_embedder: Any) -> dict[str, Any]:
    """One CLI run over the seed articles (ingested into a temporary index)."""
    if not SEED_CORPUS.is_dir():
        pytest.skip(f"{SEED_CORPUS} is absent")
    work = tmp_path_factory.mktemp("seed-eval")
    result = invoke("--set", str(SEED_SET), "--corpus", str(SEED_CORPUS),
                    "--index", str(work / "index"), "--out", str(work / "results.json"),
                    "--html", str(work / "report.html"), "--ragas", str(work / "ragas.jsonl"))
    assert result.exit_code == 0, result.output
    return {"dir": work, "output": result.output,
            "data": json.loads((work / "results.json").read_text(encoding="utf-8"))}


def test_seed_run_writes_results_report_and_ragas(seed_run: dict[str, Any]) -> None:
    data, work = seed_run["data"], seed_run["dir"]
    assert SUMMARY_KEYS <= set(data["summary"])
    assert data["summary"]["n_cases"] == 23 and len(data["results"]) == 23
    first = data["results"][0]
    # each result is the ask --json record plus id, expectations and scores
    assert first["id"] == "seed-l1l2-initial"
    assert {"question", "answer", "abstained", "citations", "retrieved", "evidence",
            "latency_ms", "scores"} <= set(first)
    assert {"facts_covered", "source_hit", "recall@1", "recall@5", "recall@10", "mrr",
            "ndcg@10", "passed"} <= set(first["scores"])
    for metric in SUMMARY_KEYS - {"false_abstentions", "latency_p50_ms", "latency_p95_ms"}:
        assert 0.0 <= data["summary"][metric] <= 1.0, metric
    html = (work / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "seed-l1l2-initial" in html
    assert len((work / "ragas.jsonl").read_text(encoding="utf-8").splitlines()) == 23
    out = seed_run["output"]
    assert "seed-l1l2-initial" in out and "abstention_f1" in out and "PASS" in out


def test_second_identical_run_shows_no_change(seed_run: dict[str, Any]) -> None:
    work = seed_run["dir"]
    result = invoke("--set", str(SEED_SET), "--index", str(work / "index"), "--quiet",
                    "--baseline", str(work / "results.json"), "--out", str(work / "again.json"),
                    "--html", str(work / "again.html"))
    assert result.exit_code == 0, result.output
    assert "against the baseline: no change (0 better, 0 worse, 23 same" in result.output
    again = json.loads((work / "again.json").read_text(encoding="utf-8"))
    timing = {"latency_p50_ms", "latency_p95_ms"}
    assert ({k: v for k, v in again["summary"].items() if k not in timing}
            == {k: v for k, v in seed_run["data"]["summary"].items() if k not in timing})
    assert [r["answer"] for r in again["results"]] == [
        r["answer"] for r in seed_run["data"]["results"]]
    assert "No case changed." in (work / "again.html").read_text(encoding="utf-8")


def test_rerun_into_the_same_out_file_compares_with_the_previous_run(
        seed_run: dict[str, Any], tmp_path: Path) -> None:
    """The last saved run is the default baseline: the report puts its answers beside the
    new ones, then the file is replaced by the new run."""
    work = seed_run["dir"]
    saved = tmp_path / "results.json"
    previous = json.loads(json.dumps(seed_run["data"]))  # a copy: other tests read it
    previous["results"][0]["answer"] = "an older answer"
    saved.write_text(json.dumps(previous), encoding="utf-8")
    result = invoke("--set", str(SEED_SET), "--index", str(work / "index"), "--quiet",
                    "--out", str(saved), "--html", str(tmp_path / "report.html"))
    assert result.exit_code == 0, result.output
    assert f"previous run: {saved}" in result.output.replace("\n", "")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    side = html.split("Answers side by side with the previous run", 1)[1]
    assert "an older answer" in side and "text changed" in side
    assert json.loads(saved.read_text(encoding="utf-8"))["results"][0]["answer"] != (
        "an older answer")


def test_missed_gate_exits_non_zero_naming_the_metrics(seed_run: dict[str, Any],
                                                      tmp_path: Path) -> None:
    work = seed_run["dir"]
    subset = tmp_path / "three.jsonl"  # three cases are enough to exercise the gates
    subset.write_text("".join(SEED_SET.read_text(encoding="utf-8").splitlines(True)[:3]),
                      encoding="utf-8")
    result = invoke("--set", str(subset), "--index", str(work / "index"), "--quiet",
                    "--fail-under", "fact_coverage=1.01", "--fail-under", "mrr=0",
                    "--fail-under", "latency_p95_ms=0.001")
    assert result.exit_code == 1
    line = result.output.strip().splitlines()[-1]
    assert "below threshold: fact_coverage" in line and "< 1.01" in line
    assert "latency_p95_ms" in line and "mrr" not in line


def test_a_run_prints_the_document_held_out_figures_beside_its_own(seed_run) -> None:
    result = invoke("--set", str(SEED_SET), "--index", str(seed_run["dir"] / "index"),
                    "--quiet")
    assert result.exit_code == 0, result.output
    held = next(line for line in result.output.splitlines()
                if line.startswith("document-held-out"))
    assert "scorer fitted without this set's documents" in held and "facts 0." in held
    assert any(line.startswith("plain baseline, same passages") for line in
               result.output.splitlines())


def test_cv_documents_folds_over_documents(seed_run: dict[str, Any], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sets over one corpus: folds are groups of documents, each fold's cases answered by
    a scorer fitted on cases about other documents; shipped, held-out and baseline side by
    side, per set and over all."""
    monkeypatch.chdir(tmp_path)  # per-set indexes go under ./.citewise/eval-index
    cases = [line for line in SEED_SET.read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.startswith("#")]
    other = tmp_path / "seed-part.jsonl"
    other.write_text(f"# corpus: {SEED_CORPUS}\n" + "".join(cases[:8]), encoding="utf-8")
    out_json = tmp_path / "cv.json"
    result = invoke("--set", str(SEED_SET), "--set", str(other), "--cv", "documents",
                    "--out", str(out_json))
    assert result.exit_code == 0, result.output
    assert "shipped scorer | document-held-out | plain baseline" in result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(data["held_out"]) == {"seed-articles", "seed-part", "all"}
    assert data["held_out"]["all"]["n_cases"] == len(cases) + 8
    folds = data["folds"]
    assert len(folds) >= 2 and sum(f["test_cases"] for f in folds) == len(cases) + 8
    for fold in folds:  # a fold's documents chose nothing in it
        assert fold["train_cases"] + fold["test_cases"] <= len(cases) + 8
    assert set(data["baseline"]["all"]) >= {"fact_coverage", "source_hit"}


def test_cv_with_one_index_for_several_sets_is_rejected(tmp_path: Path) -> None:
    result = invoke("--set", str(SEED_SET), "--set", str(SEED_SET), "--cv", "documents",
                    "--index", str(tmp_path / "none"))
    assert result.exit_code == 2 and "--index/--corpus name one index" in result.output


def test_only_document_folds(tmp_path: Path) -> None:
    result = invoke("--set", str(SEED_SET), "--cv", "sets")
    assert result.exit_code == 2 and "the only folds are 'documents'" in result.output


def test_several_sets_without_cv_are_rejected() -> None:
    result = invoke("--set", str(SEED_SET), "--set", str(SEED_SET))
    assert result.exit_code == 2 and "exactly one --set" in result.output


def test_malformed_set_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q?"}\n{"id": \n', encoding="utf-8")
    result = invoke("--set", str(bad), "--index", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "bad.jsonl:2: not valid JSON" in result.output


def test_unknown_gate_metric_is_rejected(tmp_path: Path) -> None:
    result = invoke("--set", str(SEED_SET), "--index", str(tmp_path / "none"),
                    "--fail-under", "accuracy=0.9")
    assert result.exit_code == 2 and "expected metric=value" in result.output


def test_missing_index_is_one_line_error(tmp_path: Path) -> None:
    result = invoke("--set", str(SEED_SET), "--index", str(tmp_path / "none"))
    assert result.exit_code == 1 and "error:" in result.output
