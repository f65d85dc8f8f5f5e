"""Markdown -> blocks: `#` headings keep their level, front matter becomes metadata."""

from __future__ import annotations

import re

from ingest.blocks import Block, ParsedFile
from ingest.text_reader import Line, lines_to_blocks

_FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^(=+|-+)\s*$")
_INLINE_RE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]^][^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"<[^>]+>"), ""),
]


def parse_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """`key: value` lines between leading `---` fences, and the text after them."""
    m = _FRONT_MATTER_RE.match(raw)
    if not m:
        return {}, raw
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line and not line.startswith((" ", "\t", "#")):
            key, value = line.split(":", 1)
            meta[key.strip().lower().replace("-", "_")] = value.strip().strip("\"'")
    return meta, raw[m.end() :]


def strip_inline(text: str) -> str:
    for pattern, repl in _INLINE_RE:
        text = pattern.sub(repl, text)
    return text


def read_markdown(raw: str) -> ParsedFile:
    meta, body = parse_front_matter(raw)
    blocks: list[Block] = []
    pending: list[Line] = []
    table: list[str] = []
    lines = body.splitlines()

    def flush_text() -> None:
        blocks.extend(lines_to_blocks(pending) if pending else [])
        pending.clear()

    def flush_table() -> None:
        if table:
            blocks.append(Block("table", "\n".join(table)))
        table.clear()

    in_code = False
    for i, line in enumerate(lines):
        if line.strip().startswith("```"):
            in_code = not in_code
            continue
        heading = _HEADING_RE.match(line) if not in_code else None
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if heading:
            flush_text(), flush_table()
            level = len(heading.group(1))
            blocks.append(Block("heading", strip_inline(heading.group(2)), level=level))
        elif (line.strip() and _SETEXT_RE.match(nxt)
              and not line.lstrip().startswith(("-", "*", "|"))):
            flush_text(), flush_table()
            level = 1 if "=" in nxt else 2
            blocks.append(Block("heading", strip_inline(line.strip()), level=level))
        elif _SETEXT_RE.match(line) and blocks and blocks[-1].kind == "heading" and not pending:
            continue
        elif line.strip().startswith("|"):
            flush_text()
            table.append(line.strip())
        else:
            flush_table()
            # Prose lines never become inferred headings in Markdown: headings are explicit.
            pending.append(Line(strip_inline(line), emphasised=False))
    flush_text()
    flush_table()
    return ParsedFile(tuple(blocks), meta)
