"""Sentence splitting that keeps abbreviations, decimals and citation markers intact."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {"e.g", "i.e", "vs", "dr", "etc", "al", "fig", "approx", "no", "st", "mr", "ms",
                  "mrs", "cf", "ca", "resp", "min", "max", "mg", "ml", "n.b", "u.s", "jr", "sr"}
_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")

# A line that is only a grade from a published grading vocabulary ("Grade of Recommendation: B",
# "Level of Evidence: II", "Strength of recommendation: Strong", "Quality of evidence: low"). Such
# guidelines print the grade under the statement it grades; set bold, it read as a heading, and
# every NASS 2020 recommendation came out under the previous one's grade.
_GRADE_LABEL_RE = re.compile(
    r"^\(?\s*(?:grade|level|strength|quality|certainty)"
    r"(?:\s+of\s+(?:the\s+)?(?:recommendations?|evidence))?\s*[:\-\u2013]?\s*(?:grade\s+)?"
    r"(?:[A-D][+-]?|I{1,3}V?|IV|V|[1-5][a-c]?|strong|weak|conditional|moderate|low|high|"
    r"very low|insufficient|consensus|limited)\s*\)?\s*$", re.IGNORECASE)


def is_grade_label(text: str) -> bool:
    """The text is only a grade label, optionally in parentheses."""
    return bool(_GRADE_LABEL_RE.match(text.strip()))


@dataclass(frozen=True)
class Span:
    """A sentence, list item or table with its char offsets in the source text."""

    text: str
    start: int
    end: int
    kind: str = "sentence"  # sentence | item | table


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentences of one paragraph; offsets are into the text the paragraph came from."""
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        before = text[start : m.start()].rstrip("\"')]")
        last_word = before.rsplit(None, 1)[-1].strip(".([\"'").lower() if before.split() else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        piece = text[start : m.start()].strip()
        if piece:
            spans.append(Span(piece, offset + start, offset + m.start()))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        spans.append(Span(tail, offset + start, offset + start + len(text[start:].rstrip())))
    return spans


def split_units(section_text: str) -> list[Span]:
    """A section's text as units: each list item and table whole, paragraphs as sentences."""
    units: list[Span] = []
    pos = 0
    lines = section_text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        start = pos
        if line.startswith("|"):
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            block = "\n".join(lines[i:j])
            units.append(Span(block, start, start + len(block), "table"))
            pos += len(block) + 1
            i = j
            continue
        if line.startswith("- "):
            units.append(Span(line[2:], start + 2, start + len(line), "item"))
        elif line.strip():
            units.extend(split_sentences(line, start))
        pos += len(line) + 1
        i += 1
    return units
