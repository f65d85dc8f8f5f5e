"""A saved index is a folder: chunk table (row i = vector i), articles, vectors, manifest, and
the backend's part (a FAISS file, or a record naming the version's Milvus collection).

`INDEX_DIR/CURRENT` names the live version folder; writers build a new folder and switch the
pointer with one atomic rename, so readers see the old or the new index, never a mix.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from index.backends import VectorBackend, drop_version_backend, open_backend
from index.backends.faiss_backend import (  # noqa: F401 - re-exported for bench and sync
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    FaissBackend,
    build_faiss,
)
from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from index.manifest import FORMAT_VERSION, Manifest
from index.sentence_vectors import KEYS_FILE, VECTORS_FILE, SentenceVectors
from ingest.account import IngestAccount
from ingest.records import Article, Chunk, Reference, Section

POINTER = "CURRENT"
_FILES = ("manifest.json", "chunks.jsonl", "articles.json", "vectors.npy", KEYS_FILE,
          VECTORS_FILE)


def choose_index_type(n_vectors: int, setting: str, hnsw_threshold: int) -> str:
    """Exact search while it is fast enough; HNSW beyond `hnsw_threshold` vectors."""
    if setting in ("flat", "hnsw"):
        return setting
    if setting != "auto":
        raise ValueError(f"index_type must be auto, flat or hnsw, not {setting!r}")
    return "hnsw" if n_vectors >= hnsw_threshold else "flat"


def hnsw_params() -> dict[str, int]:
    return {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION, "efSearch": HNSW_EF_SEARCH}


@dataclass
class IndexData:
    """An index held in memory: search it, or hand its parts to a new version."""

    manifest: Manifest
    chunks: list[Chunk]
    articles: dict[str, Article]
    vectors: np.ndarray
    backend: VectorBackend  # FAISS or Milvus; callers above the index layer never ask which
    path: Path | None = None
    # Every quotable sentence's vector, embedded at ingest (index/sentence_vectors.py).
    sentences: SentenceVectors = dataclasses.field(
        default_factory=lambda: SentenceVectors([], np.zeros((0, 0), dtype=np.float32)))

    def search(self, query: np.ndarray, k: int,
               article_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        """(row, cosine) of the k nearest chunks, optionally only of the given articles."""
        if not self.chunks:
            return []
        return self.backend.search(query, min(k, len(self.chunks)), article_ids)

    @property
    def faiss_index(self) -> faiss.Index:
        """The FAISS index of a FAISS-backed version (tests and tools that inspect it)."""
        if not isinstance(self.backend, FaissBackend):
            raise AttributeError(f"this index is stored in {self.backend.kind}, not FAISS")
        return self.backend.index


def _article_to_dict(a: Article) -> dict[str, object]:
    return {
        "article_id": a.article_id, "title": a.title, "source_path": a.source_path,
        "last_updated": a.last_updated, "review_status": a.review_status,
        "related_questions": list(a.related_questions), "content_hash": a.content_hash,
        "warnings": list(a.warnings), "publisher": a.publisher, "year": a.year,
        "reviewed_by": a.reviewed_by, "reviewed_on": a.reviewed_on,
        "account": a.account.as_dict() if a.account is not None else None,
        "ocr_pages": list(a.ocr_pages),
        "references": [r.as_dict() for r in a.references],
        "sections": [{"heading": s.heading, "text": s.text, "path": list(s.path),
                      "char_start": s.char_start, "page": s.page} for s in a.sections],
    }


def _article_from_dict(d: dict) -> Article:
    return Article(
        article_id=d["article_id"], title=d["title"], source_path=d["source_path"],
        sections=tuple(Section(heading=s["heading"], text=s["text"], path=tuple(s["path"]),
                               char_start=s["char_start"], page=s["page"])
                       for s in d["sections"]),
        references=tuple(Reference(**r) for r in d["references"]),
        last_updated=d["last_updated"], review_status=d["review_status"],
        related_questions=tuple(d["related_questions"]), content_hash=d["content_hash"],
        warnings=tuple(d["warnings"]),
        publisher=d.get("publisher"), year=d.get("year"),
        reviewed_by=d.get("reviewed_by"), reviewed_on=d.get("reviewed_on"),
        account=IngestAccount.from_dict(d["account"]) if d.get("account") else None,
        ocr_pages=tuple(d.get("ocr_pages", ())),
    )


def _checkpoint(name: str) -> None:
    """Fault-injection point for the crash-safety tests: with CITEWISE_CRASH_AT=name the
    process kills itself here, exactly as a power cut or an OOM kill would stop it."""
    if os.environ.get("CITEWISE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def new_version_id() -> str:
    return time.strftime("v%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_index(index_dir: Path, data: IndexData) -> Path:
    """Write `data` as a new version folder, then switch CURRENT to it atomically."""
    index_dir.mkdir(parents=True, exist_ok=True)
    version = data.manifest.version_id
    tmp = index_dir / f".tmp-{version}"
    tmp.mkdir()
    _checkpoint("start")
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for chunk in data.chunks:
            fh.write(json.dumps(chunk.as_dict(), ensure_ascii=False) + "\n")
    _checkpoint("chunks")
    (tmp / "articles.json").write_text(
        json.dumps([_article_to_dict(a) for a in data.articles.values()], ensure_ascii=False),
        encoding="utf-8")
    np.save(tmp / "vectors.npy", data.vectors)
    data.sentences.save(tmp)
    data.backend.save(tmp)
    # Manifest has no field for index parameters: recorded beside the library versions.
    extra = {"backend": data.backend.kind}
    if isinstance(data.backend, FaissBackend) and data.backend.hnsw_note():
        extra["faiss_hnsw"] = data.backend.hnsw_note() or ""
    data.manifest = dataclasses.replace(data.manifest,
                                        versions={**data.manifest.versions, **extra})
    _checkpoint("vectors")
    data.manifest.save(tmp / "manifest.json")
    for name in _FILES + data.backend.files:
        with open(tmp / name, "rb") as fh:
            os.fsync(fh.fileno())
    final = index_dir / version
    os.rename(tmp, final)
    _checkpoint("renamed")
    pointer_tmp = index_dir / f".{POINTER}.{version}"
    pointer_tmp.write_text(version, encoding="utf-8")
    with open(pointer_tmp, "rb") as fh:
        os.fsync(fh.fileno())
    previous = current_version(index_dir)
    _checkpoint("pointer")
    os.replace(pointer_tmp, index_dir / POINTER)  # the switch: atomic on POSIX
    _fsync_dir(index_dir)
    _checkpoint("switched")
    _prune(index_dir, keep={version, previous or ""})
    return final


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Remove versions other than the live and the previous one (a reader may still load it)."""
    for child in index_dir.iterdir():
        if child.is_dir() and child.name not in keep and (
            child.name.startswith("v") or child.name.startswith(".tmp-")
        ):
            drop_version_backend(child)  # a Milvus collection goes with its folder
            shutil.rmtree(child, ignore_errors=True)


