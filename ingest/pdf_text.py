"""Text repairs on a PDF's lines: unmapped ligature glyphs, drop caps, grade labels set on a
line of their own, end-of-line hyphens."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from wordfreq import zipf_frequency

from ingest.pdf_layout import PdfLine
from ingest.sentences import is_grade_label

SOFT_HYPHEN = "\u00ad"
_WORD_JOINER = "\u2060"
DROP_CAP_SIZE_RATIO = 1.5  # a lone letter this much larger than body text opens a paragraph
# pypdf writes a glyph without a Unicode mapping as its name ("/g415"), and some fonts map a
# ligature to a curly quote ("commi\u201cee"); in body text these are ligatures whose letters the
# font did not declare.
_GLYPH_RE = re.compile(r"/g\d{1,5}|(?<=[a-z])[\u201c\u201d](?=[a-z])")  # or a quote mid-word
_LIGATURE_LETTERS = ("ti", "tt", "fi", "fl", "ff", "ffi", "ffl", "ft", "tf", "th")


def repair_glyph_names(lines: list[PdfLine]) -> list[PdfLine]:
    """Each unmapped glyph name replaced by the ligature letters that turn most of the words it
    occurs in into words the document spells out elsewhere ("Mul/g415disciplinary")."""
    glyphs = {g for ln in lines for g in _GLYPH_RE.findall(ln.text)}
    if not glyphs:
        return lines
    vocabulary = Counter(w.lower() for ln in lines for w in re.findall(r"[A-Za-z]+", ln.text))
    letters: dict[str, str] = {}
    for glyph in glyphs:
        words = [w for ln in lines for w in ln.text.split() if glyph in w]
        scores = {cand: sum(vocabulary[re.sub(r"[^a-z]", "", w.replace(glyph, cand).lower())] > 0
                            for w in words) for cand in _LIGATURE_LETTERS}
        best = max(scores, key=lambda c: scores[c])
        letters[glyph] = best if scores[best] > 0 else ""
    return [replace(ln, text=_GLYPH_RE.sub(lambda m: letters.get(m.group(0), ""), ln.text))
            if _GLYPH_RE.search(ln.text) else ln for ln in lines]


def join_drop_caps(lines: list[PdfLine], body: float) -> list[PdfLine]:
    """A large single letter followed by a line starting in lower case is that line's first
    letter ("L" + "ow back pain is ..." -> "Low back pain is ...")."""
    out: list[PdfLine] = []
    skip = False
    for i, ln in enumerate(lines):
        if skip:
            skip = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (nxt is not None and len(ln.text) == 1 and ln.text.isalpha()
                and ln.size >= DROP_CAP_SIZE_RATIO * body and nxt.text[:1].islower()):
            out.append(replace(nxt, text=ln.text + nxt.text))
            skip = True
            continue
        out.append(ln)
    return out


def attach_grade_labels(lines: list[PdfLine]) -> list[PdfLine]:
    """A grade label line under a line that ends a sentence or is set in bold is set in
    parentheses ("(Grade of Recommendation: B)"): body text grading the statement above
    (qa.strength reads it), never a heading. A label under a table cell stays as it is."""
    out: list[PdfLine] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and is_grade_label(ln.text) and prev.page == ln.page and (
                prev.bold or prev.text.rstrip().endswith((".", ")", "]"))):
            ln = replace(ln, text=f"({ln.text.strip().strip('()').strip()})")
        out.append(ln)
    return out


# A word at least this frequent in general English (wordfreq Zipf: 3 = once per million words)
# is a word, not two fragments.
COMMON_WORD_ZIPF = 3.0


def _spaced_hyphen_joins(left: str, right: str, vocabulary: Collection[str]) -> bool:
    joined = f"{left}{right}".lower()
    return joined in vocabulary or zipf_frequency(joined, "en") >= COMMON_WORD_ZIPF


def word_vocabulary(lines: Sequence[PdfLine]) -> Counter[str]:
    """How often the document writes each word, lower-case, counting every run of two or more
    parts of a hyphenated compound ("return-to-work" counts "return-to", "to-work", itself)."""
    out: Counter[str] = Counter()
    for ln in lines:
        for w in re.findall(r"[\w-]+", ln.text.lower()):
            out[w] += 1
            parts = [p for p in w.split("-") if p]
            for a in range(len(parts) - 1):
                for b in range(a + 2, len(parts) + 1):
                    if b - a < len(parts):
                        out["-".join(parts[a:b])] += 1
    return out


def _hyphen_is_the_words(left: str, right: str, vocabulary: Mapping[str, int]) -> bool:
    """An end-of-line hyphen belongs to the word ("fluoroscopically-" / "guided", "return-" /
    "to-work") when the document writes the hyphenated form more often than the joined one."""
    return vocabulary.get(f"{left}-{right}".lower(), 0) > \
        vocabulary.get(f"{left}{right}".lower(), 0)


def _join_wrapped(text: str, nxt: str, vocabulary: Mapping[str, int] | None = None) -> str:
    """A heading line and the next line it wraps to, a word hyphenated across them joined."""
    m = re.search(r"(\w+)( ?)-$", text)
    first = re.match(r"([a-z]\w*)", nxt)
    if m and first and not m.group(2) and _hyphen_is_the_words(m.group(1), first.group(1),
                                                               vocabulary or {}):
        return text + nxt
    if m and first and (not m.group(2) or _spaced_hyphen_joins(m.group(1), first.group(1),
                                                               set())):
        return text[:m.end(1)] + nxt
    return f"{text} {nxt}"


def mark_hyphens(lines: list[PdfLine], vocabulary: Mapping[str, int]) -> list[str]:
    """Line texts with an end-of-line hyphen before a lower-case continuation marked soft,
    unless the document spells the hyphenated word with its hyphen elsewhere.

    Some typesetters put a space before the hyphen ("psy -" / "chosocial", "out -" / "comes");
    a spaced hyphen may also be a dash, so it joins only when the joined word is the
    document's own or common English."""
    texts = [ln.text for ln in lines]
    for i in range(len(texts) - 1):
        m = re.search(r"(\w+)( ?)-$", texts[i])
        nxt = re.match(r"([a-z]\w*)", texts[i + 1])
        if m and nxt and m.group(1)[-1].isalpha():
            if m.group(2):
                if _spaced_hyphen_joins(m.group(1), nxt.group(1), vocabulary):
                    texts[i] = texts[i][:m.start(2)] + SOFT_HYPHEN
                continue
            if _hyphen_is_the_words(m.group(1), nxt.group(1), vocabulary):
                texts[i] += _WORD_JOINER  # a real hyphen: keep it, drop the line break
                continue
            texts[i] = texts[i][:-1] + SOFT_HYPHEN
    return texts


