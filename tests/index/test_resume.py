"""An interrupted ingest's encoded vectors are kept, and the next ingest does not redo them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import index.sync
from index.resume import RESUME_DIR
from index.store import current_version, load_index
from index.sync import sync_corpus
from tests.conftest import ROOT


class InterruptedEncoder:
    """The real embedder, interrupted (as Ctrl-C would) at its `stop_at`-th passage batch."""

    def __init__(self, embedder, stop_at: int) -> None:  # noqa: ANN001
        self._embedder, self._stop_at, self.calls = embedder, stop_at, 0

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._embedder, name)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == self._stop_at:
            raise KeyboardInterrupt
        return self._embedder.encode_passages(texts)


def test_interrupted_ingest_resumes_without_encoding_again(small_corpus: Path, tmp_path: Path,
                                                           embedder, monkeypatch) -> None:
    monkeypatch.setattr(index.sync, "EMBED_SLICE", 2)
    index_dir = tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        sync_corpus(small_corpus, index_dir, embedder=InterruptedEncoder(embedder, stop_at=2))
    assert current_version(index_dir) is None, "nothing may be switched by an interrupted ingest"
    assert list((index_dir / RESUME_DIR).rglob("part-*.npz")), "the first slice was not saved"

    counting = InterruptedEncoder(embedder, stop_at=-1)
    report = sync_corpus(small_corpus, index_dir, embedder=counting)
    assert report.n_resumed == 2, f"the saved slice of 2 chunks was encoded again: {report}"
    assert counting.calls == -(-(report.n_embedded - 2) // 2), "only the rest is encoded"
    assert not (index_dir / RESUME_DIR).exists(), "saved vectors are dropped once live"

    fresh_dir = tmp_path / "fresh"
    sync_corpus(small_corpus, fresh_dir, embedder=embedder)
    resumed, fresh = load_index(index_dir), load_index(fresh_dir)
    assert [c.chunk_id for c in resumed.chunks] == [c.chunk_id for c in fresh.chunks]
    cosines = np.sum(resumed.vectors * fresh.vectors, axis=1)
    assert cosines.min() > 0.99999, f"resumed vectors differ from fresh ones: {cosines.min()}"


def _ingest(corpus: Path, index_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citewise.cli", "ingest", "--corpus", str(corpus), "--index",
         str(index_dir), "--json"], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
        text=True, timeout=600)


def test_kill_9_after_encoding_keeps_old_index_and_the_vectors(corpus_copy: Path,
                                                                tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    held = sorted(p for p in corpus_copy.iterdir() if p.is_file())[::2]
    aside = tmp_path / "aside"
    aside.mkdir()
    for path in held:
        path.rename(aside / path.name)
    assert _ingest(corpus_copy, index_dir).returncode == 0
    old = current_version(index_dir)
    for path in aside.iterdir():
        path.rename(corpus_copy / path.name)

    killed = _ingest(corpus_copy, index_dir, CITEWISE_CRASH_AT="embed-saved")
    assert killed.returncode == -9, f"the ingest was not killed: {killed.stderr[-400:]}"
    assert current_version(index_dir) == old and load_index(index_dir).chunks, "old index lost"

    again = _ingest(corpus_copy, index_dir)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["n_embedded"] > 0 and report["n_resumed"] == report["n_embedded"], (
        f"chunks the killed ingest had encoded were encoded again: {report}")
    assert current_version(index_dir) == report["version_id"] != old


def test_a_new_parser_reuses_the_vectors_of_texts_it_reads_the_same(small_corpus: Path,
                                                                    tmp_path: Path, embedder,
                                                                    monkeypatch) -> None:
    """A parser version bump parses every article again, but a chunk whose text comes out the
    same keeps its vector: only an edited article is encoded again."""
    index_dir = tmp_path / "index"
    first = sync_corpus(small_corpus, index_dir, embedder=embedder)
    before = load_index(index_dir)
    gout = small_corpus / "gout.md"
    gout.write_text(gout.read_text(encoding="utf-8") + "\n\nAllopurinol is titrated monthly.\n",
                    encoding="utf-8")
    monkeypatch.setattr(index.sync, "PARSER_VERSION", f"{index.sync.PARSER_VERSION}-next")
    encoded: list[str] = []

    class Counting(InterruptedEncoder):
        def encode_passages(self, texts: list[str]) -> np.ndarray:
            encoded.extend(texts)
            return super().encode_passages(texts)

    report = sync_corpus(small_corpus, index_dir, embedder=Counting(embedder, stop_at=-1))
    assert report.rebuilt_reason.startswith("parser version"), report
    after = load_index(index_dir)
    assert after.manifest.parser_version.endswith("-next")
    assert report.n_embedded == first.n_embedded + (len(after.chunks) - len(before.chunks))
    old_rows = {c.embed_text: before.vectors[i] for i, c in enumerate(before.chunks)}
    kept = [i for i, c in enumerate(after.chunks) if c.embed_text in old_rows]
    assert kept and len(kept) < len(after.chunks), "gout's edited chunk is new"
    for i in kept:
        assert np.array_equal(after.vectors[i], old_rows[after.chunks[i].embed_text])
    assert sorted(encoded) == sorted(c.embed_text for c in after.chunks
                                     if c.embed_text not in old_rows), "only new texts encoded"
    assert len(after.sentences.keys) >= len(before.sentences.keys)
