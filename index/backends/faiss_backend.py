"""FAISS backend: the vectors in a `faiss.index` file inside the version folder."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import faiss
import numpy as np

# HNSW parameters, measured by `citewise bench` (docs/benchmarks.md): at 1M clustered chunks
# efSearch 64 found only 0.80 of the exact top 10, 256 found 0.97 at 1.4 ms p95 a query.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 256


def build_faiss(vectors: np.ndarray, index_type: str) -> faiss.Index:
    """Inner product on L2-normalised vectors, so scores are cosine similarities."""
    dim = vectors.shape[1]
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


class FaissBackend:
    """FAISS row position = chunk row; embedded, nothing outside the version folder."""

    kind = "faiss"
    files = ("faiss.index",)

    def __init__(self, index: faiss.Index, row_articles: list[str]) -> None:
        self.index = index
        self.row_articles = row_articles  # article id of each row, for filtered search
        self._article_rows: dict[str, np.ndarray] | None = None

    @classmethod
    def build(cls, vectors: np.ndarray, index_type: str, row_articles: list[str]) -> FaissBackend:
        return cls(build_faiss(vectors, index_type), row_articles)

    @classmethod
    def load(cls, folder: Path, row_articles: list[str]) -> FaissBackend:
        index = faiss.read_index(str(folder / "faiss.index"))
        if isinstance(index, faiss.IndexHNSW):  # built before efSearch was raised
            index.hnsw.efSearch = max(index.hnsw.efSearch, HNSW_EF_SEARCH)
        return cls(index, row_articles)

    def rows_of(self, article_ids: Collection[str]) -> np.ndarray:
        """The rows of the given articles, ascending (per-article rows indexed at first use:
        a Python pass over every row per filtered search took ~5 ms at 70k chunks)."""
        if self._article_rows is None:
            by_article: dict[str, list[int]] = {}
            for i, a in enumerate(self.row_articles):
                by_article.setdefault(a, []).append(i)
            self._article_rows = {a: np.asarray(r, dtype=np.int64)
                                  for a, r in by_article.items()}
        parts = [self._article_rows[a] for a in set(article_ids) if a in self._article_rows]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    def search(self, query: np.ndarray, k: int,
               article_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        if self.index.ntotal == 0:
            return []
        params = None
        if article_ids is not None:
            rows = self.rows_of(article_ids)
            if not len(rows):
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))
        scores, rows_found = self.index.search(query.reshape(1, -1).astype(np.float32),
                                               min(k, self.ntotal), params=params)
        return [(int(r), float(s)) for r, s in zip(rows_found[0], scores[0], strict=True)
                if r >= 0]

    def save(self, folder: Path) -> None:
        faiss.write_index(self.index, str(folder / "faiss.index"))

    def hnsw_note(self) -> str | None:
        """Index parameters for the manifest's versions (the manifest has no field for them)."""
        if not isinstance(self.index, faiss.IndexHNSW):
            return None
        hnsw = self.index.hnsw
        return f"M={HNSW_M} efConstruction={hnsw.efConstruction} efSearch={hnsw.efSearch}"

    def drop(self) -> None:
        return None
