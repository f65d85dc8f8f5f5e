"""Questions that name their source: "per ACP 2017, ...", "what does the NASS guideline say".

An article is named by its issuer and year, read from its metadata, never from a list of
organisations: the publisher (and its acronym, the initials of its capitalised words), the
organisations its title says it is from ("... Guideline From the American College of
Physicians"), and organisations its front matter defines as "Long Name (ACRONYM)" (a guideline
introduces its issuer in the title, abstract or first paragraph).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.records import Article
from qa.text import specificity

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
    # matched names the articles discuss rather than issue ("ACP/APS" in a commentary on their
    # guideline): they stay in the question as its topic
    topical: tuple[str, ...] = ()

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
    # names of organisations the front matter defines or credits but that did not issue the
    # article (it discusses them): a synthesis's "AAOS", a commentary's "ACP"
    topical: frozenset[str] = frozenset()


# A proper noun: capitalised, at least four letters, not glued to a digit ("Oliveira1" is the
# name Oliveira with an affiliation mark).
_PROPER = re.compile(r"(?<![A-Za-z])[A-Z][a-z][a-z'’\-]{2,}(?![a-z])")
_MONTHS = frozenset("january february march april may june july august september october "
                    "november december".split())


def distinctive_names(articles: Mapping[str, Article]) -> dict[str, set[str]]:
    """Per article, the proper nouns of its front matter that name it alone: a place, an
    author, a programme ("Alberta", "Oliveira", "Shekelle"). A word qualifies when no other
    article's front matter has it, no article's text writes it in lower case (so it is a
    name, not a capitalised common word such as "Guideline"), it is not everyday English
    (text.specificity) and not a month."""
    fronts = {aid: {w for w in _PROPER.findall(f"{a.title}\n{a.text[:FRONT_MATTER_CHARS]}")
                    if w.lower() not in _MONTHS and specificity(w.lower()) >= 1.0}
              for aid, a in articles.items()}
    lower: set[str] = set()
    for a in articles.values():
        lower.update(re.findall(r"\b[a-z][a-z'’\-]{3,}\b", a.text))
    # How many articles' front matter has each word: 1 = this article's alone (the union of
    # every other article's words, built per article, was quadratic: seconds at 954 articles).
    fronts_with = Counter(w for words in fronts.values() for w in words)
    return {aid: {w for w in words if fronts_with[w] == 1 and w.lower() not in lower}
            for aid, words in fronts.items()}


def profile(article: Article, distinctive: Iterable[str] = ()) -> SourceProfile:
    names: dict[str, float] = {}
    distinctive = tuple(distinctive)
    for word in distinctive:
        names[word] = FRONT_MATTER_MATCH

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
    distinct = set(distinctive)
    topical = frozenset(n for n, w in names.items()
                        if w < PUBLISHER_MATCH and n not in distinct)
    return SourceProfile(article.article_id, label, tuple(names.items()), year, topical)


@dataclass(frozen=True)
class _QuestionNames:
    """What of a question can name an article, read once per question (not once per article:
    at 954 articles that was ~40% of a warm answer)."""

    folded: str
    tokens: frozenset[str]
    proper: frozenset[str]
    pieces: frozenset[str]  # the space-separated pieces of `folded`


def _question_names(question: str) -> _QuestionNames:
    folded = f" {_fold(question)} "
    tokens = set(_ACRONYM_TOKEN.findall(question))
    tokens |= {part for t in tokens for part in t.split("/")}  # "ACP/APS": either, or the pair
    # "Alberta", "Oliveira": capitalised inside the question, or its first word when that is
    # no everyday word (a first word is capitalised whatever it is: "Ideally, ...")
    proper = {m.group() for m in re.finditer(r"\b[A-Z][a-z]+\b", question)
              if question[:m.start()].strip(" \"'“‘(") or specificity(m.group().lower()) >= 1.0}
    return _QuestionNames(folded, frozenset(tokens), frozenset(proper),
                          frozenset(folded.split(" ")))


@lru_cache(maxsize=50_000)
def _is_acronym(name: str) -> bool:
    return bool(_ACRONYM_TOKEN.fullmatch(name))


@lru_cache(maxsize=8192)
def _name_keys(names: tuple[tuple[str, float], ...]) -> tuple[frozenset[str], ...]:
    """What a question must hold for one of `names` to hit: an acronym among its tokens, a
    one-word name among its proper words, or the first piece of a longer name among the pieces
    of the folded question (` name ` inside it needs that). Most articles share none of them
    with a question and are passed over without the loop of `_name_hits`."""
    acronyms = frozenset(n for n, _w in names if _is_acronym(n))
    singles = frozenset(n for n, _w in names if " " not in n)
    firsts = frozenset(n.split(" ", 1)[0] for n, _w in names
                       if not _is_acronym(n) and len(n.split()) > 1)
    return acronyms, singles, firsts


def _name_hits(question: str | _QuestionNames, prof: SourceProfile) -> dict[str, float]:
    """The article's names the question uses, with their weights."""
    q = _question_names(question) if isinstance(question, str) else question
    acronyms, singles, firsts = _name_keys(prof.names)
    if acronyms.isdisjoint(q.tokens) and singles.isdisjoint(q.proper) and \
            firsts.isdisjoint(q.pieces):
        return {}  # no name of the article can hit (the loop below would find none)
    hits: dict[str, float] = {}
    for name, weight in prof.names:
        is_acronym = _is_acronym(name)
        if (is_acronym and name in q.tokens) or (" " not in name and name in q.proper) or (
                not is_acronym and len(name.split()) > 1 and f" {name} " in q.folded):
            hits[name] = weight
    return hits


