"""Scale: FAISS build time, memory, single-query latency and recall@10 at 10k-1M chunks.

Real chunk vectors of the corpus are the seeds. Synthetic vectors are clustered around them in
two levels (seed + noise -> topic, topic + noise -> chunk, ~50 chunks a topic), renormalised,
so neighbours are as close as related chunks of real articles (cosine ~0.7-0.9), not random.
Queries are real chunk vectors plus noise. Ground truth: exact search (IndexFlatIP).
"""

from __future__ import annotations

import time

import faiss
import numpy as np

from citewise.bench.machine import current_rss_mb
from index.store import build_faiss, choose_index_type

TOPIC_NOISE = 0.04  # per-dimension sigma: cosine(topic, seed) ~0.79 at 384 dimensions
CHUNK_NOISE = 0.03  # cosine(chunk, topic) ~0.87
QUERY_NOISE = 0.03
CHUNKS_PER_TOPIC = 50
K = 10
EF_SEARCH_SWEEP = (16, 32, 64, 128, 256)


def _normalise(x: np.ndarray) -> np.ndarray:
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def synthetic_vectors(seeds: np.ndarray, n: int, rng: np.random.Generator,
                      block: int = 100_000) -> np.ndarray:
    """`n` unit vectors clustered around `seeds` (float32, built in blocks to bound memory)."""
    dim = seeds.shape[1]
    n_topics = max(n // CHUNKS_PER_TOPIC, len(seeds))
    topics = seeds[rng.integers(0, len(seeds), n_topics)].astype(np.float32)
    topics = _normalise(topics + rng.normal(0, TOPIC_NOISE, topics.shape).astype(np.float32))
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, block):
        m = min(block, n - start)
        part = topics[rng.integers(0, n_topics, m)]
        part += rng.normal(0, CHUNK_NOISE, (m, dim)).astype(np.float32)
        out[start:start + m] = _normalise(part)
    return out


def perturbed_queries(seeds: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    q = seeds[rng.integers(0, len(seeds), n)].astype(np.float32)
    return np.ascontiguousarray(_normalise(q + rng.normal(0, QUERY_NOISE, q.shape)
                                           .astype(np.float32)))


def _latencies_ms(index: faiss.Index, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    """One query at a time, as the engine searches; returns per-query ms and the rows."""
    times, rows = [], []
    for q in queries:
        t = time.perf_counter()
        _scores, found = index.search(q.reshape(1, -1), K)
        times.append((time.perf_counter() - t) * 1e3)
        rows.append(found[0])
    return times, np.vstack(rows)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f[f >= 0]) & set(t)) for f, t in zip(found, truth, strict=True))
    return round(hits / truth.size, 4)


def _row(n: int, kind: str, chosen: bool, build_s: float, index: faiss.Index, rss_delta: float,
         times: list[float], recall: float, ef: int | None) -> dict[str, object]:
    return {"n": n, "index_type": kind, "chosen": chosen, "build_s": round(build_s, 2),
            "index_mb": round(len(faiss.serialize_index(index)) / 2**20, 1),
            "rss_delta_mb": round(rss_delta, 1), "ef_search": ef,
            "p50_ms": round(float(np.percentile(times, 50)), 3),
            "p95_ms": round(float(np.percentile(times, 95)), 3), "recall_at_10": recall}


def bench_size(seeds: np.ndarray, n: int, index_type: str, hnsw_threshold: int, n_queries: int,
               both: bool, rng: np.random.Generator, log=print) -> list[dict[str, object]]:  # noqa: ANN001
    """Rows for the index type chosen at size `n` (and, with `both`, the other type)."""
    vectors = synthetic_vectors(seeds, n, rng)
    queries = perturbed_queries(seeds, n_queries, rng)
    chosen = choose_index_type(n, index_type, hnsw_threshold)
    kinds = ["flat", "hnsw"] if both else [chosen]
    rows: list[dict[str, object]] = []
    truth: np.ndarray | None = None
    for kind in sorted(kinds, key=lambda k: k != "flat"):  # flat first: it is the truth
        rss0 = current_rss_mb()
        t = time.perf_counter()
        index = build_faiss(vectors, kind)
        build_s = time.perf_counter() - t
        rss_delta = current_rss_mb() - rss0
        if truth is None:
            exact = index if kind == "flat" else build_faiss(vectors, "flat")
            _s, truth = exact.search(queries, K)  # batched: fast, and exact
        if kind == "flat":
            times, found = _latencies_ms(index, queries)
            rows.append(_row(n, kind, kind == chosen, build_s, index, rss_delta, times,
                             recall_at_k(found, truth), None))
        else:
            default_ef = index.hnsw.efSearch
            for ef in EF_SEARCH_SWEEP:
                index.hnsw.efSearch = ef
                times, found = _latencies_ms(index, queries)
                rows.append(_row(n, kind, kind == chosen and ef == default_ef, build_s, index,
                                 rss_delta, times, recall_at_k(found, truth), ef))
        log(f"  {n:>9,} {kind:<5} built in {build_s:.1f} s; " + ", ".join(
            f"p95 {r['p95_ms']} ms recall {r['recall_at_10']}" for r in rows if
            r["index_type"] == kind and (r["ef_search"] in (None, 64))))
        del index
    return rows
