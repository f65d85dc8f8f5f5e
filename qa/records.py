"""Records that leave the qa package: Passage, Statement, Citation, Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.records import Chunk, Reference


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused rank and the scores behind it."""

    chunk: Chunk
    rank: int  # 1-based, after fusion
    score: float  # reciprocal-rank fusion score
    dense_score: float | None = None  # cosine similarity, None when dense did not return it
    bm25_score: float | None = None


@dataclass(frozen=True)
class Statement:
    """One answer sentence, quoted from a passage, and the citation numbers it carries."""

    text: str  # the sentence as quoted, without its [n] marker
    citations: tuple[int, ...]
    chunk_id: str
    score: float = 0.0
    strength: str | None = None  # the grade the guideline gives it ("Grade B", "Level II")
    organisation: str | None = None  # who states it (table label, named issuer, publisher)
    year: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"text": self.rendered, "strength": self.strength,
                "organisation": self.organisation, "year": self.year}

    @property
    def rendered(self) -> str:
        marks = "".join(f"[{n}]" for n in self.citations)
        body = self.text.rstrip()
        end = body[-1] if body and body[-1] in ".!?" else "."
        return f"{body.rstrip('.!?')} {marks}{end}"


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: the passage and where it comes from."""

    n: int
    chunk_id: str
    article_id: str
    title: str
    section: str
    source_path: str
    last_updated: str | None
    review_status: str | None
    evidence_type: str
    text: str  # the supporting passage
    quoted: tuple[str, ...]  # the sentences of `text` the answer quotes (for highlighting)
    references: tuple[Reference, ...]  # the article's own references cited in the passage
    page: int | None = None
    ocr: bool = False  # the passage was read by OCR from a page image

    @property
    def source_note(self) -> str:
        """What a reader must know about where the passage's text came from ('' if nothing)."""
        return "text from OCR; check the original" if self.ocr else ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["source_note"] = self.source_note
        data["references"] = [r.as_dict() for r in self.references]
        data["quoted"] = list(self.quoted)
        return data


@dataclass(frozen=True)
class CitedWork:
    """A work of the articles' reference lists that the question asks about, and who cites it.

    `reference` is the entry as the (first) citing article lists it; `numbers` are the
    answer's citation numbers of the passages whose statements cite the work.
    """

    reference: Reference
    chunk_id: str  # the reference item retrieved
    article_ids: tuple[str, ...]  # articles that list the work and cite it in their text
    article_titles: tuple[str, ...]
    numbers: tuple[int, ...]
    score: float = 0.0  # cosine of the question and the reference item

    @property
    def rendered(self) -> str:
        kind = f" [{self.reference.type}]" if self.reference.type else ""
        cited_by = "; ".join(self.article_titles)
        return f"Cited work: {self.reference.citation}{kind} Cited by: {cited_by}"

    def as_dict(self) -> dict[str, object]:
        return {"reference": self.reference.as_dict(), "citation": self.reference.citation,
                "chunk_id": self.chunk_id, "article_ids": list(self.article_ids),
                "article_titles": list(self.article_titles), "numbers": list(self.numbers),
                "score": round(self.score, 4)}


@dataclass(frozen=True)
class Answer:
    """What `ask` returns: a bottom line, supporting statements, numbered citations."""

    question: str
    bottom_line: Statement | None
    statements: tuple[Statement, ...]
    citations: tuple[Citation, ...]
    retrieved: tuple[Passage, ...]
    abstained: bool
    evidence: float  # the score the abstention threshold is compared with
    disclaimer: str
    abstain_reason: str = ""
    closest_titles: tuple[str, ...] = ()  # offered when abstaining
    latency_ms: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)
    composer: str = "extractive"
    # Why another composer answered than the one configured (e.g. the LLM server is down).
    composer_notice: str = ""
    cited_work: CitedWork | None = None  # set when the question is about a cited work
    named_source: dict[str, object] | None = None  # NamedSource.as_dict() of the question
    sources: tuple[dict[str, object], ...] = ()  # SourceGroup.as_dict(), newest first
    differ: str | None = None  # "Guidelines differ: ..." when organisations disagree
    # A question named its source and no cited document is one of the named source's: says so
    # ahead of the answer, so a statement is never read as that source's.
    source_note: str = ""
    # The question's specialised words no article holds, and how much of its meaning is left
    # without them (qa.evidence.known_share; 1.0 when none).
    unknown_terms: tuple[str, ...] = ()
    known_share: float = 1.0
    # The decline model's P(the corpus answers the question) (qa.scorer): an answer is given
    # at or above the model's answer threshold; None for answers it did not decide (a cited
    # work, a rejected request).
    confidence: float | None = None

    @property
    def text(self) -> str:
        if self.abstained:
            return ABSTAIN_TEXT
        parts = [p for p in (self.source_note, self.differ) if p]
        parts += [s.rendered for s in ([self.bottom_line] if self.bottom_line else [])]
        parts.extend(s.rendered for s in self.statements)
        if self.cited_work is not None:
            parts.append(self.cited_work.rendered)
        return " ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """The `ask --json` contract shared with the eval harness and the app."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "abstain_reason": self.abstain_reason,
            "bottom_line": self.bottom_line.rendered if self.bottom_line else None,
            "statements": [s.rendered for s in self.statements],
            "citations": [c.as_dict() for c in self.citations],
            "retrieved": [
                {"rank": p.rank, "kind": p.chunk.kind, "chunk_id": p.chunk.chunk_id,
                 "article_id": p.chunk.article_id,
                 "title": p.chunk.title, "section": p.chunk.section, "score": round(p.score, 6),
                 "dense_score": None if p.dense_score is None else round(p.dense_score, 4),
                 "bm25_score": None if p.bm25_score is None else round(p.bm25_score, 4)}
                | ({"text": p.chunk.text, "cites_from": list(p.chunk.cites_from)}
                   if p.chunk.is_reference else {})
                for p in self.retrieved
            ],
            "cited_work": self.cited_work.as_dict() if self.cited_work else None,
            "closest_titles": list(self.closest_titles),
            "named_source": self.named_source,
            "statement_details": [s.as_dict() for s in
                                  ([self.bottom_line] if self.bottom_line else [])
                                  + list(self.statements)],
            "sources": list(self.sources),
            "differ": self.differ,
            "source_note": self.source_note,
            "evidence": round(self.evidence, 4),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "unknown_terms": list(self.unknown_terms),
            "known_share": round(self.known_share, 4),
            "disclaimer": self.disclaimer,
            "composer": self.composer,
            "composer_notice": self.composer_notice,
            "latency_ms": round(self.latency_ms, 1),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


ABSTAIN_TEXT = ("The indexed articles do not cover this question well enough to answer it. "
                "No answer is given rather than one built on weak evidence.")
