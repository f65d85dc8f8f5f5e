"""PDF -> blocks with pypdf; page numbers kept, headings found from font size and weight."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
from pypdf.errors import PdfReadError

from ingest.blocks import ParsedFile
from ingest.errors import ArticleParseError
from ingest.ocr import as_text_size_bold, fill_pages_without_text
from ingest.text_reader import Line, lines_to_blocks

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class _Run:
    y: float
    size: float
    bold: bool
    parts: list[str] = field(default_factory=list)


def _page_lines(page: pypdf.PageObject, page_no: int) -> list[tuple[str, float, bool]]:
    runs: list[_Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if not text:
            return
        scale = abs(tm[3] * cm[3]) or abs(tm[0]) or 1.0
        y = round(tm[5] * cm[3] + cm[5], 1)
        name = str((font or {}).get("/BaseFont", ""))
        bold = "bold" in name.lower() or "black" in name.lower()
        for i, piece in enumerate(text.split("\n")):
            if i > 0 or not runs or abs(runs[-1].y - y) > 1.0:
                runs.append(_Run(y, size * scale, bold))
            if piece:
                runs[-1].parts.append(piece)
                runs[-1].bold = runs[-1].bold and bold if runs[-1].parts[:-1] else bold

    page.extract_text(visitor_text=visit)
    return [("".join(r.parts).strip(), r.size, r.bold) for r in runs if "".join(r.parts).strip()]


def read_pdf(path: Path) -> ParsedFile:
    """Blocks of a PDF with a text layer; raises ArticleParseError naming the cause."""
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ArticleParseError(path, "PDF is encrypted with a password")
            except (NotImplementedError, PdfReadError) as exc:
                raise ArticleParseError(path, f"PDF is encrypted ({exc})") from exc
        pages = [_page_lines(page, i + 1) for i, page in enumerate(reader.pages)]
        meta_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except ArticleParseError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ArticleParseError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    # OCR of pages with no text layer; raises when none can be read
    filled = fill_pages_without_text(path, pages, as_text_size_bold)
    pages = filled.pages
    if not any(pages):
        raise ArticleParseError(path, "PDF has no text layer and OCR found no text in it")
    sizes: Counter[float] = Counter()
    for lines in pages:
        for text, size, _bold in lines:
            sizes[round(size, 1)] += len(text)
    body = sizes.most_common(1)[0][0]
    any_bold = any(bold for lines in pages for _t, _s, bold in lines)
    has_styles = len(sizes) > 1 or any_bold
    all_lines: list[Line] = []
    for page_no, lines in enumerate(pages, start=1):
        for text, size, bold in lines:
            emphasised = (size > body * 1.1 or bold) if has_styles else None
            all_lines.append(Line(text, page=page_no, emphasised=emphasised))
    meta = {"pdf_title": str(meta_title)} if meta_title else {}
    blocks = lines_to_blocks(all_lines, blank_separates=False)
    return ParsedFile(tuple(blocks), meta, warnings=filled.warnings, ocr_pages=filled.ocr_pages,
                      dropped=filled.dropped)
