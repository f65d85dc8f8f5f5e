"""How well the retrieved passages support answering: the score abstention compares."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.records import Passage
from qa.text import question_terms, specificity, stem, text_stems

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


def unknown_terms(question: str, in_corpus: Callable[[str], bool]) -> tuple[str, ...]:
    """The question's specialised words (text.specificity 1.0) that no passage, title or
    heading of the corpus holds in any variant ("lupus", "bisphosphonate", "TNF"). A
    hyphenated word whose parts the corpus holds ("upright-position") is known."""
    out = []
    for _s, w, v in question_terms(question):
        if specificity(w) < 1.0 or any(in_corpus(x) for x in v):
            continue
        parts = [p for p in w.split("-") if p]
        if len(parts) > 1 and all(in_corpus(stem(p)) for p in parts):
            continue
        out.append(w)
    return tuple(out)


def without_words(text: str, drop: Sequence[str]) -> str:
    """`text` with each whole word of `drop` taken out (case-insensitive)."""
    if not drop:
        return text
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in drop) + r")(?![\w-])",
                         re.IGNORECASE)
    return " ".join(pattern.sub(" ", text).split())


def known_share(question: str, unknown: Sequence[str], question_vector: np.ndarray,
                encode: Callable[[str], np.ndarray]) -> float:
    """Cosine between the question and the question without its unknown words: how much of
    its meaning the corpus's words can carry. Near 1 when the unknown words are incidental
    ("after lifting boxes"), lower when they are what the question is about ("first-line
    drugs for lupus"); 1.0 with no unknown word."""
    if not unknown:
        return 1.0
    rest = without_words(question, unknown)
    if not any(ch.isalnum() for ch in rest):
        return 0.0
    a, b = question_vector, encode(rest)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b)) / denom if denom else 0.0
