"""Questions about a cited work: recognise them and answer with the statements that cite it.

A question names a work by its title words, its venue or its year ("the upright lumbar MRI
study in the Journal of Orthopaedics and Traumatology (2013)"). The best reference item is
taken to be that work when it reads like the question at least as well as any passage
does, or when it holds question terms that the retrieved passages do not (a journal name, a
year): a question about the topic itself is matched better by a passage than by a title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.store import IndexData
from ingest.citations import cited_numbers, strip_markers
from ingest.injection import looks_like_instruction
from ingest.records import Chunk
from ingest.sentences import split_units
from qa.composer import Candidate, cite
from qa.records import Citation, CitedWork, Passage, Statement
from qa.text import question_terms, specificity, text_stems

_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Words by which a question points at a publication rather than at its topic. A work's title
# names its topic ("Effect of mindfulness-based stress reduction ... on back pain"), so a
# question about the topic can read like a title; it asks about the work only when it says so
# (or gives the year, or terms only the reference holds: an author, a journal).
_WORK_NOUN_RE = re.compile(
    r"\b(stud(y|ies)|trials?|(systematic |narrative )?reviews?|meta-?analys[ie]s|papers?|"
    r"journals?|cohorts?|publications?|published|authors?|et al)\b", re.IGNORECASE)
_MARKER_RE = re.compile(r"\[\d{1,3}(?:,\s*\d{1,3})*\]")
MIN_SEGMENT_WORDS = 4


@dataclass(frozen=True)
class WorkMatch:
    """How well the best reference item matches a question (each share in 0..1)."""

    passage: Passage  # the reference item
    coverage: float  # IDF-weighted share of the question's terms the reference holds
    novel: float  # ... of those the reference holds and the top passages do not
    dense_margin: float  # reference cosine minus the best passage cosine
    year: bool | None  # the question's year is the reference's (None: no year asked)
    names_work: bool = False  # the question says it asks about a publication (a year, "study")


def _title_words(c: Chunk) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", unicodedata.normalize("NFKC", c.text).lower())}


def _same_work(a: Chunk, b: Chunk, min_jaccard: float = 0.6) -> bool:
    """Two reference items name the same work: same year and mostly the same words (lists
    print one work with other author lists, abbreviations and hyphenation)."""
    if _YEAR_RE.findall(a.text)[-1:] != _YEAR_RE.findall(b.text)[-1:]:
        return False
    wa, wb = _title_words(a), _title_words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= min_jaccard


def work_match(question: str, reference: Passage, passages: Sequence[Passage],
               idf: Callable[[str], float]) -> WorkMatch:
    """The signals that say whether `question` is about the work of `reference`.

    Terms weigh IDF (over passages) x specificity, as in the evidence score; a year in the
    question is a term too, weighing as much as its heaviest word (it identifies a work).
    """
    ref_stems = text_stems(reference.chunk.text)
    passage_stems: set[str] = set()
    for p in passages:
        passage_stems |= text_stems(p.chunk.embed_text)
    terms = [(idf(s) * specificity(w), v) for s, w, v in question_terms(question)]
    years = set(_YEAR_RE.findall(question))
    ref_years = set(_YEAR_RE.findall(reference.chunk.text))
    heaviest = max((w for w, _ in terms), default=1.0)
    terms.extend((heaviest, frozenset({y})) for y in sorted(years))
    total = held = novel = 0.0
    for weight, v in terms:
        total += weight
        if v & ref_stems:
            held += weight
            if not v & passage_stems:
                novel += weight
    year = None if not years else bool(years & ref_years)
    best = max((p.dense_score or 0.0 for p in passages), default=0.0)
    return WorkMatch(reference, held / total if total else 0.0, novel / total if total else 0.0,
                     (reference.dense_score or 0.0) - best, year,
                     names_work=bool(years) or _WORK_NOUN_RE.search(question) is not None)


def is_about_work(m: WorkMatch, min_coverage: float, min_novel: float,
                  min_margin: float) -> bool:
    """The question names this work: most of its terms are in the reference, a year it gives
    is the work's, and the reference holds terms the passages lack, or fits it clearly better
    than any passage (cosine margin) while the question says it asks about a publication."""
    if m.year is False or m.coverage < min_coverage:
        return False
    return m.novel >= min_novel or (m.names_work and m.dense_margin >= min_margin)


def find_cited_work(question: str, references: Sequence[Passage], passages: Sequence[Passage],
                    idf: Callable[[str], float], min_coverage: float, min_novel: float,
                    min_margin: float, candidates: int = 5) -> list[Passage]:
    """The reference items (one per listing article) of the work the question asks about,
    the best match first; [] when the question is not about a cited work.

    Of the `candidates` best-ranked references, the one agreeing with the question's year
    and holding most of its terms is considered.
    """
    if not references:
        return []
    matches = [work_match(question, r, passages, idf) for r in references[:candidates]]
    best = max(matches, key=lambda m: (m.year is not False, m.coverage))
    if not is_about_work(best, min_coverage, min_novel, min_margin):
        return []
    top = best.passage
    items = [top, *(r for r in references if r is not top and _same_work(r.chunk, top.chunk))]
    # Listings whose article cites the work in its text first: they carry the statements.
    return sorted(items, key=lambda r: not r.chunk.cites_from)


def _display(raw: str) -> str:
    text = re.sub(r"\s+", " ", strip_markers(raw)).strip()
    return text.lstrip(";,.-\u2022* ").strip()


def unknown_year(question: str, passages: Sequence[Passage], listed: set[str]) -> str | None:
    """A publication year the question names that no top passage states and no reference
    list holds: the articles neither discuss nor cite a work of that year."""
    stated = set(listed)
    for p in passages:
        stated.update(_YEAR_RE.findall(p.chunk.text))
    return next((y for y in _YEAR_RE.findall(question) if y not in stated), None)


def _citing_units(chunk: Chunk, n: int) -> list[tuple[str, str]]:
    """(display text, raw text) of what cites [n] in `chunk`: the stretch of a sentence or
    list item that its [n] marker closes (merged sub-items cite apart), or the whole unit
    when that stretch is too short to read alone."""
    out = []
    for unit in split_units(chunk.text):
        if unit.kind == "table" or n not in cited_numbers(unit.text):
            continue
        last = 0
        for m in _MARKER_RE.finditer(unit.text):
            if n in cited_numbers(m.group(0)):
                raw = unit.text[last:m.end()]
                if len(_display(raw).split()) < MIN_SEGMENT_WORDS:
                    raw = unit.text
                text = _display(raw)
                if text and not looks_like_instruction(text):
                    out.append((text, raw.strip().lstrip(";,.").strip()))
            last = m.end()
    return out


def compose_cited_work(items: Sequence[Passage], data: IndexData, max_statements: int
                       ) -> tuple[list[Statement], list[Citation], CitedWork | None]:
    """Statements that cite the work (round robin over the citing articles, in text order),
    their citations, and the work; ([], [], None) when no statement cites it."""
    by_id = {c.chunk_id: c for c in data.chunks}
    per_article: list[list[Candidate]] = []
    seen: set[str] = set()
    for item in items:
        n = item.chunk.references[0]
        found: list[Candidate] = []
        for chunk_id in item.chunk.cites_from:
            chunk = by_id.get(chunk_id)
            if chunk is None:
                continue
            for text, raw in _citing_units(chunk, n):
                if text in seen:  # overlapping chunks repeat a sentence
                    continue
                seen.add(text)
                found.append(Candidate(text, (raw,), Passage(chunk, rank=0, score=0.0),
                                       item.score))
        if found:
            per_article.append(found)
    chosen: list[Candidate] = []
    for i in range(max(map(len, per_article), default=0)):
        chosen.extend(found[i] for found in per_article if i < len(found))
    chosen = chosen[: max_statements + 1]
    if not chosen:
        return [], [], None
    statements, citations = cite(chosen, data.articles)
    citing = list(dict.fromkeys(c.article_id for c in citations))
    first = items[0].chunk
    article = data.articles.get(first.article_id)
    reference = article.reference(first.references[0]) if article else None
    if reference is None:
        return [], [], None
    titles = tuple(data.articles[a].title if a in data.articles else a for a in citing)
    work = CitedWork(reference=reference, chunk_id=first.chunk_id, article_ids=tuple(citing),
                     article_titles=titles, numbers=tuple(c.n for c in citations),
                     score=items[0].dense_score or 0.0)
    return statements, citations, work
