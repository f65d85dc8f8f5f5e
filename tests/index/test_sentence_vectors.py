"""Sentence vectors are embedded at ingest, stored with the index, and used by the composer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.errors import IndexMismatchError
from index.manifest import FORMAT_VERSION
from index.sentence_vectors import SentenceVectors, chunk_sentence_keys, clean_unit, sentence_key
from index.store import current_version, load_index
from index.sync import sync_corpus
from ingest.sentences import split_units

ROOT = Path(__file__).resolve().parents[2]


def test_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((3, 8)).astype(np.float32)
    table = SentenceVectors(["a: one", "b: two", "c: three"], vectors)
    table.save(tmp_path)
    back = SentenceVectors.load(tmp_path)
    assert back.keys == table.keys
    assert np.array_equal(back.vectors, vectors) and back.vectors.dtype == np.float32
    fresh = np.ones((1, 8), dtype=np.float32)
    got = back.lookup(["c: three", "new: one", "a: one"], lambda texts: fresh)
    assert np.array_equal(got, np.vstack([vectors[2], fresh[0], vectors[0]]))
    with pytest.raises(KeyError, match="no stored vector"):
        back.lookup(["new: one"])


def test_reference_items_are_not_embedded_as_sentences(corpus_index) -> None:
    """The composer never quotes a reference item, so ingest spends no encoder call on one."""
    data = load_index(corpus_index)
    references = [c for c in data.chunks if c.is_reference]
    assert references, "the demo corpus has reference lists"
    passage_keys = {k for c in data.chunks if not c.is_reference for k in chunk_sentence_keys(c)}
    reference_keys = {sentence_key(c.section, clean_unit(u.text)) for c in references
                      for u in split_units(c.text)} - passage_keys
    assert reference_keys and not reference_keys & set(data.sentences.keys)


def test_index_stores_every_sentence_the_composer_scores(corpus_index, corpus_engine,
                                                        embedder) -> None:
    """Every unit the scorer reads a vector of is found in the index, with the torch vector."""
    from qa.features import unit_vectors
    from qa.units import answer_units

    data = load_index(corpus_index)
    assert data.manifest.format_version == FORMAT_VERSION
    keys = {k for c in data.chunks for k in chunk_sentence_keys(c)}
    assert set(data.sentences.keys) == keys and len(keys) > len(data.chunks)
    asked: list[str] = []

    def record(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return data.sentences.lookup(texts)  # raises KeyError on a sentence not stored

    core = ROOT / "eval" / "sets" / "core.jsonl"
    lines = [ln for ln in core.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    for line in lines[:20]:
        q = json.loads(line)["question"]
        passages = corpus_engine.retrieve(q)[:6]
        unit_vectors(answer_units(passages), record)
    assert asked, "the scorer read no unit"
    sample = asked[:12]
    cosine = np.sum(embedder.encode(sample, batch_size=4) * data.sentences.lookup(sample), axis=1)
    assert cosine.min() > 0.9999, f"stored vector differs from torch's: {cosine.min():.6f}"


def test_incremental_ingest_reuses_sentence_vectors(tmp_path: Path, embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(p.name for p in (ROOT / "corpus").glob("*.md"))[:3]:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    index_dir = tmp_path / "index"
    first = sync_corpus(corpus, index_dir, embedder=embedder)
    assert first.n_sentences_embedded > 0
    before = load_index(index_dir).sentences
    (corpus / sorted(p.name for p in corpus.iterdir())[0]).unlink()
    second = sync_corpus(corpus, index_dir, embedder=embedder)
    after = load_index(index_dir)
    assert second.n_sentences_embedded == 0, "kept articles' sentences were re-embedded"
    assert set(after.sentences.keys) == {k for c in after.chunks for k in chunk_sentence_keys(c)}
    assert np.array_equal(after.sentences.lookup(after.sentences.keys[:5]),
                          before.lookup(after.sentences.keys[:5]))


def test_old_format_says_to_reingest(tmp_path: Path, embedder) -> None:
    from config.settings import Settings
    from qa.engine import QAEngine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = sorted(p.name for p in (ROOT / "corpus").glob("*.md"))[0]
    shutil.copy(ROOT / "corpus" / name, corpus / name)
    index_dir = tmp_path / "index"
    sync_corpus(corpus, index_dir, embedder=embedder)
    manifest_path = index_dir / current_version(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 1
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match=r"format version 1 .* re-ingest: citewise "
                                                 r"ingest --rebuild"):
        QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)
    report = sync_corpus(corpus, index_dir, embedder=embedder)
    assert report.rebuilt_reason and "format version 1" in report.rebuilt_reason
    assert load_index(index_dir).manifest.format_version == FORMAT_VERSION


def test_a_leading_grade_label_is_not_quoted_with_the_next_sentence() -> None:
    """Guidelines that print a grade under each statement run on into the next statement:
    "(Grade of Recommendation: I) Non-selective NSAIDs are suggested ..." is quoted without
    the previous statement's grade; other parentheses stay."""
    statement = "Non-selective NSAIDs are suggested for the treatment of low back pain."
    assert clean_unit(f"(Grade of Recommendation: I) {statement}") == statement
    assert clean_unit(f"(Level of Evidence: II) {statement}") == statement
    assert clean_unit(f"(see Table 2) {statement}") == f"(see Table 2) {statement}"
    assert clean_unit("(Grade B)") == "(Grade B)"
    # ACP 2017 prints the GRADE system's wording after each recommendation
    acp = ("Recommendation 3:In patients with chronic low back pain who have had an inadequate "
           "response to nonpharmacologic therapy, clinicians and patients should consider "
           "pharmacologic treatment.")
    assert clean_unit(f"(Grade: strong recommendation) {acp}") == acp
    assert clean_unit(f"(Grade: weak recommendation, moderate-quality evidence) {acp}") == acp
    assert clean_unit(f"(n=39 patients) {acp}") == f"(n=39 patients) {acp}"
