"""Ingestion: article files (txt, md, html, pdf) -> Article records -> Chunks."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.chunker import SectionChunker
    from ingest.errors import ArticleParseError
    from ingest.loader import SUPPORTED_SUFFIXES, discover_articles, read_article
    from ingest.records import Article, Chunk, Reference, Section

# Resolved on first use: answering a question imports ingest.records only, and the readers
# (pypdf, BeautifulSoup: ~0.3 s) would otherwise come with every `citewise ask`.
_EXPORTS = {
    "SUPPORTED_SUFFIXES": "ingest.loader",
    "Article": "ingest.records",
    "ArticleParseError": "ingest.errors",
    "Chunk": "ingest.records",
    "Reference": "ingest.records",
    "Section": "ingest.records",
    "SectionChunker": "ingest.chunker",
    "discover_articles": "ingest.loader",
    "read_article": "ingest.loader",
}
__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleParseError",
    "Chunk",
    "Reference",
    "Section",
    "SectionChunker",
    "discover_articles",
    "read_article",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ingest' has no attribute {name!r}")
