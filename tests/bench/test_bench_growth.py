"""`citewise bench --growth ... --load ...` end to end on three articles (CI-sized): every
step measured, a rerun reusing the finished steps, and the served load test with its ingest.

Nothing is timed or compared with a target here: timings on a shared CI machine are noise.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from citewise.cli import app
from tests.conftest import CORPUS

ARTICLES = ("mri-contrast-when-to-add.md", "acute-low-back-pain-imaging.md",
            "red-flags-low-back-pain.md")
QUESTIONS = ("when should contrast be added to a lumbar spine MRI?",
             "which red flags call for imaging of low back pain?")


def test_growth_steps_and_served_load(tmp_path: Path, embedder, monkeypatch) -> None:
    monkeypatch.setenv("CITEWISE_ONNX_CACHE_DIR", str(tmp_path / "onnx"))
    library = tmp_path / "library"
    library.mkdir()
    for name in ARTICLES:
        shutil.copy(CORPUS / name, library / name)
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps({"question": q}) + "\n" for q in QUESTIONS))
    work, out = tmp_path / "work", tmp_path / "results.json"
    result = CliRunner().invoke(app, [
        "bench", "--corpus", str(library), "--questions", str(questions), "--growth", "2,all",
        "--cold-runs", "1", "--work", str(work), "--out", str(out), "--load", "3", "--askers",
        "3", "--workers", "1"])
    assert result.exit_code == 0, f"bench failed: {result.output}\n{result.exception!r}"
    data = json.loads(out.read_text())

    steps = data["growth"]
    assert [s["documents"] for s in steps] == [2, 3]
    assert [s["ingest"]["added"] for s in steps] == [2, 1], "each step adds only its documents"
    for step in steps:
        assert step["warm"]["answers"] == 2 * len(QUESTIONS) and step["chunks"] > 0
        assert 0 < step["warm"]["coverage"]["min"] <= 1.0
        assert step["throughput"]["8"]["errors"] == 0
    load = data["load"]
    assert load["errors"] == 0, load["first_errors"]
    assert load["during"]["job_status"] == "done", load["during"]
    assert len(load["answers_by_version"]) == 2, "answers from the old and the new version"
    assert load["compared_with_cli"] >= 2 * len(QUESTIONS) - 1 and load["differ_from_cli"] == 0
    keys = {t["key"] for t in data["targets"]}
    assert {"warm_p95_ms", "timing_coverage", "load_errors", "load_differ"} <= keys


def test_a_finished_step_is_reused_and_a_moved_copy_embeds_nothing(tmp_path: Path,
                                                                   embedder) -> None:
    from citewise.bench.growth import copy_index, ingest_step, library_files
    from config.settings import Settings
    from index.sync import sync_corpus

    library = tmp_path / "library"
    library.mkdir()
    for name in ARTICLES:
        shutil.copy(CORPUS / name, library / name)
    files, work, said = library_files([library]), tmp_path / "work", []
    settings = Settings.from_env()
    first, record = ingest_step(files, 2, work, None, embedder, settings, said.append)
    again, same = ingest_step(files, 2, work, None, embedder, settings, said.append)
    assert again == first and same == record and "from an earlier run" in said[-1]
    bigger, grown = ingest_step(files, 3, work, first, embedder, settings, said.append)
    assert grown["added"] == 1 and grown["chunks_added"] < grown["chunks"], grown
    assert (work / "corpus").is_dir() and sorted(p.name for p in (work / "corpus").iterdir()) \
        == sorted(ARTICLES)
    copy_index(bigger, tmp_path / "copy")
    moved = shutil.copytree(work / "corpus", tmp_path / "corpus-copy")
    report = sync_corpus(moved, tmp_path / "copy", embedder=embedder)
    assert report.n_embedded == 0 and len(report.moved) == 3, report
