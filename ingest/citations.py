"""Inline citation markers: every style we read is normalised to `[1]` / `[1, 3]`."""

from __future__ import annotations

import re

_BRACKET_RE = re.compile(r"\[\^?(\d{1,3}(?:\s*[,\u2013\-]\s*\^?\d{1,3})*)\]")
# Bare trailing numbers as some sites print them: "...red flags are present. 1, 2" or
# "...conservative therapy 1." A number after words like "age" or "than" is content, not a cite.
_NOT_BEFORE = (
    "age aged over under than grade stage type level step phase about approximately least most "
    "of to and or by within after before in at from version class category n l s t c day days "
    "week weeks month months year years hour hours"
).split()
_TRAILING_AFTER_STOP_RE = re.compile(r"([.!?])\s+(\d{1,2}(?:\s*,\s*\d{1,2})*)\s*$")
_TRAILING_RE = re.compile(
    r"(?P<word>[A-Za-z][\w\-/]*[\)\]%]?|\)|%)\s+(?P<nums>\d{1,2}(?:\s*,\s*\d{1,2})*)"
    r"(?P<end>\.(?=\s+[A-Z(])|;(?=\s)|[.;]?\s*$)"
)
_MARKER_RE = re.compile(r"\[(\d{1,3}(?:,\s*\d{1,3})*)\]")


def _expand(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", spec.replace("^", "")):
        bounds = re.split(r"\s*[\u2013\-]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            numbers.extend(range(lo, hi + 1) if 0 < hi - lo < 20 else (lo, hi))
        elif part.isdigit():
            numbers.append(int(part))
    return numbers


def _format(numbers: list[int]) -> str:
    unique = list(dict.fromkeys(numbers))
    return "[" + ", ".join(str(n) for n in unique) + "]"


def normalise_markers(text: str, bare_numbers: bool) -> str:
    """Rewrite bracket, footnote and (when `bare_numbers`) trailing-number markers as `[n]`."""
    text = _BRACKET_RE.sub(lambda m: _format(_expand(m.group(1))), text)
    if not bare_numbers:
        return text
    text = _TRAILING_AFTER_STOP_RE.sub(
        lambda m: f" {_format(_expand(m.group(2)))}{m.group(1)}", text
    )

    def trailing(m: re.Match[str]) -> str:
        word = m.group("word")
        # A list such as "1, 2" is a citation whatever precedes it; a lone number may be content.
        if "," not in m.group("nums") and word.lower().rstrip(")]%") in _NOT_BEFORE:
            return m.group(0)
        end = m.group("end").strip()
        return f"{word} {_format(_expand(m.group('nums')))}{end}"

    return _TRAILING_RE.sub(trailing, text).replace(" .", ".")


def cited_numbers(text: str) -> tuple[int, ...]:
    """Reference numbers cited in already-normalised text, in order of first appearance."""
    found: list[int] = []
    for m in _MARKER_RE.finditer(text):
        found.extend(int(x) for x in m.group(1).split(","))
    return tuple(dict.fromkeys(found))


def strip_markers(text: str) -> str:
    """Text with `[n]` markers removed (for display of a bare statement)."""
    return re.sub(r"\s*\[\d{1,3}(?:,\s*\d{1,3})*\]", "", text).strip()
