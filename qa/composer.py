"""Extractive composer: answer sentences quoted from retrieved passages, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from index.sentence_vectors import clean_unit, sentence_key
from ingest.injection import looks_like_instruction
from ingest.sentences import Span, quotable_units
from qa.records import Citation, Passage, Statement
from qa.section_statement import heads_with_statement
from qa.sentence_form import (
    answer_form,
    research_agenda,
    scope_exclusion,
    sentence_form,
    trial_methods,
)
from qa.strength import find_strength
from qa.text import content_terms, stems, text_stems, words, written_stems

_SUMMARY_RE = re.compile(r"bottom line|summary|overview|key (points|message)|in short|answer",
                         re.IGNORECASE)
_EVIDENCE_ORDER = {"Guideline": 0, "": 1, "Research": 2}
MIN_STATEMENT_WORDS = 5
# Longer than any sentence of the well-formed prose corpora (corpus/ max 41 words, the seed
# articles max 90, p99 55): a unit this long is a run-on of lost layout (a flattened evidence
# table, a contents page, an author list), not a statement to quote.
MAX_STATEMENT_WORDS = 100


@dataclass(frozen=True)
class Candidate:
    text: str  # display text: markers stripped, whitespace folded
    raw: str  # as it stands in the passage (for highlighting)
    passage: Passage
    score: float
    # IDF-weighted share of the question's topic terms the sentence or its section heading
    # writes (abbreviations count as what they stand for; the article's title does not count)
    stated_share: float = 0.0


@lru_cache(maxsize=16_384)
def _units(chunk_text: str) -> tuple[Span, ...]:
    """A chunk's quotable units, kept: the same passages come back question after question."""
    return tuple(quotable_units(chunk_text))


_clean = clean_unit  # one definition: the index embeds sentences exactly as quoted here


def candidates(question: str, passages: Sequence[Passage],
               encode: Callable[[list[str]], np.ndarray],
               question_vector: np.ndarray, idf: Callable[[str], float],
               max_encoded: int = 12, form_weight: float = 0.0,
               title_weight: float = 0.0) -> list[Candidate]:
    """Every quotable sentence or list item of the passages, scored against the question.

    A sentence is read with its section heading ("When to add contrast: ..."). Lexical score:
    IDF-weighted share of the question's topic terms in the sentence (an abbreviation
    counts as the words it stands for, qa.text.written_stems; heading terms count half, terms
    of the article's title `title_weight`). Only the `max_encoded` best by
    lexical score and passage cosine are scored by cosine (`encode` gives their vectors,
    stored at ingest by sentence_key); final score =
    0.6 x cosine + 0.4 x lexical (+0.03 in a summary section), + `form_weight` for a directive
    or a graded statement, - `form_weight` for a study's narration or a research agenda
    (sentence_form.answer_form). Each candidate also keeps the share of the question's terms
    it and its heading write (Candidate.stated_share, read by `select`).
    """
    pool: list[tuple[str, str, Passage, float, float]] = []
    seen: set[str] = set()
    terms = content_terms(question)
    weights = {t: idf(t) for t in terms}
    total = sum(weights.values()) or 1.0
    for passage in passages:
        heading_stems = text_stems(" ".join(passage.chunk.section_path))
        title_stems = text_stems(passage.chunk.title)
        for unit in _units(passage.chunk.text):
            if unit.kind == "table":
                continue
            text = _clean(unit.text)
            n_words = len(text.split())
            if not MIN_STATEMENT_WORDS <= n_words <= MAX_STATEMENT_WORDS or text.endswith(":") \
                    or text in seen:
                continue
            if looks_like_instruction(text):
                continue  # untrusted text: never quoted
            if sentence_form(text) is not None:
                continue  # a question, vignette, heading, pointer or reference: not an answer
            if research_agenda(text, question):
                continue  # "the work group recommends studies to evaluate X" answers nothing on X
            if trial_methods(text, question):
                continue  # "participants were randomized to ... (n=61)": how, not what was found
            if scope_exclusion(text, question):
                continue  # "patients with fibromyalgia ... are not included": nothing on them
            seen.add(text)
            present = written_stems(text)
            lexical = sum(w if t in present else 0.5 * w if t in heading_stems else
                          title_weight * w if t in title_stems else 0.0
                          for t, w in weights.items()) / total
            stated = sum(w for t, w in weights.items()
                         if t in present or t in heading_stems) / total
            pool.append((text, unit.text, passage, lexical, stated))
    if not pool:
        return []
    pool.sort(key=lambda x: -(x[3] + (x[2].dense_score or 0.0)))
    pool = pool[:max_encoded]
    vectors = encode([sentence_key(p.chunk.section, t) for t, _r, p, _l, _s in pool])
    cosines = vectors @ question_vector
    out = []
    for (text, raw, passage, lexical, stated), cos in zip(pool, cosines, strict=True):
        bonus = 0.03 if any(_SUMMARY_RE.search(p) for p in passage.chunk.section_path) else 0.0
        if form_weight:
            form = answer_form(text)
            if form >= 0 and find_strength(raw, passage.chunk.text) is not None:
                form = 1  # graded: the guideline's own statement
            bonus += form_weight * form
        out.append(Candidate(text, raw, passage, 0.6 * float(cos) + 0.4 * lexical + bonus,
                             stated))
    out = _statements_lead_their_evidence(out, lambda text: sum(
        w for t, w in weights.items() if t in written_stems(text)) / total)
    out.sort(key=lambda c: (-c.score, not _states_heading(c)))
    return out


