"""Demo-scale measurements: ingest vs the raw encoder, warm answer latency, cold start."""

from __future__ import annotations

import copy
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from citewise.bench.machine import peak_rss_mb
from citewise.settings import Settings
from index.embedder import Embedder
from index.store import load_index
from index.sync import sync_corpus
from ingest.loader import discover_articles
from qa.engine import QAEngine, chunker_settings

INGEST_SLICE = 64  # index/sync.py hands the encoder 64 chunks at a time (encode batch 32)
STAGES = ("embed_query", "dense", "bm25", "fusion", "compose")


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else float("nan")


def load_questions(path: Path, limit: int | None = None) -> list[str]:
    questions = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                questions.append(json.loads(line)["question"])
    return questions[:limit] if limit else questions


def make_corpus(source: Path, dest: Path, copies: int = 1, limit: int | None = None) -> int:
    """Copy the articles of `source` into `dest`, `copies` times under new names.

    Each copy gets a marker appended (an HTML comment; a PDF comment after %%EOF) so its
    content hash differs: ingest skips files whose content it has already seen.
    """
    dest.mkdir(parents=True, exist_ok=True)
    paths, _skipped = discover_articles(source)
    paths = sorted(paths)[:limit] if limit else sorted(paths)
    for k in range(copies):
        for path in paths:
            data = path.read_bytes()
            if copies > 1:
                marker = f"\n%copy {k}\n" if path.suffix == ".pdf" else f"\n<!-- copy {k} -->\n"
                data += marker.encode()
            name = f"{path.stem}-copy{k:02d}{path.suffix}" if copies > 1 else path.name
            (dest / name).write_bytes(data)
    return len(paths) * copies


def time_encoder(embedder: Embedder, texts: list[str]) -> float:
    """Seconds to encode `texts` exactly as ingest does (slices of 64, batch 32)."""
    started = time.perf_counter()
    for start in range(0, len(texts), INGEST_SLICE):
        embedder.encode(texts[start:start + INGEST_SLICE])
    return time.perf_counter() - started


def bench_ingest(corpus: Path, index_dir: Path, embedder: Embedder,
                 settings: Settings) -> dict[str, object]:
    """Full rebuild of `corpus` into `index_dir`, then the bare encoder on the same chunks."""
    embedder.encode(["warm-up sentence for the encoder"] * 4)
    report = sync_corpus(corpus, index_dir, chunker_settings(settings),
                         index_type=settings.index_type, hnsw_threshold=settings.hnsw_threshold,
                         rebuild=True, embedder=embedder)
    texts = [c.embed_text for c in load_index(index_dir).chunks]
    encode_s = time_encoder(embedder, texts)
    ingest_rate = report.n_chunks / report.seconds if report.seconds else 0.0
    encoder_rate = len(texts) / encode_s if encode_s else 0.0
    return {
        "articles": len(report.added), "skipped": len(report.skipped),
        "chunks": report.n_chunks, "ingest_s": round(report.seconds, 2),
        "ingest_embed_s": round(report.embed_seconds, 2),
        "ingest_chunks_per_s": round(ingest_rate, 1),
        "encoder_s": round(encode_s, 2), "encoder_chunks_per_s": round(encoder_rate, 1),
        "ratio": round(ingest_rate / encoder_rate, 3) if encoder_rate else None,
    }


def with_sentence_encoder(embedder: Embedder, encoder: str, cache_dir: str) -> Embedder:
    """The same loaded torch model, its composer sentences scored by `encoder`."""
    if embedder.sentence_encoder == encoder:
        return embedder
    other = copy.copy(embedder)
    other.sentence_encoder = encoder
    other.onnx = (None if encoder == "torch" else
                  embedder.onnx_encoder(cache_dir, quantized=encoder == "onnx-int8"))
    return other


def bench_warm(index_dir: Path, embedder: Embedder, settings: Settings, questions: list[str],
               rounds: int) -> dict[str, object]:
    """Answer latency of a loaded engine: p50/p95 overall and per stage (ms)."""
    # QAEngine.ask embeds the question itself and hands the vector to the retriever, whose
    # timings_ms["embed_query"] is then ~0: time encode_query here instead.
    query_ms: list[float] = []
    timed = copy.copy(embedder)

    def encode_query(text: str) -> np.ndarray:
        t = time.perf_counter()
        vector = embedder.encode_query(text)
        query_ms.append((time.perf_counter() - t) * 1e3)
        return vector

    timed.encode_query = encode_query  # type: ignore[method-assign]
    engine = QAEngine.load(settings.replace(index_dir=index_dir), index_dir=index_dir,
                           embedder=timed)
    for q in questions[:2]:
        engine.ask(q)  # warm caches (first BM25 call, allocator)
    total: list[float] = []
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    abstained = 0
    for _ in range(rounds):
        for q in questions:
            query_ms.clear()
            answer = engine.ask(q)
            total.append(answer.latency_ms)
            abstained += answer.abstained
            for stage in STAGES:
                stages[stage].append(float(answer.timings_ms.get(stage, 0.0)))
            stages["embed_query"][-1] += sum(query_ms)
    return {
        "sentence_encoder": embedder.sentence_encoder,
        "questions": len(questions), "answers": len(total), "abstained": abstained,
        "p50_ms": percentile(total, 50), "p95_ms": percentile(total, 95),
        "stages": {s: {"p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)}
                   for s, v in stages.items()},
    }


def child_env(settings: Settings, workdir: Path) -> dict[str, str]:
    """Environment of the measured subprocesses: same settings, audit log kept out of the
    user's own file."""
    env = dict(os.environ)
    env["CITEWISE_SENTENCE_ENCODER"] = settings.sentence_encoder
    env["CITEWISE_ONNX_CACHE_DIR"] = str(Path(settings.onnx_cache_dir).resolve())
    env["CITEWISE_AUDIT_PATH"] = str(workdir / "audit.sqlite3")
    return env


def bench_cold(index_dir: Path, settings: Settings, question: str,
               workdir: Path) -> dict[str, object]:
    """Process start to first answer: the real CLI end to end, then a phase breakdown."""
    env = child_env(settings, workdir)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "citewise.cli", "ask", "--index",
                           str(index_dir), question], env=env, cwd=workdir,
                          capture_output=True, text=True, timeout=600)
    cli_s = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"`citewise ask` failed ({done.returncode}): {done.stderr[-500:]}")
    started = time.perf_counter()
    phases = subprocess.run([sys.executable, "-m", "citewise.bench.cold", str(index_dir),
                             question], env=env, cwd=workdir, capture_output=True, text=True,
                            timeout=600)
    breakdown_s = time.perf_counter() - started
    if phases.returncode != 0:
        raise RuntimeError(f"cold-start probe failed: {phases.stderr[-500:]}")
    breakdown = json.loads(phases.stdout.strip().splitlines()[-1])
    accounted = sum(v for k, v in breakdown.items() if k.endswith("_s"))
    breakdown["interpreter_start_s"] = round(max(breakdown_s - accounted, 0.0), 2)
    return {"cli_ask_s": round(cli_s, 2), "probe_total_s": round(breakdown_s, 2),
            "breakdown": breakdown,
            "children_peak_rss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN)}


def copy_corpus_subset(source: Path, dest: Path, quick: bool) -> int:
    """The demo corpus (quick: its first 5 articles) as a fresh folder."""
    if dest.exists():
        shutil.rmtree(dest)
    return make_corpus(source, dest, copies=1, limit=5 if quick else None)
