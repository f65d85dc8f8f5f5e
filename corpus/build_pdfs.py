#!/usr/bin/env python
"""Render corpus/pdf_src/*.md articles to corpus/<name>.pdf.

Usage: python corpus/build_pdfs.py

Layout, chosen so that text extraction gives one logical item per line:
  * the title as a big bold line,
  * "Last updated: YYYY-MM-DD" and "Review status: ..." lines,
  * every heading as a bold line on its own,
  * paragraphs and "- " bullets as wrapped text,
  * each reference as one numbered line ("1. Title. Venue. Year. [Guideline]"),
    shrinking the font for long references so that they stay on a single line.

Only core PDF fonts are used; characters outside latin-1 are transliterated
(see TRANSLITERATIONS) so the output never depends on system fonts.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "pdf_src"
OUT_DIR = HERE

FONT = "Helvetica"
BODY_SIZE = 10
TITLE_MAX, TITLE_MIN = 16, 10
REF_MAX, REF_MIN = 9, 5

TRANSLITERATIONS = {
    "\u2265": ">=",  # ≥
    "\u2264": "<=",  # ≤
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "-",  # bullet
    "\u00b7": "-",  # middle dot (is latin-1, but keep output plain)
    "\u2026": "...",
    "\u00a0": " ",
}
RADIATION = "\u2622"  # ☢


def to_latin1(text: str) -> str:
    """Make text safe for core fonts: transliterate, then drop what is left."""
    # A run of radiation symbols becomes "RRL n" (n = number of symbols).
    text = re.sub(
        f"{RADIATION}+", lambda m: f"RRL {len(m.group(0))}", text
    )
    for src, dst in TRANSLITERATIONS.items():
        text = text.replace(src, dst)
    return text.encode("latin-1", "replace").decode("latin-1")


def parse_article(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", raw, re.S)
    if not match:
        raise ValueError(f"{path}: missing front matter")
    meta = {}
    for line in match.group(1).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip()] = value.strip()
    for key in ("title", "last_updated", "review_status"):
        if key not in meta:
            raise ValueError(f"{path}: front matter lacks {key}")
    return {"meta": meta, "body": match.group(2)}


def body_blocks(body: str):
    """Yield (kind, text) with kind in heading2, heading3, para, bullet, ref."""
    in_refs = False
    para: list[str] = []

    def flush():
        if para:
            yield_text = " ".join(s.strip() for s in para)
            para.clear()
            return ("para", yield_text)
        return None

    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("# "):
            # The single H1 repeats the title; the title is drawn separately.
            blk = flush()
            if blk:
                yield blk
            continue
        if stripped.startswith("## ") or stripped.startswith("### "):
            blk = flush()
            if blk:
                yield blk
            level = "heading2" if stripped.startswith("## ") else "heading3"
            heading = stripped.lstrip("#").strip()
            in_refs = heading.lower() == "references"
            yield (level, heading)
            continue
        if not stripped:
            blk = flush()
            if blk:
                yield blk
            continue
        if in_refs and re.match(r"^\d+\.\s", stripped):
            blk = flush()
            if blk:
                yield blk
            yield ("ref", stripped)
            continue
        if stripped.startswith("- "):
            blk = flush()
            if blk:
                yield blk
            yield ("bullet", stripped[2:].strip())
            continue
        para.append(stripped)
    blk = flush()
    if blk:
        yield blk


class ArticlePDF(FPDF):
    def fitted_line(self, text: str, style: str, max_size: float,
                    min_size: float, height: float) -> None:
        """Write text on one line, shrinking the font down to min_size.

        Falls back to wrapping if even min_size is too wide."""
        width = self.epw
        size = max_size
        while size > min_size:
            self.set_font(FONT, style, size)
            if self.get_string_width(text) <= width:
                break
            size -= 0.5
        self.set_font(FONT, style, size)
        if self.get_string_width(text) <= width:
            self.cell(width, height, text, new_x="LMARGIN", new_y="NEXT")
        else:
            self.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")


def render(path: Path, out_path: Path) -> None:
    article = parse_article(path)
    meta = article["meta"]

    pdf = ArticlePDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(to_latin1(meta["title"]))
    pdf.set_creator("citewise corpus/build_pdfs.py")
    pdf.add_page()

    pdf.fitted_line(to_latin1(meta["title"]), "B", TITLE_MAX, TITLE_MIN, 9)
    pdf.ln(2)
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.cell(pdf.epw, 5, to_latin1(f"Last updated: {meta['last_updated']}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(pdf.epw, 5, to_latin1(f"Review status: {meta['review_status']}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    for kind, text in body_blocks(article["body"]):
        text = to_latin1(text)
        if kind == "heading2":
            pdf.ln(2)
            pdf.fitted_line(text, "B", 12, 8, 7)
            pdf.ln(1)
        elif kind == "heading3":
            pdf.ln(1)
            pdf.fitted_line(text, "B", 10.5, 8, 6)
        elif kind == "para":
            pdf.set_font(FONT, "", BODY_SIZE)
            pdf.multi_cell(pdf.epw, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "bullet":
            pdf.set_font(FONT, "", BODY_SIZE)
            pdf.multi_cell(pdf.epw, 5, "- " + text, new_x="LMARGIN",
                           new_y="NEXT")
            pdf.ln(0.5)
        elif kind == "ref":
            pdf.fitted_line(text, "", REF_MAX, REF_MIN, 4.5)
    pdf.output(str(out_path))


def main(argv: list[str]) -> int:
    """Render every pdf_src/*.md; `--out DIR` writes elsewhere than corpus/ (for checks)."""
    out_dir = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(SRC_DIR.glob("*.md"))
    if not sources:
        print(f"no sources in {SRC_DIR}", file=sys.stderr)
        return 1
    for src in sources:
        out = out_dir / f"{src.stem}.pdf"
        render(src, out)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
