"""Blocks + metadata -> Article: title, dates, review status, sections, references."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from ingest.account import (
    PAGE_FURNITURE,
    REFERENCE_LIST,
    IngestAccount,
    count_words,
    merge_dropped,
)
from ingest.blocks import Block, ParsedFile
from ingest.citations import cited_numbers, normalise_markers
from ingest.doc_metadata import (
    LAST_REVIEWED_RE,
    REVIEWED_BY_RE,
    date_only,
    title_problem,
    valid_year,
)
from ingest.furniture import PENDING_REVIEW_RE, is_furniture_line, section_role
from ingest.records import Article, Reference, Section
from ingest.reference_numbers import align_to_citations
from ingest.references import parse_reference_blocks

_NUMBERED_ENTRY_RE = re.compile(r"^\s*\[?\d{1,3}[.)\]]\s")  # "1. Title", "[2] Title"
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y",
                 "%Y/%m/%d", "%B %Y", "%Y-%m-%dT%H:%M:%S")
_UPDATED_RE = re.compile(
    r"(?:(?:this\s+)?(?:page|article|content)(?:\s+was)?\s+)?"  # "Page last reviewed: ..."
    r"(?:last[\s_-]*(?:updated|modified|reviewed)|updated(?: on)?|reviewed(?: on)?|date)"
    r"\s*[:\-]?\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|"
    r"\d{1,2}/\d{1,2}/\d{4})",
    re.IGNORECASE,
)
_STATUS_RE = re.compile(r"review[\s_-]*status\s*[:\-]\s*(?P<status>[A-Za-z][A-Za-z ]{2,20}?)"
                        r"(?=\s*(?:[·|,;.]|$|last))", re.IGNORECASE)
_STATUS_WORDS = {"approved": "Approved", "under review": "Under review", "submitted": "Submitted",
                 "draft": "Draft", "pending review": "Under review", "in review": "Under review"}
OVERVIEW = "Overview"
# Where the words under a non-content heading go in the ingest account.
# "Related questions" lists promote other pages, like the "see also" sections that are dropped.
_ROLE_REASON = {"references": REFERENCE_LIST, "related": PAGE_FURNITURE,
                "dropped": PAGE_FURNITURE}


def parse_date(value: str) -> str | None:
    """ISO date from the date styles articles use, or None."""
    value = re.sub(r"\s+", " ", value.strip().replace(".", ""))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value[:19] if "T" in fmt else value, fmt).date().isoformat()
        except ValueError:
            continue
    m = _UPDATED_RE.search("date: " + value)
    return parse_date(m.group("date")) if m and m.group("date") != value else None


def _status(value: str) -> str:
    key = value.strip().lower()
    return _STATUS_WORDS.get(key, value.strip().capitalize())


class _Builder:
    def __init__(self, article_id: str, source_path: str, parsed: ParsedFile) -> None:
        self.article_id = article_id
        self.source_path = source_path
        self.meta = dict(parsed.metadata)
        self.blocks = list(parsed.blocks)
        self.warnings = list(parsed.warnings)
        self.last_updated = parse_date(self.meta["last_updated"]) if self.meta.get(
            "last_updated") else None
        self.review_status = _status(self.meta["review_status"]) if self.meta.get(
            "review_status") else None
        self.pending_banner = False
        self.reviewed_by: str | None = None
        self.reviewed_on: str | None = None
        self.page_date: str | None = None  # a date-only line beside the title
        self.dropped: dict[str, int] = {}  # reason -> words, see ingest.account
        self.indexed_heading_words = 0

    def _drop(self, reason: str, text: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + count_words(text)

    def _take_metadata(self, text: str) -> str:
        """Pull dates and review status out of a line; return what is left of it."""
        r = REVIEWED_BY_RE.search(text) or LAST_REVIEWED_RE.search(text)
        if r and len(text) < 160:
            self.reviewed_on = self.reviewed_on or parse_date(r.group("date"))
            if "name" in r.groupdict():
                self.reviewed_by = self.reviewed_by or r.group("name").strip(" ,;:")
                text = text.replace(r.group(0), " ")
        m = _UPDATED_RE.search(text)
        if m and len(text) < 160:
            self.last_updated = self.last_updated or parse_date(m.group("date"))
            text = text.replace(m.group(0), " ")
            text = re.sub(r"^\s*(view )?editorial policy\s*$", "", text.strip(), flags=re.I)
        s = _STATUS_RE.search(text)
        if s and len(text) < 160:
            self.review_status = self.review_status or _status(s.group("status"))
            text = text.replace(s.group(0), " ")
        if PENDING_REVIEW_RE.search(text) and len(text) < 160:
            self.pending_banner = True
        return re.sub(r"^[\s·|,;]+|[\s·|,;]+$", "", text)

    def _pick_title(self, blocks: list[Block]) -> str:
        """Stated title, else first level-1 heading, else the page's <title>, else the first
        block; a candidate that is a date, a copyright line or a banner is passed over."""
        stated = self.meta.get("title", "").strip()
        if stated and not title_problem(stated):
            for b in [b for b in blocks if b.kind == "heading" and b.text.strip() == stated]:
                blocks.remove(b)
            self.indexed_heading_words += count_words(stated)  # embedded with every chunk
            return stated
        if stated:
            self.warnings.append(f"stated title {stated[:60]!r} passed over: "
                                 f"{title_problem(stated)}")
        h1s = [b for b in blocks if b.kind == "heading" and b.level == 1]
        page_title = self.meta.get("html_title", "").strip()
        candidates: list[Block | str] = [*h1s[:1], page_title, *blocks[:8],
                                         self.meta.get("pdf_title", "").strip()]
        for pick in candidates:
            text = pick.text.strip() if isinstance(pick, Block) else pick
            if not text or title_problem(text):
                continue
            if isinstance(pick, Block):
                index = blocks.index(pick)
                self._page_date(blocks, index)
                blocks.remove(pick)
                self.indexed_heading_words += count_words(text)
            return text
        return ""

    def _page_date(self, blocks: list[Block], title_index: int) -> None:
        """A date-only line right before or after the title is the page's own date."""
        for i in (title_index - 1, title_index + 1, title_index - 2):
            if 0 <= i < len(blocks) and blocks[i].kind != "heading":
                iso = date_only(blocks[i].text)
                if iso:
                    self.page_date = iso
                    self._drop(PAGE_FURNITURE, blocks[i].text)
                    del blocks[i]
                    return

    def build(self) -> Article:
        blocks = [b for b in self.blocks if b.text.strip()]
        title = self._pick_title(blocks)
        bare = not any("[" in b.text for b in blocks)  # no bracket markers: accept bare numbers
        sections_raw: list[tuple[str, tuple[str, ...], list[Block]]] = []
        references_text: list[str] = []
        related: list[str] = []
        role = "content"
        path: list[tuple[int, str]] = []
        for block in blocks:
            if block.kind == "reference":  # an entry of a list the reader recognised
                references_text.append(block.text)
                continue
            if block.kind != "table":
                text = self._take_metadata(block.text)
                self.dropped[PAGE_FURNITURE] = (self.dropped.get(PAGE_FURNITURE, 0)
                                                + count_words(block.text) - count_words(text))
                if not text or is_furniture_line(text):
                    self._drop(PAGE_FURNITURE, text)
                    continue
                block = Block(block.kind, text, block.level, block.page)
            if block.kind == "heading":
                new_role = section_role(block.text)
                if role == "related" and new_role == "content" and block.text.endswith("?"):
                    related.append(block.text)
                    self._drop(PAGE_FURNITURE, block.text)
                    continue
                if role == "references" and new_role == "content" and block.level == 0:
                    references_text.append(block.text)  # "Guideline" type lines and the like
                    self._drop(REFERENCE_LIST, block.text)
                    continue
                role = new_role
                level = block.level or 2
                path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, block.text)]
                if role == "content":
                    sections_raw.append((block.text, tuple(h for _l, h in path), []))
                    self.indexed_heading_words += count_words(block.text)
                else:
                    self._drop(_ROLE_REASON[role], block.text)
                continue
            if role == "references":
                references_text.append(block.text)
            elif role == "related":
                related.extend(q.strip() for q in re.split(r"(?<=\?)\s+(?=[A-Z])", block.text))
            elif role == "content":
                if not sections_raw:
                    sections_raw.append((OVERVIEW, (OVERVIEW,), []))
                heading, _path, body = sections_raw[-1]
                if not body and block.text.startswith(heading):
                    # A heading its first paragraph repeats (a graded statement heading its
                    # evidence) is one text: its words are counted once.
                    self.indexed_heading_words -= count_words(heading)
                body.append(block)
            if role != "content":
                self._drop(_ROLE_REASON[role], block.text)
        if self.review_status is None and self.reviewed_on:
            self.review_status = "Reviewed"
        if self.review_status is None and self.pending_banner:
            self.review_status = "Under review"
        references = parse_reference_blocks(references_text)
        sections = self._sections(sections_raw, bare)
        if not any(_NUMBERED_ENTRY_RE.match(t) for t in references_text):
            references = align_to_citations(references, sections)
        self._check(title, sections, references)
        last_updated = self.last_updated or self.page_date
        year = valid_year(self.meta.get("year")) or valid_year(self.page_date) or valid_year(
            last_updated)
        return Article(
            article_id=self.article_id,
            title=title,
            source_path=self.source_path,
            sections=tuple(sections),
            references=tuple(references),
            last_updated=last_updated,
            review_status=self.review_status,
            related_questions=tuple(related),
            warnings=tuple(self.warnings),
            publisher=(self.meta.get("publisher") or "").strip() or None,
            year=year,
            reviewed_by=self.reviewed_by,
            reviewed_on=self.reviewed_on,
        )

    def account(self, article: Article, parsed: ParsedFile) -> IngestAccount:
        """Source words (the reader's count, else the blocks'), indexed and dropped words."""
        indexed = self.indexed_heading_words + sum(count_words(s.text) for s in article.sections)
        source = parsed.words_source
        if source is None:
            source = sum(count_words(b.text) for b in parsed.blocks)
        pages = max((b.page for b in parsed.blocks if b.page is not None), default=None)
        return IngestAccount(words_source=source, words_indexed=indexed,
                             dropped=merge_dropped(parsed.dropped, self.dropped), pages=pages,
                             ocr_pages=tuple(parsed.ocr_pages))

    def _sections(self, raw: list[tuple[str, tuple[str, ...], list[Block]]],
                  bare: bool) -> list[Section]:
        sections: list[Section] = []
        offset = 0
        parent: tuple[str, ...] = ()
        for heading, path, blocks in raw:
            if parent and len(path) == 1:
                # An inferred (flat) heading with no text of its own heads the next section.
                path = parent + path
            parent = path if not blocks and len(path) == 1 else ()
            parts = []
            for b in blocks:
                if b.kind == "table":
                    parts.append(normalise_markers(b.text, False))
                elif b.kind == "item":
                    parts.append("- " + normalise_markers(b.text, bare))
                else:
                    parts.append(normalise_markers(b.text, bare))
            text = "\n".join(parts).strip()
            if not text:
                continue  # a heading whose content is all sub-headings
            pages = tuple((0, b.page) for b in blocks[:1] if b.page is not None)
            sections.append(Section(heading=heading, text=text, path=path, char_start=offset,
                                    page=blocks[0].page if blocks else None, page_starts=pages))
            offset += len(text) + 2
        return sections

    def _check(self, title: str, sections: list[Section], refs: list[Reference]) -> None:
        if not title:
            self.warnings.append("no title found; the file name is used")
        if not sections:
            self.warnings.append("no content sections found")
        from ingest.injection import instruction_sentences

        for section in sections:
            for sentence in instruction_sentences(section.text):
                self.warnings.append(f"text that reads like instructions to a model is not "
                                     f"quoted: {sentence[:80]!r}")
        numbers = {r.n for r in refs}
        cited: set[int] = set()
        for s in sections:
            cited.update(cited_numbers(s.text))
        missing = sorted(cited - numbers)
        if missing:
            self.warnings.append(
                "cites reference(s) " + ", ".join(map(str, missing)) + " missing from its list")


def build_article(article_id: str, source_path: str, parsed: ParsedFile) -> Article:
    """Assemble an Article, with its ingest account, from a reader's blocks."""
    builder = _Builder(article_id, source_path, parsed)
    article = builder.build()
    if parsed.ocr_pages:
        article = replace(article, ocr_pages=parsed.ocr_pages)
    if not article.title:
        article = replace(article, title=article_id.replace("-", " ").replace("_", " "))
    return replace(article, account=builder.account(article, parsed))
