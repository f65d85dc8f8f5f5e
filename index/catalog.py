"""The indexed articles as records: what `citewise articles` prints and the Corpus page shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.store import IndexData
from ingest.records import Article


@dataclass(frozen=True)
class ArticleRecord:
    """One indexed article: its metadata and its ingest account (None from older indexes)."""

    article_id: str
    title: str
    publisher: str | None
    year: int | None
    last_updated: str | None
    review_status: str | None
    reviewed_by: str | None
    reviewed_on: str | None
    source_path: str
    pages: int | None
    sections: int
    references: int
    chunks: int
    words_source: int | None
    words_indexed: int | None
    indexed_share: float | None  # words_indexed / (source - furniture - references)
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> words
    ocr: bool = False
    ocr_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ocr_pages"] = list(self.ocr_pages)
        data["warnings"] = list(self.warnings)
        return data


def article_record(article: Article, chunks: int = 0) -> ArticleRecord:
    account = article.account
    pages = account.pages if account is not None else None
    if pages is None:
        pages = max((s.page for s in article.sections if s.page is not None), default=None)
    return ArticleRecord(
        article_id=article.article_id, title=article.title, publisher=article.publisher,
        year=article.year, last_updated=article.last_updated,
        review_status=article.review_status, reviewed_by=article.reviewed_by,
        reviewed_on=article.reviewed_on, source_path=article.source_path, pages=pages,
        sections=len(article.sections), references=len(article.references), chunks=chunks,
        words_source=account.words_source if account else None,
        words_indexed=account.words_indexed if account else None,
        indexed_share=round(account.indexed_share, 4) if account else None,
        dropped=dict(account.dropped) if account else {},
        ocr=bool(account and account.ocr_pages),
        ocr_pages=account.ocr_pages if account else (),
        warnings=tuple(article.warnings),
    )


def article_records(data: IndexData) -> list[ArticleRecord]:
    """Every indexed article, by title."""
    counts = {aid: entry.n_chunks for aid, entry in data.manifest.articles.items()}
    return [article_record(a, counts.get(a.article_id, 0))
            for a in sorted(data.articles.values(), key=lambda a: (a.title.lower(), a.article_id))]
