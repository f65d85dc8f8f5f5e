"""Find article files and read one into an Article, whatever its format."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ingest.account import MIN_INDEXED_SHARE, count_words
from ingest.blocks import ParsedFile
from ingest.errors import ArticleParseError
from ingest.html_reader import read_html
from ingest.markdown_reader import read_markdown
from ingest.pdf_reader import read_pdf
from ingest.records import Article
from ingest.sidecar import apply_sidecar, sidecar_bytes, sidecar_path
from ingest.structure import build_article
from ingest.text_reader import read_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
# Bumped whenever parsing changes what an Article holds, so indexes re-read every file.
# 4: PDF pages without a text layer are OCR'd; 5: HTML in-page number links are citations;
# 6: a PDF grade label line ("Grade of Recommendation: B") joins the statement it grades;
# 7: HTML layout tables read as sections; 8: a leading GRADE parenthesis grades the statement
# before; 9: a spaced end-of-line hyphen ("psy -" / "chosocial") joins a word; 10: a grade in
# parentheses ends a statement printed without its full stop (sentences and chunks change);
# 11: an OCR'd cover's display-type lines make the title, OCR noise in them repaired;
# 12: narrow TJ word gaps widened only to 0.25 em (small-capital headings kept their spaces),
# a line-end hyphen of a compound the document writes hyphenated is kept ("return-to-work")
PARSER_VERSION = "12"
_NOT_ARTICLES = re.compile(r"^(readme|license|changelog)(\.|$)", re.IGNORECASE)


def article_id_for(path: Path) -> str:
    """Stable id from the file name: lower-case stem, unsafe characters as '-'."""
    return re.sub(r"[^a-z0-9_.-]+", "-", path.stem.lower()).strip("-.") or "article"


def discover_articles(corpus: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Article files under `corpus` (sorted), and (path, reason) for files passed over."""
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus)
        if any(part.startswith((".", "_")) for part in rel.parts) or "pdf_src" in rel.parts:
            continue
        if path.is_dir():
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            if path.suffix.lower() not in (".py", ".json", ".jsonl", ".yml", ".yaml", ".toml"):
                skipped.append((path, f"unsupported file type '{path.suffix or 'none'}'"))
            continue
        if _NOT_ARTICLES.match(path.name):
            continue
        found.append(path)
    return found, skipped


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ArticleParseError(path, "binary content in a text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def content_digest(path: Path, data: bytes | None = None) -> str:
    """Hash deciding re-ingest: the file, its metadata sidecar and the parser version."""
    data = path.read_bytes() if data is None else data
    return hashlib.sha256(data + sidecar_bytes(path) + PARSER_VERSION.encode()).hexdigest()


def read_article(path: Path, max_bytes: int | None = None,
                 min_indexed_share: float = MIN_INDEXED_SHARE) -> Article:
    """Parse one article file; raises ArticleParseError naming the file and the cause.

    A `<name>.meta.json|yaml` sidecar overrides the parsed metadata; an article whose indexed
    words fall below `min_indexed_share` of its text (after furniture and references) carries
    a warning saying so.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleParseError(path, f"unsupported file type '{suffix}' (use "
                                      + ", ".join(SUPPORTED_SUFFIXES) + ")")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleParseError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise ArticleParseError(path, f"file is {len(data) / 1e6:.1f} MB, over the "
                                      f"{max_bytes / 1e6:.0f} MB limit")
    if not data.strip():
        raise ArticleParseError(path, "file is empty")
    parsed: ParsedFile
    if suffix == ".pdf":
        parsed = read_pdf(path)
    else:
        text = _decode(path, data)
        if suffix in (".md", ".markdown"):
            parsed = read_markdown(text)
        elif suffix in (".html", ".htm"):
            parsed = read_html(text)
        else:
            parsed = ParsedFile(tuple(read_text(text)), {})
        if parsed.words_source is None:
            parsed = replace(parsed, words_source=count_words(text))
    article = build_article(article_id_for(path), str(path), parsed)
    if not article.sections:
        raise ArticleParseError(path, "no article text found (empty after removing page "
                                      "furniture)")
    sidecar = sidecar_path(path)
    if sidecar is not None:
        try:
            article = apply_sidecar(article, sidecar)
        except ArticleParseError as exc:
            raise ArticleParseError(path, f"metadata sidecar {sidecar.name}: {exc.cause}") from exc
    if article.account is not None:
        warning = article.account.floor_warning(article.title, min_indexed_share)
        if warning:
            article = replace(article, warnings=(*article.warnings, warning))
    return replace(article, content_hash=content_digest(path, data))


def iter_articles(paths: list[Path]) -> Iterator[Article | ArticleParseError]:
    for path in paths:
        try:
            yield read_article(path)
        except ArticleParseError as exc:
            yield exc
