"""Site furniture: lines and sections of published pages that are not article content.

Patterns are generic web furniture (menus, share bars, cookie notices, review-status widgets,
disclaimers, "ask a follow-up" promotions), not one site's wording.
"""

from __future__ import annotations

import re

_LINE_PATTERNS = [
    r"personali[sz]e",
    r"help us tailor your experience.*",
    r"which best describes you\?.*",
    r"medical advisory board.*",
    r"educational purpose only.*",
    r"article review status",
    r"(submitted|under review|approved|draft|published|in review)",
    r"(view )?editorial policy",
    r"(share|print|save|email|subscribe|sign in|log in|sign up|menu|home|search|back to top)",
    r"skip to (main )?content",
    r".*\b(accept|manage) (all )?cookies\b.*",
    r"advertisement",
    r"(table of )?contents",
]
_LINE_RE = re.compile(r"^\s*(?:" + "|".join(_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)

# Sections whose heading says they are not clinical content; everything under them is dropped.
_DROPPED_SECTION_RE = re.compile(
    r"(disclaimer|have a (follow[- ]up )?question|ask (a|any) follow[- ]up|share this|"
    r"about the authors?|comments|newsletter|advertisement|related articles|see also|"
    r"you might also like)",
    re.IGNORECASE,
)
_REFERENCES_RE = re.compile(r"^\s*(references|bibliography|sources|works cited|citations)\s*:?\s*$",
                            re.IGNORECASE)
_RELATED_RE = re.compile(r"^\s*(related questions|related queries|frequently asked related"
                         r" questions|people also ask)\s*:?\s*$", re.IGNORECASE)
PENDING_REVIEW_RE = re.compile(r"pending (human |editorial |medical )?review", re.IGNORECASE)


def is_furniture_line(text: str) -> bool:
    """True for a standalone line that is page chrome, not content."""
    return bool(_LINE_RE.match(text)) or bool(PENDING_REVIEW_RE.search(text) and len(text) < 120)


def section_role(heading: str) -> str:
    """'references', 'related', 'dropped' or 'content' for a section heading."""
    if _REFERENCES_RE.match(heading):
        return "references"
    if _RELATED_RE.match(heading):
        return "related"
    if _DROPPED_SECTION_RE.search(heading) and len(heading.split()) <= 8:
        return "dropped"
    return "content"
