"""HTML for answers (the terminal twin is citewise/render.py); the sources are ui/sources.py.

Every piece of article text is escaped before it is wrapped in markup, so an article cannot
inject HTML into the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from qa.records import ABSTAIN_TEXT, Answer, Statement
from ui.badges import evidence_badge, grade_badges, is_pending_review, status_badge
from ui.sources import cite_chip, reference_html

__all__ = ["CSS", "answer_html", "cited_work_html", "disclaimer_html", "evidence_badge",
           "is_pending_review", "md_escape", "related_questions", "statement_html",
           "status_badge"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$:])")

CSS = "<style>" + (Path(__file__).parent / "style.css").read_text(encoding="utf-8") + "</style>"


def md_escape(text: str) -> str:
    """Escape Markdown specials for widget labels (expander titles, buttons)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def statement_html(statement: Statement, scope: str = "a",
                   titles: Mapping[int, str] | None = None) -> str:
    """The sentence, its source chips (links to the sources below) and its grades."""
    body = statement.text.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else "."
    chips = "".join(cite_chip(n, scope, (titles or {}).get(n, ""))
                    for n in statement.citations)
    # chips and the full stop stay on one line with the last word
    head, _, last = escape(body.rstrip(".!?")).rpartition(" ")
    tail = f'<span class="cw-nowrap">{last}{chips}{end}</span>'
    tail += grade_badges(statement.strength, statement.text)
    return f"{head} {tail}" if head else tail


def _source_label(organisation: object, year: object) -> str:
    return escape(f"{organisation} ({year})" if year else str(organisation))


def _grouped_statements(answer: Answer, scope: str, titles: Mapping[int, str]) -> str:
    """Supporting statements under their organisation and year, newest first."""
    every = [answer.bottom_line, *answer.statements]
    parts = []
    groups: tuple[dict[str, Any], ...] = answer.sources
    for group in groups:
        items = "".join(f"<li>{statement_html(every[i], scope, titles)}</li>"  # type: ignore[arg-type]
                        for i in group["statements"] if i > 0)
        if items:
            label = _source_label(group["organisation"], group["year"])
            parts.append(f'<div class="cw-label">{label}</div>'
                         f'<ul class="cw-statements">{items}</ul>')
    grouped = {i for g in groups for i in g["statements"]}
    rest = "".join(f"<li>{statement_html(st, scope, titles)}</li>" for i, st in enumerate(every)
                   if i > 0 and i not in grouped and st is not None)
    if rest:  # statements no organisation could be named for are still shown
        parts.append(f'<div class="cw-label">Source not stated</div>'
                     f'<ul class="cw-statements">{rest}</ul>')
    return "".join(parts)


def disclaimer_html(text: str) -> str:
    return f'<div class="cw-disclaimer" role="note">⚕️ {escape(text)}</div>'


def decline_reason(abstain_reason: str) -> str:
    """The engine's reason for declining (Answer.abstain_reason), as a sentence."""
    reason = abstain_reason.strip().rstrip(".")
    return f"{reason[:1].upper()}{reason[1:]}." if reason else ""


def answer_html(answer: Answer, scope: str = "a") -> str:
    """Bottom line first, then the supporting statements, each with numbered source chips;
    a decline says why."""
    if answer.abstained or answer.bottom_line is None:
        why = decline_reason(answer.abstain_reason)
        reason = (f'<p class="cw-why" data-testid="cw-decline-reason"><b>Why:</b> '
                  f"{escape(why)}</p>" if why else "")
        return ('<div class="cw-notcovered" data-testid="cw-not-covered">'
                '<div class="cw-label">Not covered by the indexed articles</div>'
                f'{reason}<p class="cw-muted">{escape(ABSTAIN_TEXT)}</p></div>')
    titles = {c.n: c.title for c in answer.citations}
    parts = []
    if answer.differ:
        parts.append(f'<div class="cw-differ" role="alert" data-testid="cw-differ">'
                     f"<strong>{escape(answer.differ)}</strong></div>")
    if answer.named_source:
        named: dict[str, Any] = answer.named_source
        labels = "; ".join(str(x) for x in named["labels"])
        said = answer.source_note or f"The named source ranks first: {labels}"
        parts.append(f'<div class="cw-followup">{escape(said)}</div>')
    parts.append('<div class="cw-bottom" data-testid="cw-bottom-line">'
                 '<div class="cw-label">Bottom line</div>'
                 f"<p>{statement_html(answer.bottom_line, scope, titles)}</p></div>")
    if answer.sources:
        parts.append(_grouped_statements(answer, scope, titles))
    elif answer.statements:
        items = "".join(f"<li>{statement_html(s, scope, titles)}</li>"
                        for s in answer.statements)
        parts.append(f'<ul class="cw-statements">{items}</ul>')
    return "".join(parts)


def cited_work_html(answer: Answer, scope: str = "a") -> str:
    """The reference hit of a question about a cited work: the reference itself, the articles
    citing it and the statements that cite it, each with its source number."""
    work = answer.cited_work
    if work is None:
        return ""
    titles = {c.n: c.title for c in answer.citations}
    citing = [s for s in (answer.bottom_line, *answer.statements) if s is not None]
    by = "".join(f"<li>{escape(title)}</li>" for title in work.article_titles)
    said = "".join(f"<li>{statement_html(s, scope, titles)}</li>" for s in citing)
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
