"""Badges: review status, evidence type, and the grades a guideline gives a statement.

A statement's grade string (qa.strength: "Strong recommendation; moderate-quality evidence")
holds up to three kinds of grade; each gets its own badge, and a grade the sentence already
says in its own words is not repeated beside it.
"""

from __future__ import annotations

import re
from html import escape

PENDING_STATUSES = ("under review", "submitted", "draft")
# (kind, css class, what a reader is told the badge is)
_GRADE_KINDS = (
    ("radiation", "cw-radiation", "Relative radiation level stated by the guideline"),
    ("quality", "cw-quality", "Quality of the evidence, as the guideline grades it"),
    ("strength", "cw-strength", "Strength of the recommendation, as the guideline grades it"),
)


def is_pending_review(status: str | None) -> bool:
    """Content not yet approved: Under review, Submitted or Draft."""
    return (status or "").strip().lower() in PENDING_STATUSES


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


def grade_kind(grade: str) -> str:
    """radiation, quality (of evidence: "moderate-quality evidence", "Level II") or strength
    (of recommendation: "Strong recommendation", "Grade B", "Usually not appropriate")."""
    lowered = grade.lower()
    if lowered.startswith("radiation"):
        return "radiation"
    if "evidence" in lowered or lowered.startswith("level "):
        return "quality"
    return "strength"


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w☢]+", " ", text.lower()).split())


def grade_badges(strength: str | None, sentence: str) -> str:
    """One badge per kind of grade in `strength`, leaving out what `sentence` already says."""
    if not strength:
        return ""
    said = _plain(sentence)
    out = []
    for part in (p.strip() for p in strength.split(";")):
        if not part or _plain(part) in said:
            continue
        kind = grade_kind(part)
        css, title = next((c, t) for k, c, t in _GRADE_KINDS if k == kind)
        out.append(f' <span class="cw-badge {css}" title="{title}">{escape(part)}</span>')
    return "".join(out)
