"""Terminal rendering of an Answer (the app renders the same record as HTML)."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel

from qa.records import Answer


def print_answer(console: Console, answer: Answer, patient_text: str | None = None) -> None:
    """The answer panel (the patient wording instead when given), then its sources."""
    if answer.abstained:
        console.print(Panel(answer.text, title="Not covered", border_style="yellow"))
        if answer.abstain_reason:
            console.print(f"Why: {answer.abstain_reason}", highlight=False, markup=False)
        if answer.closest_titles:
            console.print("Closest articles: " + "; ".join(answer.closest_titles))
    else:
        if patient_text:
            console.print(Panel(patient_text, title="Answer (patient-friendly wording)",
                                border_style="green"))
        else:
            title = "Answer" if answer.composer == "extractive" else "Answer (generated, checked)"
            console.print(Panel(answer.text, title=title, border_style="green"))
        for i, st in enumerate(s for s in [answer.bottom_line, *answer.statements] if s):
            if st.strength or (answer.sources and st.organisation):
                who = f"{st.organisation} {st.year or ''}".strip() if answer.sources else ""
                grade = f"[{st.strength}]" if st.strength else ""
                console.print(f"  statement {i + 1}: {who} {grade}".rstrip(), highlight=False,
                              markup=False)
        for c in answer.citations:
            status = c.review_status or "status not stated"
            caution = " [bold yellow](pending review)[/]" if status.lower() in (
                "under review", "submitted", "draft") else ""
            console.print(f"[bold][{c.n}][/] {c.title} — {c.section} "
                          f"({c.evidence_type or 'unlabelled'}; updated {c.last_updated or '?'}; "
                          f"{status}){caution}"
                          + (f" ({c.source_note})" if c.source_note else ""), highlight=False)
            for ref in c.references:
                console.print(f"     ref {ref.n}: {ref.title}. {ref.venue} {ref.year or ''} "
                              f"[{ref.type or '?'}]", highlight=False, markup=False)
    console.print(f"[dim]{answer.disclaimer}[/]")
