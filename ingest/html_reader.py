"""HTML -> blocks with BeautifulSoup; site chrome (menus, sidebars, login forms, headers and
footers) dropped and counted, repeated text (accordion copies, nested tables) kept once."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ingest.account import DUPLICATE, PAGE_FURNITURE, count_words, merge_dropped
from ingest.blocks import Block, ParsedFile
from ingest.doc_metadata import split_site_name, valid_year
from ingest.html_chrome import NON_TEXT_TAGS, chrome_reason
from ingest.sentences import is_grade_label

_BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "dt", "dd", "blockquote",
               "pre", "figcaption", "summary"]
_SWALLOWING = ["li", "table", "blockquote", "dd"]  # their text includes nested blocks
# A <p> (or dt/figcaption/pre) that the page nests headings, paragraphs or tables in is only a
# container: html.parser keeps the nesting, so its text would repeat theirs.
_NESTED = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "table", "ul", "ol"]
_META_NAMES = {
    "last_updated": ("last-modified", "dcterms.modified", "article:modified_time", "dc.date",
                     "citation_date", "date"),
    "review_status": ("review-status", "review_status"),
    "title": ("citation_title", "og:title", "dc.title"),
    "publisher": ("citation_publisher", "dc.publisher", "dcterms.publisher", "publisher",
                  "og:site_name", "application-name"),
    "year": ("citation_publication_date", "citation_year", "dcterms.issued",
             "article:published_time", "citation_date", "dc.date"),
}
# A page's "cite this page" text: "... Place: Publisher; 2016 Jun. [cited 2018 Jul 14]".
_CITATION_YEAR_RE = re.compile(r"[;.,]\s*((?:19|20)\d{2})(?:\s+[A-Z][a-z]{2,8}\.?)?(?:\s+\d{1,2})?"
                               r"\s*[.;]")
# A paragraph that is nothing but a short bold phrase is the page's heading ("<p><b>References
# </b></p>"), as an emphasised line is in plain text.
_MAX_PSEUDO_HEADING_WORDS = 12
# Units whose superscript is an exponent (kg/m2, mm3), not a citation marker.
_UNIT_RE = re.compile(r"(?:^|[\s/(\d])(?:k?m|cm|mm|µm|ft|in)$")
# Repeated blocks shorter than this are ordinary repetition ("Not applicable"), not copies.
_MIN_DUPLICATE_WORDS = 5


def _text(tag: Tag) -> str:
    text = re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def _table_text(table: Tag) -> str:
    return "\n".join("| " + " | ".join(_text(c) for c in row) + " |" for row in _rows(table))


def _rows(table: Tag) -> list[list[Tag]]:
    """The cells of each row of `table`; a nested table's rows are inside an enclosing cell."""
    return [tr.find_all(["th", "td"], recursive=False) for tr in table.find_all("tr")
            if tr.find_parent("table") is table]


