"""Section-aware, sentence-preserving chunking under the embedding model's window."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ingest.citations import cited_numbers
from ingest.records import REFERENCE, Article, Chunk, Reference, Section
from ingest.sentences import Span, split_units


@dataclass(frozen=True)
class ChunkerSettings:
    """Recorded in the index manifest: another chunking means another index."""

    max_words: int = 120
    overlap_sentences: int = 1
    version: str = "2"  # 2: reference-list entries are indexed as items of their own

    def __post_init__(self) -> None:
        if self.max_words < 20:
            raise ValueError(f"max_words must be at least 20, got {self.max_words}")
        if not 0 <= self.overlap_sentences <= 3:
            raise ValueError(f"overlap_sentences must be 0-3, got {self.overlap_sentences}")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _words(text: str) -> int:
    return len(text.split())


class SectionChunker:
    """Packs whole sentences, list items and tables of one section into chunks.

    A chunk never crosses a section boundary and never splits a sentence or a table; a unit
    longer than the limit becomes a chunk of its own (the encoder then reads its first 256
    word pieces; BM25 still sees all of it).
    """

    def __init__(self, settings: ChunkerSettings | None = None) -> None:
        self.settings = settings or ChunkerSettings()

    def chunk(self, article: Article) -> list[Chunk]:
        """The article's passages, then one reference item per entry of its reference list."""
        chunks: list[Chunk] = []
        for section in article.sections:
            chunks.extend(self._chunk_section(article, section))
        return chunks + reference_chunks(article, chunks)

    def _chunk_section(self, article: Article, section: Section) -> list[Chunk]:
        units = split_units(section.text)
        groups: list[list[Span]] = []
        current: list[Span] = []
        for unit in units:
            size = sum(_words(u.text) for u in current)
            if current and size + _words(unit.text) > self.settings.max_words:
                groups.append(current)
                keep = self.settings.overlap_sentences
                tail = [u for u in current[-keep:] if u.kind == "sentence"] if keep else []
                if sum(_words(u.text) for u in tail) + _words(unit.text) > self.settings.max_words:
                    tail = []
                current = tail
            current.append(unit)
        if current:
            groups.append(current)
        out: list[Chunk] = []
        for group in groups:
            start, end = group[0].start, group[-1].end
            text = section.text[start:end]
            refs = cited_numbers(text)
            types = {(article.reference(n).type if article.reference(n) else "") for n in refs}
            evidence = "Guideline" if "Guideline" in types else (
                "Research" if types & {"Research", "Review", "Systematic review", "Trial",
                                       "Meta-analysis"} else "")
            if not evidence and any("research" in p.lower() for p in section.path):
                evidence = "Research"
            if not evidence and any("guideline" in p.lower() for p in section.path):
                evidence = "Guideline"
            abs_start = section.char_start + start
            out.append(Chunk(
                chunk_id=f"{article.article_id}:{abs_start}",
                article_id=article.article_id,
                title=article.title,
                section=section.heading,
                section_path=section.path,
                text=text,
                char_start=abs_start,
                char_end=section.char_start + end,
                page=section.page,
                references=refs,
                evidence_type=evidence,
                ocr=bool(article.ocr_pages) and not _pages_spanned(
                    section, start, end).isdisjoint(article.ocr_pages),
            ))
        return out


def reference_chunks(article: Article, passages: list[Chunk]) -> list[Chunk]:
    """Each reference as a retrievable item linked to the passages that cite its number.

    The item's text is what the list says of the work (title, authors, venue, year, type);
    it has no span in the article text (`char_start` = `char_end` = -1). Ids are
    `<article_id>:ref<n>`, unique within the article.
    """
    out: list[Chunk] = []
    ids: set[str] = set()
    for position, ref in enumerate(article.references, start=1):
        if not ref.title.strip():
            continue
        chunk_id = f"{article.article_id}:ref{ref.n}"
        if chunk_id in ids:  # a list that repeats a number (a PDF's boxed list read as refs)
            chunk_id = f"{chunk_id}-{position}"
        ids.add(chunk_id)
        out.append(Chunk(
            chunk_id=chunk_id,
            article_id=article.article_id,
            title=article.title,
            section="References",
            section_path=("References",),
            text=reference_text(ref),
            char_start=-1,
            char_end=-1,
            references=(ref.n,),
            evidence_type=ref.type,
            kind=REFERENCE,
            cites_from=tuple(c.chunk_id for c in passages if ref.n in c.references),
        ))
    return out


def reference_text(ref: Reference) -> str:
    """`Title. Authors. Venue, 2013. [Research]`: what the encoder and BM25 read of a work."""
    return ref.citation + (f" [{ref.type}]" if ref.type else "")


def _pages_spanned(section: Section, start: int, end: int) -> set[int]:
    """Pages a span of section.text lies on (page_starts: (offset in text, page))."""
    pages = {section.page} if section.page is not None else set()
    for offset, page in section.page_starts:
        if offset <= start:
            pages = {page}
        elif offset < end:
            pages.add(page)
    return pages
