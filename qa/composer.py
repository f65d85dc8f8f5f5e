"""Extractive composer: the answer is the scorer's best units, quoted verbatim and cited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.records import Citation, Passage, Statement
from qa.scorer import Selection
from qa.strength import find_strength
from qa.text import stems
from qa.units import Unit

# The shortest sentence the generative composer's check accepts as a statement of its own.
MIN_STATEMENT_WORDS = 5


@dataclass(frozen=True)
class Candidate:
    """A unit chosen for the answer, with the probability the scorer gave it."""

    text: str  # display text: markers stripped, whitespace folded
    raws: tuple[str, ...]  # as they stand in the passage (for highlighting)
    passage: Passage
    score: float


def _overlap(a: str, b: str) -> float:
    """Share of the shorter unit's words the other holds: a list repeats its items."""
    sa, sb = stems(a), stems(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


def select(units: Sequence[Unit], p: np.ndarray, selection: Selection,
           duplicate_overlap: float, required: Sequence[str] = ()) -> list[int]:
    """Indexes of the answer's units, bottom line first: the best unit, then each next-best
    unit scoring `support_relative` of it and `support_min`, not repeating a unit already
    chosen, up to `max_statements` more. Each article of `required` (the sides of a
    comparison) gets its best unit in when it scores `support_relative` of the best."""
    if not len(units):
        return []
    order = [int(i) for i in np.argsort(-p, kind="stable")]
    best = p[order[0]]
    floor = max(best * selection.support_relative, selection.support_min)
    chosen = [order[0]]

    def fresh(i: int) -> bool:
        return all(_overlap(units[i].text, units[j].text) <= duplicate_overlap for j in chosen)

    for i in order[1:]:
        if len(chosen) > selection.max_statements or p[i] < floor:
            break
        if fresh(i):
            chosen.append(i)
    for article in required:
        if any(units[j].article_id == article for j in chosen):
            continue
        side = next((i for i in order if units[i].article_id == article), None)
        if side is not None and p[side] >= best * selection.support_relative and fresh(side):
            chosen.append(side)
    return chosen


def cite(chosen: Sequence[Candidate], articles: dict) -> tuple[list[Statement], list[Citation]]:
    """Number the passages in order of first use; one citation per passage."""
    numbers: dict[str, int] = {}
    quoted: dict[str, list[str]] = {}
    statements: list[Statement] = []
    for cand in chosen:
        chunk = cand.passage.chunk
        n = numbers.setdefault(chunk.chunk_id, len(numbers) + 1)
        quoted.setdefault(chunk.chunk_id, []).extend(cand.raws)
        statements.append(Statement(cand.text, (n,), chunk.chunk_id, round(cand.score, 4),
                                    strength=find_strength(cand.raws[0], chunk.text)))
    citations = []
    by_id = {c.passage.chunk.chunk_id: c.passage for c in chosen}
    for chunk_id, n in numbers.items():
        chunk = by_id[chunk_id].chunk
        article = articles.get(chunk.article_id)
        refs = tuple(r for num in chunk.references
                     if article is not None and (r := article.reference(num)) is not None)
        citations.append(Citation(
            n=n, chunk_id=chunk_id, article_id=chunk.article_id, title=chunk.title,
            section=" > ".join(chunk.section_path), source_path=article.source_path if article
            else "", last_updated=article.last_updated if article else None,
            review_status=article.review_status if article else None,
            evidence_type=chunk.evidence_type, text=chunk.text, quoted=tuple(quoted[chunk_id]),
            references=refs, page=chunk.page, ocr=chunk.ocr))
    return statements, citations
