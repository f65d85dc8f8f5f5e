"""The ingest account: how many of a source's words reached the index, and where the rest went.

Trust needs this: an editor must be told when most of a guideline is unsearchable. Words are
whitespace-separated tokens holding at least one letter or digit (so Markdown `#`, `|`, `-`
and table rules are not words) in every reader and in the indexed text alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import MIN_INDEXED_SHARE

# The reasons a word can be dropped; readers and ingest.structure use exactly these.
PAGE_FURNITURE = "page furniture"  # running headers/footers, site chrome, metadata lines
REFERENCE_LIST = "reference list"
NAVIGATION = "navigation"  # menus, sidebars, "new on ..." lists, login forms, related links
DUPLICATE = "duplicate"  # the same text twice (accordion copies, nested tables)
UNREADABLE = "unreadable"  # pages with no text that OCR could not read
REASONS = (PAGE_FURNITURE, REFERENCE_LIST, NAVIGATION, DUPLICATE, UNREADABLE)
# Dropped on purpose and not counted against the floor below.
_NOT_LOST = (PAGE_FURNITURE, REFERENCE_LIST, DUPLICATE)


def count_words(text: str) -> int:
    """Tokens with at least one letter or digit."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


Dropped = tuple[tuple[str, int], ...]  # (reason, words)


def merge_dropped(*parts: Dropped | dict[str, int]) -> Dropped:
    """Sum (reason, words) pairs by reason, in REASONS order, leaving out zeros."""
    totals: dict[str, int] = {}
    for part in parts:
        items = part.items() if isinstance(part, dict) else part
        for reason, words in items:
            totals[reason] = totals.get(reason, 0) + int(words)
    order = {r: i for i, r in enumerate(REASONS)}
    return tuple(sorted(((r, w) for r, w in totals.items() if w > 0),
                        key=lambda rw: (order.get(rw[0], len(order)), rw[0])))


@dataclass(frozen=True)
class IngestAccount:
    """Words in the source, words indexed, and words dropped by reason, for one article."""

    words_source: int  # words in the source's text layer (OCR text included) before any drop
    words_indexed: int  # words in the indexed section texts and the title
    dropped: tuple[tuple[str, int], ...] = ()  # (reason, words), reasons from REASONS
    pages: int | None = None  # PDF pages
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text came from OCR

    def dropped_words(self, reason: str) -> int:
        return sum(w for r, w in self.dropped if r == reason)

    @property
    def base(self) -> int:
        """The words that should be indexed: source minus page furniture, references and
        duplicates (a duplicate's text is indexed once, so nothing of it is lost)."""
        return max(0, self.words_source - sum(self.dropped_words(r) for r in _NOT_LOST))

    @property
    def indexed_share(self) -> float:
        """Indexed words over `base` (1.0 for an empty base), capped at 1."""
        return 1.0 if self.base == 0 else min(1.0, self.words_indexed / self.base)

    @property
    def unaccounted(self) -> int:
        """Source words neither indexed nor dropped for a stated reason (parser losses)."""
        return max(0, self.words_source - self.words_indexed - sum(w for _r, w in self.dropped))

    def largest_loss(self) -> tuple[str, int]:
        """The biggest part that counts against the floor: navigation, unreadable pages, or
        "unaccounted" words (lost by the parser for no stated reason)."""
        parts = [(r, w) for r, w in self.dropped if r not in _NOT_LOST]
        parts.append(("unaccounted", self.unaccounted))
        return max(parts, key=lambda rw: rw[1])

    def floor_warning(self, title: str, floor: float = MIN_INDEXED_SHARE) -> str | None:
        """A warning naming the article and its largest dropped part when below `floor`, or
        when its reference list outweighs its indexed text: a guideline's references are a
        fraction of its body, so more words "in references" than indexed means body text was
        taken for a reference list (the share alone cannot tell, as it leaves references out)."""
        references = self.dropped_words(REFERENCE_LIST)
        if self.indexed_share >= floor:
            if references <= self.words_indexed:
                return None
            return (f"the reference list of “{title}” ({references:,} words) is longer than "
                    f"its indexed text ({self.words_indexed:,} words): body text may have "
                    f"been taken for references; largest dropped part: reference list "
                    f"({references:,} words)")
        reason, words = self.largest_loss()
        return (f"only {self.indexed_share:.0%} of the text of “{title}” is indexed "
                f"({self.words_indexed:,} of {self.base:,} words after page furniture, "
                f"references and duplicates; floor {floor:.0%}); largest dropped part: {reason} "
                f"({words:,} words)")

    def as_dict(self) -> dict[str, object]:
        return {"words_source": self.words_source, "words_indexed": self.words_indexed,
                "dropped": {r: w for r, w in self.dropped}, "pages": self.pages,
                "ocr_pages": list(self.ocr_pages),
                "indexed_share": round(self.indexed_share, 4)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> IngestAccount:
        dropped = data.get("dropped") or {}
        return cls(words_source=int(data["words_source"]),  # type: ignore[call-overload]
                   words_indexed=int(data["words_indexed"]),  # type: ignore[call-overload]
                   dropped=merge_dropped(dict(dropped)),  # type: ignore[arg-type]
                   pages=data.get("pages"),  # type: ignore[arg-type]
                   ocr_pages=tuple(data.get("ocr_pages") or ()))  # type: ignore[arg-type]
