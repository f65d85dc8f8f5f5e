"""Title, publisher and year of a PDF from its metadata and its first pages' typesetting."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from ingest.pdf_layout import PdfLine

# Lines set large on a cover that are not the title: dates, copyright, journal banners
# ("Vol.:(0123456789)", "1 3"), URLs, kickers in capitals ("CLINICAL GUIDELINE", "REVIEW").
_NOT_TITLE_RE = re.compile(
    r"^\s*(©|copyright\b|vol\b|volume\b|doi\b|https?:|www\.|issn\b|isbn\b|page\b|"
    r"(january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\b[\s\d,]*$|[\d\s.:()/–-]*$)", re.IGNORECASE)
_COPYRIGHT_RE = re.compile(r"(?:©|\(c\)|copyright)\s*(?:c?©\s*)?"
                           r"(?:(\d{4})(?:\s*[–-]\s*\d{4})?\s*,?\s*)?(?:by\s+)?"
                           r"(?P<holder>[A-Z][^.;|]{3,80}?)?\s*(?:(\d{4}))?\s*"
                           r"(?:\.|;|$|all rights)",
                           re.IGNORECASE)
_FROM_RE = re.compile(r"\b(?:from|by|of) the ((?:[A-Z][\w&'-]*\s?){2,8})\s*$")
_BANNER_RE = re.compile(r"^\s*([A-Z][A-Za-z&.' ]{3,80}?)\s*\((\d{4})\)\s*\d+\s*[:(]")
_COLOPHON_RE = re.compile(r"^\s*[A-Za-z][A-Za-z&' -]{2,60}[, ]\s*(19[5-9]\d|20[0-4]\d)\s*$")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ORG_RE = re.compile(r"\b(society|college|association|academy|institute|organi[sz]ation|"
                     r"council|foundation|agency|department|ministry|program(me)?|network|"
                     r"cent(re|er)|collaboration|federation|committee)\b", re.IGNORECASE)
TITLE_SIZE_SHARE = 0.8  # lines within this share of the largest title line's size join it


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def real_title(value: object) -> str | None:
    """The PDF /Title when it reads as a title, not a file name or a placeholder."""
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if len(_words(text)) < 3 or re.search(r"\.(docx?|indd|pdf|qxd|tex)$|^microsoft |^untitled",
                                          text, re.IGNORECASE):
        return None
    return text


def printed_title(lines: list[PdfLine]) -> tuple[str, list[PdfLine]] | None:
    """The largest text of the first page with text, its lines joined, and those lines."""
    candidates = [ln for ln in lines if not _NOT_TITLE_RE.match(ln.text)
                  and not (ln.text.isupper() and len(ln.text.split()) <= 3)]
    if not candidates:
        return None
    top = max(ln.size for ln in candidates)
    start = next(i for i, ln in enumerate(lines) if ln in candidates and ln.size == top)
    # Walk back and forward over neighbouring lines set nearly as large (a multi-line title).
    lo = start
    while lo > 0 and lines[lo - 1] in candidates and lines[lo - 1].size >= top * TITLE_SIZE_SHARE:
        lo -= 1
    hi = start
    while hi + 1 < len(lines) and lines[hi + 1] in candidates and \
            lines[hi + 1].size >= top * TITLE_SIZE_SHARE:
        hi += 1
    title = re.sub(r"\s+", " ", " ".join(ln.text for ln in lines[lo:hi + 1])).strip(" :")
    return (title, lines[lo:hi + 1]) if len(_words(title)) >= 2 else None


def _respell(title: str, page_words: set[str]) -> str:
    """Correct metadata typos ("Guidline") by the near-identical word printed on the page."""
    out = []
    for word in title.split(" "):
        bare = word.strip(",.:;()")
        if len(bare) >= 5 and bare.lower() not in page_words:
            close = difflib.get_close_matches(bare.lower(), page_words, n=1, cutoff=0.85)
            if close:
                fixed = close[0].capitalize() if bare[0].isupper() else close[0]
                word = word.replace(bare, fixed)
        out.append(word)
    return " ".join(out)


def choose_title(meta_title: object,
                 first_lines: list[PdfLine]) -> tuple[str | None, list[PdfLine]]:
    """The printed title (and its lines) when it agrees with /Title at least half-way (metadata
    is often a short or stale name); /Title when the page's largest text is unrelated (a logo,
    a banner), its typos corrected by the words printed on the page."""
    meta = real_title(meta_title)
    found = printed_title(first_lines)
    if found and meta:
        printed, used = found
        shared = set(_words(printed)) & set(_words(meta))
        if len(shared) >= 0.5 * len(set(_words(printed))):
            return printed, used
        page_words = {w for ln in first_lines for w in _words(ln.text)}
        return _respell(meta, page_words), []
    if found:
        return found
    return meta, []


def _organisation(text: str) -> str | None:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    if re.match(r"^the author", text, re.IGNORECASE) or not _ORG_RE.search(text):
        return None
    return text if 2 <= len(text.split()) <= 12 else None


def find_publisher_year(meta: Mapping[str, object], title: str | None,
                        lines: list[PdfLine]) -> tuple[str | None, int | None]:
    """Publisher and year from copyright lines, a "From the ..." title, a journal banner, an
    organisation named as /Author or on a line of its own; the year else from a colophon line
    (never from /CreationDate, the date a file was made).
    `lines` are the first and last pages' lines, in that order."""
    publisher: str | None = None
    year: int | None = None
    for ln in lines:
        m = _COPYRIGHT_RE.search(ln.text)
        if m and ("©" in ln.text or "copyright" in ln.text.lower()):
            years = _YEAR_RE.findall(ln.text)  # "© 2001-2022": the latest year is this edition's
            year = year or (max(int(y) for y in years) if years else None)
            publisher = publisher or _organisation(m.group("holder") or "")
    if title and not publisher:
        m = _FROM_RE.search(title.split("(")[0])
        publisher = _organisation(m.group(1)) if m else None
    if not publisher:
        publisher = _organisation(str(meta.get("/Author") or ""))
    for ln in lines:
        m = _BANNER_RE.match(ln.text)
        if m:
            publisher = publisher or m.group(1).strip()
            year = year or int(m.group(2))
    if not publisher:
        # A line of its own naming an organisation, in title case ("Toward Optimized Practice
        # (TOP) Program"), not a sentence or a reference (no sentence punctuation or digits).
        for ln in lines:
            text = ln.text.strip()
            long_words = [w for w in text.split() if len(w) > 3]
            if re.search(r"[.,;:\d]", text) or not long_words or \
                    sum(w[0].isupper() for w in long_words) < 0.7 * len(long_words):
                continue
            if _organisation(re.sub(r"\s*\(.*?\)", "", text)):
                publisher = text
                break
    if year is None:
        # A colophon line naming the edition's year: "Low Back Pain, 2011", "2nd edition 2011".
        for ln in lines:
            m = _COLOPHON_RE.match(ln.text)
            if m:
                year = int(m.group(1))
                break
    return publisher, year
