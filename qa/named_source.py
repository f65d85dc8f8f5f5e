"""Questions that name their source: "per ACP 2017, ...", "what does the NASS guideline say".

An article is named by its issuer and year, read from its metadata, never from a list of
organisations: the publisher (and its acronym, the initials of its capitalised words), the
organisations its title says it is from ("... Guideline From the American College of
Physicians"), and organisations its front matter defines as "Long Name (ACRONYM)" (a guideline
introduces its issuer in the title, abstract or first paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ingest.records import Article

FRONT_MATTER_CHARS = 1500  # title page / abstract / first paragraph of a guideline
_CONNECTORS = {"of", "the", "for", "and", "on", "in", "&"}
_CAP_WORD = r"[A-Z][\w'’\-]*"
_LONG_FORM = re.compile(rf"((?:{_CAP_WORD}\s+(?:(?:of|the|for|and|on|in|&)\s+)*){{1,7}}"
                        rf"{_CAP_WORD})\s*\(([A-Z][A-Za-z/&]*[A-Z])\)")
# "The NASS Clinical Guideline", "the ACP grading system": an acronym owning the document
_OWN_GUIDELINE = re.compile(r"\b([A-Z][A-Za-z/&]*[A-Z])(?:'s)?\s+(?:[Cc]linical\s+)?"
                            r"(?:[Pp]ractice\s+)?[Gg]uidelines?\b")
# "© 2020 North American Spine Society": the copyright holder issued the document
_COPYRIGHT = re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:(\d{{4}})\s+)?(?:by\s+)?(?:[Tt]he\s+)?"
                        rf"((?:{_CAP_WORD}[ \t]+(?:(?:of|the|for|and|on|in|&)[ \t]+)*){{0,7}}"
                        rf"{_CAP_WORD})")
_AUTHORSHIP = re.compile(r"\b(?:from|by)\s+(?:the\s+)?(.+)$", re.I)
_ACRONYM_TOKEN = re.compile(r"\b[A-Z][A-Za-z/&]*[A-Z]\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# Score of a name match: the issuer of record outranks an organisation the front matter names.
PUBLISHER_MATCH = 3.0
FRONT_MATTER_MATCH = 2.0
YEAR_MATCH = 1.0


@dataclass(frozen=True)
class NamedSource:
    """The articles a question names, and the words of the question that named them."""

    article_ids: tuple[str, ...]
    labels: tuple[str, ...]  # "American College of Physicians 2017", one per article
    matched: tuple[str, ...]  # the question's words that named them ("ACP", "2017")

    @property
    def label(self) -> str:
        return "; ".join(self.labels)

    def as_dict(self) -> dict[str, object]:
        return {"article_ids": list(self.article_ids), "labels": list(self.labels),
                "matched": list(self.matched)}


def acronym(name: str) -> str:
    """Initials of the capitalised words ("American College of Physicians" -> "ACP")."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’\-]*", name)
                   if w.lower() not in _CONNECTORS and w[0].isupper())


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _definitions(text: str) -> Iterable[tuple[str, str]]:
    """(long form, acronym) pairs defined as "Long Name (ACR)", trimmed to where the
    acronym's initials start (Schwartz–Hearst style)."""
    for m in _LONG_FORM.finditer(text):
        long_form, short = m.group(1), m.group(2)
        letters = [c for c in short if c.isupper()]
        words = long_form.split()
        for start in range(len(words)):
            candidate = " ".join(words[start:])
            if acronym(candidate) == "".join(letters):
                yield candidate, short
                break


def _title_issuers(title: str) -> list[str]:
    """Organisations a title says it is from: "... Guideline from the ACP and the APS"."""
    m = _AUTHORSHIP.search(title.split(".")[0] if "." in title else title)
    if not m:
        return []
    parts = re.split(r",|\band the\b|\band\b", m.group(1))
    return [p.strip(" :;") for p in parts if p.strip(" :;") and p.strip()[0].isupper()]


@dataclass(frozen=True)
class SourceProfile:
    """How one article can be named: its names (weighted) and its year."""

    article_id: str
    label: str
    names: tuple[tuple[str, float], ...]  # folded full names and acronyms (case kept)
    year: int | None


