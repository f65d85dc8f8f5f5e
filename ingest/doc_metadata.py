"""Format-neutral rules for document metadata: title sanity, date-only lines, review lines."""

from __future__ import annotations

import re
from datetime import datetime

# Date styles of page headers and citations, tried on a whole line ("February 11, 2008",
# "2008-02-11", NLM's "2016 Jun" / "2013 May 18").
_LINE_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y",
                      "%d %b %Y", "%m/%d/%Y", "%Y/%m/%d", "%B %Y", "%b %Y", "%Y %b %d",
                      "%Y %B %d", "%Y %b", "%Y %B")
_DATE = (r"\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|"
         r"\d{1,2}/\d{1,2}/\d{4}|[A-Z][a-z]+ \d{4}")
# "Reviewed by Jane Doe, MD — 3 March 2024"; the name stops at the dash, bar, comma-date or "on".
REVIEWED_BY_RE = re.compile(
    r"\breviewed by:?\s+(?P<name>[^\n|—–]+?)\s*(?:[—–|]|\s-\s|,|\bon\b)\s*(?:on\s+)?"
    r"(?P<date>" + _DATE + r")", re.IGNORECASE)
LAST_REVIEWED_RE = re.compile(r"\b(?:last\s+)?reviewed(?:\s+on)?\s*:?\s*(?P<date>" + _DATE + r")",
                              re.IGNORECASE)

# Lines that are never a document's title, whatever the format.
_COPYRIGHT_RE = re.compile(r"^\s*(©|\(c\)\s|copyright\b)|all rights reserved|creative commons|"
                           r"\blicen[cs]ed under\b|\bopen access\b", re.IGNORECASE)
_BANNER_RE = re.compile(
    r"\bvol(?:ume)?\.?\s*[:.]?\s*\(?\d|\bissn\b|\bdoi\b|https?://|www\.|downloaded from|"
    r"\b\d{4}\s*;\s*\d+\s*(?:\(\d+\))?\s*:\s*\d+|"  # "2017;166:514" journal citation
    r"^\s*(?:original|research|review|special)?\s*(?:article|editorial)\s*$",
    re.IGNORECASE)
# A title does not end on an article, a conjunction or a preposition that needs its object
# ("Guideline for the", "Evidence-Based Clinical Guidelines for"): a title cut at a line end.
# Questions end in "?", so "What should we screen for?" is not caught; "in"/"on" are left out
# as they end phrasal verbs ("log in", "carry on").
_DANGLING_RE = re.compile(r"\b(the|of|for|and|or|a|an|to|with|from|by)\s*$", re.IGNORECASE)
MAX_TITLE_CHARS = 300


def date_only(text: str) -> str | None:
    """ISO date when the whole line is one date (any style above), else None."""
    value = re.sub(r"\s+", " ", text.strip().replace(".", "")).strip(" ,;")
    for fmt in _LINE_DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def title_problem(text: str) -> str | None:
    """Why `text` cannot be a title (a date, a copyright line, a journal banner...), or None."""
    text = text.strip()
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    if not text or visible == 0:
        return "empty"
    if len(text) > MAX_TITLE_CHARS:
        return "too long for a title"
    if date_only(text) or re.fullmatch(r"[\d\s/.,:-]+", text):
        return "a date"
    if _COPYRIGHT_RE.search(text):
        return "a copyright or licence line"
    if _BANNER_RE.search(text):
        return "a journal banner or web address"
    if letters / visible < 0.6:
        return "mostly digits and symbols"
    if _DANGLING_RE.search(text):
        return "cut off mid-phrase"
    return None


def valid_year(value: object) -> int | None:
    """A publication year between 1900 and 2100 from an int or a string holding one."""
    m = re.search(r"\b(19\d{2}|20\d{2}|2100)\b", str(value or ""))
    return int(m.group(1)) if m else None


# Separators between a page's title and its site's name, strongest first: a " - " inside a
# title ("Low back pain - what to do") is only a site separator when nothing stronger is there.
_SITE_SEPARATORS = (re.compile(r"\s+(?:\||::|»|·)\s+"), re.compile(r"\s+[–—]\s+"),
                    re.compile(r"\s+-\s+"))


def split_site_name(page_title: str) -> tuple[str, str | None]:
    """("Page title", "Site name") from an HTML <title> such as "Topic | Site" or
    "Site :: Topic": the site name is the shorter end part."""
    text = re.sub(r"<[^>]+>", "", page_title)
    text = re.sub(r"\s+", " ", text).strip()
    for separator in _SITE_SEPARATORS:
        parts = separator.split(text)
        if len(parts) < 2 or not all(p.strip() for p in parts):
            continue
        seps = list(separator.finditer(text))
        if len(parts[-1]) <= len(parts[0]):
            return text[: seps[-1].start()], parts[-1]
        return text[seps[0].end():], parts[0]
    return text, None
