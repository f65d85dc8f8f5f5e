"""Measurements of one corpus: parse, ingest vs the raw encoder, warm answers by stage,
throughput of concurrent askers on one engine, cold `citewise ask`, peak RSS."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from citewise.bench.report_stages import STAGES
from config.settings import Settings
from index.embedder import Embedder
from index.store import load_index
from index.sync import EMBED_SLICE, sync_corpus
from ingest.errors import ArticleParseError
from ingest.loader import discover_articles, read_article
from qa.engine import QAEngine, chunker_settings, prepare_answering

ROOT = Path(__file__).resolve().parents[2]


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else float("nan")


def load_questions(path: Path, limit: int | None = None) -> list[str]:
    questions = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.lstrip().startswith(("#", "//")):
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


def bench_parse(corpus: Path) -> dict[str, object]:
    """Seconds to read every article (parse only, no chunking or embedding)."""
    paths, _ = discover_articles(corpus)
    per_file: dict[str, float] = {}
    failed = 0
    for path in sorted(paths):
        started = time.perf_counter()
        try:
            read_article(path)
        except ArticleParseError:
            failed += 1
        per_file[path.name] = round(time.perf_counter() - started, 2)
    return {"files": len(paths), "failed": failed, "parse_s": round(sum(per_file.values()), 2),
            "slowest": max(per_file.items(), key=lambda kv: kv[1]) if per_file else None}


def time_encoder(encode: Callable[[list[str]], np.ndarray], texts: list[str]) -> float:
    """Seconds `encode` takes for `texts`, handed over as ingest hands them (EMBED_SLICE at a
    time)."""
    started = time.perf_counter()
    for start in range(0, len(texts), EMBED_SLICE):
        encode(texts[start:start + EMBED_SLICE])
    return time.perf_counter() - started


def bench_ingest(corpus: Path, index_dir: Path, embedder: Embedder,
                 settings: Settings) -> dict[str, object]:
    """Full rebuild of `corpus` (parse, chunk, embed chunks and sentences, BM25, write) with
    the encoders `citewise ingest` uses, then on the same chunk texts the raw encoder (the torch
    model, `ratio`) and the passage encoder ingest used, bare (`ratio_own`: the same as `ratio`
    when that is torch)."""
    embedder.encode(["warm-up sentence for the encoder"] * 4)
    embedder.encode_passages(["warm-up sentence for the encoder"] * 4)
    started = time.perf_counter()
    report = sync_corpus(corpus, index_dir, chunker_settings(settings),
                         index_type=settings.index_type, hnsw_threshold=settings.hnsw_threshold,
                         rebuild=True, embedder=embedder)
    prepare_answering(settings, index_dir)  # BM25 saved with the version, as `citewise ingest`
    ingest_s = time.perf_counter() - started
    data = load_index(index_dir)
    texts = [c.embed_text for c in data.chunks]
    encode_s = time_encoder(embedder.encode, texts)
    own_s = (time_encoder(embedder.encode_passages, texts)
             if embedder.passage_encoder != "torch" else encode_s)
    ingest_rate = report.n_chunks / ingest_s if ingest_s else 0.0
    encoder_rate = len(texts) / encode_s if encode_s else 0.0
    own_rate = len(texts) / own_s if own_s else 0.0
    return {
        "articles": len(report.added), "skipped": len(report.skipped),
        "chunks": report.n_chunks, "sentences": len(data.sentences),
        "passage_encoder": embedder.passage_encoder,
        "sentence_encoder": embedder.sentence_encoder,
        "ingest_s": round(ingest_s, 2), "ingest_embed_s": round(report.embed_seconds, 2),
        "ingest_sentences_s": round(report.sentence_seconds, 2),
        "ingest_chunks_per_s": round(ingest_rate, 1),
        "encoder_s": round(encode_s, 2), "encoder_chunks_per_s": round(encoder_rate, 1),
        "ratio": round(ingest_rate / encoder_rate, 3) if encoder_rate else None,
        "own_encoder_s": round(own_s, 2),
        "ratio_own": round(ingest_rate / own_rate, 3) if own_rate else None,
        # The share of chunk encoding inside the one ingest run (its chunk-encoding time over
        # its total): immune to the machine's load changing between the runs above.
        "encoder_share": round(report.embed_seconds / ingest_s, 3) if ingest_s else None,
    }


def bench_warm(engine: QAEngine, questions: list[str], rounds: int) -> dict[str, object]:
    """Answer latency of a loaded engine: p50/p95 overall and per stage (ms), and how much of
    each answer's latency its stage timings account for (`coverage`: their sum / latency_ms).
    The known stages are always listed; any other stage an answer reports is listed too."""
    for q in questions[:2]:
        engine.ask(q)  # warm caches (first BM25 call, allocator)
    total: list[float] = []
    timings: list[dict[str, float]] = []
    coverage: list[float] = []
    slowest: tuple[float, str, dict[str, float]] = (0.0, "", {})
    abstained = 0
    for _ in range(rounds):
        for q in questions:
            answer = engine.ask(q)
            total.append(answer.latency_ms)
            abstained += answer.abstained
            timings.append(dict(answer.timings_ms))
            if answer.latency_ms > 0:
                coverage.append(sum(answer.timings_ms.values()) / answer.latency_ms)
            if answer.latency_ms > slowest[0]:
                slowest = (answer.latency_ms, q, dict(answer.timings_ms))
    names = list(STAGES) + sorted({k for t in timings for k in t} - set(STAGES))
    return {
        "query_encoder": getattr(engine.embedder, "sentence_encoder", "torch"),
        "questions": len(questions), "answers": len(total), "abstained": abstained,
        "p50_ms": percentile(total, 50), "p95_ms": percentile(total, 95),
        "max_ms": round(max(total), 2) if total else float("nan"),
        "stages": {s: {"p50_ms": percentile([t.get(s, 0.0) for t in timings], 50),
                       "p95_ms": percentile([t.get(s, 0.0) for t in timings], 95)}
                   for s in names},
        "coverage": {"min": round(min(coverage), 3) if coverage else None,
                     "p5": round(float(np.percentile(coverage, 5)), 3) if coverage else None,
                     "share_at_least_0.9": round(sum(c >= 0.9 for c in coverage)
                                                 / len(coverage), 3) if coverage else None},
        "slowest": {"latency_ms": round(slowest[0], 1), "question": slowest[1],
                    "timings_ms": {k: round(v, 2) for k, v in slowest[2].items()}},
    }


def bench_throughput(engine: QAEngine, questions: list[str], askers: int,
                     answers_each: int) -> dict[str, object]:
    """`askers` threads sharing one engine, each asking `answers_each` questions in turn:
    answers per second in total and each answer's latency as its asker saw it."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(askers + 1)

    def asker(k: int) -> None:
        start.wait()
        for i in range(answers_each):
            q = questions[(k * 7 + i) % len(questions)]
            t = time.perf_counter()
            try:
                engine.ask(q)
            except Exception as exc:  # noqa: BLE001 - counted and reported, not hidden
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append((time.perf_counter() - t) * 1e3)

    threads = [threading.Thread(target=asker, args=(k,)) for k in range(askers)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    return {"askers": askers, "answers": len(latencies), "errors": len(errors),
            "first_error": errors[0] if errors else None, "seconds": round(seconds, 2),
            "answers_per_s": round(len(latencies) / seconds, 1) if seconds else None,
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95)}