def profiles(articles: Mapping[str, Article],
             distinctive: Mapping[str, Iterable[str]] | None = None) -> list[SourceProfile]:
    """How each article can be named; `distinctive` is distinctive_names(articles) when the
    caller has it already (qa.name_tables keeps it with the index version)."""
    if distinctive is None:
        distinctive = distinctive_names(articles) if len(articles) > 1 else {}
    return [profile(a, distinctive.get(aid, ())) for aid, a in articles.items()]


def find_named_source(question: str, profiles: Sequence[SourceProfile]) -> NamedSource | None:
    """The articles the question names by issuer and/or year; None when it names none.

    Each article scores the weights of the names it answers to plus YEAR_MATCH when the
    question gives its year; the best-scoring articles are the named source ("ACP/APS 2007"
    is the one document both organisations are named in). A name or year the question uses
    that none of them answers to adds the best-scoring articles answering to it, so "ACP 2017
    vs Alberta 2011" names both guidelines. A year alone names the articles of that year; a
    name with a year no article of that name has still names the issuer's articles.
    """
    years = {int(y) for y in _YEAR.findall(question)}
    scored: list[tuple[float, SourceProfile, list[str]]] = []
    asked = _question_names(question)
    for prof in profiles:
        names = _name_hits(asked, prof)
        score, hits = sum(names.values()), list(names)
        if prof.year is not None and prof.year in years:
            score += YEAR_MATCH
            hits.append(str(prof.year))
        if score > 0:
            scored.append((score, prof, hits))
    if not scored:
        return None
    top = max(s for s, _p, _h in scored)
    chosen = [x for x in scored if x[0] == top]
    covered = {h for _s, _p, hits in chosen for h in hits}
    for word in dict.fromkeys(h for _s, _p, hits in scored for h in hits):
        if word in covered:
            continue
        answering = [x for x in scored if word in x[2]]
        best = max(s for s, _p, _h in answering)
        for x in answering:
            if x[0] == best and x not in chosen:
                chosen.append(x)
                covered.update(x[2])
    chosen.sort(key=lambda x: x[1].article_id)
    if len(chosen) == len(profiles) and len(profiles) > 1:
        return None  # every article fits: the question names nothing that narrows
    matched = tuple(dict.fromkeys(h for _s, _p, hits in chosen for h in hits))
    topical = tuple(h for h in matched if all(h in p.topical for _s, p, hits in chosen
                                              if h in hits))
    return NamedSource(tuple(p.article_id for _s, p, _h in chosen),
                       tuple(p.label for _s, p, _h in chosen), matched, topical)


# An acronym the question gives an issuer's role: "per ACR", "according to the WHO", "does
# NICE recommend", "the ACR appropriateness rating", "AAOS guideline".
_ACR = r"([A-Z][A-Za-z/&]*[A-Z])"
_ISSUER_ROLE = re.compile(
    rf"\b(?i:per|according to|from|by)\s+(?i:the\s+)?{_ACR}\b"
    rf"|\b(?i:does|do|did|would|will)\s+(?i:the\s+)?{_ACR}\s+(?i:say|recommend|advise|"
    r"suggest|rate|state|endorse|grade)"
    rf"|\b{_ACR}(?:['’]s)?\s+(?i:(?:clinical\s+)?(?:practice\s+)?(?:guidelines?|"
    r"recommendations?|appropriateness|ratings?|criteria|position|statement|consensus))\b")


def acronyms(articles: Mapping[str, Article]) -> frozenset[str]:
    """Every acronym the articles write as a word ("ACR" in "acr@rheumatology.org" or a DOI
    is no mention of an organisation)."""
    out: set[str] = set()
    for a in articles.values():
        out.update(re.findall(r"(?<![\w@./])[A-Z][A-Za-z&]*[A-Z](?![\w@])", a.text))
    return frozenset(out)


def unknown_issuer(question: str, known: Callable[[str], bool]) -> str | None:
    """An organisation the question asks as a source ("the ACR appropriateness rating") that
    no indexed article so much as mentions (`known` tells whether the articles write the
    acronym): the corpus cannot say what it says, however much the rest of the question
    resembles it."""
    for m in _ISSUER_ROLE.finditer(question):
        name = next(g for g in m.groups() if g)
        if not any(known(part) for part in name.split("/")):
            return name
    return None


def strip_named(question: str, named: NamedSource) -> str:
    """The question without the words that named its source (they say nothing of the topic
    and would count as missing terms in the evidence score)."""
    out = question
    for word in sorted(set(named.matched) - set(named.topical), key=len, reverse=True):
        out = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", out)
    return " ".join(out.split())
