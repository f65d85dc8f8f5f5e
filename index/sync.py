"""Incremental ingest: bring an index in line with a corpus folder, all or nothing."""

from __future__ import annotations

import dataclasses
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index.backends import BackendConfig, build_backend
from index.embedder import DEFAULT_MODEL, Embedder, load_embedder
from index.errors import IndexMismatchError, IndexMissingError
from index.manifest import ArticleEntry, Manifest, library_versions
from index.resume import ResumeCache, clear_resume, encode_resumably
from index.sentence_vectors import embed_sentences
from index.store import (
    IndexData,
    check_compatible,
    choose_index_type,
    current_version,
    load_index,
    new_version_id,
    save_index,
)
from index.sync_report import SyncReport
from ingest.account import MIN_INDEXED_SHARE
from ingest.chunker import ChunkerSettings, SectionChunker
from ingest.errors import ArticleParseError
from ingest.loader import (
    PARSER_VERSION,
    article_id_for,
    content_digest,
    discover_articles,
    read_article,
)
from ingest.records import Article, Chunk

# Chunks handed to the encoder at once (and between two progress reports): enough that sorting
# them by length leaves batches little padding.
EMBED_SLICE = 512
# Sentences handed to the encoder at once (and saved for a resumed ingest): ~1 min of encoding.
SENTENCE_SLICE = 2048
# Files read at once. Reading is Python under the GIL, but a scanned PDF's OCR waits on
# tesseract processes: a second thread reads the next file meanwhile.
PARSE_WORKERS = 2

Progress = Callable[[str, int, int], None]


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time per index folder; readers never wait."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _encoders(embedder: Embedder | None, old: IndexData | None) -> dict[str, str]:
    """Which encoders made the sentence and passage vectors (the previous version's when
    nothing was encoded)."""
    before = old.manifest.versions if old is not None else {}
    return {name: getattr(embedder, name) if embedder else before.get(name, "torch")
            for name in ("sentence_encoder", "passage_encoder")}


def _encoder_tag(embedder: Embedder, which: str) -> str:
    """Names the vectors one encoder of `embedder` makes (model, weights, encoder kind)."""
    info = embedder.info
    return f"{info.name}-{info.package_version}-{getattr(embedder, which, 'torch')}"


def _no_encoder(texts: list[str]) -> np.ndarray:
    """Only articles were removed, so no model was loaded: every kept sentence is stored."""
    raise RuntimeError(f"{len(texts)} sentences of unchanged articles have no stored vector; "
                       f"re-ingest with --rebuild")


def _reusing(encode: Callable[[list[str]], np.ndarray],
             previous: IndexData | None) -> Callable[[list[str]], np.ndarray]:
    """`encode`, taking the vector of a text `previous` (same model, older parser) holds
    instead of encoding it again."""
    if previous is None:
        return encode
    rows = {c.embed_text: i for i, c in enumerate(previous.chunks)}

    def reuse(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), previous.vectors.shape[1]), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in rows]
        for i, t in enumerate(texts):
            if t in rows:
                out[i] = previous.vectors[rows[t]]
        if todo:
            out[todo] = encode([texts[i] for i in todo])
        return out

    return reuse


def _file_hash(path: Path) -> str:
    return content_digest(path)


