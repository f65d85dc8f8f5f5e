"""Plain text (and PDF-extracted lines) -> blocks, with headings inferred from line shape."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.blocks import Block

_BULLET_RE = re.compile(r"^(\s*)(?:[-*\u2022\u25aa\u25cf\u00b7\u2013]|\d{1,3}[.)])\s+(.*)$")
_NUMBERED_RE = re.compile(r"^\s*\d{1,3}[.)]\s+")
_QA_RE = re.compile(r"^\s*(?:Q|Question)\s*[:.]\s*(.+)$", re.IGNORECASE)
_ANSWER_RE = re.compile(r"^\s*(?:A|Answer)\s*[:.]\s*", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^(what|when|how|why|is|are|should|can|could|do|does|which|who|where|will)\b", re.IGNORECASE
)
MAX_HEADING_WORDS = 14


@dataclass(frozen=True)
class Line:
    text: str
    page: int | None = None
    emphasised: bool | None = None  # PDF: bold or larger than body text; None when unknown


def looks_like_heading(text: str, emphasised: bool | None = None) -> bool:
    """A short standalone line without sentence punctuation, starting upper-case."""
    stripped = text.strip()
    words = stripped.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(stripped) > 110:
        return False
    if _BULLET_RE.match(text) or not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    if emphasised is False:
        return False
    if stripped.endswith("?"):
        return bool(_QUESTION_START.match(stripped))
    if stripped[-1] in ".,;:!" or stripped.endswith("]"):
        return False
    return not re.search(r"\s\d{1,2}(,\s*\d{1,2})*$", stripped)  # ends with a bare cite marker


def lines_to_blocks(lines: Iterable[Line], blank_separates: bool = True) -> list[Block]:
    """Group lines into paragraphs, list items (nested items merged into their parent),
    tables and inferred headings. A question line is a heading only when prose follows it."""
    items = list(lines)
    blocks: list[Block] = []
    para: list[str] = []
    para_page: int | None = None
    item: list[str] | None = None
    item_indent = 0
    item_page: int | None = None

    def flush_para() -> None:
        nonlocal para
        if para:
            blocks.append(Block("para", " ".join(para), page=para_page))
        para = []

    def flush_item() -> None:
        nonlocal item
        if item:
            blocks.append(Block("item", _join_item(item), page=item_page))
        item = None

    for i, line in enumerate(items):
        raw = line.text.rstrip()
        if not raw.strip():
            if blank_separates:
                flush_para()
            continue
        qa = _QA_RE.match(raw)
        if qa:
            flush_para(), flush_item()
            blocks.append(Block("heading", qa.group(1).strip(), page=line.page))
            continue
        bullet = _BULLET_RE.match(raw)
        if bullet:
            flush_para()
            indent = len(bullet.group(1).expandtabs(4))
            if item is not None and indent > item_indent:
                item.append(bullet.group(2).strip())
            else:
                flush_item()
                prefix = raw.strip()[: len(raw.strip()) - len(bullet.group(2))].strip()
                numbered = bool(_NUMBERED_RE.match(raw))
                first = f"{prefix} {bullet.group(2).strip()}" if numbered else bullet.group(2)
                item, item_indent, item_page = [first.strip()], indent, line.page
            continue
        next_text = _next_nonblank(items, i)
        if (
            next_text is not None
            and looks_like_heading(raw, line.emphasised)
            and (not raw.strip().endswith("?") or not _QUESTION_START.match(next_text))
            and (blank_separates or line.emphasised or not para)
        ):
            flush_para(), flush_item()
            blocks.append(Block("heading", raw.strip(), page=line.page))
            continue
        text = _ANSWER_RE.sub("", raw.strip())
        if item is not None and not blank_separates:
            item[-1] = f"{item[-1]} {text}"  # a wrapped PDF line continues the open list item
            continue
        flush_item()
        if not para:
            para_page = line.page
        para.append(text)
    flush_para()
    flush_item()
    return blocks


def _join_item(parts: list[str]) -> str:
    head, rest = parts[0], parts[1:]
    if not rest:
        return head
    # Nested items join their parent with "; " so trailing cite markers stay recognisable.
    tail = "; ".join(p.rstrip(".;") for p in rest)
    joined = f"{head} {tail}" if head.endswith(":") else f"{head.rstrip('.;')}; {tail}"
    return joined if joined.endswith((".", "]")) else joined + "."


def _next_nonblank(lines: list[Line], i: int) -> str | None:
    for line in lines[i + 1 :]:
        if line.text.strip():
            return line.text.strip()
    return None


def read_text(raw: str) -> list[Block]:
    """Blocks of a plain-text article."""
    return lines_to_blocks(Line(t) for t in raw.splitlines())
