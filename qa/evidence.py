"""How well the retrieved passages support answering: the score abstention compares."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qa.records import Passage
from qa.text import question_terms, specificity, text_stems

UNKNOWN_TERM_WEIGHT = 2.0


def term_coverage(question: str, passages: Sequence[Passage], idf: Callable[[str], float],
                  in_corpus: Callable[[str], bool] | None = None) -> float:
    """IDF-weighted share of the question's topic terms that occur in the passages.

    A term no passage holds (a drug, a body part the corpus never discusses) weighs most, so
    a question about another topic scores low even when its wording resembles ours. Everyday
    words weigh less (text.specificity) and clinical abbreviations match their expansions.
    """
    terms = question_terms(question)
    if not terms:
        return 0.0
    present: set[str] = set()
    for p in passages:
        present |= text_stems(p.chunk.embed_text)
    weights = []
    for s, w, v in terms:
        weight = idf(s) * specificity(w)
        if in_corpus is not None and not any(in_corpus(x) for x in v):
            weight *= UNKNOWN_TERM_WEIGHT  # a concept no article mentions at all
        weights.append((weight, bool(v & present)))
    total = sum(weight for weight, _ in weights)
    found = sum(weight for weight, hit in weights if hit)
    return found / total if total else 0.0


def evidence_score(question: str, passages: Sequence[Passage], idf: Callable[[str], float],
                   top_n: int, in_corpus: Callable[[str], bool] | None = None) -> float:
    """Top cosine similarity times term coverage of the top `top_n` passages (0..1)."""
    top = list(passages[:top_n])
    if not top:
        return 0.0
    best_cosine = max((p.dense_score or 0.0) for p in top)
    return max(best_cosine, 0.0) * term_coverage(question, top, idf, in_corpus)
