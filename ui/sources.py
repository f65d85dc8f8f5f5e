"""HTML of an answer's numbered sources: each one a <details> block a citation chip links to.

A chip `[2]` is a link to `#cw-src-<scope>-2`, the body of source 2; following it, the browser
opens the closed <details> around its target (HTML's ancestor-revealing step of fragment
navigation) and scrolls to it. `scope` keeps the
ids of two answers on one page apart. Every piece of article text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

from ingest.records import Article, Reference
from qa.records import Citation
from ui.badges import evidence_badge, is_pending_review, status_badge
from ui.wording import reader_date

# Markers such as [3] or [1, 2] inside a passage refer to the article's own reference list.
_REF_MARK = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\]")
OPENING_WORDS = 8  # of the quoted sentence, to tell two sources of one section apart
SECTION_WORDS = 14  # a heading longer than this is text, not a heading: cut in the label


def source_id(scope: str, n: int) -> str:
    return f"cw-src-{scope}-{n}"


def cite_chip(n: int, scope: str, title: str = "") -> str:
    """A citation number that leads to its source."""
    hint = f"Source {n}: {title}" if title else f"Source {n}"
    return (f'<a class="cw-cite" href="#{source_id(scope, n)}" title="{escape(hint)}">'
            f"{n}</a>")


def _find_spans(text: str, sentences: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the quoted sentences in `text` (whitespace-tolerant), merged."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        start = text.find(sentence)
        if start >= 0:
            spans.append((start, start + len(sentence)))
            continue
        pattern = r"\s+".join(re.escape(word) for word in sentence.split())
        match = re.search(pattern, text)
        if match:
            spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _passage_fragment(text: str) -> str:
    """Escape, show the article's own [n] markers as 'ref n', keep line breaks."""
    out: list[str] = []
    pos = 0
    for match in _REF_MARK.finditer(text):
        out.append(escape(text[pos:match.start()]))
        out.append(f'<span class="cw-ref">ref {escape(match.group(1))}</span>')
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def passage_html(c: Citation) -> str:
    """The supporting passage with the sentences the answer quotes highlighted."""
    # list items come through as "- item" lines: show bullets (same length, so spans hold)
    text = c.text.replace("\n- ", "\n• ")
    text = "• " + text[2:] if text.startswith("- ") else text
    parts: list[str] = []
    pos = 0
    for start, end in _find_spans(text, c.quoted):
        parts.append(_passage_fragment(text[pos:start]))
        parts.append(f"<mark>{_passage_fragment(text[start:end])}</mark>")
        pos = end
    parts.append(_passage_fragment(text[pos:]))
    return f'<div class="cw-passage">{"".join(parts)}</div>'


def reference_html(ref: Reference) -> str:
    """One reference as its list prints it: title, authors, venue in italics, year, type."""
    bits = [escape(ref.title)]
    if ref.authors:
        bits.append(escape(ref.authors))
    if ref.venue:
        bits.append(f"<i>{escape(ref.venue)}</i>")
    if ref.year:
        bits.append(str(ref.year))
    kind = f" {evidence_badge(ref.type)}" if ref.type else ""
    return f"{'. '.join(bits)}.{kind}"


def references_html(c: Citation) -> str:
    if not c.references:
        return ('<div class="cw-sub">Article references</div>'
                "<p>No references cited in this passage.</p>")
    items = [f'<li><span class="cw-refn">ref {ref.n}</span>{reference_html(ref)}</li>'
             for ref in c.references]
    return (f'<div class="cw-sub">Article references cited in this passage</div>'
            f'<ul class="cw-refs">{"".join(items)}</ul>')