def current_version(index_dir: Path) -> str | None:
    try:
        return (index_dir / POINTER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def load_manifest(index_dir: Path) -> Manifest:
    version = current_version(index_dir)
    if version is None:
        raise IndexMissingError(f"no index at {index_dir}: run `citewise ingest --index "
                                f"{index_dir}` first")
    try:
        return Manifest.load(index_dir / version / "manifest.json")
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexCorruptError(f"index {index_dir / version} is unreadable ({exc}); "
                                f"re-ingest") from exc


def check_compatible(manifest: Manifest, model: dict[str, object] | None,
                     chunker: dict[str, object] | None, where: Path) -> None:
    """Refuse an index built with another model or chunker, saying to re-ingest."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index at {where} has format version {manifest.format_version} but this citewise "
            f"reads version {FORMAT_VERSION}; re-ingest: citewise ingest --rebuild --index {where}")
    if model is not None and (manifest.model.get("name"), manifest.model.get("dimension")) != (
        model.get("name"), model.get("dimension")
    ):
        raise IndexMismatchError(
            f"index at {where} was built with model {manifest.model.get('name')!r} "
            f"(dim {manifest.model.get('dimension')}) but this install uses {model.get('name')!r} "
            f"(dim {model.get('dimension')}); re-ingest: citewise ingest --rebuild --index {where}")
    if chunker is not None and manifest.chunker != chunker:
        raise IndexMismatchError(
            f"index at {where} was built with chunker {manifest.chunker} but settings say "
            f"{chunker}; re-ingest: citewise ingest --rebuild --index {where}")


def load_index(index_dir: Path, model: dict[str, object] | None = None,
               chunker: dict[str, object] | None = None) -> IndexData:
    """Load the live version; with `model`/`chunker` given, refuse a mismatched index."""
    manifest = load_manifest(index_dir)
    check_compatible(manifest, model, chunker, index_dir)
    folder = index_dir / manifest.version_id
    try:
        with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
            chunks = [Chunk.from_dict(json.loads(line)) for line in fh if line.strip()]
        articles_raw = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
        # Memory-mapped: answers search the backend's own copy; only an ingest reads these
        # (to carry unchanged articles' vectors over), so a reader's RSS holds them once.
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        sentences = SentenceVectors.load(folder)
        backend = open_backend(folder, chunks)
        ntotal = backend.ntotal
    except IndexCorruptError:
        raise
    except Exception as exc:  # FAISS RuntimeError, a Milvus collection gone, a bad record
        raise IndexCorruptError(f"index {folder} is incomplete or unreadable ({exc}); "
                                f"re-ingest") from exc
    if not (len(chunks) == len(vectors) == ntotal == manifest.n_chunks):
        raise IndexCorruptError(f"index {folder} is inconsistent: {len(chunks)} chunks, "
                                f"{len(vectors)} vectors, {ntotal} in {backend.kind}; re-ingest")
    articles = {d["article_id"]: _article_from_dict(d) for d in articles_raw}
    return IndexData(manifest, chunks, articles, vectors, backend, path=folder,
                     sentences=sentences)
