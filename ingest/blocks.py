"""The format-neutral intermediate every reader produces: a flat list of text blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "para", "item", "table", "reference"]


@dataclass(frozen=True)
class Block:
    """One heading, paragraph, list item, table or reference-list entry, in document order."""

    kind: BlockKind
    text: str
    level: int = 0  # heading level 1-6 where the format says; 0 where it is inferred
    page: int | None = None  # 1-based PDF page


@dataclass(frozen=True)
class ParsedFile:
    """What a reader returns: the blocks plus metadata the format states outright."""

    blocks: tuple[Block, ...]
    metadata: dict[str, str]
    warnings: tuple[str, ...] = ()
    # Ingest account, filled by readers that can tell (see ingest/account.py when present).
    words_source: int | None = None  # words in the source's text layer before anything is dropped
    # (reason, words) the reader itself dropped; reasons: "page furniture", "reference list",
    # "navigation", "duplicate", "unreadable"
    dropped: tuple[tuple[str, int], ...] = ()
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text came from OCR
