"""How the pages word counts, dates and times for a reader (not ISO strings or "article(s)")."""

from __future__ import annotations

from datetime import UTC, date, datetime


def plural(n: int, noun: str, many: str | None = None) -> str:
    """ "1 article", "3 articles"; `many` for irregular plurals ("1 query", "2 queries")."""
    return f"{n:,} {noun if n == 1 else many or noun + 's'}"


def reader_date(iso: str | None) -> str | None:
    """ "2025-11-20" -> "20 Nov 2025"; a bare year or month is kept as written."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).strftime("%-d %b %Y")
    except ValueError:
        return iso


def reader_time(iso: str | None) -> str | None:
    """ "2026-12-07T16:13:22+00:00" -> "7 Dec 2026, 16:13 UTC" (local time when the stamp
    has no zone)."""
    if not iso:
        return None
    try:
        stamp = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = " UTC" if stamp.tzinfo is not None and stamp.utcoffset() == UTC.utcoffset(None) else ""
    return stamp.strftime("%-d %b %Y, %H:%M") + zone


def ago(seconds: float) -> str:
    """ "just now", "4 min ago", "2 h ago"."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    return f"{seconds // 3600:.0f} h ago"
