"""How well the retrieved passages support answering: the score abstention compares."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qa.records import Passage
from qa.text import content_terms, stems


def term_coverage(question: str, passages: Sequence[Passage], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the question's topic terms that occur in the passages.

    A term no passage holds (a drug, a body part the corpus never discusses) weighs most, so
    a question about another topic scores low even when its wording resembles ours.
    """
    terms = content_terms(question)
    if not terms:
        return 0.0
    present: set[str] = set()
    for p in passages:
        present |= stems(p.chunk.embed_text)
    total = sum(idf(t) for t in terms)
    found = sum(idf(t) for t in terms if t in present)
    return found / total if total else 0.0


def evidence_score(question: str, passages: Sequence[Passage], idf: Callable[[str], float],
                   top_n: int) -> float:
    """Top cosine similarity times term coverage of the top `top_n` passages (0..1)."""
    top = list(passages[:top_n])
    if not top:
        return 0.0
    best_cosine = max((p.dense_score or 0.0) for p in top)
    return max(best_cosine, 0.0) * term_coverage(question, top, idf)
