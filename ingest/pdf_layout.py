"""One PDF page -> positioned text lines (pypdf visitor), with word gaps and ligatures fixed."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ArrayObject, FloatObject, NumberObject

# A TJ displacement this far left (thousandths of an em) is a word gap, not kerning: justified
# typesetting (InDesign, XPP) writes inter-word space as TJ offsets of ~0.15-0.3 em with no space
# glyph, which pypdf reads as a space only from 0.95 x half the font's space width.
WORD_GAP_EM = 0.15
# What a narrower word gap is rewritten to, so pypdf emits its space. Only just wider: pypdf
# counts the gap in the line's width, and a far wider one (it was 5 em) hides the gap before
# a word positioned on its own (small capitals: "OF" then "INCONCLUSIVE" at its own x).
_WIDE_GAP = -250.0
_LIGATURES = re.compile("[\ufb00-\ufb06]")
# Icon fonts draw pictures whose "text" is a glyph name ("FLASK"): not words of the document.
_ICON_FONT_RE = re.compile(r"awesome|dingbat|wingding|webding|glyphicon|material.?icons|icomoon",
                           re.IGNORECASE)


@dataclass(frozen=True)
class PdfLine:
    """One text line as typeset: its text, page, baseline y (pt), font size (pt) and weight."""

    text: str
    page: int
    y: float
    size: float
    bold: bool


@dataclass
class _Run:
    y: float
    size: float
    bold: bool
    parts: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """Ligature glyphs (U+FB00-FB06) as letters; other characters as typeset."""
    return _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def _widen_word_gaps(operator: bytes, operands: list, _cm: list, _tm: list) -> None:
    if operator != b"TJ" or not operands or not isinstance(operands[0], ArrayObject):
        return
    array = operands[0]
    for i, item in enumerate(array):
        if isinstance(item, (NumberObject, FloatObject, int, float)) and \
                _WIDE_GAP < float(item) <= -WORD_GAP_EM * 1000:
            array[i] = FloatObject(_WIDE_GAP)


def page_lines(page: pypdf.PageObject, page_no: int) -> list[PdfLine]:
    """Lines of one page in content-stream order (pypdf's reading order)."""
    runs: list[_Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if not text:
            return
        # Font size on the page: the vertical scale of text matrix x CTM, rotation included
        # (a table set sideways has tm[3] * cm[3] == 0).
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
        y = round(tm[5] * cm[3] + cm[5], 1)
        name = str((font or {}).get("/BaseFont", ""))
        if _ICON_FONT_RE.search(name):
            return
        bold = "bold" in name.lower() or "black" in name.lower()
        for i, piece in enumerate(text.split("\n")):
            if i > 0 or not runs or abs(runs[-1].y - y) > 1.0:
                runs.append(_Run(y, size * scale, bold))
            if piece:
                runs[-1].parts.append(piece)
                runs[-1].bold = runs[-1].bold and bold if runs[-1].parts[:-1] else bold

    page.extract_text(visitor_text=visit, visitor_operand_before=_widen_word_gaps)
    lines = []
    for run in runs:
        text = normalise_text(re.sub(r" {2,}", " ", "".join(run.parts)).strip())
        if text:
            lines.append(PdfLine(text, page_no, run.y, run.size, run.bold))
    return lines
