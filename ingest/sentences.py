"""Sentence splitting that keeps abbreviations, decimals and citation markers intact."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {"e.g", "i.e", "vs", "dr", "etc", "al", "fig", "approx", "no", "st", "mr", "ms",
                  "mrs", "cf", "ca", "resp", "min", "max", "mg", "ml", "n.b", "u.s", "jr", "sr"}
_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")

# A line that is only a grade from a published grading vocabulary ("Grade of Recommendation: B",
# "Level of Evidence: II", "Strength of recommendation: Strong", "Quality of evidence: low"; AAOS
# grades Strong, Moderate, Limited, Inconclusive, Consensus). Such
# guidelines print the grade under the statement it grades; set bold, it read as a heading, and
# every NASS 2020 recommendation came out under the previous one's grade.
_GRADE_LABEL_RE = re.compile(
    r"^\(?\s*(?:grade|level|strength|quality|certainty)"
    r"(?:\s+of\s+(?:the\s+)?(?:recommendations?|evidence))?\s*[:\-\u2013]?\s*(?:grade\s+)?"
    r"(?:[A-D][+-]?|I{1,3}V?|IV|V|[1-5][a-c]?|strong|weak|conditional|moderate|low|high|"
    r"very low|insufficient|consensus|limited|inconclusive)\s*\)?\s*$", re.IGNORECASE)


# The GRADE system's wording, as ACP prints it after a recommendation: "(Grade: strong
# recommendation, moderate-quality evidence)", "Grade: weak recommendation; low-certainty
# evidence".
# GRADE's certainty wording ("moderate-quality evidence"), also read by qa.strength for badges
QUALITY_EVIDENCE = r"(?:very[- ]low|low|moderate|high)[- ](?:quality|certainty)(?: of)? evidence"
_GRADE_SYSTEM_RE = re.compile(
    rf"^\(?\s*(?:grade\s*[:\-\u2013]?\s*)?(?:(?:strong|weak|conditional)\s+recommendations?"
    rf"(?:\s*[,;]\s*{QUALITY_EVIDENCE})?|{QUALITY_EVIDENCE})\s*\)?\s*$", re.IGNORECASE)


def is_grade_label(text: str) -> bool:
    """The text is only a grade label, optionally in parentheses."""
    return bool(_GRADE_LABEL_RE.match(text.strip()))


def is_grading(text: str) -> bool:
    """The text only grades a statement: a grade label or the GRADE system's wording."""
    return is_grade_label(text) or bool(_GRADE_SYSTEM_RE.match(text.strip()))


@dataclass(frozen=True)
class Span:
    """A sentence, list item or table with its char offsets in the source text."""

    text: str
    start: int
    end: int
    kind: str = "sentence"  # sentence | item | table


# A grade in parentheses closing a statement printed without its full stop ("... may be
# considered in patients with suspected SI joint pain (Grade of Recommendation: C) Chakraverty
# et al reported ..."): the grade ends the statement.
_GRADE_CLOSE_RE = re.compile(r"(?<=\S)\s+(\([^()]{3,100}\))\s+(?=[\"'(\[]?[A-Z])")


def _boundaries(text: str) -> list[tuple[int, int, bool]]:
    """(end of sentence, start of next, after a grade) for each sentence boundary."""
    out = [(m.start(), m.end(), False) for m in _BOUNDARY_RE.finditer(text)]
    out += [(m.end(1), m.end(), True) for m in _GRADE_CLOSE_RE.finditer(text)
            if is_grading(m.group(1)) and not text[:m.start()].rstrip().endswith((".", "!", "?"))]
    return sorted(out)


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentences of one paragraph; offsets are into the text the paragraph came from."""
    spans: list[Span] = []
    start = 0
    for end, nxt, graded in _boundaries(text):
        if end < start:
            continue
        before = text[start:end].rstrip("\"')]")
        last_word = before.rsplit(None, 1)[-1].strip(".([\"'").lower() if before.split() else ""
        if not graded and (last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word)):
            continue
        piece = text[start:end].strip()
        if piece:
            spans.append(Span(piece, offset + start, offset + end))
        start = nxt
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


# A cell that is a statement: enough words to say something, ending as a sentence ends (its
# citation markers may follow).
_CELL_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?:\s*\[\d+(?:[,\u2013-]\s*\d+)*\])*$")
MIN_PROSE_CELL_WORDS = 5  # the composer's shortest quotable statement


def _prose_cell(cell: str) -> bool:
    text = cell.strip()
    return len(text.split()) >= MIN_PROSE_CELL_WORDS and bool(_CELL_SENTENCE_END.search(text))


def quotable_units(section_text: str) -> list[Span]:
    """The units a statement can be quoted from: sentences and list items, and the sentences
    of a table row whose every filled cell is prose (a table setting statements side by side,
    "2007 recommendation | 1994 counterpart"). A data row ("Acetaminophen | Up to 1000 mg QID")
    stays one table unit: a cell of it means nothing without its row."""
    units: list[Span] = []
    for unit in split_units(section_text):
        if unit.kind != "table":
            units.append(unit)
            continue
        units.append(unit)
        pos = unit.start
        for row in unit.text.split("\n"):
            cells, cell_pos, offset = [], [], 0
            for part in row.split("|"):
                cells.append(part)
                cell_pos.append(pos + offset)
                offset += len(part) + 1
            filled = [(c, p) for c, p in zip(cells, cell_pos, strict=True) if c.strip()]
            if filled and all(_prose_cell(c) for c, _p in filled):
                for cell, start in filled:
                    lead = len(cell) - len(cell.lstrip())
                    units.extend(split_sentences(cell.strip(), start + lead))
            pos += len(row) + 1
    return units
