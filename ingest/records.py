"""Records that leave the ingest package: Article, Section, Reference, Chunk."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.account import IngestAccount


@dataclass(frozen=True)
class Reference:
    """One entry of an article's numbered reference list."""

    n: int
    title: str
    venue: str = ""
    year: int | None = None
    type: str = ""  # "Guideline", "Research", ... as the article labels it; "" when unstated
    authors: str = ""  # as the list gives them ("Chou R, Qaseem A, et al."); "" when not given

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def citation(self) -> str:
        """One line as a reference list prints it: `Title. Authors. Venue, 2013.`"""
        parts = [p.strip().rstrip(".") for p in (self.title, self.authors) if p.strip()]
        tail = ", ".join(x for x in (self.venue.strip().rstrip("."),
                                     str(self.year) if self.year else "") if x)
        return ". ".join([*parts, tail] if tail else parts) + "."


@dataclass(frozen=True)
class Section:
    """A heading and the text under it; `path` is the heading chain from the top level."""

    heading: str
    text: str
    path: tuple[str, ...]
    char_start: int  # offset of `text` inside Article.text
    page: int | None = None  # 1-based page where the section starts (PDF only)
    page_starts: tuple[tuple[int, int], ...] = ()  # (offset in text, page) for PDFs


@dataclass(frozen=True)
class Article:
    """A parsed guideline article. Citation markers in section text are normalised to `[n]`."""

    article_id: str
    title: str
    source_path: str
    sections: tuple[Section, ...]
    references: tuple[Reference, ...] = ()
    last_updated: str | None = None  # ISO date
    review_status: str | None = None  # "Approved", "Under review", ...
    related_questions: tuple[str, ...] = ()
    content_hash: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    publisher: str | None = None  # issuing organisation ("American College of Physicians")
    year: int | None = None  # publication year, or the year of last_updated when only that is known
    reviewed_by: str | None = None  # from "Reviewed by <name> — <date>"
    reviewed_on: str | None = None  # ISO date of that review, or of "Last reviewed <date>"
    # Words in the source, indexed and dropped by reason (None for indexes built before it).
    account: IngestAccount | None = field(default=None, compare=False)
    ocr_pages: tuple[int, ...] = ()  # 1-based PDF pages whose text was read by OCR

    @property
    def text(self) -> str:
        """Concatenated section texts; Section.char_start and Chunk spans index into this."""
        out: list[str] = []
        pos = 0
        for section in self.sections:
            gap = section.char_start - pos
            out.append("\n" * gap)
            out.append(section.text)
            pos = section.char_start + len(section.text)
        return "".join(out)

    def reference(self, n: int) -> Reference | None:
        return next((r for r in self.references if r.n == n), None)

    @property
    def evidence_type(self) -> str:
        """Guideline when any reference is a guideline, else Research when typed, else ''."""
        types = {r.type.lower() for r in self.references}
        if "guideline" in types:
            return "Guideline"
        return "Research" if "research" in types else ""


PASSAGE = "passage"
REFERENCE = "reference"


@dataclass(frozen=True)
class Chunk:
    """A retrievable item: a piece of one section under the embedding model's token window
    (`kind` "passage"), or one entry of the article's reference list (`kind` "reference")."""

    chunk_id: str
    article_id: str
    title: str
    section: str
    section_path: tuple[str, ...]
    text: str
    char_start: int  # span in Article.text
    char_end: int
    page: int | None = None
    references: tuple[int, ...] = ()  # reference numbers cited inside this chunk
    evidence_type: str = ""  # Guideline / Research, from the references cited here
    kind: str = PASSAGE
    # A reference item: ids of the passage chunks of its article that cite its number.
    cites_from: tuple[str, ...] = ()

    @property
    def is_reference(self) -> bool:
        return self.kind == REFERENCE
    ocr: bool = False  # text read by OCR from a page image: a reader should check the original

    @property
    def embed_text(self) -> str:
        """What the encoder and BM25 see: the title and section give a passage its topic; a
        reference is read alone (the citing article's title says nothing about the cited work)."""
        if self.is_reference:
            return self.text
        return f"{self.title} | {' > '.join(self.section_path)}\n{self.text}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["section_path"] = list(self.section_path)
        data["references"] = list(self.references)
        data["cites_from"] = list(self.cites_from)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Chunk:
        """Read a stored chunk; chunks of older indexes (no `kind`) load as passages."""
        values = dict(data)
        values["section_path"] = tuple(values["section_path"])  # type: ignore[arg-type]
        values["references"] = tuple(values["references"])  # type: ignore[arg-type]
        values["cites_from"] = tuple(values.get("cites_from") or ())  # type: ignore[arg-type]
        values.setdefault("kind", PASSAGE)
        values.setdefault("ocr", False)  # indexes written before OCR have no such field
        return cls(**values)  # type: ignore[arg-type]
