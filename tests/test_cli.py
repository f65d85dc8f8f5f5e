"""The CLI contract: `citewise ingest` and `citewise ask --json`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def citewise(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "citewise.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, input=stdin, timeout=300)


def test_ingest_then_ask_json(tmp_path: Path, seed_dir: Path) -> None:
    index = tmp_path / "x"
    done = citewise("ingest", "--corpus", str(seed_dir), "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert "added 4, updated 0, removed 0, unchanged 0, skipped 0" in done.stdout

    again = citewise("ingest", "--corpus", str(seed_dir), "--index", str(index), "--json")
    report = json.loads(again.stdout)
    assert report["unchanged"] and not report["added"] and report["n_embedded"] == 0

    asked = citewise("ask", "--index", str(index), "--json",
                     "when should contrast be added to a lumbar spine MRI?")
    assert asked.returncode == 0, asked.stderr
    record = json.loads(asked.stdout)
    assert not record["abstained"]
    assert "000_823a70ce5266c8a4" in {c["article_id"] for c in record["citations"]}
    first = record["citations"][0]
    assert first["references"] and {"n", "title", "venue", "year", "type"} <= set(
        first["references"][0])
    assert record["retrieved"][0]["rank"] == 1 and record["latency_ms"] > 0

    no = citewise("ask", "--index", str(index), "--json",
                  "what apixaban dose for atrial fibrillation with renal impairment?")
    record = json.loads(no.stdout)
    assert record["abstained"] and record["citations"] == []


def test_failures_exit_non_zero_with_one_line(tmp_path: Path) -> None:
    missing = citewise("ask", "--index", str(tmp_path / "none"), "what?")
    assert missing.returncode == 1
    assert "no index at" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    no_corpus = citewise("ingest", "--corpus", str(tmp_path / "nope"), "--index",
                         str(tmp_path / "i"))
    assert no_corpus.returncode == 1 and "does not exist" in no_corpus.stderr


def test_config_prints_settings_with_env_override() -> None:
    result = subprocess.run([sys.executable, "-m", "citewise.cli", "config", "--json"],
                            capture_output=True, text=True, cwd=ROOT,
                            env={**__import__("os").environ, "CITEWISE_MIN_EVIDENCE": "0.3"})
    data = json.loads(result.stdout)
    assert data["min_evidence"] == 0.3 and data["chunk_max_words"] == 120
    bad = subprocess.run([sys.executable, "-m", "citewise.cli", "config"], capture_output=True,
                         text=True, cwd=ROOT,
                         env={**__import__("os").environ, "CITEWISE_RETRIEVE_K": "many"})
    assert bad.returncode != 0 and "CITEWISE_RETRIEVE_K='many'" in bad.stderr
