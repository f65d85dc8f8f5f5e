"""Which organisation each answer statement comes from, grouped newest first, and whether
the organisations disagree ("Guidelines differ: ...").

A statement's organisation is, in order: the "ORG (YEAR)" label heading its cell in a
comparison table (guideline syntheses print "AAOS (2013) | ... | VA/DoD (2014) | ..."), in the
passage or as the heading of its section (a laid-out table read as sections); the one
organisation acronym the sentence names as its subject when its article defines it; else the
article's publisher and year. Conflict: two organisations take opposite stances (for /
against / no recommendation) on statements sharing a question term, or give different numbers
in the same unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ingest.records import Article, Chunk
from qa.named_source import SourceProfile
from qa.records import Statement
from qa.text import content_terms

_LABEL = re.compile(r"\b([A-Z][A-Za-z/&]*[A-Z])\s*\((\d{4})\)")
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z/&]*[A-Z]\b")
# Stances, tested in this order ("unable to recommend for or against" is no recommendation).
_NONE = re.compile(r"\b(insufficient evidence|unable to recommend|could not recommend|cannot "
                   r"recommend|for or against|inconclusive|no recommendation)\b", re.I)
# "Do not" is a stance only as an imperative opening a sentence ("Do not use ultrasound"):
# mid-sentence it describes ("many do not seek medical care").
_AGAINST = re.compile(r"\b(neither\b[^.]*\brecommends?|recommends? against|recommended "
                      r"against|not recommended|does not "
                      r"recommend|do not recommend|should not|against the use)\b|"
                      r"^\W*do not\b", re.I)
_FOR = re.compile(r"\b(recommends?|recommended|should|suggests?|suggested)\b", re.I)
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(mg|g|grams?|weeks?|days?|months?|years?|%|percent)\b",
                     re.I)
STANCE_TEXT = {"for": "recommends it", "against": "recommends against it",
               "none": "makes no recommendation for or against it"}


@dataclass(frozen=True)
class SourceGroup:
    """The statements (0-based indexes into bottom line + statements) of one organisation."""

    organisation: str
    year: int | None
    statements: tuple[int, ...]

    def as_dict(self) -> dict[str, object]:
        return {"organisation": self.organisation, "year": self.year,
                "statements": list(self.statements)}


def stance(sentence: str) -> str | None:
    """"for", "against", "none" (no recommendation either way) or None (not a stance)."""
    for name, pattern in (("none", _NONE), ("against", _AGAINST), ("for", _FOR)):
        if pattern.search(sentence):
            return name
    return None


def attribute(sentence: str, passage: str, article: Article | None,
              known: frozenset[str] = frozenset(),
              headings: Sequence[str] = ()) -> tuple[str | None, int | None]:
    """(organisation, year) a quoted sentence speaks for; `known`: the organisation
    acronyms the article defines (named_source.SourceProfile names); `headings`: the
    passage's section path, whose "ORG (YEAR)" label heads a laid-out comparison."""
    at = passage.find(sentence)
    labels = list(_LABEL.finditer(passage[: at if at >= 0 else 0]))
    if labels:
        return labels[-1].group(1), int(labels[-1].group(2))
    for heading in reversed(headings):
        label = _LABEL.fullmatch(heading.strip())
        if label:
            return label.group(1), int(label.group(2))
    if article is None:
        return None, None
    # "VA/DoD" counts as its first part "VA" when only that is defined
    named = [a for a in dict.fromkeys(_ACRONYM.findall(sentence))
             if a in known or a.split("/")[0] in known]
    if len(named) == 1:
        years = [int(m.group(2)) for m in _LABEL.finditer(article.text)
                 if m.group(1) == named[0]]
        return named[0], (years[0] if years else None)
    return article.publisher, article.year


def known_acronyms(prof: SourceProfile) -> frozenset[str]:
    return frozenset(name for name, _w in prof.names if _ACRONYM.fullmatch(name))


def attribute_statements(statements: Sequence[Statement], chunks: Mapping[str, Chunk],
                         articles: Mapping[str, Article],
                         known: Mapping[str, frozenset[str]]) -> list[Statement]:
    """Statements with `organisation` and `year` filled in; `chunks` by chunk id, `known`
    the organisation acronyms of each article."""
    out = []
    for s in statements:
        chunk = chunks.get(s.chunk_id)
        aid = chunk.article_id if chunk else ""
        org, year = attribute(s.text, chunk.text if chunk else "", articles.get(aid),
                              known.get(aid, frozenset()), chunk.section_path if chunk else ())
        out.append(replace(s, organisation=org, year=year))
    return out


def group_by_source(statements: Sequence[Statement]) -> tuple[SourceGroup, ...]:
    """One group per organisation, newest first; () unless two or more organisations."""
    groups: dict[str, list[int]] = {}
    years: dict[str, int | None] = {}
    for i, s in enumerate(statements):
        if s.organisation:
            groups.setdefault(s.organisation, []).append(i)
            years[s.organisation] = s.year
    if len(groups) < 2:
        return ()
    order = sorted(groups, key=lambda o: -(years[o] or 0))
    return tuple(SourceGroup(o, years[o], tuple(groups[o])) for o in order)


def comparison_voices(articles: Mapping[str, Article]) -> frozenset[tuple[str, int | None]]:
    """(publisher, year) of documents that compare other organisations' guidelines (their
    text labels two or more "ORG (YEAR)"): their own sentences report, they do not recommend,
    so they take no side in a conflict."""
    out = set()
    for a in articles.values():
        if a.publisher and len({m.group(1) for m in _LABEL.finditer(a.text)}) >= 2:
            out.add((a.publisher, a.year))
    return frozenset(out)


def _label(s: Statement) -> str:
    return f"{s.organisation} ({s.year})" if s.year else str(s.organisation)


def find_difference(question: str, statements: Sequence[Statement], context: str = "",
                    reporters: frozenset[tuple[str, int | None]] = frozenset()) -> str | None:
    """"Guidelines differ: ..." when two organisations disagree on what the question asks.

    The item they disagree on is a question term both statements name, other than the
    shared context: terms of `context` (the cited articles' titles)."""
    asked = set(content_terms(question)) - set(content_terms(context))
    for i, a in enumerate(statements):
        for b in statements[i + 1:]:
            if not a.organisation or not b.organisation or a.organisation == b.organisation:
                continue
            if (a.organisation, a.year) in reporters or (b.organisation, b.year) in reporters:
                continue
            shared = asked & set(content_terms(a.text)) & set(content_terms(b.text))
            if not shared:
                continue
            sa, sb = stance(a.text), stance(b.text)
            if sa and sb and sa != sb:
                first, second = sorted((a, b), key=lambda s: -(s.year or 0))
                return (f"Guidelines differ: {_label(first)} "
                        f"{STANCE_TEXT[stance(first.text) or 'for']}, while {_label(second)} "
                        f"{STANCE_TEXT[stance(second.text) or 'for']}.")
            amounts_a = {(u.lower().rstrip("s"), v) for v, u in _AMOUNT.findall(a.text)}
            amounts_b = {(u.lower().rstrip("s"), v) for v, u in _AMOUNT.findall(b.text)}
            units = {u for u, _ in amounts_a} & {u for u, _ in amounts_b}
            for unit in units:
                va = {v for u, v in amounts_a if u == unit}
                vb = {v for u, v in amounts_b if u == unit}
                if va.isdisjoint(vb):
                    return (f"Guidelines differ: {_label(a)} gives {', '.join(sorted(va))} "
                            f"{unit}, while {_label(b)} gives {', '.join(sorted(vb))} {unit}.")
    return None
