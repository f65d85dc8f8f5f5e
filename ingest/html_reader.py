"""HTML -> blocks with BeautifulSoup; scripts, styles, menus, headers and footers dropped."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ingest.blocks import Block, ParsedFile

_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "nav", "header", "footer",
              "aside", "form", "button", "iframe", "object", "select"]
_BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "dt", "dd", "blockquote",
               "pre", "figcaption"]
_META_NAMES = {
    "last_updated": ("last-modified", "dcterms.modified", "article:modified_time", "dc.date",
                     "citation_date", "date"),
    "review_status": ("review-status", "review_status"),
    "title": ("citation_title", "og:title", "dc.title"),
}


def _text(tag: Tag) -> str:
    text = re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def _table_text(table: Tag) -> str:
    rows = []
    for tr in table.find_all("tr"):
        cells = [_text(c) for c in tr.find_all(["th", "td"])]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def read_html(raw: str) -> ParsedFile:
    soup = BeautifulSoup(raw, "html.parser")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        for key, names in _META_NAMES.items():
            if name in names and tag.get("content") and key not in meta:
                meta[key] = str(tag["content"]).strip()
    if soup.title and soup.title.string:
        meta.setdefault("html_title", soup.title.string.strip())
    time_tag = soup.find("time", attrs={"datetime": True})
    if time_tag is not None:
        meta.setdefault("last_updated", str(time_tag["datetime"]))
    for name in _DROP_TAGS:
        for tag in soup.find_all(name):
            tag.decompose()
    for sup in soup.find_all("sup"):
        digits = re.sub(r"[^\d,\-\u2013 ]", "", sup.get_text())
        sup.replace_with(f" [{digits.strip()}]" if digits.strip() else sup.get_text())
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[Block] = []
    for tag in root.find_all(_BLOCK_TAGS):
        if tag.find_parent(["li", "table", "blockquote", "dd"]) is not None:
            continue  # its text is part of the enclosing block
        name = tag.name
        if name == "table":
            text = _table_text(tag)
            if text:
                blocks.append(Block("table", text))
            continue
        text = _text(tag)
        if not text:
            continue
        if name[0] == "h" and name[1:].isdigit():
            blocks.append(Block("heading", text, level=int(name[1])))
        elif name == "li":
            blocks.append(Block("item", text))
        else:
            blocks.append(Block("para", text))
    if not blocks:  # pages that keep their text in bare <div>s
        blocks = [Block("para", t) for t in (_text(d) for d in root.find_all("div")
                                             if not d.find("div")) if t]
    return ParsedFile(tuple(blocks), meta)
