"""Reference-list entries -> Reference records (title, venue, year, type)."""

from __future__ import annotations

import re

from ingest.records import Reference

KNOWN_TYPES = ("Guideline", "Research", "Review", "Systematic review", "Meta-analysis",
               "Trial", "Consensus", "Textbook", "Website")
_TYPE_LINE_RE = re.compile(r"^\s*(" + "|".join(KNOWN_TYPES) + r")\s*$", re.IGNORECASE)
_TYPE_TAG_RE = re.compile(r"\s*[\[(](?:type:\s*)?(" + "|".join(KNOWN_TYPES) + r")[\])]\s*\.?\s*$",
                          re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\s*\[?(\d{1,3})[.)\]]\s*")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def _canonical_type(value: str) -> str:
    for known in KNOWN_TYPES:
        if known.lower() == value.strip().lower():
            return known
    return value.strip().title()


def parse_entry(n: int, text: str, ref_type: str = "") -> Reference:
    """One free-text entry, e.g. `Title. Venue. 2021. [Guideline]`."""
    text = _NUMBER_RE.sub("", text.strip())
    tag = _TYPE_TAG_RE.search(text)
    if tag:
        ref_type = ref_type or tag.group(1)
        text = text[: tag.start()].strip()
    years = _YEAR_RE.findall(text)
    year = int(years[-1]) if years else None
    body = text
    if years:
        idx = body.rfind(years[-1])
        tail = body[idx + 4 :].strip(" .;,")
        # Drop the trailing year (and volume/pages after it) from the venue part.
        if len(tail) < 40:
            body = body[:idx].strip(" .;,")
    parts = re.split(r"(?<=[a-z0-9)?])\.\s+(?=[A-Z])", body, maxsplit=1)
    title = parts[0].strip(" .")
    venue = parts[1].strip(" .,") if len(parts) > 1 else ""
    return Reference(n=n, title=title, venue=venue, year=year, type=_canonical_type(ref_type)
                     if ref_type else "")


def parse_reference_blocks(texts: list[str]) -> list[Reference]:
    """Entries as numbered lines, or as `Type / Title / Venue, Year` groups (unnumbered)."""
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        return []
    if any(_TYPE_LINE_RE.match(t) for t in texts):
        refs: list[Reference] = []
        current_type = ""
        group: list[str] = []

        def flush() -> None:
            if group:
                title = group[0].rstrip(".")
                venue_year = " ".join(group[1:])
                years = _YEAR_RE.findall(venue_year)
                venue = _YEAR_RE.sub("", venue_year).strip(" ,.;") if years else venue_year
                refs.append(Reference(n=len(refs) + 1, title=title, venue=venue,
                                      year=int(years[-1]) if years else None,
                                      type=_canonical_type(current_type) if current_type else ""))
            group.clear()

        for t in texts:
            m = _TYPE_LINE_RE.match(t)
            if m:
                flush()
                current_type = m.group(1)
            else:
                group.append(t)
        flush()
        return refs
    refs = []
    for i, t in enumerate(texts, start=1):
        m = _NUMBER_RE.match(t)
        refs.append(parse_entry(int(m.group(1)) if m else i, t))
    return refs
