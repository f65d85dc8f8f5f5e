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
                            env={**__import__("os").environ, "CITEWISE_MAX_STATEMENTS": "3"})
    data = json.loads(result.stdout)
    assert data["max_statements"] == 3 and data["chunk_max_words"] == 120
    scorer = data["answer_scorer"]  # the learned scorer in force, with what it was fitted on
    assert scorer["data_hash"] and "sent_cos" in scorer["unit_features"]
    bad = subprocess.run([sys.executable, "-m", "citewise.cli", "config"], capture_output=True,
                         text=True, cwd=ROOT,
                         env={**__import__("os").environ, "CITEWISE_RETRIEVE_K": "many"})
    assert bad.returncode != 0 and "CITEWISE_RETRIEVE_K='many'" in bad.stderr


def test_articles_lists_account_warnings_and_sidecar_metadata(tmp_path: Path) -> None:
    from tests.conftest import CORPUS
    from tests.ingest.pages import mostly_navigation_page

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name in ("red-flags-low-back-pain.md", "conservative-management-low-back-pain.html"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    (corpus / "ankle-sprain.html").write_text(mostly_navigation_page(), encoding="utf-8")

    done = citewise("ingest", "--corpus", str(corpus), "--index", str(index), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "largest dropped part: navigation" in " ".join(report["warnings"]["ankle-sprain"])
    assert report["accounts"]["ankle-sprain"]["dropped"]["navigation"] > 100

    listed = citewise("articles", "--index", str(index), "--json")
    assert listed.returncode == 0, listed.stderr
    records = {r["article_id"]: r for r in json.loads(listed.stdout)}
    assert set(records) == {"red-flags-low-back-pain", "conservative-management-low-back-pain",
                            "ankle-sprain"}
    fields = {"article_id", "title", "publisher", "year", "last_updated", "review_status",
              "source_path", "pages", "sections", "references", "words_source",
              "words_indexed", "ocr", "warnings"}
    for record in records.values():
        assert fields <= set(record), fields - set(record)
        assert record["words_source"] > record["words_indexed"] > 0
    html = records["conservative-management-low-back-pain"]
    assert (html["publisher"], html["year"], html["review_status"]) == (
        "Citewise Guidelines", 2025, "Approved")
    assert html["indexed_share"] >= 0.85 and not html["warnings"] and html["ocr"] is False
    assert any("is indexed" in w for w in records["ankle-sprain"]["warnings"])

    # An editor corrects metadata beside the files: a good sidecar re-ingests its article, a
    # bad one is a one-line reason naming it and the article's last good version stays.
    (corpus / "ankle-sprain.html.meta.json").write_text(
        json.dumps({"title": "Ottawa ankle rules", "publisher": "Example Emergency College"}),
        encoding="utf-8")
    (corpus / "red-flags-low-back-pain.md.meta.json").write_text("{oops", encoding="utf-8")
    again = citewise("ingest", "--corpus", str(corpus), "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert "updated  ankle-sprain" in again.stdout
    assert "red-flags-low-back-pain.md.meta.json: not valid JSON" in again.stdout
    assert "warning  ankle-sprain: only" in again.stdout and "navigation" in again.stdout
    table = citewise("articles", "--index", str(index))
    assert table.returncode == 0 and "ankle-sprain" in table.stdout and "warning" in table.stdout
    records = {r["article_id"]: r for r in json.loads(
        citewise("articles", "--index", str(index), "--json").stdout)}
    assert records["ankle-sprain"]["title"] == "Ottawa ankle rules"
    assert records["ankle-sprain"]["publisher"] == "Example Emergency College"
    assert "red-flags-low-back-pain" in records

    missing = citewise("articles", "--index", str(tmp_path / "none"))
    assert missing.returncode == 1 and "no index at" in missing.stderr
