"""Library scale: the same measurements as a library grows, 100 documents, then more, then all.

Step N holds the first N documents (each folder's files sorted, folders in the order given) in
one corpus folder that grows, and its own index: the previous step's index copied as hard
links (version folders are never changed once written) and synced, so each step embeds only
the documents it adds: its seconds per document added is the cost of adding a document to a
library that size. With `--work DIR` the steps' indexes stay; a rerun measures again without
re-ingesting a finished step, and an ingest killed mid-step resumes (index.resume).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from config.settings import Settings
from index.embedder import Embedder
from index.store import current_version
from index.sync import sync_corpus
from ingest.loader import discover_articles
from qa.engine import chunker_settings, prepare_answering

Log = Callable[[str], None]


def parse_steps(text: str, available: int) -> list[int]:
    """"100,250,all" -> [100, 250, available]; steps past `available` are dropped."""
    steps: list[int] = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        n = available if part == "all" else int(part)
        if n <= 0:
            raise ValueError(f"--growth steps must be positive, not {part!r}")
        steps.append(min(n, available))
    return sorted(set(steps))


def library_files(folders: list[Path]) -> list[Path]:
    """Every article file of `folders`: each folder's sorted, the folders in the order given."""
    out: list[Path] = []
    for folder in folders:
        paths, _skipped = discover_articles(folder)
        out.extend(sorted(paths))
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ValueError("two folders hold files of the same name; the library needs one name "
                         "per document")
    return out


def copy_index(source: Path, dest: Path) -> None:
    """`source` as hard links (files of a version are written once, replaced never)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, dest, copy_function=link,
                    ignore=shutil.ignore_patterns(".lock", ".jobs", ".resume"))


def ingest_step(files: list[Path], n: int, work: Path, previous: Path | None,
                embedder: Embedder, settings: Settings, log: Log,
                progress: Callable[[str, int, int], None] | None = None) -> tuple[Path, dict]:
    """The index of the first `n` files (ingested now, or found from an earlier run) and what
    its ingest cost."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in files[:n]}
    for path in corpus.iterdir():
        if path.is_file() and path.name not in wanted:
            path.unlink()  # a later step's documents, left by an earlier run
    for path in files[:n]:
        if not (corpus / path.name).exists():
            shutil.copy2(path, corpus / path.name)
    index_dir = work / f"index-{n:05d}"
    record_path = work / f"ingest-{n:05d}.json"
    if record_path.is_file() and current_version(index_dir) is not None:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if record.get("version_id") == current_version(index_dir):
            log(f"  {n} documents: index from an earlier run ({index_dir})")
            return index_dir, record
    if not index_dir.exists() and previous is not None:
        copy_index(previous, index_dir)
    log(f"  {n} documents: ingest into {index_dir}")
    started = time.perf_counter()
    report = sync_corpus(corpus, index_dir, chunker_settings(settings),
                         index_type=settings.index_type, hnsw_threshold=settings.hnsw_threshold,
                         max_file_bytes=int(settings.max_file_mb * 1e6), embedder=embedder,
                         progress=progress, min_indexed_share=settings.min_indexed_share)
    prepare_answering(settings, index_dir)
    seconds = time.perf_counter() - started
    added = len(report.added) + len(report.updated)
    record = {
        "documents": n, "added": added, "skipped": len(report.skipped),
        "chunks": report.n_chunks, "chunks_added": report.n_embedded,
        "chunks_resumed": report.n_resumed, "sentences_added": report.n_sentences_embedded,
        "ingest_s": round(seconds, 1), "embed_s": round(report.embed_seconds, 1),
        "sentences_s": round(report.sentence_seconds, 1),
        "s_per_document_added": round(seconds / added, 2) if added else None,
        "version_id": report.version_id,
    }
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return index_dir, record


def measure_step(index_dir: Path, settings: Settings, query_encoder, questions: list[str],
                 rounds: int, cold_runs: int, workdir: Path) -> dict[str, object]:  # noqa: ANN001
    """Warm answers (stage timings and their coverage), 8 concurrent askers, cold `citewise
    ask` and its peak RSS, over one step's index."""
    from citewise.bench import runner
    from qa.engine import QAEngine

    engine = QAEngine.load(settings.replace(index_dir=index_dir), index_dir=index_dir,
                           embedder=query_encoder)
    row: dict[str, object] = {
        "chunks": len(engine.data.chunks), "sentences": len(engine.data.sentences),
        "warm": runner.bench_warm(engine, questions, rounds=rounds),
        "throughput": {"8": runner.bench_throughput(engine, questions, 8, answers_each=10)},
    }
    del engine
    # the cold processes run in `workdir`: a --work given relative must still be found
    row["cold"] = runner.bench_cold(index_dir.resolve(), settings, questions[0], workdir,
                                    cold_runs)
    row["answering_peak_rss_mb"] = row["cold"]["breakdown"]["peak_rss_mb"]
    return row
