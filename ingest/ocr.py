"""OCR of PDF pages without a text layer: pypdfium2 renders, Debian's tesseract reads.

Background-friendly: tesseract at low CPU priority on one thread per process, at most
OCR_WORKERS pages at once and never more than the cores; progress logged per page on the
"ingest.ocr" logger (extra: page, pages, file).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

from PIL import Image

from ingest.errors import ArticleParseError
from ingest.ocr_layers import light_text_layer

log = logging.getLogger("ingest.ocr")

# Enough for 9-pt body text: on NIAMS pages 5, 12, 19, 300 dpi read the same words (640 vs 647,
# differing in punctuation and one misread each way) and took longer.
DPI = 200
NICE = 10  # added to tesseract's niceness so an ingest never starves the app
PAGE_TIMEOUT_S = 300
# Pages read at once. On 2 cores the 28-page NIAMS scan: 24.1 s one at a time, 12.4 s two at a
# time, the same lines.
OCR_WORKERS = 2
# A line is OCR noise when it has under 2 letters or under this share of its visible
# characters are letters: figure fragments ("| | |", ".*", "S)", "/ \\") read as text. Prose,
# headings, addresses and contact lines ("Fax: 301-718-6366" is 0.19) stay above it.
MIN_LETTER_SHARE = 0.15
# Tesseract's own word confidence (0-100): lines whose mean is below this are noise it guessed.
MIN_LINE_CONFIDENCE = 30.0
# pdfium is not thread-safe, not even across documents (two scans read at once at ingest):
# every call into it holds this lock; tesseract runs outside it.
_PDFIUM = threading.Lock()
NO_TESSERACT = "PDF has no text layer (scanned image?); install tesseract-ocr to OCR it"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrLine:
    """One line tesseract read, with its height in points (the font size's stand-in)."""

    text: str
    size: float
    confidence: float
    alone: bool = False  # the only line of its paragraph: how a scan sets a heading apart
    box: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom in image pixels
    y: float = 0.0  # baseline in PDF points from the page's bottom edge, as pypdf reports it


class _ProgressHandler(logging.Handler):
    def __init__(self, report: Callable[[str, int, int], None]) -> None:
        super().__init__(logging.INFO)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        page, pages = getattr(record, "page", None), getattr(record, "pages", None)
        if isinstance(page, int) and isinstance(pages, int):
            self.report("ocr", page, pages)  # "OCR page 3/28": the bar shows the page being read


@contextmanager
def ocr_progress(report: Callable[[str, int, int], None]) -> Iterator[None]:
    """While open, each OCR page calls report("ocr", page, pages) (a CLI progress bar)."""
    handler = _ProgressHandler(report)
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def tesseract_path() -> str | None:
    """The tesseract executable on PATH, or None when it is not installed."""
    return shutil.which("tesseract")


def _workers(pages: int) -> int:
    return max(1, min(OCR_WORKERS, os.cpu_count() or 1, pages))


def tesseract_command(exe: str) -> list[str]:
    """tesseract reading a PNG from stdin as TSV, lowered in priority by the `nice` program
    when there is one. Not by os.nice in a preexec_fn: that forks the whole multi-threaded
    process and runs Python in the child; with a Milvus Lite client's gRPC threads alive the
    child died ("OCR of page 28 failed (... epoll_wait error: Bad file descriptor)", fresh-clone
    CI of 2026-12-02). Without preexec_fn, subprocess spawns without running fork handlers."""
    command = [exe, "stdin", "stdout", "-l", "eng", "--psm", "3", "tsv"]
    nice = shutil.which("nice")
    return [nice, "-n", str(NICE), *command] if nice else command


def _run_tesseract(exe: str, png: bytes, path: Path, page_no: int) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(tesseract_command(exe), input=png, capture_output=True, env=env,
                              timeout=PAGE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ArticleParseError(path, f"OCR of page {page_no} failed ({exc})") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no detail"]
        raise ArticleParseError(path, f"OCR of page {page_no} failed ({detail[0]})")
    return done.stdout.decode("utf-8", "replace")


def _tsv_lines(tsv: str, dpi: int) -> list[OcrLine]:
    """Tesseract TSV rows (one per word) grouped into lines in reading order."""
    grouped: dict[tuple[str, str, str], list[tuple[str, float, int]]] = {}
    boxes: dict[tuple[str, str, str], tuple[int, int, int, int]] = {}
    line_height: dict[tuple[str, str, str], int] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["block_num"], row["par_num"], row["line_num"])
        if row.get("level") == "4":  # the line's box: ascender to descender of the whole line
            line_height[key] = int(row["height"])
        word = (row.get("text") or "").strip()
        if not word:
            continue
        grouped.setdefault(key, []).append((word, float(row["conf"]), int(row["height"])))
        x, y = int(row["left"]), int(row["top"])
        box = (x, y, x + int(row["width"]), y + int(row["height"]))
        old = boxes.get(key, box)
        boxes[key] = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]),
                      max(old[3], box[3]))
    per_par: dict[tuple[str, str], int] = {}
    for block, par, _line in grouped:
        per_par[(block, par)] = per_par.get((block, par), 0) + 1
    lines: list[OcrLine] = []
    for key, words in grouped.items():
        # A line's height, not its words': a word's box depends on its letters ("(adjust)" is
        # taller than "one"), the line's is set by the type size. Pixels -> points.
        heights = sorted(h for _w, _c, h in words)
        size = line_height.get(key, heights[len(heights) // 2]) * 72.0 / dpi
        conf = sum(c for _w, c, _h in words) / len(words)
        lines.append(OcrLine(" ".join(w for w, _c, _h in words), round(size, 1), conf,
                             per_par[key[:2]] == 1, boxes[key]))
    # An indented paragraph's first line is also a paragraph of its own to tesseract; the
    # sentence it starts goes on in lower case on the next line.
    return [replace(line, alone=False) if line.alone and nxt.text[:1].islower() else line
            for line, nxt in zip(lines, [*lines[1:], OcrLine("", 0.0, 0.0)], strict=False)]


def _is_noise(line: OcrLine) -> bool:
    visible = [ch for ch in line.text if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in visible)
    return (not visible or letters / len(visible) < MIN_LETTER_SHARE or letters < 2
            or line.confidence < MIN_LINE_CONFIDENCE)


_HYPHEN_END = re.compile(r"(\w*[a-z])-$")
_LOWER_START = re.compile(r"^([a-z]\w*)(.*)$")
_WORD = re.compile(r"[^\W\d_]+")


# A contents entry: a title, then a dot leader (or the run-together letters OCR makes of one:
# longer than English words, 20+ letters) and a page number at the line's end.
_CONTENTS_ENTRY = re.compile(r"([.:\u00b7\u2026]{3,}|[^\W\d_]{20,}).*\s\d{1,3}$")
_CONTENTS_TITLE = re.compile(r"^(table of )?contents$", re.IGNORECASE)


def _is_contents_page(lines: Sequence[OcrLine]) -> bool:
    """A table of contents: entries make half the page's lines, or it is titled so."""
    entries = sum(bool(_CONTENTS_ENTRY.search(line.text)) for line in lines)
    titled = any(_CONTENTS_TITLE.match(line.text.strip()) for line in lines)
    return entries >= 2 and (titled or entries * 2 >= len(lines))


def vocabulary(lines: Sequence[OcrLine]) -> set[str]:
    """Lower-case words of a document, to tell a broken word from a hyphenated compound."""
    return {w.lower() for line in lines for w in _WORD.findall(line.text)}


def clean_lines(lines: Sequence[OcrLine], words: set[str] | None = None) -> list[OcrLine]:
    """Drop noise lines; join a word hyphenated across a line end and carry it whole to the
    first line. The hyphen goes only when the joined word occurs elsewhere in the document
    (`words`): ragged-right booklets break lines at compounds ("Twenty-/four", "self-/addressed",
    "x-/ray") far more often than inside words, so an unknown join would invent a word."""
    kept = [line for line in lines if not _is_noise(line)]
    words = vocabulary(kept) if words is None else words
    out: list[OcrLine] = []
    for line in kept:
        prev = out[-1] if out else None
        head = _HYPHEN_END.search(prev.text) if prev else None
        tail = _LOWER_START.match(line.text)
        if prev and head and tail:
            joiner = "" if (head.group(1) + tail.group(1)).lower() in words else "-"
            out[-1] = replace(prev, text=prev.text[:-1] + joiner + tail.group(1))
            rest = tail.group(2).strip()
            if rest:
                out.append(replace(line, text=rest))
            continue
        out.append(line)
    return out


def _read_image(exe: str, image: Image.Image, path: Path, page_no: int,
                dpi: int) -> list[OcrLine]:
    png = io.BytesIO()
    image.save(png, format="PNG")
    return _tsv_lines(_run_tesseract(exe, png.getvalue(), path, page_no), dpi)


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _merge(first: list[OcrLine], second: list[OcrLine]) -> list[OcrLine]:
    """First-pass lines, plus second-pass lines where the first read nothing, top to bottom."""
    new = [line for line in second if not _is_noise(line)
           and not any(_overlaps(line.box, old.box) for old in first)]
    return sorted(first + new, key=lambda line: line.box[1]) if new else first


def ocr_pages(path: Path, page_numbers: Sequence[int], dpi: int = DPI,
              progress: Progress | None = None) -> dict[int, tuple[list[OcrLine], dict[str, int]]]:
    """OCR the given 1-based pages of a PDF: {page: (clean lines, {reason: words dropped})}.
    Raises ArticleParseError when tesseract is absent or fails."""
    exe = tesseract_path()
    if exe is None:
        raise ArticleParseError(path, NO_TESSERACT)
    import pypdfium2  # imported here: only scanned PDFs need it

    try:
        with _PDFIUM:
            doc = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise ArticleParseError(path, f"cannot render the PDF for OCR ({exc})") from exc

    def read_page(page_no: int) -> list[OcrLine]:
        with _PDFIUM:
            try:
                page = doc[page_no - 1]
                image = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
                height_pt = page.get_height()
                page.close()
            except pypdfium2.PdfiumError as exc:  # a damaged page pypdf could still list
                raise ArticleParseError(path, f"cannot render page {page_no} for OCR ({exc})"
                                        ) from exc
        lines = _read_image(exe, image, path, page_no, dpi)
        light = light_text_layer(image)
        if light is not None:  # a dark page: also read its light type
            lines = _merge(lines, _read_image(exe, light, path, page_no, dpi))
        return [replace(line, y=round(height_pt - line.box[3] * 72.0 / dpi, 1))
                for line in lines]

    raw: dict[int, list[OcrLine]] = {}
    try:
        with ThreadPoolExecutor(max_workers=_workers(len(page_numbers))) as pool:
            futures = {pool.submit(read_page, n): n for n in page_numbers}
            for done, future in enumerate(as_completed(futures), start=1):
                raw[futures[future]] = future.result()  # re-raises a page's ArticleParseError
                log.info("OCR %s page %d/%d", path.name, done, len(page_numbers),
                         extra={"file": path.name, "page": done, "pages": len(page_numbers)})
                if progress:
                    progress(done, len(page_numbers))
    finally:
        with _PDFIUM:
            doc.close()
    raw = {n: raw[n] for n in page_numbers}  # page order, whatever order the pages finished
    words = vocabulary([line for lines in raw.values() for line in lines if not _is_noise(line)])
    out: dict[int, tuple[list[OcrLine], dict[str, int]]] = {}
    for page_no, lines in raw.items():
        noise = _words([line for line in lines if _is_noise(line)])
        clean = clean_lines(lines, words)
        if _is_contents_page(clean):  # navigation, and its leaders read as garbage words
            out[page_no] = ([], {"unreadable": noise, "navigation": _words(clean)})
        else:
            out[page_no] = (clean, {"unreadable": noise})
    return out


def _words(lines: Sequence[OcrLine]) -> int:
    return sum(len(line.text.split()) for line in lines)


L = TypeVar("L")  # the PDF reader's line type


def as_text_size_bold(line: OcrLine, page: int) -> tuple[str, float, bool]:
    """An OCR line as (text, size in points, bold). OCR cannot see bold; a line standing alone
    as a paragraph is the scan's emphasis."""
    return (line.text, line.size, line.alone)


@dataclass(frozen=True)
class PagesFilled(Generic[L]):
    """Pages after OCR of those without a text layer, and what the OCR did."""

    pages: list[list[L]]
    ocr_pages: tuple[int, ...] = ()
    dropped: tuple[tuple[str, int], ...] = ()  # (reason, words): "unreadable", "navigation"
    warnings: tuple[str, ...] = ()


def fill_pages_without_text(path: Path, pages: list[list[L]],
                            make_line: Callable[[OcrLine, int], L],
                            progress: Progress | None = None) -> PagesFilled[L]:
    """OCR every page that has no text layer, its lines made by make_line(ocr line, page).
    Without tesseract: a PDF with no text at all raises the one-line NO_TESSERACT error; one
    with some text keeps it and warns."""
    missing = [n for n, lines in enumerate(pages, start=1) if not lines]
    if not missing:
        return PagesFilled(pages)
    if tesseract_path() is None:
        if len(missing) == len(pages):
            raise ArticleParseError(path, NO_TESSERACT)
        return PagesFilled(pages, warnings=(
            f"{len(missing)} page(s) without a text layer were not read "
            f"(pages {', '.join(map(str, missing[:10]))}); install tesseract-ocr to OCR them",))
    read = ocr_pages(path, missing, progress=progress)
    filled = list(pages)
    for page_no, (lines, _dropped) in read.items():
        filled[page_no - 1] = [make_line(line, page_no) for line in lines]
    totals: dict[str, int] = {}
    for _lines, dropped in read.values():
        for reason, words in dropped.items():
            totals[reason] = totals.get(reason, 0) + words
    read_pages = tuple(n for n in missing if read[n][0] or "navigation" in read[n][1])
    return PagesFilled(filled, read_pages, tuple((r, n) for r, n in totals.items() if n))