def citation_meta_html(c: Citation, article: Article | None = None) -> str:
    """Who published the source and when, as the Article record has it; what it does not
    state is named once, not as a row of grey badges."""
    known: list[str] = []
    missing: list[str] = []
    publisher = article.publisher if article else None
    year = article.year if article else None
    # The year alone when the last-updated date does not already say it.
    own_year = year if year and not (c.last_updated or "").startswith(str(year)) else None
    if publisher:
        known.append(f"<b>{escape(publisher)}</b>" + (f" ({own_year})" if own_year else ""))
    else:
        missing.append("publisher")
        if own_year:
            known.append(f"Published <b>{own_year}</b>")
    if c.last_updated:
        known.append(f"Last updated <b>{escape(reader_date(c.last_updated) or '')}</b>")
    elif not year:
        missing.append("date")
    reviewed = article.reviewed_on if article else None
    if reviewed:
        by = f" by {escape(article.reviewed_by)}" if article and article.reviewed_by else ""
        known.append(f"Reviewed{by} <b>{escape(reader_date(reviewed) or '')}</b>")
    if c.page:
        known.append(f"page {c.page}")
    if c.source_note:
        known.append(f"<b>{escape(c.source_note)}</b>")
    badges = status_badge(c.review_status) if c.review_status else ""
    if not c.review_status:
        missing.append("review status")
    badges += evidence_badge(c.evidence_type) if c.evidence_type else ""
    note = (f'<span class="cw-notstated">Not stated in the document: {", ".join(missing)}'
            "</span>" if missing else "")
    return (f'<div class="cw-meta"><span>{" · ".join(known)}</span>{badges}{note}</div>')


def source_labels(citations: Sequence[Citation]) -> dict[int, str]:
    """What tells a source from another with the same title and section (its page when the
    pages differ, else the opening words of the sentence it gives); "" when nothing must."""
    groups: dict[tuple[str, str], list[Citation]] = {}
    for c in citations:
        groups.setdefault((c.title, c.section), []).append(c)
    labels: dict[int, str] = {c.n: "" for c in citations}
    for group in groups.values():
        if len(group) < 2:
            continue
        pages = [c.page for c in group]
        by_page = None not in pages and len(set(pages)) == len(pages)
        for c in group:
            if by_page:
                labels[c.n] = f", page {c.page}"
            elif c.quoted:
                words = c.quoted[0].split()
                more = "…" if len(words) > OPENING_WORDS else ""
                labels[c.n] = f": “{' '.join(words[:OPENING_WORDS])}{more}”"
    return labels


def short_section(section: str) -> str:
    """A section label as a heading reads: a long one (a PDF's run of text read as a heading)
    is cut at SECTION_WORDS words; the passage below shows it whole."""
    words = section.split()
    return section if len(words) <= SECTION_WORDS else " ".join(words[:SECTION_WORDS]) + " …"


def source_html(c: Citation, scope: str, article: Article | None = None,
                distinct: str = "") -> str:
    """One numbered source, closed until opened or linked to; `distinct` follows the section
    when another source has the same title and section."""
    caution = (f' <span class="cw-badge cw-pending">⚠ {escape(c.review_status or "")}</span>'
               if is_pending_review(c.review_status) else "")
    ocr = f' <span class="cw-notstated">({escape(c.source_note)})</span>' if c.source_note else ""
    # The id sits inside the closed block: following a link to it opens its <details>.
    return (f'<details class="cw-source" data-testid="cw-source">'
            f'<summary><span class="cw-srcn">{c.n}</span><span class="cw-srctitle">'
            f"<b>{escape(c.title)}</b> — <i>{escape(short_section(c.section))}</i>"
            f"{escape(distinct)}"
            f"{caution}{ocr}</span></summary>"
            f'<div class="cw-srcbody" id="{source_id(scope, c.n)}">'
            f"{citation_meta_html(c, article)}"
            '<div class="cw-sub">Supporting passage</div>'
            f"{passage_html(c)}{references_html(c)}</div></details>")


def sources_html(citations: Sequence[Citation], articles: Mapping[str, Article],
                 scope: str) -> str:
    distinct = source_labels(citations)
    return "".join(source_html(c, scope, articles.get(c.article_id), distinct[c.n])
                   for c in citations)