def sync_corpus(
    corpus_dir: Path,
    index_dir: Path,
    chunker_settings: ChunkerSettings | None = None,
    *,
    index_type: str = "auto",
    hnsw_threshold: int = 200_000,
    max_file_bytes: int | None = None,
    rebuild: bool = False,
    files: list[Path] | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    backend: BackendConfig | None = None,
    min_indexed_share: float = MIN_INDEXED_SHARE,
) -> SyncReport:
    """Add new, replace changed and drop deleted articles of `corpus_dir` in `index_dir`.

    Unchanged articles keep their vectors (no re-embedding). A file that fails to parse is
    skipped with its reason and, if it was indexed before, its previous version is kept.
    `backend` (default: CITEWISE_BACKEND and friends) says where the new version's vectors go.
    An article indexed below `min_indexed_share` of its text is added with a warning.
    """
    backend = backend or BackendConfig.from_env()
    started = time.perf_counter()
    chunker_settings = chunker_settings or ChunkerSettings()
    report = SyncReport()
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist")
    with writer_lock(index_dir):
        old: IndexData | None = None
        previous: IndexData | None = None  # an older parser's version: its vectors are reused
        try:
            old = load_index(index_dir)
            if not rebuild:
                check_compatible(old.manifest, {"name": DEFAULT_MODEL,
                                                "dimension": old.manifest.model.get("dimension")},
                                 chunker_settings.as_dict(), index_dir)
                if old.manifest.parser_version != PARSER_VERSION:
                    # every article is parsed again; a text the same model already encoded
                    # keeps its vector (the vector depends only on the text and the model)
                    report.rebuilt_reason = (f"parser version {old.manifest.parser_version} "
                                             f"!= {PARSER_VERSION}")
                    previous, old = old, None
        except IndexMissingError:
            old = None
        except IndexMismatchError as exc:
            report.rebuilt_reason = str(exc).split(";")[0]
            old = None
        except Exception as exc:  # corrupt index: rebuild rather than refuse to ingest
            report.rebuilt_reason = f"previous index unreadable ({exc})"
            old = None
        if rebuild and old is not None:
            report.rebuilt_reason = "rebuild requested"
            old = None

        paths, passed_over = (files, []) if files is not None else discover_articles(corpus_dir)
        report.skipped.extend((str(p), reason) for p, reason in passed_over)
        old_entries = dict(old.manifest.articles) if old else {}
        by_source = {e.source_path: e for e in old_entries.values()}
        keep: dict[str, Article] = {}  # article_id -> Article (reused or new)
        fresh: dict[str, Article] = {}  # needs chunking + embedding
        seen_hashes: dict[str, str] = {}
        # Files are checked in order; the ones to read are read by PARSE_WORKERS threads at
        # once, and their results taken in the same order, so the outcome is the serial one.
        plan: list[tuple[Path, str | None, ArticleEntry | None, Future[Article] | None]] = []
        pool = ThreadPoolExecutor(max(1, min(PARSE_WORKERS, os.cpu_count() or 1)),
                                  thread_name_prefix="parse")
        try:
            for path in paths:
                try:
                    if path.is_symlink() and not path.resolve().is_relative_to(
                            corpus_dir.resolve()):
                        raise ArticleParseError(path, "symlink pointing outside the corpus folder")
                    digest = _file_hash(path)
                except OSError as exc:
                    plan.append((path, f"cannot read file ({exc.strerror or exc})", None, None))
                    continue
                except ArticleParseError as exc:
                    plan.append((path, exc.cause, None, None))
                    continue
                if digest in seen_hashes:
                    plan.append((path, f"same content as {seen_hashes[digest]}", None, None))
                    continue
                seen_hashes[digest] = path.name
                entry = by_source.get(str(path))
                if entry is None:  # the corpus folder moved (a copy, another mount): the file
                    entry = old_entries.get(article_id_for(path))  # name names the article
                if entry is not None and entry.content_hash == digest and old is not None:
                    plan.append((path, None, entry, None))  # unchanged
                    continue
                plan.append((path, None, entry, pool.submit(
                    read_article, path, max_bytes=max_file_bytes,
                    min_indexed_share=min_indexed_share)))
            for i, (path, skip, entry, reading) in enumerate(plan):
                if progress:
                    progress("parse", i, len(paths))
                if skip is not None:
                    report.skipped.append((str(path), skip))
                    continue
                if reading is None:
                    kept = old.articles[entry.article_id]  # type: ignore[union-attr]
                    if kept.source_path != str(path):  # same text, another folder: no re-embedding
                        kept = dataclasses.replace(kept, source_path=str(path))
                        report.moved.append(kept.article_id)
                    keep[kept.article_id] = kept
                    report.unchanged.append(kept.article_id)
                    continue
                try:
                    article = reading.result()
                except ArticleParseError as exc:
                    report.skipped.append((str(path), exc.cause))
                    if entry is not None and old is not None:
                        keep[entry.article_id] = old.articles[entry.article_id]  # last good one
                    continue
                if article.article_id in keep or article.article_id in fresh:
                    report.skipped.append((str(path), f"article id {article.article_id!r} is "
                                                      f"already used by another file; rename one"))
                    continue
                fresh[article.article_id] = article
                if article.account is not None:
                    report.accounts[article.article_id] = article.account.as_dict()
                if article.warnings:
                    report.warnings[article.article_id] = list(article.warnings)
                (report.updated if article.article_id in old_entries else report.added).append(
                    article.article_id)
        finally:
            pool.shutdown(cancel_futures=True)  # an unexpected error: no reads left running
        if progress:
            progress("parse", len(paths), len(paths))
        report.removed = sorted(set(old_entries) - set(keep) - set(fresh))
        if old is not None and not report.changed and not report.rebuilt_reason:
            report.n_chunks = len(old.chunks)
            report.version_id = old.manifest.version_id
            report.seconds = time.perf_counter() - started
            return report

        chunker = SectionChunker(chunker_settings)
        new_chunks: list[Chunk] = []
        for article in fresh.values():
            new_chunks.extend(chunker.chunk(article))
        embed_start = time.perf_counter()
        if new_chunks or embedder is not None or old is None:
            embedder = embedder or load_embedder()
        dim = embedder.info.dimension if embedder else old.vectors.shape[1]  # type: ignore[union-attr]
        new_vectors = np.zeros((0, dim), dtype=np.float32)
        if new_chunks:
            # Each slice is saved as it is encoded: a killed ingest's work is not redone.
            resume = ResumeCache(index_dir, "chunks", _encoder_tag(embedder, "passage_encoder"))
            new_vectors, encoded = encode_resumably(
                [c.embed_text for c in new_chunks],
                _reusing(embedder.encode_passages, previous),  # type: ignore[union-attr]
                resume, EMBED_SLICE, dim, "embed", progress)
            report.n_resumed = len(new_chunks) - encoded
        report.embed_seconds = time.perf_counter() - embed_start
        report.n_embedded = len(new_chunks)

        chunks: list[Chunk] = []
        vector_parts: list[np.ndarray] = []
        if old is not None:
            rows = [i for i, c in enumerate(old.chunks) if c.article_id in keep]
            chunks.extend(old.chunks[i] for i in rows)
            vector_parts.append(old.vectors[rows])
        chunks.extend(new_chunks)
        vector_parts.append(new_vectors)
        vectors = np.ascontiguousarray(np.vstack(vector_parts), dtype=np.float32)
        articles = {**keep, **fresh}
        # Sentences of kept chunks come from the previous version; new ones are embedded.
        sentence_start = time.perf_counter()
        if progress:
            progress("sentences", 0, 1)
        known = old.sentences if old is not None else \
            previous.sentences if previous is not None else None
        encode = _no_encoder
        if embedder is not None:
            sentence_cache = ResumeCache(index_dir, "sentences",
                                         _encoder_tag(embedder, "sentence_encoder"))

            def encode(texts: list[str]) -> np.ndarray:
                return encode_resumably(texts, embedder.encode_sentence_batch, sentence_cache,
                                        SENTENCE_SLICE, dim, "sentences", progress)[0]

        sentences = embed_sentences(chunks, encode, dim, known)
        report.n_sentences_embedded = len(sentences) - (
            len(known.subset(sentences.keys)) if known is not None else 0)
        report.sentence_seconds = time.perf_counter() - sentence_start
        if progress:
            progress("sentences", 1, 1)
        counts: dict[str, int] = {}
        for c in chunks:
            counts[c.article_id] = counts.get(c.article_id, 0) + 1
        index_type = choose_index_type(len(chunks), index_type, hnsw_threshold)
        model_info = embedder.info.as_dict() if embedder else old.manifest.model  # type: ignore[union-attr]
        manifest = Manifest(
            model=model_info,
            chunker=chunker_settings.as_dict(),
            parser_version=PARSER_VERSION,
            index_type=index_type,
            articles={a.article_id: ArticleEntry(a.article_id, a.source_path, a.content_hash,
                                                 counts.get(a.article_id, 0), a.title)
                      for a in articles.values()},
            n_chunks=len(chunks),
            version_id=new_version_id(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            versions=library_versions() | _encoders(embedder, old),
        )
        if progress:
            progress("write", 0, 1)
        # Unchanged articles' vectors come from the previous version's vectors.npy (kept for both
        # backends), so neither backend is read back to copy them; docs/scale-out.md.
        store = build_backend(backend, index_dir, manifest.version_id, chunks, vectors,
                              index_type)
        try:
            save_index(index_dir, IndexData(manifest, chunks, articles, vectors, store,
                                            sentences=sentences))
        except BaseException:
            if current_version(index_dir) != manifest.version_id:
                store.drop()  # the switch did not happen: the new collection is nobody's
            raise
        clear_resume(index_dir)  # the new version holds every vector the parts did
        if progress:
            progress("write", 1, 1)
        report.n_chunks = len(chunks)
        report.version_id = manifest.version_id
        report.seconds = time.perf_counter() - started
        return report
