"""A killed ingest and a concurrent reader never see a half-written index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index.errors import IndexCorruptError
from index.store import current_version, load_index
from index.sync import sync_corpus
from tests.conftest import CORPUS, ROOT

CRASH_POINTS = ["start", "chunks", "vectors", "renamed", "pointer", "switched"]
# A real 29-page guideline PDF among the new files, so the killed ingest is a realistic one.
REAL_PDF = ROOT.parent / "shared" / "real-guidelines" / "acp_lbp_noninvasive_2017.pdf"


@pytest.fixture()
def old_and_new(tmp_path: Path, embedder) -> tuple[Path, Path, set[str], set[str]]:
    """An index of half the corpus (old), and a corpus folder holding all of it (new)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("pdf_src", "*.py", "README*"))
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    held = tmp_path / "held-back"
    held.mkdir()
    for path in files[::2]:
        shutil.move(path, held / path.name)
    if REAL_PDF.is_file():
        shutil.copy(REAL_PDF, held / REAL_PDF.name)
    index_dir = tmp_path / "index"
    sync_corpus(corpus, index_dir, embedder=embedder)
    old_ids = {c.chunk_id for c in load_index(index_dir).chunks}
    for path in held.iterdir():
        shutil.move(path, corpus / path.name)
    new_index = tmp_path / "expected-new"
    sync_corpus(corpus, new_index, embedder=embedder)
    new_ids = {c.chunk_id for c in load_index(new_index).chunks}
    assert old_ids < new_ids
    return corpus, index_dir, old_ids, new_ids


def _ingest(corpus: Path, index_dir: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "citewise.cli", "ingest", "--corpus", str(corpus), "--index",
         str(index_dir), "--quiet"], cwd=ROOT, env={**os.environ, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_sigkill_at_every_write_step_leaves_old_or_new_index(old_and_new) -> None:
    corpus, index_dir, old_ids, new_ids = old_and_new
    outcomes = {}
    for point in CRASH_POINTS:
        before = current_version(index_dir)
        proc = _ingest(corpus, index_dir, CITEWISE_CRASH_AT=point)
        proc.wait(timeout=300)
        assert proc.returncode == -9, f"{point}: ingest was not killed ({proc.returncode})"
        data = load_index(index_dir)
        ids = {c.chunk_id for c in data.chunks}
        assert ids in (old_ids, new_ids), f"killed at {point}: a mixed index was loaded"
        assert len(data.chunks) == len(data.vectors) == data.faiss_index.ntotal
        outcomes[point] = "new" if ids == new_ids else "old"
        if ids == new_ids:  # the switch happened: put the old index back for the next point
            (index_dir / "CURRENT").write_text(before)
    # Killed before the pointer switch -> old; after it -> new.
    assert outcomes == {"start": "old", "chunks": "old", "vectors": "old", "renamed": "old",
                        "pointer": "old", "switched": "new"}
    # A normal ingest afterwards completes and cleans the leftovers.
    assert _ingest(corpus, index_dir).wait(timeout=300) == 0
    assert {c.chunk_id for c in load_index(index_dir).chunks} == new_ids
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-")]


def test_reader_loop_during_ingest_sees_old_or_new(old_and_new) -> None:
    corpus, index_dir, old_ids, new_ids = old_and_new
    seen: dict[str, int] = {"old": 0, "new": 0}
    problems: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                data = load_index(index_dir)
            except IndexCorruptError as exc:  # a version pruned between two reads
                problems.append(f"corrupt: {exc}")
                continue
            ids = {c.chunk_id for c in data.chunks}
            if ids == old_ids:
                seen["old"] += 1
            elif ids == new_ids:
                seen["new"] += 1
            else:
                problems.append(f"mixed index with {len(ids)} chunks")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        proc = _ingest(corpus, index_dir)
        assert proc.wait(timeout=300) == 0, proc.stderr.read().decode() if proc.stderr else ""
        for _ in range(20):  # let the reader observe the new version
            if seen["new"]:
                break
            threading.Event().wait(0.1)
    finally:
        stop.set()
        thread.join()
    assert problems == []
    assert seen["old"] > 0 and seen["new"] > 0, seen


REAL_DIR = ROOT.parent / "shared" / "real-guidelines"
LARGE_PDF = "nass_lbp_guideline_2020.pdf"  # 217 pages, 116,000 words


def test_killed_ingest_of_the_real_guidelines_keeps_the_old_index(tmp_path: Path,
                                                                   embedder) -> None:
    """Every real guideline (the scanned booklet OCR'd) indexed; the 217-page NASS guideline
    added; the ingest killed after its vectors are written: the old index still loads whole,
    and the next ingest adds NASS alone, leaving the other articles' chunks as they were."""
    if not (REAL_DIR / LARGE_PDF).is_file():
        pytest.skip(f"real guidelines absent ({REAL_DIR})")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in REAL_DIR.iterdir():
        if path.suffix in (".pdf", ".html") and path.name != LARGE_PDF:
            shutil.copy(path, corpus / path.name)
    index_dir = tmp_path / "index"
    sync_corpus(corpus, index_dir, embedder=embedder)
    old = load_index(index_dir)
    old_chunks = {c.chunk_id: c.text for c in old.chunks}
    shutil.copy(REAL_DIR / LARGE_PDF, corpus / LARGE_PDF)

    proc = _ingest(corpus, index_dir, CITEWISE_CRASH_AT="pointer")
    proc.wait(timeout=900)
    assert proc.returncode == -9, f"ingest was not killed ({proc.returncode})"
    data = load_index(index_dir)
    assert {c.chunk_id: c.text for c in data.chunks} == old_chunks
    assert len(data.chunks) == len(data.vectors) == data.faiss_index.ntotal

    assert _ingest(corpus, index_dir).wait(timeout=900) == 0
    new = load_index(index_dir)
    nass = [c for c in new.chunks if c.article_id == "nass_lbp_guideline_2020"]
    assert len(nass) > 500, f"only {len(nass)} NASS chunks"
    assert {c.chunk_id: c.text for c in new.chunks if c.article_id != nass[0].article_id} == \
        old_chunks
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-")]
