"""HTML for answers and citations (the terminal twin is citewise/render.py).

Every piece of article text is escaped before it is wrapped in markup, so an article cannot
inject HTML into the page.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from ingest.records import Reference
from qa.records import Answer, Citation, Statement

PENDING_STATUSES = ("under review", "submitted", "draft")
# Markers such as [3] or [1, 2] inside a passage refer to the article's own reference list.
_REF_MARK = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$:])")

CSS = "<style>" + (Path(__file__).parent / "style.css").read_text(encoding="utf-8") + "</style>"


def is_pending_review(status: str | None) -> bool:
    """Content not yet approved: Under review, Submitted or Draft."""
    return (status or "").strip().lower() in PENDING_STATUSES


def md_escape(text: str) -> str:
    """Escape Markdown specials for widget labels (expander titles, buttons)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _cite_chips(numbers: tuple[int, ...]) -> str:
    return "".join(f'<span class="cw-cite" title="Source {n}">{n}</span>' for n in numbers)


def statement_html(statement: Statement) -> str:
    body = statement.text.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else "."
    # chips and the full stop stay on one line with the last word
    head, _, last = escape(body.rstrip(".!?")).rpartition(" ")
    tail = f'<span class="cw-nowrap">{last}{_cite_chips(statement.citations)}{end}</span>'
    if statement.strength:  # the grade the guideline itself gives the statement
        tail += (f' <span class="cw-badge cw-strength" title="Grade stated by the guideline">'
                 f"{escape(statement.strength)}</span>")
    return f"{head} {tail}" if head else tail


def _source_label(organisation: object, year: object) -> str:
    return escape(f"{organisation} ({year})" if year else str(organisation))


def _grouped_statements(answer: Answer) -> str:
    """Supporting statements under their organisation and year, newest first."""
    every = [answer.bottom_line, *answer.statements]
    parts = []
    groups: tuple[dict[str, Any], ...] = answer.sources
    for group in groups:
        items = "".join(f"<li>{statement_html(every[i])}</li>"  # type: ignore[arg-type]
                        for i in group["statements"] if i > 0)
        if items:
            label = _source_label(group["organisation"], group["year"])
            parts.append(f'<div class="cw-label">{label}</div>'
                         f'<ul class="cw-statements">{items}</ul>')
    grouped = {i for g in groups for i in g["statements"]}
    rest = "".join(f"<li>{statement_html(st)}</li>" for i, st in enumerate(every)
                   if i > 0 and i not in grouped and st is not None)
    if rest:  # statements no organisation could be named for are still shown
        parts.append(f'<div class="cw-label">Source not stated</div>'
                     f'<ul class="cw-statements">{rest}</ul>')
    return "".join(parts)


def disclaimer_html(text: str) -> str:
    return f'<div class="cw-disclaimer" role="note">⚕️ {escape(text)}</div>'


def answer_html(answer: Answer) -> str:
    """Bottom line first, then the supporting statements, each with numbered source chips."""
    if answer.abstained or answer.bottom_line is None:
        return (
            '<div class="cw-notcovered" data-testid="cw-not-covered">'
            '<div class="cw-label">Not covered by the indexed articles</div>'
            f"<p>{escape(answer.text)}</p></div>"
        )
    parts = []
    if answer.differ:
        parts.append(f'<div class="cw-differ" role="alert" data-testid="cw-differ">'
                     f"<strong>{escape(answer.differ)}</strong></div>")
    if answer.named_source:
        named: dict[str, Any] = answer.named_source
        labels = "; ".join(str(x) for x in named["labels"])
        parts.append(f'<div class="cw-followup">Answered only from the named source: '
                     f"{escape(labels)}</div>")
    parts.append('<div class="cw-bottom" data-testid="cw-bottom-line">'
                 '<div class="cw-label">Bottom line</div>'
                 f"<p>{statement_html(answer.bottom_line)}</p></div>")
    if answer.sources:
        parts.append(_grouped_statements(answer))
    elif answer.statements:
        items = "".join(f"<li>{statement_html(s)}</li>" for s in answer.statements)
        parts.append(f'<ul class="cw-statements">{items}</ul>')
    return "".join(parts)


