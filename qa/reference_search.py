"""Search over the reference items of an index: the works the articles cite.

Reference items share the index with passages (same vectors, same chunk table) but are ranked
on their own, so they never take a passage's place in an ordinary answer. Dense scores are
exact cosines over the reference rows' stored vectors (a reference list is small next to the
passages); lexical scores come from a BM25 over the reference texts only.
"""

from __future__ import annotations

import re

import bm25s
import numpy as np

from index.store import IndexData
from qa.lexical import bm25_tokens as _bm25_tokens
from qa.records import Passage
from qa.retriever import _bm25_query_tokens


class ReferenceSearch:
    """Ranks reference items for a query by reciprocal-rank fusion of cosine and BM25."""

    def __init__(self, data: IndexData, k: int = 20, rrf_k: int = 60) -> None:
        self.data = data
        self.k = k
        self.rrf_k = rrf_k
        self.rows = [i for i, c in enumerate(data.chunks) if c.is_reference]
        self._vectors = np.asarray(data.vectors[self.rows], dtype=np.float32) if self.rows \
            else np.zeros((0, 0), dtype=np.float32)
        # Years the reference lists hold (4-digit, 1800-2099): a question naming another
        # year is not about a listed work.
        self.years = {y for i in self.rows
                      for y in re.findall(r"\b(?:1[89]|20)\d\d\b", data.chunks[i].text)}
        tokens = [_bm25_tokens(data.chunks[i].embed_text) for i in self.rows]
        self._vocabulary = {t for doc in tokens for t in doc}
        self.bm25 = bm25s.BM25()
        if tokens:
            self.bm25.index(tokens, show_progress=False)

    def __len__(self) -> int:
        return len(self.rows)

    def cosines(self, query_vector: np.ndarray) -> dict[int, float]:
        """row -> cosine of every reference item (vectors are L2-normalised)."""
        if not self.rows:
            return {}
        scores = self._vectors @ np.asarray(query_vector, dtype=np.float32).reshape(-1)
        return {row: float(s) for row, s in zip(self.rows, scores, strict=True)}

    def lexical(self, query: str) -> list[tuple[int, float]]:
        tokens = [t for t in _bm25_query_tokens(query) if t and t in self._vocabulary]
        if not self.rows or not tokens:
            return []
        found, scores = self.bm25.retrieve([tokens], k=min(self.k, len(self.rows)),
                                           show_progress=False)
        return [(self.rows[int(i)], float(s))
                for i, s in zip(found[0], scores[0], strict=True) if s > 0]

    def retrieve(self, query: str, query_vector: np.ndarray, k: int | None = None
                 ) -> list[Passage]:
        """The best `k` reference items (default: the search's k), best first."""
        cosines = self.cosines(query_vector)
        dense = sorted(cosines.items(), key=lambda x: -x[1])[: self.k]
        lexical = self.lexical(query)
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (row, _score) in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (self.rrf_k + rank)
        bm25_scores = dict(lexical)
        order = sorted(fused, key=lambda r: (-fused[r], -cosines[r]))
        return [Passage(chunk=self.data.chunks[row], rank=i, score=fused[row],
                        dense_score=cosines[row], bm25_score=bm25_scores.get(row))
                for i, row in enumerate(order[: k or self.k], start=1)]