def child_env(settings: Settings, workdir: Path) -> dict[str, str]:
    """Environment of the measured subprocesses: same settings, the ONNX export found by
    absolute path, the audit log kept out of the user's own file."""
    env = dict(os.environ)
    env["CITEWISE_QUERY_ENCODER"] = settings.query_encoder
    env["CITEWISE_ONNX_CACHE_DIR"] = str(Path(settings.onnx_cache_dir).resolve())
    env["CITEWISE_AUDIT_PATH"] = str(workdir / "audit.sqlite3")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def bench_cold(index_dir: Path, settings: Settings, question: str, workdir: Path,
               runs: int) -> dict[str, object]:
    """`citewise ask` as a whole fresh process (median of `runs`), then a probe process
    splitting the same path into phases, with its peak RSS."""
    env = child_env(settings, workdir)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "citewise.cli", "ask", "--index",
                               str(index_dir), question], env=env, cwd=workdir,
                              capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"`citewise ask` failed ({done.returncode}): "
                               f"{done.stderr[-500:]}")
    started = time.perf_counter()
    phases = subprocess.run([sys.executable, "-m", "citewise.bench.cold", str(index_dir),
                             question], env=env, cwd=workdir, capture_output=True, text=True,
                            timeout=600)
    probe_s = time.perf_counter() - started
    if phases.returncode != 0:
        raise RuntimeError(f"cold-start probe failed: {phases.stderr[-500:]}")
    breakdown = json.loads(phases.stdout.strip().splitlines()[-1])
    accounted = sum(v for k, v in breakdown.items() if k.endswith("_s"))
    breakdown["interpreter_start_s"] = round(max(probe_s - accounted, 0.0), 2)
    return {"cli_ask_s": [round(t, 2) for t in times],
            "cli_ask_median_s": round(statistics.median(times), 2),
            "probe_total_s": round(probe_s, 2), "breakdown": breakdown}
