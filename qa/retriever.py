"""Hybrid retrieval: dense (FAISS, cosine) plus BM25 (bm25s), fused by reciprocal rank."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection

import numpy as np
from bm25s.selection import topk as bm25_topk

from index.query_encoder import TextEncoder
from index.store import IndexData
from qa.lexical import lexical_index
from qa.records import Passage
from qa.text import QUESTION_WORDS, variants, words


def _bm25_query_tokens(text: str) -> list[str]:
    """Query stems plus those of clinical synonyms ("pt" also searches "physical therapy")."""
    tokens: list[str] = []
    for w in words(text):
        if w not in QUESTION_WORDS:
            tokens.extend(sorted(variants(w)))
    return list(dict.fromkeys(tokens)) or [""]


class HybridRetriever:
    """Ranks the passages of one loaded index for a query; BM25 comes saved with the index.

    Reference items (kind "reference") are left out: they are searched on their own
    (qa.reference_search), so an index with references ranks passages exactly as one without.
    """

    def __init__(self, data: IndexData, embedder: TextEncoder, k: int = 20,
                 rrf_k: int = 60) -> None:
        self.data = data
        self.embedder = embedder
        self.k = k
        self.rrf_k = rrf_k
        self.rows = [i for i, c in enumerate(data.chunks) if not c.is_reference]  # passages
        self._all_passages = len(self.rows) == len(data.chunks)
        # BM25 position -> chunk row, and the article of each position as a small integer: a
        # question naming its source filters every passage with numpy, not a Python loop (at
        # 70k passages the loops were most of a comparison question's time).
        self._row_of = np.asarray(self.rows, dtype=np.int64)
        self._codes = {a: i for i, a in enumerate(dict.fromkeys(
            data.chunks[r].article_id for r in self.rows))}
        self._article_code = np.asarray([self._codes[data.chunks[r].article_id]
                                         for r in self.rows], dtype=np.int32)
        self._positions: dict[int, np.ndarray] | None = None  # article code -> BM25 positions
        lexical = lexical_index(data)  # saved with the index version; built once if absent
        self.bm25 = lexical.bm25
        self._idf, self._idf_unseen = lexical.idf_table()
        self._local = threading.local()  # one engine serves concurrent askers (app, bench)

    @property
    def timings_ms(self) -> dict[str, float]:
        """Stage timings of this thread's last `retrieve` (ms)."""
        return getattr(self._local, "timings_ms", {})

    def idf(self, term: str) -> float:
        """Inverse document frequency over chunks; a term no chunk holds gets the maximum."""
        return self._idf.get(term, self._idf_unseen)

    def in_corpus(self, term: str) -> bool:
        """True when some chunk holds the stemmed term."""
        return term in self._idf

    def dense(self, query_vector: np.ndarray,
              article_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        """(row, cosine) of the k nearest passages (of `article_ids` when given); reference
        rows are searched past."""
        if self._all_passages:
            return self.data.search(query_vector, self.k, article_ids)
        fetch = 2 * self.k
        while True:
            hits = self.data.search(query_vector, fetch, article_ids)
            out = [(r, s) for r, s in hits if not self.data.chunks[r].is_reference]
            if len(out) >= self.k or fetch >= len(self.data.chunks):
                return out[: self.k]
            fetch = min(2 * fetch, len(self.data.chunks))

    def lexical(self, query: str,
                article_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        if not self.rows:
            return []
        # Only terms the index holds: bm25s fails on a query of unknown or empty tokens
        # (a question such as "M" is nothing but stop words).
        tokens = [t for t in _bm25_query_tokens(query) if t and t in self._idf]
        if not tokens:
            return []
        if article_ids is not None:
            within = self._lexical_within(tokens, article_ids)
            if within is not None:
                return within
        # Within named articles: rank all passages, keep theirs (BM25 cannot filter itself).
        if article_ids is not None:
            positions, values = self._full_ranking(tokens)
        else:
            found, scores = self.bm25.retrieve([tokens], k=min(self.k, len(self.rows)),
                                               show_progress=False)
            positions, values = found[0], scores[0]
        keep = values > 0
        if article_ids is not None:
            codes = [self._codes[a] for a in article_ids if a in self._codes]
            keep &= np.isin(self._article_code[positions], codes)
        chosen = np.flatnonzero(keep)[: self.k]  # BM25's order kept
        return [(int(r), float(v)) for r, v in zip(self._row_of[positions[chosen]],
                                                   values[chosen], strict=True)]

    def _memo(self, tokens: list[str]) -> dict[str, object]:
        """This thread's BM25 work on the last query: a comparison asks it once per named
        article (115 articles named "ACR" in the NGC library), and scores the same terms."""
        key = tuple(tokens)
        memo = getattr(self._local, "bm25_memo", None)
        if memo is None or memo["key"] != key:
            memo = {"key": key}
            self._local.bm25_memo = memo
        return memo

    def _scores(self, tokens: list[str]) -> np.ndarray:
        memo = self._memo(tokens)
        if "scores" not in memo:
            memo["scores"] = self.bm25.get_scores(tokens)
        return memo["scores"]  # type: ignore[return-value]

    def _full_ranking(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every passage ranked as `bm25.retrieve(k=all)` ranks them (the same scores through
        the same top-k selection), computed once per query."""
        memo = self._memo(tokens)
        if "ranking" not in memo:
            if self.bm25.backend == "numpy":
                values, positions = bm25_topk(self._scores(tokens), len(self.rows),
                                              backend="auto", sorted=True)
            else:  # another backend selects on its own: ask it
                found, scores = self.bm25.retrieve([tokens], k=len(self.rows),
                                                   show_progress=False)
                positions, values = found[0], scores[0]
            memo["ranking"] = (positions, values)
        return memo["ranking"]  # type: ignore[return-value]

    def _lexical_within(self, tokens: list[str],
                        article_ids: Collection[str]) -> list[tuple[int, float]] | None:
        """BM25 of the named articles' passages alone, scored as in the full ranking and
        ordered by score; None when two of the kept scores tie (or one ties with the first
        left out): the full ranking, filtered, then orders them as it always has. Ranking every
        passage to keep a few cost ~7 ms a side at 17k passages."""
        if self._positions is None:
            by_code: dict[int, list[int]] = {}
            for position, code in enumerate(self._article_code.tolist()):
                by_code.setdefault(code, []).append(position)
            self._positions = {c: np.asarray(p, dtype=np.int64) for c, p in by_code.items()}
        parts = [self._positions[self._codes[a]] for a in set(article_ids) if a in self._codes]
        if not parts:
            return []
        positions = np.sort(np.concatenate(parts))
        values = self._scores(tokens)[positions]
        positive = values > 0
        positions, values = positions[positive], values[positive]
        order = np.argsort(-values, kind="stable")[: self.k + 1]
        ranked = values[order]
        if np.any(ranked[:-1] == ranked[1:]):
            return None
        order = order[: self.k]
        return [(int(r), float(v)) for r, v in zip(self._row_of[positions[order]],
                                                   values[order], strict=True)]

    def retrieve(self, query: str, query_vector: np.ndarray | None = None,
                 article_ids: Collection[str] | None = None) -> list[Passage]:
        """Passages ranked by reciprocal-rank fusion of the dense and BM25 rankings, only of
        `article_ids` when given (a question that names its source)."""
        t0 = time.perf_counter()
        if query_vector is None:
            query_vector = self.embedder.encode_query(query)
        t1 = time.perf_counter()
        dense = self.dense(query_vector, article_ids)
        t2 = time.perf_counter()
        lexical = self.lexical(query, article_ids)
        t3 = time.perf_counter()
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (row, _score) in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (self.rrf_k + rank)
        dense_scores = dict(dense)
        bm25_scores = dict(lexical)
        order = sorted(fused, key=lambda r: (-fused[r], -dense_scores.get(r, -1.0)))
        passages = [
            Passage(chunk=self.data.chunks[row], rank=i, score=fused[row],
                    dense_score=dense_scores.get(row), bm25_score=bm25_scores.get(row))
            for i, row in enumerate(order[: self.k], start=1)
        ]
        t4 = time.perf_counter()
        self._local.timings_ms = {"embed_query": (t1 - t0) * 1e3, "dense": (t2 - t1) * 1e3,
                           "bm25": (t3 - t2) * 1e3, "fusion": (t4 - t3) * 1e3}
        return passages
