"""Incremental, atomic ingest; mismatched indexes refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.errors import IndexMismatchError, IndexMissingError
from index.store import current_version, load_index
from index.sync import sync_corpus
from tests.index.articles import ARTICLE


def test_incremental_unchanged_changed_deleted(small_corpus: Path, tmp_path: Path,
                                               embedder) -> None:
    index_dir = tmp_path / "index"
    first = sync_corpus(small_corpus, index_dir, embedder=embedder)
    assert sorted(first.added) == ["000_823a70ce5266c8a4", "001_53ae069ba093b5c3", "gout"]
    data = load_index(index_dir)
    assert data.manifest.n_chunks == len(data.chunks) == data.faiss_index.ntotal

    again = sync_corpus(small_corpus, index_dir, embedder=embedder)
    assert not again.changed and again.n_embedded == 0 and len(again.unchanged) == 3
    assert again.version_id == first.version_id, "an unchanged corpus must not write a version"

    (small_corpus / "gout.md").write_text(ARTICLE.replace("urate deposits", "monosodium urate "
                                                          "crystal deposits"), encoding="utf-8")
    (small_corpus / "001_53ae069ba093b5c3.txt").unlink()
    changed = sync_corpus(small_corpus, index_dir, embedder=embedder)
    assert changed.updated == ["gout"] and changed.removed == ["001_53ae069ba093b5c3"]
    # its one passage and its one reference item
    assert changed.n_embedded == 2, "only the changed article is re-embedded"
    data = load_index(index_dir)
    assert {c.article_id for c in data.chunks} == {"000_823a70ce5266c8a4", "gout"}
    assert "001_53ae069ba093b5c3" not in data.manifest.articles
    gout = [c for c in data.chunks if c.article_id == "gout"]
    assert "monosodium urate crystal" in gout[0].text
    # Row i of the chunk table is vector i: the stored vector matches a fresh encoding.
    row = data.chunks.index(gout[0])
    fresh = embedder.encode([gout[0].embed_text])[0]
    assert float(fresh @ data.vectors[row]) > 0.999


def test_bad_file_skipped_and_previous_version_kept(small_corpus: Path, tmp_path: Path,
                                                    embedder) -> None:
    index_dir = tmp_path / "index"
    sync_corpus(small_corpus, index_dir, embedder=embedder)
    before = load_index(index_dir)
    (small_corpus / "gout.md").write_text("", encoding="utf-8")
    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    report = sync_corpus(small_corpus, index_dir, embedder=embedder)
    reasons = dict(report.skipped)
    assert reasons[str(small_corpus / "gout.md")] == "file is empty"
    assert "not a readable PDF" in reasons[str(small_corpus / "broken.pdf")]
    after = load_index(index_dir)
    assert [c.chunk_id for c in after.chunks] == [c.chunk_id for c in before.chunks]


def test_duplicate_content_under_two_names(small_corpus: Path, tmp_path: Path, embedder) -> None:
    shutil.copy(small_corpus / "gout.md", small_corpus / "gout-copy.md")
    report = sync_corpus(small_corpus, tmp_path / "index", embedder=embedder)
    assert (str(small_corpus / "gout.md"), "same content as gout-copy.md") in report.skipped


def test_crash_leftovers_do_not_change_the_live_index(small_corpus: Path, tmp_path: Path,
                                                      embedder) -> None:
    index_dir = tmp_path / "index"
    sync_corpus(small_corpus, index_dir, embedder=embedder)
    live = current_version(index_dir)
    # A writer killed mid-way leaves a half-written folder; the pointer still names the old one.
    half = index_dir / ".tmp-vcrashed"
    half.mkdir()
    (half / "chunks.jsonl").write_text("{", encoding="utf-8")
    assert load_index(index_dir).manifest.version_id == live
    (small_corpus / "gout.md").unlink()
    sync_corpus(small_corpus, index_dir, embedder=embedder)
    assert not half.exists(), "leftovers of a crashed ingest are cleaned by the next one"


def test_index_from_another_model_is_refused(small_corpus: Path, tmp_path: Path,
                                             embedder) -> None:
    from config.settings import Settings
    from qa.engine import QAEngine

    index_dir = tmp_path / "index"
    sync_corpus(small_corpus, index_dir, embedder=embedder)
    manifest_path = index_dir / current_version(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["model"]["name"] = "bge-small-en-v1.5"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="re-ingest"):
        QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)
    # Ingest notices the mismatch and rebuilds instead of mixing models.
    report = sync_corpus(small_corpus, index_dir, embedder=embedder)
    assert report.rebuilt_reason and "bge-small" in report.rebuilt_reason
    QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)


def test_index_from_another_chunker_is_refused(small_corpus: Path, tmp_path: Path,
                                               embedder) -> None:
    from config.settings import Settings
    from qa.engine import QAEngine

    index_dir = tmp_path / "index"
    sync_corpus(small_corpus, index_dir, embedder=embedder)
    with pytest.raises(IndexMismatchError, match="chunker"):
        QAEngine.load(Settings.from_env(index_dir=index_dir, chunk_max_words=60),
                      embedder=embedder)


def test_missing_index_and_corpus(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="citewise ingest"):
        load_index(tmp_path / "nothing")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        sync_corpus(tmp_path / "no-corpus", tmp_path / "index")


def test_files_read_side_by_side_give_the_serial_outcome(small_corpus: Path, tmp_path: Path,
                                                         embedder, monkeypatch) -> None:
    """Files are read by two threads at once; what is added, skipped (and in which order) and
    indexed must be what reading them one by one gives."""
    import index.sync

    shutil.copy(small_corpus / "gout.md", small_corpus / "gout-copy.md")
    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (small_corpus / "empty.txt").write_text("", encoding="utf-8")
    outcomes = []
    for workers in (1, 2):
        monkeypatch.setattr(index.sync, "PARSE_WORKERS", workers)
        report = sync_corpus(small_corpus, tmp_path / f"index-{workers}", embedder=embedder)
        data = load_index(tmp_path / f"index-{workers}")
        outcomes.append((report.added, report.skipped, [c.text for c in data.chunks]))
    assert outcomes[0] == outcomes[1]
    added, skipped, _ = outcomes[1]
    assert len(added) == 3
    assert {Path(p).name for p, _ in skipped} == {"broken.pdf", "empty.txt", "gout.md"}


def test_moved_corpus_folder_reuses_every_vector(small_corpus: Path, tmp_path: Path,
                                                 embedder) -> None:
    index_dir = tmp_path / "index"
    first = sync_corpus(small_corpus, index_dir, embedder=embedder)
    moved = shutil.copytree(small_corpus, tmp_path / "elsewhere" / "corpus")
    report = sync_corpus(moved, index_dir, embedder=embedder)
    assert sorted(report.moved) == sorted(first.added) and report.n_embedded == 0, report
    assert report.version_id != first.version_id, "the new paths are written"
    data = load_index(index_dir)
    assert {Path(a.source_path).parent for a in data.articles.values()} == {moved}
    again = sync_corpus(moved, index_dir, embedder=embedder)
    assert not again.changed and again.version_id == report.version_id
