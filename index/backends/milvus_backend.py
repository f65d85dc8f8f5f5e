"""Milvus backend: one collection per index version, on Milvus Lite (a `.db` file) or a cluster.

The same `pymilvus.MilvusClient` code serves both; only the URI differs. A version's collection
is created, filled and loaded before CURRENT switches to the version, and dropped when the
version folder is pruned, so readers see the old or the new vectors, never a mix.
"""

from __future__ import annotations

import json
import re
import sys
import time
import types
from collections.abc import Collection
from importlib import metadata
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError
from ingest.records import Chunk

INSERT_BATCH = 2000  # rows per insert: 2000 x 384 float32 = 3 MB, far below gRPC's 64 MB cap
_ID_MAX = 512  # VARCHAR length of article / chunk ids
_clients: dict[tuple[str, str], object] = {}
# Milvus Lite gives its server 0.5 s to start, then pymilvus connects to a unix socket the server
# may not have created yet on a busy machine ("connect failed: ... No such file or directory",
# milvus-io/milvus#35666). Waiting for the socket first makes the connect deterministic.
LITE_START_TIMEOUT_S = 60.0


def collection_name(version_id: str) -> str:
    """Milvus names allow letters, digits and underscores only."""
    return "citewise_" + re.sub(r"[^0-9A-Za-z_]", "_", version_id)


def ensure_pkg_resources() -> None:
    """Make `import milvus_lite` work on setuptools >= 81."""
    # milvus-lite 2.5.1 reads its own version through pkg_resources, which setuptools >= 81
    # no longer ships; a stand-in on importlib.metadata is all its __init__ needs.
    try:
        import pkg_resources  # noqa: F401
    except ImportError:
        shim = types.ModuleType("pkg_resources")
        shim.DistributionNotFound = metadata.PackageNotFoundError  # type: ignore[attr-defined]
        shim.get_distribution = (  # type: ignore[attr-defined]
            lambda name: types.SimpleNamespace(version=metadata.version(name)))
        sys.modules["pkg_resources"] = shim


def milvus_client(uri: str, token: str = ""):  # noqa: ANN201 - pymilvus is imported lazily
    """One client per (uri, token) per process; Milvus Lite allows one server per file."""
    key = (uri, token)
    if key not in _clients:
        ensure_pkg_resources()
        from pymilvus import MilvusClient

        try:
            if uri.endswith(".db"):
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
                _start_lite_server(uri)
            _clients[key] = MilvusClient(uri=uri, token=token) if token else MilvusClient(uri=uri)
        except Exception as exc:
            raise IndexCorruptError(f"cannot connect to Milvus at {uri} ({exc}); check "
                                    f"CITEWISE_MILVUS_URI / CITEWISE_MILVUS_TOKEN") from exc
    return _clients[key]


def _start_lite_server(uri: str, timeout_s: float = LITE_START_TIMEOUT_S) -> None:
    """Start the Milvus Lite server of a `.db` file and wait until its socket exists; pymilvus
    then connects to the same server (one per file per process)."""
    from milvus_lite.server_manager import server_manager_instance

    socket_uri = server_manager_instance.start_and_get_uri(uri)
    if socket_uri is None:
        raise RuntimeError("Milvus Lite did not start (is the file open in another process?)")
    socket = Path(socket_uri.removeprefix("unix:"))
    deadline = time.monotonic() + timeout_s
    while not socket.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Milvus Lite made no socket {socket} in {timeout_s:.0f} s")
        time.sleep(0.05)


def _milvus_index_type(uri: str, index_type: str) -> str:
    # Milvus Lite 2.5.1 supports FLAT / IVF_FLAT / AUTOINDEX only: exact search, like FAISS
    # flat. A cluster picks its own ANN index (HNSW by default) through AUTOINDEX.
    if uri.endswith(".db") or index_type == "flat":
        return "FLAT"
    return "AUTOINDEX"


class MilvusBackend:
    """Primary key `row` = chunk row of the version; IP on normalised vectors = cosine."""

    kind = "milvus"
    files = ("backend.json",)

    def __init__(self, uri: str, token: str, collection: str, dimension: int) -> None:
        self.uri = uri
        self.token = token
        self.collection = collection
        self.dimension = dimension
        self.client = milvus_client(uri, token)

    @classmethod
    def build(cls, uri: str, token: str, version_id: str, chunks: list[Chunk],
              vectors: np.ndarray, index_type: str) -> MilvusBackend:
        """Create the version's collection, insert in batches, wait until all rows count."""
        from pymilvus import DataType

        backend = cls(uri, token, collection_name(version_id), int(vectors.shape[1]))
        client = backend.client
        name = backend.collection
        if client.has_collection(name):  # a crashed writer's leftover under the same name
            client.drop_collection(name)
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("row", DataType.INT64, is_primary=True)
        schema.add_field("chunk_id", DataType.VARCHAR, max_length=_ID_MAX)
        schema.add_field("article_id", DataType.VARCHAR, max_length=_ID_MAX)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=backend.dimension)
        params = client.prepare_index_params()
        params.add_index(field_name="vector", index_type=_milvus_index_type(uri, index_type),
                         metric_type="IP")
        params.add_index(field_name="article_id", index_type="INVERTED")
        client.create_collection(name, schema=schema, index_params=params,
                                 consistency_level="Strong")
        try:
            for start in range(0, len(chunks), INSERT_BATCH):
                part = vectors[start:start + INSERT_BATCH]
                client.insert(name, [
                    {"row": start + i, "chunk_id": c.chunk_id, "article_id": c.article_id,
                     "vector": part[i].tolist()}
                    for i, c in enumerate(chunks[start:start + INSERT_BATCH])])
            client.flush(name)
            client.load_collection(name)
            if backend.ntotal != len(chunks):
                raise IndexCorruptError(f"Milvus collection {name} holds {backend.ntotal} of "
                                        f"{len(chunks)} vectors after insert")
        except BaseException:
            client.drop_collection(name)  # all or nothing: no half-filled collection survives
            raise
        return backend

    @property
    def ntotal(self) -> int:
        rows = self.client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    def search(self, query: np.ndarray, k: int,
               article_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        expr = ""
        if article_ids is not None:
            if not article_ids:
                return []
            expr = f"article_id in {json.dumps(sorted(article_ids))}"
        hits = self.client.search(
            self.collection, data=[np.asarray(query, dtype=np.float32).ravel().tolist()],
            limit=k, anns_field="vector", filter=expr, output_fields=[],
            search_params={"metric_type": "IP"})
        return [(int(h["id"]), float(h["distance"])) for h in hits[0]]

    def save(self, folder: Path) -> None:
        # The token is never written: it comes from CITEWISE_MILVUS_TOKEN at load time.
        record = {"kind": self.kind, "uri": self.uri, "collection": self.collection,
                  "dimension": self.dimension}
        (folder / "backend.json").write_text(json.dumps(record, indent=2), encoding="utf-8")

    def drop(self) -> None:
        if self.client.has_collection(self.collection):
            self.client.drop_collection(self.collection)
