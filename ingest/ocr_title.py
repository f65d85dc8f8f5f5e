"""The title printed on a scanned cover, read by OCR and repaired.

A booklet's cover sets its title as several lines of display type ("Questions / & Answers /
about... / Spinal / Stenosis"). Tesseract's line heights, the stand-in for type size, vary with
ascenders and descenders (41 pt for "Spinal", 31 pt for "Stenosis" on one cover) and small
connecting words are set smaller, so the largest-line rule for text layers keeps one word.
Ornaments are read as noise: a decorative ampersand overlapping the next capital comes out
as "&s4 nswers".
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import lru_cache

from wordfreq import zipf_frequency

from ingest.pdf_layout import PdfLine

# A cover line set at least this much larger than the document's body text is display type.
# Body text of the NIAMS booklet reads 9.7 pt, its cover's smallest title line ("about...")
# 13.0 pt (1.34x) and its publisher lines 8.6-9.0 pt; headings inside run 1.1-1.4x.
COVER_DISPLAY_RATIO = 1.25
# A replacement word must be at least this common in English (wordfreq Zipf scale).
MIN_REPAIR_ZIPF = 3.0
_AMPERSAND_NOISE_RE = re.compile(r"^&[^\sA-Za-z]*[A-Za-z0-9]{0,2}$")
_TRAILING_DOTS_RE = re.compile(r"(?:\s*(?:\.\s*){2,}|\s*\u2026)$")


def _edits(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap away from `word`."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


@lru_cache(maxsize=1024)
def repaired_word(word: str) -> str:
    """`word` when English knows it; else the most common English word one edit away (a
    letter OCR lost under an ornament: "nswers" -> "answers"), else `word` unchanged."""
    bare = word.lower()
    if not bare.isalpha() or len(bare) < 4 or zipf_frequency(bare, "en") > 0:
        return word
    scored = [(zipf_frequency(c, "en"), c) for c in _edits(bare)]
    best = max((s for s in scored if s[0] >= MIN_REPAIR_ZIPF), default=None)
    return best[1] if best else word


def repair_title(text: str) -> str:
    """OCR'd title words repaired: an ampersand read with noise ("&s4") is "&", a word English
    does not know becomes its one-edit neighbour, capitalised as the title's other words are;
    a trailing ellipsis ("about...") goes."""
    tokens = text.split()
    # Title case leaves function words ("about", "of") lower-case: judge by the content words.
    content = [t for t in tokens if t.isalpha() and zipf_frequency(t.lower(), "en") < 6.0
               and repaired_word(t) == t]
    capitalised = sum(t[0].isupper() for t in content) * 2 > len(content)
    out = []
    for token in tokens:
        if _AMPERSAND_NOISE_RE.match(token):
            out.append("&")
            continue
        fixed = repaired_word(token)
        if fixed != token and capitalised:
            fixed = fixed.capitalize()
        out.append(fixed)
    return _TRAILING_DOTS_RE.sub("", " ".join(out)).strip()


def cover_title(lines: Sequence[PdfLine], body_size: float) -> tuple[str, list[PdfLine]] | None:
    """The first run of consecutive display-type lines of an OCR'd cover, joined and repaired,
    and those lines; None when the cover has no such run of two words or more."""
    display = [ln.size >= COVER_DISPLAY_RATIO * body_size for ln in lines]
    if not any(display):
        return None
    start = display.index(True)
    end = start
    while end < len(lines) and display[end]:
        end += 1
    used = list(lines[start:end])
    title = repair_title(" ".join(_TRAILING_DOTS_RE.sub("", ln.text) for ln in used))
    return (title, used) if len(re.findall(r"[A-Za-z]{2,}", title)) >= 2 else None