def status_badge(status: str | None) -> str:
    if not status:
        return '<span class="cw-badge cw-unknown">Review status not stated</span>'
    if is_pending_review(status):
        return f'<span class="cw-badge cw-pending">⚠ {escape(status)} — pending review</span>'
    css = "cw-approved" if status.strip().lower() == "approved" else "cw-unknown"
    mark = "✓ " if css == "cw-approved" else ""
    return f'<span class="cw-badge {css}">{mark}{escape(status)}</span>'


def evidence_badge(evidence_type: str) -> str:
    if not evidence_type:
        return '<span class="cw-badge cw-unknown">Evidence type not stated</span>'
    css = "cw-guideline" if evidence_type.lower() == "guideline" else "cw-research"
    return f'<span class="cw-badge {css}">{escape(evidence_type)}</span>'


def citation_meta_html(c: Citation) -> str:
    updated = escape(c.last_updated) if c.last_updated else "date not stated"
    page = f" · page {c.page}" if c.page else ""
    page += f" · <b>{escape(c.source_note)}</b>" if c.source_note else ""
    return (
        '<div class="cw-meta">'
        f"<span>Section: <b>{escape(c.section)}</b>{page}</span>"
        f"<span>· Last updated <b>{updated}</b></span>"
        f"{status_badge(c.review_status)}{evidence_badge(c.evidence_type)}</div>"
    )


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


def cited_work_html(answer: Answer) -> str:
    """The reference hit of a question about a cited work: the reference itself, the articles
    citing it and the statements that cite it, each with its source number."""
    work = answer.cited_work
    if work is None:
        return ""
    citing = [s for s in (answer.bottom_line, *answer.statements) if s is not None]
    by = "".join(f"<li>{escape(title)}</li>" for title in work.article_titles)
    said = "".join(f"<li>{statement_html(s)}</li>" for s in citing)
    noun = "article" if len(work.article_titles) == 1 else "articles"
    return (
        '<div class="cw-work" data-testid="cw-cited-work">'
        '<div class="cw-sub">Reference asked about</div>'
        f'<p class="cw-work-ref"><span class="cw-refn">ref {work.reference.n}</span>'
        f"{reference_html(work.reference)}</p>"
        f'<div class="cw-sub">Cited by {len(work.article_titles)} {noun}</div>'
        f'<ul class="cw-citedby">{by}</ul>'
        '<div class="cw-sub">Statements citing it</div>'
        f'<ul class="cw-statements">{said}</ul></div>'
    )


def references_html(c: Citation) -> str:
    if not c.references:
        return ('<div class="cw-sub">Article references</div>'
                "<p>No references cited in this passage.</p>")
    items = [f'<li><span class="cw-refn">ref {ref.n}</span>{reference_html(ref)}</li>'
             for ref in c.references]
    return (f'<div class="cw-sub">Article references cited in this passage</div>'
            f'<ul class="cw-refs">{"".join(items)}</ul>')


def citation_body_html(c: Citation) -> str:
    return (citation_meta_html(c) + '<div class="cw-sub">Supporting passage</div>'
            + passage_html(c) + references_html(c))


def citation_label(c: Citation) -> str:
    """Expander title: number, article, section, and a caution a reader sees while closed."""
    label = f"**[{c.n}]** {md_escape(c.title)} — _{md_escape(c.section)}_"
    if is_pending_review(c.review_status):
        label += f" · :orange[:material/warning: {md_escape(c.review_status or '')}]"
    if c.source_note:
        label += f" · ({c.source_note})"
    return label


def related_questions(answer: Answer, limit: int = 4) -> list[str]:
    """Titles (article questions) of retrieved articles the answer does not cite."""
    cited = {c.article_id for c in answer.citations}
    seen: dict[str, None] = {}
    for passage in answer.retrieved:
        chunk = passage.chunk
        if chunk.article_id in cited or chunk.title in seen or chunk.title == answer.question:
            continue
        seen[chunk.title] = None
        if len(seen) == limit:
            break
    return list(seen)
