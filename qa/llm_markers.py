"""Which sentence of a language model's answer each citation marker belongs to.

Models cite in several ways: "... surgery [5].", "... surgery. [5]", "[5][6]", "[5, 6]",
"(5)" at a sentence end, "as recommended in passage [3]". A marker belongs to the sentence it
follows, unless the answer opens with a marker: then the model cites ahead of its sentences and
a marker belongs to the sentence it precedes. A marker standing alone (its own line, or after
the last full stop) never becomes a sentence of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sentences import split_sentences

_NUMBERS = r"\d{1,2}(?:\s*(?:,|;|and|&|-|–)\s*\d{1,2})*"
# "[5]", "[5, 6]", "[2-4]", "[passage 3]"
_BRACKET = rf"\[\s*(?:passages?\s*)?{_NUMBERS}\s*\]"
# "(5)" counts only at the end of a sentence: elsewhere it is usually an enumeration.
_PAREN = rf"\(\s*{_NUMBERS}\s*\)"
# A passage named in prose, with the phrase that leads to it: "as recommended in passage [3]",
# "according to passages 2 and 4", "(see passage 1)". The phrase means nothing to a reader
# (the passages are renumbered as citations), so it is removed with the marker.
_PROSE = (rf"(?:,\s*)?\(?\s*(?:(?:as\s+\w+\s+)?(?:in|by|from|per)\s+|according\s+to\s+|see\s+)?"
          rf"(?:the\s+)?passages?\s*\[?\s*{_NUMBERS}\s*\]?\s*\)?(?:\s*,)?")

_PROSE_RE = re.compile(_PROSE, re.IGNORECASE)
_BRACKET_RE = re.compile(_BRACKET, re.IGNORECASE)
_END_PAREN_RE = re.compile(rf"(?:\s*{_PAREN})+(?=\s*[.!?]?\s*$)")
_NUMBERS_RE = re.compile(_NUMBERS)
_OPENS_WITH_MARKER_RE = re.compile(rf"^\s*(?:{_BRACKET}|{_PAREN})", re.IGNORECASE)
# Markers written after the full stop: moved in front of it so the sentence keeps them.
_AFTER_STOP_RE = re.compile(rf"([.!?])((?:\s*{_BRACKET})+)", re.IGNORECASE)
_AFTER_STOP_PAREN_RE = re.compile(rf"([.!?])((?:\s*{_PAREN})+)\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
MAX_RANGE = 10  # "[2-40]" is a typo, not forty citations


@dataclass(frozen=True)
class MarkedSentence:
    """A sentence of the model's answer, its markers removed, and the passages it cites."""

    text: str
    passage_numbers: tuple[int, ...]


def _numbers(marker: str) -> list[int]:
    found: list[int] = []
    for group in _NUMBERS_RE.findall(marker):
        for part in re.split(r"\s*(?:,|;|and|&)\s*", group):
            bounds = [int(x) for x in re.split(r"\s*[-–]\s*", part) if x.strip()]
            if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < MAX_RANGE:
                found.extend(range(bounds[0], bounds[1] + 1))
            else:
                found.extend(bounds)
    return found


def _take_markers(text: str) -> tuple[str, list[int]]:
    """The sentence without its markers, and the passage numbers they name, in order."""
    numbers: list[int] = []

    def take(match: re.Match[str]) -> str:
        numbers.extend(_numbers(match.group(0)))
        return " "

    text = _PROSE_RE.sub(take, text)
    text = _BRACKET_RE.sub(take, text)
    text = _END_PAREN_RE.sub(take, text)
    text = re.sub(r"\(\s*\)", " ", text)
    text = " ".join(text.split())
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    text = re.sub(r"[,;:]+([.!?])$", r"\1", text)  # "..., [3]." -> "...."
    text = re.sub(r"^[,;:\s]+", "", text)
    text = re.sub(r"([.!?])\1+$", r"\1", text)
    if text[:1].islower() and numbers:  # "According to passage 2, most ..." -> "Most ..."
        text = text[0].upper() + text[1:]
    return text, list(dict.fromkeys(numbers))


def _is_lead_in(text: str) -> bool:
    return _take_markers(text)[0].endswith(":")


def _lines(output: str) -> list[str]:
    """The answer's lines, bullets removed. A list of fragments ("- cauda equina syndrome")
    is joined to the line that introduces it ("Red flags include:"), since a fragment means
    nothing alone; items that are whole sentences stay lines of their own."""
    raw = [line.strip() for line in output.splitlines() if line.strip()]
    lines: list[str] = []
    i = 0
    while i < len(raw):
        lead = _BULLET_RE.sub("", raw[i]).strip()
        j = i + 1
        while j < len(raw) and _BULLET_RE.match(raw[j]):
            j += 1
        items = [_BULLET_RE.sub("", line).strip() for line in raw[i + 1 : j]]
        fragments = items and all(not _take_markers(item)[0].endswith((".", "!", "?"))
                                  for item in items)
        if _is_lead_in(lead) and fragments:
            lines.append(f"{lead} {'; '.join(item.rstrip(',;') for item in items)}.")
            i = j
        else:
            lines.append(lead)
            i += 1
    return lines


def marked_sentences(output: str) -> list[MarkedSentence]:
    """The answer's sentences (list items count as sentences) with the passages each cites.
    A line introducing a list of whole sentences is no statement: its markers go to the
    sentence after it."""
    lines = _lines(output)
    cites_ahead = bool(lines) and bool(_OPENS_WITH_MARKER_RE.match(lines[0]))
    sentences: list[tuple[str, list[int]]] = []
    carried: list[int] = []  # markers waiting for the sentence they precede
    for line in lines:
        if not cites_ahead:
            line = _AFTER_STOP_RE.sub(r"\2\1", line)
            line = _AFTER_STOP_PAREN_RE.sub(r"\2\1", line)
        for span in split_sentences(line):
            text, numbers = _take_markers(span.text)
            if text.endswith(":"):
                carried.extend(numbers)
                continue
            if not any(ch.isalnum() for ch in text):  # nothing but markers and punctuation
                if cites_ahead or not sentences:
                    carried.extend(numbers)
                else:
                    sentences[-1][1].extend(numbers)
                continue
            sentences.append((text, carried + numbers))
            carried = []
    if carried and sentences:
        sentences[-1][1].extend(carried)
    return [MarkedSentence(text, tuple(dict.fromkeys(nums))) for text, nums in sentences]