def _metadata(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").lower()
        for key, names in _META_NAMES.items():
            if name in names and tag.get("content") and key not in meta:
                meta[key] = str(tag["content"]).strip()
    if soup.title and soup.title.get_text(strip=True):
        title, site = split_site_name(soup.title.get_text(" ", strip=True))
        meta.setdefault("html_title", title)
        if site:
            meta.setdefault("site_name", site)
            meta.setdefault("publisher", site)
    if meta.get("title") and meta.get("publisher"):
        # og:title and friends often repeat the site name as <title> does ("Topic | Site").
        title, site = split_site_name(meta["title"])
        if site and site.lower() == meta["publisher"].lower():
            meta["title"] = title
    time_tag = soup.find("time", attrs={"datetime": True})
    if time_tag is not None:
        meta.setdefault("last_updated", str(time_tag["datetime"]))
    if "year" in meta and valid_year(meta["year"]) is None:
        del meta["year"]
    if "year" not in meta:
        for tag in soup.find_all(attrs={"id": re.compile("citation", re.I)}):
            m = _CITATION_YEAR_RE.search(tag.get_text(" ", strip=True).split("[cited")[0])
            if m:
                meta["year"] = m.group(1)
                break
    return meta


def _loose_text(tag: Tag) -> str:
    """Text of a container block outside the blocks nested in it."""
    parts = [str(s) for s in tag.find_all(string=True)
             if s.find_parent(_BLOCK_TAGS + ["ul", "ol"]) is tag]
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _is_pseudo_heading(tag: Tag) -> bool:
    text = _text(tag)
    bold = " ".join(_text(b) for b in tag.find_all(["strong", "b"]) if b.find_parent(
        ["strong", "b"]) is None)
    return (bool(text) and text == bold and count_words(text) <= _MAX_PSEUDO_HEADING_WORDS
            and not text.endswith((".", ",", ";")) and not is_grade_label(text))


# Block-level content inside a table cell: paragraphs, lists, headings, a table of its own.
_CELL_BLOCKS = ["p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dl"]


def _cell_loose_text(cell: Tag) -> str:
    """Text of a table cell outside the paragraphs, lists and tables it holds."""
    def loose(node: object) -> bool:
        for parent in node.parents:  # type: ignore[attr-defined]
            if parent is cell:
                return True
            if parent.name in _CELL_BLOCKS or parent.name == "li":
                return False
        return False

    parts = [str(x) for x in cell.find_all(string=True) if loose(x)]
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _is_layout_table(table: Tag) -> bool:
    """A table used for layout: every row is a short label ("AAOS (2013)") and cells holding
    paragraphs or lists (the NGC's comparison of two guidelines, one whole guideline's
    recommendations per cell). A data table's cells hold values, so a row such as a drug and
    its dose is read as one row; a table comparing statements side by side (long cells in
    every column) keeps its rows too."""
    rows = [row for row in _rows(table) if row]
    labelled = all(row[0].find(_CELL_BLOCKS) is None
                   and count_words(_text(row[0])) <= _MAX_PSEUDO_HEADING_WORDS for row in rows)
    return bool(rows) and labelled and any(
        cell.find(_CELL_BLOCKS) is not None for row in rows for cell in row[1:])


def _blocks(root: Tag, seen: set[str] | None = None) -> tuple[list[Block], int]:
    """Blocks in document order, and words dropped as duplicates. A layout table is read as
    what it lays out: each row's label cell a heading, its other cells' paragraphs, lists
    and tables as blocks of their own."""
    blocks: list[Block] = []
    seen = set() if seen is None else seen
    duplicate = 0
    for tag in root.find_all(_BLOCK_TAGS):
        swallower = tag.find_parent(_SWALLOWING)
        if swallower is not None and root in swallower.parents:
            continue  # its text is part of the enclosing block
        name = tag.name
        if name == "table" and _is_layout_table(tag):
            # a row's label ("AAOS (2013)") heads its cells one level below the heading the
            # table sits under; the cells' own headings go below the label
            above = next((b.level for b in reversed(blocks) if b.kind == "heading" and b.level),
                         1)
            label_level = min(6, above + 1)
            for row in _rows(tag):
                for cell in row:
                    text = _text(cell)
                    if cell.find(_CELL_BLOCKS) is None:
                        if text and (count_words(text) > _MAX_PSEUDO_HEADING_WORDS
                                     or text.endswith(".")):
                            blocks.append(Block("para", text))
                        elif text:
                            blocks.append(Block("heading", text.rstrip(":"), level=label_level))
                        continue
                    inner, dup = _blocks(cell, seen)
                    loose = _cell_loose_text(cell)
                    if loose:  # text beside the cell's blocks ("Note: ...")
                        inner.insert(0, Block("para", loose))
                    blocks.extend(
                        Block(b.kind, b.text, max(b.level, label_level + 1), b.page)
                        if b.kind == "heading" else b for b in inner)
                    duplicate += dup
            continue
        if name == "table":
            block = Block("table", _table_text(tag))
        elif name not in _SWALLOWING and name[0] != "h" and tag.find(_NESTED) is not None:
            block = Block("para", _loose_text(tag))
        elif name[0] == "h" and name[1:].isdigit():
            block = Block("heading", _text(tag), level=int(name[1]))
        elif name == "summary":  # the always-visible title of a <details> accordion panel
            block = Block("heading", _text(tag), level=0)
        elif name == "p" and _is_pseudo_heading(tag):
            block = Block("heading", _text(tag).rstrip(":"), level=0)
        else:
            block = Block("item" if name == "li" else "para", _text(tag))
        if not block.text:
            continue
        key = re.sub(r"\W+", " ", block.text).lower().strip()
        if block.kind != "heading" and count_words(key) >= _MIN_DUPLICATE_WORDS:
            if key in seen:
                duplicate += count_words(block.text)
                continue
            seen.add(key)
        blocks.append(block)
    return blocks, duplicate


def _anchor_citations(body: Tag) -> None:
    """In-page links whose text is a number are citation markers: "(<a href="#ref1">1</a>)"
    (guideline.gov), "<a href="#cite_note-3">3</a>" -> " [1]", their brackets dropped, so a
    sentence ends at its full stop and the marker stays with it."""
    for link in body.find_all("a", href=True):
        number = link.get_text().strip()
        if not (str(link["href"]).startswith("#") and number.isdigit() and len(number) <= 3):
            continue
        before, after = link.previous_sibling, link.next_sibling
        if isinstance(after, str) and after.lstrip().startswith(")"):
            after.replace_with(after.lstrip()[1:])
        if isinstance(before, str) and before.rstrip().endswith("("):
            text = before.rstrip()[:-1].rstrip()
            if text[-1:] in (".", "!", "?"):  # "pain. (1) This": the marker goes before the stop
                before.replace_with(f"{text[:-1]} [{number}]{text[-1]}")
                link.replace_with("")
                continue
            before.replace_with(text)
        link.replace_with(f" [{number}]")


def read_html(raw: str) -> ParsedFile:
    soup = BeautifulSoup(raw, "html.parser")
    meta = _metadata(soup)
    for name in NON_TEXT_TAGS:
        for tag in soup.find_all(name):
            tag.decompose()
    body = soup.body or soup
    words_source = count_words(body.get_text(" "))
    dropped: dict[str, int] = {}
    for tag in body.find_all(True):
        if tag.decomposed:
            continue
        reason = chrome_reason(tag)
        if reason is not None:
            dropped[reason] = dropped.get(reason, 0) + count_words(tag.get_text(" "))
            tag.decompose()
    for sup in body.find_all("sup"):
        digits = re.sub(r"[^\d,\-\u2013 ]", "", sup.get_text())
        before = sup.previous_sibling
        if isinstance(before, str) and _UNIT_RE.search(before):
            before.replace_with(before + sup.get_text())  # m<sup>2</sup> is m2, no citation
            sup.decompose()
        else:
            sup.replace_with(f" [{digits.strip()}]" if digits.strip() else sup.get_text())
    _anchor_citations(body)
    root = body.find("main") or body.find("article") or body
    # Text outside <main>/<article> is the site's: banners, notices, skip links.
    outside = count_words(body.get_text(" ")) - count_words(root.get_text(" "))
    dropped[PAGE_FURNITURE] = dropped.get(PAGE_FURNITURE, 0) + max(0, outside)
    blocks, duplicate = _blocks(root)
    dropped[DUPLICATE] = duplicate
    if not blocks:  # pages that keep their text in bare <div>s
        blocks = [Block("para", t) for t in (_text(d) for d in root.find_all("div")
                                             if not d.find("div")) if t]
    return ParsedFile(tuple(blocks), meta, words_source=words_source,
                      dropped=merge_dropped(dropped))