def _states_heading(c: Candidate) -> bool:
    """The sentence is its section's heading: a statement heading the evidence below it."""
    path = c.passage.chunk.section_path
    if not path or not heads_with_statement(path[-1]):
        return False
    heading = words(path[-1])
    return words(c.text)[:len(heading)] == heading


def _statements_lead_their_evidence(cands: list[Candidate],
                                    own_terms: Callable[[str], float]) -> list[Candidate]:
    """A statement that heads a section (a recommendation over the studies behind it) scores
    at least as well as the best sentence of its evidence, when it holds as much of the
    question's terms in its own words: the studies answer the question only through it. (A
    study of duloxetine under a statement on anticonvulsants lends it nothing.)"""
    best: dict[tuple[str, tuple[str, ...]], Candidate] = {}
    for c in cands:
        key = (c.passage.chunk.article_id, c.passage.chunk.section_path)
        if key not in best or c.score > best[key].score:
            best[key] = c
    out = []
    for c in cands:
        lead = best[(c.passage.chunk.article_id, c.passage.chunk.section_path)]
        if _states_heading(c) and lead.score > c.score and \
                own_terms(c.text) >= own_terms(lead.text):
            c = replace(c, score=lead.score)
        out.append(c)
    return out


def _jaccard(a: str, b: str) -> float:
    sa, sb = stems(a), stems(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def select(cands: list[Candidate], max_statements: int, min_relative: float,
           duplicate_jaccard: float, other_article_relative: float = 0.0,
           other_article_max_rank: int | None = None,
           other_article_terms: float = 0.0) -> list[Candidate]:
    """Bottom line first, then up to `max_statements` distinct supporting sentences,
    guideline evidence before research where both answer. A sentence from another article
    than the bottom line's must score `other_article_relative` of the best, and come from a
    passage retrieval ranks `other_article_max_rank` or better: sentence and passage both
    answer (keeps answers from padding with loosely related articles). And that article
    enters the answer only if one such sentence of it, with its section heading, writes
    `other_article_terms` of the question's terms the bottom line and its heading write
    (Candidate.stated_share): it states what the question asks, not only something near it."""
    if not cands:
        return []
    best = cands[0]
    chosen = [best]
    floor = best.score * min_relative
    home = best.passage.chunk.article_id

    def close(c: Candidate) -> bool:
        return c.score >= best.score * other_article_relative and (
            other_article_max_rank is None or c.passage.rank <= other_article_max_rank)

    admitted = {home} | {c.passage.chunk.article_id for c in cands if close(c) and
                         c.stated_share >= best.stated_share * other_article_terms}
    for cand in cands[1:]:
        if len(chosen) > max_statements or cand.score < floor:
            break
        article = cand.passage.chunk.article_id
        if article != home and (not close(cand) or article not in admitted):
            continue
        if any(_jaccard(cand.text, c.text) > duplicate_jaccard for c in chosen):
            continue
        chosen.append(cand)
    support = sorted(chosen[1:], key=lambda c: (
        _EVIDENCE_ORDER.get(c.passage.chunk.evidence_type, 1), -c.score))
    return [best, *support]


def cite(chosen: list[Candidate], articles: dict) -> tuple[list[Statement], list[Citation]]:
    """Number the passages in order of first use; one citation per passage."""
    numbers: dict[str, int] = {}
    quoted: dict[str, list[str]] = {}
    statements: list[Statement] = []
    for cand in chosen:
        chunk = cand.passage.chunk
        n = numbers.setdefault(chunk.chunk_id, len(numbers) + 1)
        quoted.setdefault(chunk.chunk_id, []).append(cand.raw)
        statements.append(Statement(cand.text, (n,), chunk.chunk_id, round(cand.score, 4),
                                    strength=find_strength(cand.raw, chunk.text)))
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