def join_hyphens(text: str) -> str:
    for mark, kept in ((SOFT_HYPHEN, "-"), (_WORD_JOINER, "")):
        text = text.replace(mark + " ", "").replace(mark, kept)
    return text


MAX_WRAPPED_HEADING_WORDS = 40  # a heading or a key question wrapped over a few lines
_TOC_ENTRY_RE = re.compile(r"\s\.*\s*\d{1,3}$")  # "Appendix D Glossary 26": a contents line


# The first line of a wrapped paragraph is about as long as its longest line; a heading set
# above a paragraph in the same type is much shorter.
PARAGRAPH_LINE_SHARE = 0.6
MIN_GRADED_WORDS = 5  # a graded statement is a sentence, not a label or a cell


def merge_wrapped_headings(lines: list[PdfLine], emphasised: list[bool | None],
                           vocabulary: Mapping[str, int] | None = None
                           ) -> tuple[list[PdfLine], list[bool | None], set[int], set[int]]:
    """Consecutive emphasised lines of one style on one page, none ending a sentence before the
    last, that together read as a heading (a wrapped title, a key question ending in "?"), joined
    into one line; such a run that ends a sentence is an emphasised paragraph, none of it a
    heading. An emphasised statement followed by its grade label heads the evidence under it
    (and stays in the body, to be quoted with its grade). Returns the lines, their emphasis,
    the indexes of the joined headings, and those of them that are graded statements."""
    out: list[PdfLine] = []
    out_emphasis: list[bool | None] = []
    headings: set[int] = set()
    graded: set[int] = set()
    i = 0
    while i < len(lines):
        first, j = lines[i], i
        while (emphasised[i] and j + 1 < len(lines) and emphasised[j + 1]
               and lines[j + 1].page == first.page and lines[j + 1].bold == first.bold
               and round(lines[j + 1].size, 1) == round(first.size, 1)
               and 0 < lines[j].y - lines[j + 1].y <= 2 * first.size
               and not lines[j].text.rstrip().endswith((".", ":", "?", "!", ";"))
               and not _TOC_ENTRY_RE.search(lines[j].text)
               and not is_grade_label(lines[j + 1].text)):
            j += 1
        text = lines[i].text
        for ln in lines[i + 1:j + 1]:
            text = _join_wrapped(text, ln.text, vocabulary)
        if emphasised[i] and j + 1 < len(lines) and is_grade_label(lines[j + 1].text) and \
                lines[j + 1].page == first.page and len(text.split()) >= MIN_GRADED_WORDS:
            # An emphasised statement its grade follows (a NASS recommendation): it heads the
            # evidence discussed under it, and is quoted with its grade from the body.
            headings.add(len(out))
            graded.add(len(out))
            out.append(replace(first, text=text.strip()))
            out_emphasis.append(True)
            out.extend(lines[i:j + 1])
            out_emphasis.extend([False] * (j + 1 - i))
            i = j + 1
            continue
        if j > i and text.rstrip().endswith((".", "!")) and len(lines[i].text) >= \
                PARAGRAPH_LINE_SHARE * max(len(ln.text) for ln in lines[i:j + 1]):
            # An emphasised paragraph (a bold recommendation): its wrapped lines fill the
            # column and it ends a sentence. No line of it is a heading.
            out.extend(lines[i:j + 1])
            out_emphasis.extend([False] * (j + 1 - i))
            i = j + 1
            continue
        # Names listed with ";" or "·" (an author line) are not a heading.
        if j > i and len(text.split()) <= MAX_WRAPPED_HEADING_WORDS and \
                not text.rstrip().endswith((".", ";", ",")) and not re.search(r"[;\u00b7]", text):
            headings.add(len(out))
            out.append(replace(first, text=text))
            out_emphasis.append(True)
            i = j + 1
            continue
        out.append(lines[i])
        out_emphasis.append(emphasised[i])
        i += 1
    return out, out_emphasis, headings, graded