def profile(article: Article) -> SourceProfile:
    names: dict[str, float] = {}

    def add(name: str, weight: float) -> None:
        name = name.strip()
        if not name:
            return
        keys = [_fold(name)] if not _ACRONYM_TOKEN.fullmatch(name) else [name]
        short = acronym(name)
        if len(name.split()) > 1 and len(short) >= 2:
            keys.append(short)
        for key in keys:
            names[key] = max(names.get(key, 0.0), weight)

    if article.publisher:
        add(article.publisher, PUBLISHER_MATCH)
        # "Toward Optimized Practice (TOP), Alberta, Canada": each part names the issuer too
        for part in re.split(r"[,;()]|\s/\s", article.publisher):
            part = part.strip()
            if part and part != article.publisher and part[0].isupper():
                names[part if " " not in part else _fold(part)] = PUBLISHER_MATCH
    for issuer in _title_issuers(article.title):
        add(issuer, FRONT_MATTER_MATCH)
    front = f"{article.title}\n{article.text[:FRONT_MATTER_CHARS]}"
    year = article.year
    for m in _COPYRIGHT.finditer(front):
        add(m.group(2), PUBLISHER_MATCH)
        if year is None and m.group(1):
            year = int(m.group(1))
    for m in _OWN_GUIDELINE.finditer(front):
        names[m.group(1)] = max(names.get(m.group(1), 0.0), FRONT_MATTER_MATCH)
    for long_form, short in _definitions(front):
        add(long_form, FRONT_MATTER_MATCH)
        names[short] = max(names.get(short, 0.0), FRONT_MATTER_MATCH)
    label = " ".join(str(x) for x in (article.publisher or article.title[:60], year) if x)
    return SourceProfile(article.article_id, label, tuple(names.items()), year)


def _name_hits(question: str, prof: SourceProfile) -> tuple[float, list[str]]:
    folded = f" {_fold(question)} "
    tokens = set(_ACRONYM_TOKEN.findall(question))
    proper = set(re.findall(r"\b[A-Z][a-z]+\b", question))  # "Alberta"
    best, hits = 0.0, []
    for name, weight in prof.names:
        is_acronym = bool(_ACRONYM_TOKEN.fullmatch(name))
        if (is_acronym and name in tokens) or (" " not in name and name in proper) or (
                not is_acronym and len(name.split()) > 1 and f" {name} " in folded):
            hits.append(name)
            best = max(best, weight)
    return best, hits


def profiles(articles: Mapping[str, Article]) -> list[SourceProfile]:
    return [profile(a) for a in articles.values()]


def find_named_source(question: str, profiles: Sequence[SourceProfile]) -> NamedSource | None:
    """The articles the question names by issuer and/or year; None when it names none.

    Each article scores its best name match plus YEAR_MATCH when the question gives its year;
    the best-scoring articles are the named source. A year alone names the articles of that
    year; a name with a year no article of that name has still names the issuer's articles.
    """
    years = {int(y) for y in _YEAR.findall(question)}
    scored: list[tuple[float, SourceProfile, list[str]]] = []
    for prof in profiles:
        score, hits = _name_hits(question, prof)
        if prof.year is not None and prof.year in years:
            score += YEAR_MATCH
            hits.append(str(prof.year))
        if score > 0:
            scored.append((score, prof, hits))
    if not scored:
        return None
    top = max(s for s, _p, _h in scored)
    chosen = sorted((x for x in scored if x[0] == top), key=lambda x: x[1].article_id)
    if len(chosen) == len(profiles) and len(profiles) > 1:
        return None  # every article fits: the question names nothing that narrows
    matched = tuple(dict.fromkeys(h for _s, _p, hits in chosen for h in hits))
    return NamedSource(tuple(p.article_id for _s, p, _h in chosen),
                       tuple(p.label for _s, p, _h in chosen), matched)


def strip_named(question: str, named: NamedSource) -> str:
    """The question without the words that named its source (they say nothing of the topic
    and would count as missing terms in the evidence score)."""
    out = question
    for word in sorted(named.matched, key=len, reverse=True):
        out = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", out)
    return " ".join(out.split())
