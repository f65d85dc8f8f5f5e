"""Page furniture of a PDF: running headers and footers, page numbers, watermarks.

A line is furniture when the same text (digits ignored, so "Page 3" = "Page 4") recurs at the
same height on several pages. Lines repeated on a tenth of the pages (and 5 pages) or more are
dropped wherever they sit (publisher banners, "Downloaded from ..." stamps, disclaimers); rarer
repeats (a chapter's running title) and page numbers only when they sit outside the text block
(above or below where the document's own lines sit), so a heading that happens to open several
pages is kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from ingest.pdf_layout import PdfLine

COMMON_SHARE = 0.1  # share of text pages a line must recur on to be dropped wherever it sits
COMMON_MIN_PAGES = 5  # ... and at least this many (a heading may open 3 pages of a short PDF)
MIN_PAGES = 3  # fewer repeats than this are never furniture
MARGIN_SHARE = 0.01  # share of body-text lines allowed above or below the text block
Y_TOLERANCE = 3.0  # pt: the same furniture line sits at the same height on every page
_PAGE_NUMBER_RE = re.compile(r"^(page\s*)?#(\s*(of|/)\s*#)?$")


def _key(line: PdfLine) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.text.lower())).strip()


def _same_height_groups(pages: list[list[PdfLine]]) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """Occurrences of each line text, split into groups at the same height (within tolerance)."""
    by_text: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            by_text[_key(line)].append((line.y, p, i))
    groups: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for text, spots in by_text.items():
        spots.sort()
        n, last_y = 0, None
        for y, p, i in spots:
            if last_y is not None and y - last_y > Y_TOLERANCE:
                n += 1
            groups.setdefault((text, n), []).append((p, i))
            last_y = y
    return groups


def furniture_lines(pages: list[list[PdfLine]]) -> set[tuple[int, int]]:
    """(page index, line index) of every furniture line."""
    where = _same_height_groups(pages)
    text_pages = sum(1 for lines in pages if lines)
    common = max(COMMON_MIN_PAGES, COMMON_SHARE * text_pages)
    dropped: set[tuple[int, int]] = set()
    rare: set[tuple[int, int]] = set()
    for (text, _y), spots in where.items():
        n_pages = len({p for p, _i in spots})
        if n_pages >= common:
            dropped.update(spots)
        elif n_pages >= MIN_PAGES or _PAGE_NUMBER_RE.match(text):
            rare.update(spots)
    # The text block: heights where the document's own (unrepeated) lines sit, ignoring the
    # extreme 1% each side. Rarer repeats and page numbers are furniture only outside it.
    heights = sorted(ln.y for p, lines in enumerate(pages) for i, ln in enumerate(lines)
                     if (p, i) not in dropped and (p, i) not in rare)
    if not heights:
        return dropped | rare
    low = heights[int(MARGIN_SHARE * (len(heights) - 1))]
    high = heights[int((1 - MARGIN_SHARE) * (len(heights) - 1))]
    dropped.update((p, i) for p, i in rare if not low <= pages[p][i].y <= high)
    return dropped


def strip_merged_furniture(pages: list[list[PdfLine]],
                           dropped: set[tuple[int, int]]) -> tuple[list[list[PdfLine]], int]:
    """Pages with furniture text removed from the ends of kept lines it was typeset into (a logo
    word on the baseline of a heading: "Reference List Low Back Pain"), and the words removed."""
    removed = 0
    out: list[list[PdfLine]] = []
    for p, lines in enumerate(pages):
        marks = {lines[i].text for (q, i) in dropped if q == p and len(lines[i].text) > 3}
        new_lines = []
        for i, line in enumerate(lines):
            text = line.text
            if (p, i) not in dropped:
                for mark in marks:
                    if text.endswith(" " + mark) or text.startswith(mark + " "):
                        text = (text[: -len(mark)] if text.endswith(mark)
                                else text[len(mark):]).strip()
                        removed += len(mark.split())
            new_lines.append(replace(line, text=text) if text != line.text else line)
        out.append(new_lines)
    return out, removed
