"""The ONNX copies of MiniLM agree with torch closely enough to score the composer's sentences."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import pytest

from index.embedder import Embedder
from index.store import load_index

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

CORE = Path(__file__).resolve().parents[2] / "eval" / "sets" / "core.jsonl"


@pytest.fixture(scope="module")
def questions() -> list[str]:
    from eval.cases import load_cases  # the set has comment lines: read it as the harness does

    return [c.question for c in load_cases(CORE)]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


def _with_onnx(embedder: Embedder, cache: Path, quantized: bool) -> Embedder:
    """The session's torch model with its sentences scored by ONNX (exported into `cache`)."""
    other = copy.copy(embedder)
    other.sentence_encoder = "onnx-int8" if quantized else "onnx"
    other.onnx = embedder.onnx_encoder(cache, quantized=quantized)
    return other


@pytest.fixture(scope="module")
def fp32_embedder(embedder, onnx_cache) -> Embedder:
    return _with_onnx(embedder, onnx_cache, quantized=False)


@pytest.fixture(scope="module")
def int8_embedder(embedder, onnx_cache) -> Embedder:
    return _with_onnx(embedder, onnx_cache, quantized=True)


def test_export_is_cached_by_model_and_recipe(fp32_embedder, int8_embedder) -> None:
    for path in (fp32_embedder.onnx.path, int8_embedder.onnx.path):
        assert path.is_file() and "all-MiniLM-L6-v2" in path.parent.name, path
    assert fp32_embedder.onnx.path != int8_embedder.onnx.path
    assert not list(fp32_embedder.onnx.path.parent.glob(".*")), "temporary files left behind"


@pytest.mark.parametrize(("variant", "min_cosine"), [("fp32", 0.999), ("int8", 0.98)])
def test_vectors_match_torch(variant, min_cosine, request, embedder, corpus_index,
                             questions) -> None:
    onnx = request.getfixturevalue(f"{variant}_embedder")
    texts = questions + [c.embed_text for c in load_index(corpus_index).chunks][:60]
    vectors = onnx.encode_sentences(texts)
    cosine = np.sum(embedder.encode(texts) * vectors, axis=1)
    assert cosine.min() > min_cosine, f"{variant}: worst cosine to torch {cosine.min():.4f}"
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4), "not normalised"


def test_fp32_dense_top5_matches_torch(fp32_embedder, embedder, corpus_index,
                                       questions) -> None:
    """float32 ONNX ranks chunks as torch does (int8 does not: ~50% identical top-5, so it is
    never used for the index)."""
    texts = [c.embed_text for c in load_index(corpus_index).chunks]
    torch_top = np.argsort(-(embedder.encode(questions) @ embedder.encode(texts).T), axis=1)
    onnx_top = np.argsort(-(fp32_embedder.encode_sentences(questions)
                            @ fp32_embedder.onnx.encode(texts, batch_size=32).T), axis=1)
    same = [set(a[:5]) == set(b[:5]) for a, b in zip(torch_top, onnx_top, strict=True)]
    assert np.mean(same) >= 0.9, f"top-5 identical for only {np.mean(same):.0%} of questions"


# fp32 ranks units as torch does; int8 (cosine ~0.99) reorders near-ties among the units
# closest to the question, so it keeps the closest unit and most of the closest five
@pytest.mark.parametrize(("variant", "min_top5", "min_overlap", "min_best"),
                         [("fp32", 0.9, 0.98, 0.9), ("int8", 0.5, 0.85, 0.8)])
def test_unit_ranking_matches_torch(variant, min_top5, min_overlap, min_best, request,
                                    corpus_engine, questions) -> None:
    """The same five units closest to the question (as a set), how many of them are shared,
    and the same closest unit, whether the ONNX copy or torch embeds the units."""
    from qa.features import unit_vectors
    from qa.units import answer_units

    onnx = request.getfixturevalue(f"{variant}_embedder")
    s = corpus_engine.settings
    same_top5, shared, same_best, n = 0, 0, 0, 0
    for q in questions:
        units = answer_units(corpus_engine.retrieve(q)[: s.passages_for_answer])
        if not units:
            continue
        qv = corpus_engine.embedder.encode_query(q)
        by_torch = unit_vectors(units, corpus_engine.embedder.encode_sentences) @ qv
        by_onnx = unit_vectors(units, onnx.encode_sentences) @ qv
        n += 1
        top_t, top_o = set(np.argsort(-by_torch)[:5].tolist()), set(np.argsort(-by_onnx)[:5].tolist())
        same_top5 += top_t == top_o
        shared += len(top_t & top_o) / len(top_t)
        same_best += int(np.argmax(by_torch)) == int(np.argmax(by_onnx))
    print(f"{variant}: top-5 identical {same_top5}/{n}, shared {shared / n:.3f}, "
          f"same best {same_best}/{n}")
    assert n and same_top5 / n >= min_top5, f"{variant}: top-5 identical for {same_top5}/{n}"
    assert shared / n >= min_overlap, f"{variant}: {shared / n:.2f} of the top 5 shared"
    assert same_best / n >= min_best, f"{variant}: same best unit for {same_best}/{n}"


