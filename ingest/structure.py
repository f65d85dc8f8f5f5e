"""Blocks + metadata -> Article: title, dates, review status, sections, references."""

from __future__ import annotations

import re
from datetime import datetime

from ingest.blocks import Block, ParsedFile
from ingest.citations import cited_numbers, normalise_markers
from ingest.furniture import PENDING_REVIEW_RE, is_furniture_line, section_role
from ingest.records import Article, Reference, Section
from ingest.references import parse_reference_blocks

_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y",
                 "%Y/%m/%d", "%B %Y", "%Y-%m-%dT%H:%M:%S")
_UPDATED_RE = re.compile(
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

    def _take_metadata(self, text: str) -> str:
        """Pull dates and review status out of a line; return what is left of it."""
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

    def build(self) -> Article:
        title = self.meta.get("title", "").strip()
        blocks = [b for b in self.blocks if b.text.strip()]
        # Title: stated in metadata, else the first level-1 heading, else the first block.
        if not title:
            first_h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
            pick = first_h1 or (blocks[0] if blocks else None)
            if pick is not None:
                title = pick.text.strip()
                blocks.remove(pick)
        else:
            blocks = [b for b in blocks if not (b.kind == "heading" and b.text.strip() == title)]
        if not title:
            title = self.meta.get("html_title") or self.meta.get("pdf_title") or ""
        bare = not any("[" in b.text for b in blocks)  # no bracket markers: accept bare numbers
        sections_raw: list[tuple[str, tuple[str, ...], list[Block]]] = []
        references_text: list[str] = []
        related: list[str] = []
        role = "content"
        path: list[tuple[int, str]] = []
        for block in blocks:
            if block.kind != "table":
                text = self._take_metadata(block.text)
                if not text or is_furniture_line(text):
                    continue
                block = Block(block.kind, text, block.level, block.page)
            if block.kind == "heading":
                new_role = section_role(block.text)
                if role == "related" and new_role == "content" and block.text.endswith("?"):
                    related.append(block.text)
                    continue
                if role == "references" and new_role == "content" and block.level == 0:
                    references_text.append(block.text)  # "Guideline" type lines and the like
                    continue
                role = new_role
                level = block.level or 2
                path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, block.text)]
                if role == "content":
                    sections_raw.append((block.text, tuple(h for _l, h in path), []))
                continue
            if role == "references":
                references_text.append(block.text)
            elif role == "related":
                related.extend(q.strip() for q in re.split(r"(?<=\?)\s+(?=[A-Z])", block.text))
            elif role == "content":
                if not sections_raw:
                    sections_raw.append((OVERVIEW, (OVERVIEW,), []))
                sections_raw[-1][2].append(block)
        if self.review_status is None and self.pending_banner:
            self.review_status = "Under review"
        references = parse_reference_blocks(references_text)
        sections = self._sections(sections_raw, bare)
        self._check(title, sections, references)
        return Article(
            article_id=self.article_id,
            title=title,
            source_path=self.source_path,
            sections=tuple(sections),
            references=tuple(references),
            last_updated=self.last_updated,
            review_status=self.review_status,
            related_questions=tuple(related),
            warnings=tuple(self.warnings),
        )

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
    """Assemble an Article from a reader's blocks (see ingest.loader.read_article)."""
    article = _Builder(article_id, source_path, parsed).build()
    if parsed.ocr_pages:
        from dataclasses import replace

        article = replace(article, ocr_pages=parsed.ocr_pages)
    if not article.title:
        from dataclasses import replace

        article = replace(article, title=article_id.replace("-", " ").replace("_", " "))
    return article
