"""PDF -> blocks with pypdf: page furniture and reference lists set apart, headings found from
font size and weight, title / publisher / year from metadata and the first pages."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pypdf
from pypdf.errors import PdfReadError

from ingest.blocks import Block, ParsedFile
from ingest.errors import ArticleParseError
from ingest.ocr import fill_pages_without_text
from ingest.ocr_title import cover_title
from ingest.pdf_furniture import furniture_lines, strip_merged_furniture
from ingest.pdf_layout import PdfLine, page_lines
from ingest.pdf_metadata import choose_title, find_publisher_year, real_title
from ingest.pdf_references import find_reference_lists
from ingest.pdf_text import (
    attach_grade_labels,
    join_drop_caps,
    join_hyphens,
    mark_hyphens,
    merge_wrapped_headings,
    repair_glyph_names,
    word_vocabulary,
)
from ingest.text_reader import Line, lines_to_blocks, looks_like_heading

logging.getLogger("pypdf").setLevel(logging.ERROR)

HEADING_SIZE_RATIO = 1.1  # larger than body text by this -> emphasised (a heading candidate)
# Display type (logos, icons, banners) is set at 3x body size or more; headings rarely pass
# 2.4x (24 pt over 10 pt). The title, set apart before, is exempt.
ORNAMENT_SIZE_RATIO = 3.0
# Sections on how the literature was searched: method, not guidance to quote.
_SEARCH_METHOD_RE = re.compile(r"\b(literature search(es)?|search (strateg(y|ies)|protocol|terms|"
                               r"history|results))\b", re.IGNORECASE)
_PAREN_CITE_RE = re.compile(r"\((\d{1,3}(?:\s*[,\u2013\-]\s*\d{1,3})*)\)")


def _words(text: str) -> int:
    return len(text.split())


def _read_pages(path: Path) -> tuple[list[list[PdfLine]], dict[str, object]]:
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ArticleParseError(path, "PDF is encrypted with a password")
            except (NotImplementedError, PdfReadError) as exc:
                raise ArticleParseError(path, f"PDF is encrypted ({exc})") from exc
        pages = [page_lines(page, i + 1) for i, page in enumerate(reader.pages)]
        meta = {str(k): v for k, v in (reader.metadata or {}).items()}
    except ArticleParseError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ArticleParseError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    return pages, meta


def read_pdf(path: Path) -> ParsedFile:
    """Blocks of a PDF with a text layer; raises ArticleParseError naming the cause."""
    pages, meta = _read_pages(path)
    # Pages without a text layer are OCR'd (tesseract); raises when none can be read.
    filled = fill_pages_without_text(
        path, pages, lambda ln, page: PdfLine(ln.text, page, ln.y, ln.size, ln.alone))
    pages = filled.pages
    if not any(pages):
        raise ArticleParseError(path, "PDF has no text layer and OCR found no text in it")
    try:
        parsed = _parse_lines(pages, meta, frozenset(filled.ocr_pages))
    except Exception as exc:  # a layout no rule here foresaw: name the file, never half-parse
        raise ArticleParseError(path, f"PDF layout not understood ({type(exc).__name__}: "
                                      f"{exc})") from exc
    return replace(parsed, ocr_pages=tuple(filled.ocr_pages),
                   dropped=parsed.dropped + tuple(filled.dropped),
                   warnings=parsed.warnings + tuple(filled.warnings))


def _body_size(pages: list[list[PdfLine]]) -> float:
    """The size most of the document's characters are set in."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _parse_lines(pages: list[list[PdfLine]], meta: dict[str, object],
                 ocr_pages: frozenset[int] = frozenset()) -> ParsedFile:
    words_source = sum(_words(ln.text) for lines in pages for ln in lines)
    furniture = furniture_lines(pages)
    furniture_words = sum(_words(pages[p][i].text) for p, i in furniture)
    pages, merged_words = strip_merged_furniture(pages, furniture)
    furniture_words += merged_words
    # The title comes from the first page with text; a page with its own text layer wins over
    # an OCR'd cover, whose type sizes are only estimated from tesseract's line boxes.
    first = next((p for p, lines in enumerate(pages) if lines and p + 1 not in ocr_pages),
                 next(p for p, lines in enumerate(pages) if lines))
    first_kept = [ln for i, ln in enumerate(pages[first]) if (first, i) not in furniture]
    cover = None
    if first + 1 in ocr_pages and real_title(meta.get("/Title")) is None:
        cover = cover_title(first_kept, _body_size(pages))
    title, title_lines = cover or choose_title(meta.get("/Title"), first_kept)
    edge_pages = [*pages[first:first + 2], *pages[-2:]]
    publisher, year = find_publisher_year(meta, title, [ln for ps in edge_pages for ln in ps])
    title_ids = {id(ln) for ln in title_lines or _printed_parts(title, first_kept)}
    lines = [ln for p, ps in enumerate(pages) for i, ln in enumerate(ps)
             if (p, i) not in furniture and id(ln) not in title_ids]

    body = _body_size([lines])
    has_sizes = len({round(ln.size, 1) for ln in lines}) > 1  # counted before ornaments go
    ornaments = [ln for ln in lines if ln.size >= ORNAMENT_SIZE_RATIO * body]
    furniture_words += sum(_words(ln.text) for ln in ornaments)
    ornament_ids = {id(ln) for ln in ornaments}
    lines = [ln for ln in lines if id(ln) not in ornament_ids]
    lines = attach_grade_labels(join_drop_caps(repair_glyph_names(lines), body))
    has_styles = has_sizes or any(ln.bold for ln in lines)
    emphasised = [(ln.size > body * HEADING_SIZE_RATIO or ln.bold) if has_styles else None
                  for ln in lines]
    vocabulary = word_vocabulary(lines)
    lines, emphasised, wrapped, graded = merge_wrapped_headings(lines, emphasised, vocabulary)
    heading_like = [k in wrapped or (bool(e) and looks_like_heading(ln.text, e))
                    for k, (ln, e) in enumerate(zip(lines, emphasised, strict=True))]
    texts = mark_hyphens(lines, vocabulary)

    blocks: list[Block] = []
    reference_words = 0
    numbers: list[int] = []
    start = 0

    def body_blocks(lo: int, hi: int) -> None:
        for cut in [*sorted(k for k in wrapped if lo <= k < hi), hi]:
            body_lines = [Line(texts[k], page=lines[k].page, emphasised=emphasised[k])
                          for k in range(lo, cut)]
            blocks.extend(lines_to_blocks(body_lines, blank_separates=False))
            if cut < hi:
                # A graded statement heads its evidence under the key question above it.
                level = 3 if cut in graded else 0
                blocks.append(Block("heading", texts[cut], level, page=lines[cut].page))
            lo = cut + 1

    for ref_list in find_reference_lists(lines, heading_like):
        if ref_list.heading is None:
            body_blocks(start, ref_list.entries[0][0])
        else:
            body_blocks(start, ref_list.heading)
            reference_words += _words(lines[ref_list.heading].text)
        for entry in ref_list.entries:
            text = join_hyphens(" ".join(texts[k] for k in entry))
            reference_words += _words(text)
            blocks.append(Block("reference", text, page=lines[entry[0]].page))
            m = re.match(r"\s*\[?(\d{1,3})", text)
            numbers.extend([int(m.group(1))] if m else [])
        start = ref_list.end + 1
    body_blocks(start, len(lines))

    # One numbered list (no restart at 1): "(14)" in the text cites its entry 14.
    single_list = bool(numbers) and len(numbers) == len(set(numbers))
    out: list[Block] = []
    search_method = False
    boilerplate_words = 0
    for b in blocks:
        text = join_hyphens(b.text)
        if b.kind == "heading":
            search_method = bool(_SEARCH_METHOD_RE.search(text))
        if search_method and b.kind != "reference":
            boilerplate_words += _words(text)
            continue
        if b.kind == "heading":
            # Explicit level 2 (what structure infers for level 0) so a heading ends a list.
            out.append(Block("heading", text, b.level or 2, b.page))
            continue
        if single_list and b.kind in ("para", "item"):
            text = _PAREN_CITE_RE.sub(lambda m: _as_cite(m, max(numbers)), text)
        out.append(Block(b.kind, text, b.level, b.page))

    metadata = {"title": title} if title else {}
    if meta.get("/Title"):
        metadata["pdf_title"] = str(meta["/Title"])
    if publisher:
        metadata["publisher"] = publisher
    if year:
        metadata["year"] = str(year)
    dropped = tuple((reason, n) for reason, n in (("page furniture", furniture_words),
                                                  ("reference list", reference_words),
                                                  ("search method", boilerplate_words)) if n)
    return ParsedFile(tuple(out), metadata, words_source=words_source, dropped=dropped)


def _as_cite(m: re.Match[str], highest: int) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", m.group(1))]
    return f"[{m.group(1)}]" if all(1 <= n <= highest for n in numbers) else m.group(0)


def _printed_parts(title: str | None, lines: list[PdfLine]) -> list[PdfLine]:
    """First-page lines set larger than its text that spell out a part of the chosen title."""
    if not title or not lines:
        return []
    norm = " ".join(re.findall(r"[a-z0-9]+", title.lower()))
    usual = Counter(round(ln.size, 1) for ln in lines).most_common(1)[0][0]
    return [ln for ln in lines if ln.size > usual and len(ln.text.split()) >= 2
            and " ".join(re.findall(r"[a-z0-9]+", ln.text.lower())) in norm]
