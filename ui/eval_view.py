"""One eval case opened from a saved run: what was expected, what the engine answered, and the
passages it cited (the run's `ask --json` record), as HTML."""

from __future__ import annotations

from html import escape
from typing import Any

from ui.render import decline_reason
from ui.wording import reader_time


def case_label(result: dict[str, Any]) -> str:
    mark = "✓" if result.get("scores", {}).get("passed") else "✗"
    return f"{mark} {result.get('id')}: {result.get('question')}"


def _facts(result: dict[str, Any]) -> str:
    covered = result.get("scores", {}).get("facts_covered") or []
    facts = result.get("expected_facts") or []
    items = "".join(f"<li>{'✓' if ok else '✗'} {escape(' / '.join(phrasings))}</li>"
                    for phrasings, ok in zip(facts, covered, strict=False))
    return f"<ul>{items}</ul>" if items else "<p>—</p>"


def _citations(result: dict[str, Any]) -> str:
    items = []
    for c in result.get("citations") or []:
        items.append(
            f'<details class="cw-source"><summary><span class="cw-srcn">{c.get("n")}</span>'
            f'<span class="cw-srctitle"><b>{escape(str(c.get("title", "")))}</b> — '
            f'<i>{escape(str(c.get("section", "")))}</i> <code>{escape(str(c.get("article_id")))}'
            f'</code></span></summary><div class="cw-srcbody"><div class="cw-passage">'
            f'{escape(str(c.get("text", ""))).replace(chr(10), "<br>")}</div></div></details>')
    return "".join(items) or "<p>No citations.</p>"


def case_html(result: dict[str, Any]) -> str:
    """The case as a reviewer reads it: verdict, expectations, the answer, its sources."""
    scores = result.get("scores", {})
    verdict = "Passed" if scores.get("passed") else "Failed"
    why = "; ".join(scores.get("failures") or [])
    expected = (_facts(result) if result.get("answerable", True)
                else "<p>Should be declined (the articles do not cover it).</p>")
    sources = ", ".join(result.get("expected_sources") or []) or "—"
    cited = ", ".join(scores.get("cited_articles") or []) or "—"
    retrieved = ", ".join((scores.get("retrieved_articles") or [])[:5]) or "—"
    if result.get("abstained"):
        reason = decline_reason(str(result.get("abstain_reason") or "")) or "none recorded"
        answer = (f'<div class="cw-notcovered"><div class="cw-label">Declined</div>'
                  f"<p><b>Why:</b> {escape(reason)}</p></div>")
    else:
        answer = f'<div class="cw-bottom"><p>{escape(str(result.get("answer", "")))}</p></div>'
    return (f'<div data-testid="cw-eval-case"><p><b>{verdict}</b>'
            f"{': ' + escape(why) if why else ''}</p>"
            f'<div class="cw-sub">Question</div><p>{escape(str(result.get("question")))}</p>'
            f'<div class="cw-sub">Expected facts (✓ found / ✗ missing)</div>{expected}'
            f'<div class="cw-sub">Expected sources</div><p>{escape(sources)} · cited: '
            f"{escape(cited)} · retrieved first: {escape(retrieved)}</p>"
            f'<div class="cw-sub">Answer</div>{answer}'
            f'<div class="cw-sub">Citations</div>{_citations(result)}</div>')


def run_title(path_stem: str, data: dict[str, Any]) -> str:
    saved = str(data.get("saved_at") or "")
    return f"Run of {reader_time(saved.replace(' ', 'T')) if saved else path_stem}"
