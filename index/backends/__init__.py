"""Vector backends behind one interface: FAISS (embedded, default) and Milvus (distributed).

The chunk table, manifest and CURRENT pointer always stay in the local index folder; a backend
only holds the vectors of one index version and answers nearest-neighbour queries by row.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.records import Chunk

BACKENDS = ("faiss", "milvus")
RECORD = "backend.json"  # in a version folder: which backend holds its vectors (absent = faiss)


class VectorBackend(Protocol):
    """The vectors of one index version; row i is chunk i of the version's chunk table."""

    kind: str
    files: tuple[str, ...]  # what `save` writes into the version folder

    @property
    def ntotal(self) -> int: ...

    def search(self, query: np.ndarray, k: int,
               article_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        """(row, cosine) of the k nearest chunks, optionally only of the given articles."""
        ...

    def save(self, folder: Path) -> None: ...

    def drop(self) -> None:
        """Release what lives outside the version folder (a Milvus collection)."""
        ...


@dataclass(frozen=True)
class BackendConfig:
    """Which backend new versions are written to: CITEWISE_BACKEND, CITEWISE_MILVUS_URI,
    CITEWISE_MILVUS_TOKEN (the same variables `Settings` shows in `citewise config`)."""

    kind: str = "faiss"
    milvus_uri: str = ""  # "" = Milvus Lite file <index_dir>/milvus.db
    milvus_token: str = field(default="", repr=False)  # a credential: kept out of repr()

    def __post_init__(self) -> None:
        if self.kind not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {self.kind!r}")

    @classmethod
    def from_env(cls) -> BackendConfig:
        return cls(kind=os.environ.get("CITEWISE_BACKEND", "faiss") or "faiss",
                   milvus_uri=os.environ.get("CITEWISE_MILVUS_URI", ""),
                   milvus_token=os.environ.get("CITEWISE_MILVUS_TOKEN", ""))

    def uri_for(self, index_dir: Path) -> str:
        if self.milvus_uri:
            return self.milvus_uri
        return str((index_dir / "milvus.db").resolve())


def build_backend(config: BackendConfig, index_dir: Path, version_id: str,
                  chunks: list[Chunk], vectors: np.ndarray, index_type: str) -> VectorBackend:
    """Vectors of a new version, fully written and searchable before CURRENT may switch."""
    if config.kind == "milvus":
        from index.backends.milvus_backend import MilvusBackend

        return MilvusBackend.build(config.uri_for(index_dir), config.milvus_token, version_id,
                                   chunks, vectors, index_type)
    from index.backends.faiss_backend import FaissBackend

    return FaissBackend.build(vectors, index_type, [c.article_id for c in chunks])


def open_backend(folder: Path, chunks: list[Chunk]) -> VectorBackend:
    """The backend a saved version folder was written with (no record: FAISS)."""
    record_path = folder / RECORD
    if not record_path.exists():
        from index.backends.faiss_backend import FaissBackend

        return FaissBackend.load(folder, [c.article_id for c in chunks])
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if record.get("kind") != "milvus":
        raise ValueError(f"unknown backend {record.get('kind')!r} in {record_path}")
    from index.backends.milvus_backend import MilvusBackend

    # The env may point a copied index folder at another server; the token is never stored.
    uri = os.environ.get("CITEWISE_MILVUS_URI") or record["uri"]
    return MilvusBackend(uri, os.environ.get("CITEWISE_MILVUS_TOKEN", ""),
                         record["collection"], record["dimension"])


def drop_version_backend(folder: Path) -> None:
    """Drop what a pruned version folder holds outside itself; never raises."""
    record_path = folder / RECORD
    if not record_path.exists():
        return
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        from index.backends.milvus_backend import MilvusBackend

        uri = os.environ.get("CITEWISE_MILVUS_URI") or record["uri"]
        MilvusBackend(uri, os.environ.get("CITEWISE_MILVUS_TOKEN", ""), record["collection"],
                      record["dimension"]).drop()
    except Exception:  # noqa: BLE001 - pruning is best effort; the live index is untouched
        pass
