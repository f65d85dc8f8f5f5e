"""Questions go through the ONNX export: torch's vectors, without importing torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.query_encoder import OnnxQueryEncoder, ensure_onnx_export, load_query_encoder
from index.store import load_index

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "real-guidelines"
# HTML and a text-layer PDF of the real guidelines (the 217-page NASS PDF is left out: slow)
REAL_FILES = ("ngc_commentary_acp_aps_lbp_2008.html", "ngc_synthesis_knee_oa_2016.html",
              "acp_lbp_noninvasive_2017.pdf")


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    cache = tmp_path_factory.mktemp("onnx-cache")
    ensure_onnx_export(cache)
    return cache


@pytest.fixture(scope="module")
def onnx_encoder(onnx_cache) -> OnnxQueryEncoder:
    encoder = load_query_encoder("onnx", str(onnx_cache))
    assert isinstance(encoder, OnnxQueryEncoder), "the export exists: ONNX must be chosen"
    return encoder


def _real_guideline_texts() -> list[str]:
    from ingest.chunker import SectionChunker
    from ingest.loader import read_article

    if not REAL.is_dir():
        pytest.skip(f"real guidelines not found at {REAL}")
    chunker = SectionChunker()
    texts: list[str] = []
    for name in REAL_FILES:
        article = read_article(REAL / name)
        texts.extend(c.embed_text for c in chunker.chunk(article)[:40])
    return texts


def test_onnx_matches_torch_on_real_text(onnx_encoder, embedder, seed_index) -> None:
    """cosine >= 0.999 on questions, seed-article chunks and sentences, real guideline chunks."""
    seeds = ROOT / "eval" / "sets" / "seed-articles.jsonl"
    questions = [json.loads(line)["question"] for line in seeds.read_text().splitlines()
                 if line.strip() and not line.startswith("#")]  # "# corpus:" header
    data = load_index(seed_index)
    texts = (questions + [c.embed_text for c in data.chunks][:80] + data.sentences.keys[:80]
             + _real_guideline_texts())
    by_torch = embedder.encode(texts)
    by_onnx = onnx_encoder.encode(texts)
    cosine = np.sum(by_torch * by_onnx, axis=1)
    worst = int(np.argmin(cosine))
    assert cosine.min() >= 0.999, f"worst cosine {cosine[worst]:.5f} on {texts[worst][:80]!r}"
    query = np.stack([onnx_encoder.encode_query(q) for q in questions[:5]])
    assert np.allclose(query, by_onnx[:5], atol=1e-5), "query path differs from batch path"


def test_without_export_falls_back_to_torch(tmp_path: Path, embedder) -> None:
    assert load_query_encoder("onnx", str(tmp_path / "empty")) is embedder
    with pytest.raises(ValueError, match="query_encoder must be one of"):
        load_query_encoder("tensorrt", str(tmp_path))


def _run_cli(args: list[str], cwd: Path, **env: str) -> tuple[list[str], list[str]]:
    """`citewise ARGS` in a fresh process: (its output lines, the heavy modules it imported).
    langchain counts as heavy: ~0.9 s of a cold `citewise ask`, needed only with an LLM."""
    probe = (
        "import sys, json\n"
        "from citewise.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers',\n"
        "                     'langchain_core')\n"
        "         if m in sys.modules]\n"
        "print(json.dumps({'heavy': heavy}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe],
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **env), cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    lines = done.stdout.strip().splitlines()
    return lines[:-1], json.loads(lines[-1])["heavy"]


def test_ask_does_not_import_torch(corpus_index, onnx_cache, tmp_path: Path) -> None:
    output, heavy = _run_cli(["ask", "--json", "--index", str(corpus_index),
                              "When should contrast be added to a lumbar MRI?"], tmp_path,
                             CITEWISE_ONNX_CACHE_DIR=str(onnx_cache),
                             CITEWISE_QUERY_ENCODER="onnx", CITEWISE_AUDIT_LOG="false")
    assert json.loads("\n".join(output))["citations"], "no cited answer"
    assert heavy == [], f"imported: {heavy}"


def test_ingest_through_onnx_does_not_import_torch(onnx_cache, tmp_path: Path) -> None:
    """With both ingest encoders the ONNX copy and the copy exported, `citewise ingest` never
    loads torch (~3-6 s of every cold ingest)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("mri-contrast-when-to-add.md", "red-flags-low-back-pain.md"):
        (corpus / name).write_bytes((ROOT / "corpus" / name).read_bytes())
    _, heavy = _run_cli(["ingest", "--corpus", str(corpus), "--index", str(tmp_path / "ix")],
                        tmp_path, CITEWISE_ONNX_CACHE_DIR=str(onnx_cache),
                        CITEWISE_SENTENCE_ENCODER="onnx", CITEWISE_PASSAGE_ENCODER="onnx")
    assert heavy == [], f"imported: {heavy}"
    data = load_index(tmp_path / "ix")
    assert len(data.manifest.articles) == 2 and len(data.sentences) > 0
    assert data.manifest.versions["passage_encoder"] == "onnx"


def test_model_identity_read_from_files_is_what_torch_reports(embedder) -> None:
    assert embedder.info.dimension == embedder.model.get_embedding_dimension() == 384
    assert embedder.info.max_tokens == embedder.model.max_seq_length
