"""Ingestion: article files (txt, md, html, pdf) -> Article records -> Chunks."""

from ingest.chunker import SectionChunker
from ingest.errors import ArticleParseError
from ingest.loader import SUPPORTED_SUFFIXES, discover_articles, read_article
from ingest.records import Article, Chunk, Reference, Section

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
