"""Reference lists inside a PDF's lines, wherever they occur (one per chapter is common).

A list opens at a "References" heading whose next line starts a reference entry, and runs while
lines keep looking like entries: a new entry starts with the next number ("12." or "[12]"); other
lines continue the current entry. It ends at a heading-like line, at an entry that grows past
what a reference can hold (prose resumed without a heading), or at the end of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.pdf_layout import PdfLine

_HEADING_RE = re.compile(r"^\s*(references?( list| cited)?|bibliography|literature cited|"
                         r"works cited|cited literature)\s*:?\s*$", re.IGNORECASE)
_ENTRY_RE = re.compile(r"^\s*\[?(\d{1,3})(?:[.)\]]\s*|\s+)(?=[^\W\d]|\()")
_AUTHOR_RE = re.compile(r"^\s*[A-Z][\w'\u2019\-]+(?: [A-Z][\w'\u2019\-]+)?,? "
                        r"(?:[A-Z]{1,3}\b|[A-Z]\.)")
RESUME_WINDOW = 80  # lines (a box or a figure caption) a list may be broken by
MAX_ENTRY_WORDS = 120  # a Vancouver/APA entry with 6 authors and a long title is ~60 words


@dataclass(frozen=True)
class ReferenceList:
    """Line positions of one list: the heading line and each entry's lines, in order."""

    heading: int | None  # None where a list goes on after a box or figure broke it
    entries: tuple[tuple[int, ...], ...]

    @property
    def end(self) -> int:
        return self.entries[-1][-1]


def is_reference_heading(text: str) -> bool:
    return bool(_HEADING_RE.match(text))


def _starts_entry(text: str, expected: int | None) -> bool:
    m = _ENTRY_RE.match(text)
    if m:
        return expected is None or int(m.group(1)) == expected
    return expected is None and bool(_AUTHOR_RE.match(text))


def _number(text: str) -> int | None:
    m = _ENTRY_RE.match(text)
    return int(m.group(1)) if m else None


def _resumes(lines: list[PdfLine], start: int, expected: int) -> int | None:
    """Where a list broken by a box or figure picks up again: entry `expected`, by an author."""
    for k in range(start, min(start + RESUME_WINDOW, len(lines))):
        m = _ENTRY_RE.match(lines[k].text)
        if m and int(m.group(1)) == expected and _AUTHOR_RE.match(lines[k].text[m.end():]):
            return k
    return None


def find_reference_lists(lines: list[PdfLine], heading_like: list[bool]) -> list[ReferenceList]:
    """Reference lists among `lines`; `heading_like[i]` says line i reads as a heading."""
    found: list[ReferenceList] = []
    i = 0
    resume: tuple[int, int] | None = None  # (line, number) where a broken list goes on
    while i < len(lines):
        if resume is not None and i == resume[0]:
            heading, first = None, i
        elif is_reference_heading(lines[i].text) and i + 1 < len(lines) \
                and _starts_entry(lines[i + 1].text, None):
            heading, first = i, i + 1
        else:
            i += 1
            continue
        numbered = _number(lines[first].text) is not None
        entries: list[list[int]] = []
        j = first
        while j < len(lines):
            text = lines[j].text
            expected = (_number(lines[entries[-1][0]].text) or 0) + 1 if entries and numbered \
                else None
            if entries and heading_like[j] and not _ENTRY_RE.match(text):
                break
            if entries and numbered and _number(text) == 1:
                break  # another numbered list (a box, the next chapter's list) starts here
            if not entries or _starts_entry(text, expected):
                entries.append([j])
            else:
                words = sum(len(lines[k].text.split()) for k in entries[-1])
                if words + len(text.split()) > MAX_ENTRY_WORDS:
                    break
                entries[-1].append(j)
            j += 1
        found.append(ReferenceList(heading, tuple(tuple(e) for e in entries)))
        resume = None
        if numbered and entries and j < len(lines):
            at = _resumes(lines, j, (_number(lines[entries[-1][0]].text) or 0) + 1)
            resume = (at, 0) if at is not None else None
        i = j
    return found