def test_unknown_sentence_encoder_is_refused() -> None:
    with pytest.raises(ValueError, match="sentence_encoder must be one of"):
        Embedder(sentence_encoder="tensorrt")


def test_unknown_passage_encoder_is_refused() -> None:
    with pytest.raises(ValueError, match="passage_encoder must be one of"):
        Embedder(passage_encoder="onnx-int8")  # the index's vectors are never int8


def test_bulk_encoding_keeps_each_text_its_own_vector(fp32_embedder, corpus_index) -> None:
    """encode_bulk sorts by length and runs batches side by side on one-thread sessions; each
    text must still get the vector it gets alone, in the order given, and torch's vector."""
    texts = [c.embed_text for c in load_index(corpus_index).chunks]
    texts = texts[::2] + texts[1::2]  # not in length order
    onnx = fp32_embedder.onnx
    bulk = onnx.encode_bulk(texts, batch_size=8)
    assert bulk.shape == (len(texts), 384)
    alone = np.vstack([onnx.encode([t]) for t in texts[:: max(1, len(texts) // 12)]])
    assert np.sum(bulk[:: max(1, len(texts) // 12)] * alone, axis=1).min() >= 0.99999
    by_torch = fp32_embedder.encode(texts)
    assert np.sum(bulk * by_torch, axis=1).min() >= 0.9999
    cores = min(os.cpu_count() or 1, 4)
    assert onnx.bulk_sessions == (cores if cores > 1 else 0), "batches did not run side by side"


def test_bulk_batches_pad_almost_nothing(fp32_embedder, corpus_index) -> None:
    """encode_bulk batches texts of like token count: sorted by characters, the real
    guidelines' batches were 13% padding, sorted by tokens 0.2%; padding is compute spent on
    nothing."""
    from index.onnx_encoder import length_batches, padded_share

    onnx = fp32_embedder.onnx
    texts = [c.embed_text for c in load_index(corpus_index).chunks]
    lengths = [len(e.ids) for e in onnx.tokenizer.encode_batch(texts)]
    assert len(set(lengths)) > 10, "the tokenizer pads: lengths are not the texts' own"
    assert lengths == [len(onnx.tokenizer.encode(t).ids) for t in texts]
    order, batches = length_batches(lengths, batch_size=8)
    assert sorted(order) == list(range(len(texts))) and sum(batches, []) == order
    by_chars = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    char_batches = [by_chars[k:k + 8] for k in range(0, len(texts), 8)]
    by_tokens, by_chars = padded_share(lengths, batches), padded_share(lengths, char_batches)
    assert by_tokens <= by_chars / 2, (by_tokens, by_chars)


def test_bulk_sessions_open_after_the_working_folder_changes(fp32_embedder, tmp_path,
                                                             monkeypatch) -> None:
    """A relative cache path (the default, .citewise/onnx) must still be found when encode_bulk
    opens its sessions after a chdir (the app's tests and a long-lived process do that)."""
    from index.onnx_encoder import OnnxEncoder

    path = fp32_embedder.onnx.path
    monkeypatch.chdir(path.parent.parent)
    encoder = OnnxEncoder(fp32_embedder.onnx.model_dir, Path(path.parent.name) / path.name)
    monkeypatch.chdir(tmp_path)
    texts = ["lumbar MRI with contrast", "a longer sentence about imaging after surgery"] * 6
    assert encoder.encode_bulk(texts, batch_size=2).shape == (12, 384)


def test_ingest_records_its_encoders(corpus_index, embedder) -> None:
    versions = load_index(corpus_index).manifest.versions
    assert versions["passage_encoder"] == embedder.passage_encoder == "onnx"
    assert versions["sentence_encoder"] == embedder.sentence_encoder
