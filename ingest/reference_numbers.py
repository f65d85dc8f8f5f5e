"""Numbers for an unnumbered reference list that shows only some of the works the text cites.

Sites that print references as `Type / Title / Venue, Year` groups give no numbers, and often
list fewer works than the text cites (markers 1-6, four entries). Counting the entries 1, 2, 3,
4 then pins a work on the wrong marker. The list keeps the text's order, so each entry is
matched to a marker by a monotone alignment that maximises how much of the entry (title
words, year) the sentences citing the marker share; with no evidence either way an entry
keeps its position.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ingest.citations import cited_numbers
from ingest.records import Reference, Section
from ingest.sentences import split_units

_MARKER_RE = re.compile(r"\[\d{1,3}(?:,\s*\d{1,3})*\]")
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9\-]{2,}")
# Words that say nothing about which work is meant (list furniture, function words).
_IGNORED = frozenset("the and for with from into its their this that are was were who which "
                     "what when how not but can may all any".split())
MIN_SHARED_WORDS = 2  # one shared word is chance; a moved entry needs more


def _words(text: str) -> set[str]:
    # Plain prefixes stand in for stems: "diagnosing" and "diagnostic" share "diagn".
    return {w[:5] if w.isalpha() else w for w in _WORD_RE.findall(text.lower())
            if w not in _IGNORED and not w.isdigit() or len(w) == 4 and w.isdigit()}


def _citing_words(sections: Sequence[Section]) -> dict[int, set[str]]:
    """Marker number -> words of the text each of its markers closes (from the previous
    marker, or the start of the sentence or list item: merged sub-items cite apart)."""
    out: dict[int, set[str]] = {}
    for section in sections:
        for unit in split_units(section.text):
            last = 0
            for m in _MARKER_RE.finditer(unit.text):
                words = _words(unit.text[last:m.start()])
                for n in cited_numbers(m.group(0)):
                    out.setdefault(n, set()).update(words)
                last = m.end()
    return out


def _entry_words(ref: Reference) -> set[str]:
    return _words(ref.title) | ({str(ref.year)} if ref.year else set())


def align_to_citations(refs: Sequence[Reference], sections: Sequence[Section]
                       ) -> list[Reference]:
    """Renumber an unnumbered list against the markers its text cites (see module doc).

    An entry keeps the next free marker when the sentences citing it share a word with the
    entry; otherwise it moves to the later marker whose sentences share most (at least
    MIN_SHARED_WORDS) of its words, leaving enough markers for the entries after it.
    Unchanged when the list covers every cited marker or is numbered 1.. already otherwise.
    """
    cited = _citing_words(sections)
    markers = sorted(cited)
    if not refs or len(markers) <= len(refs) or [r.n for r in refs] != list(
            range(1, len(refs) + 1)):
        return list(refs)
    out: list[Reference] = []
    prev = 0
    for i, ref in enumerate(refs):
        left = len(refs) - i - 1  # entries still to place after this one
        free = [n for n in markers if n > prev]
        allowed = free[: len(free) - left] if len(free) > left else []
        if not allowed:
            n = prev + 1
        else:
            words = _entry_words(ref)
            n = allowed[0]
            if not words & cited[n]:
                shared = max(allowed, key=lambda x: (len(words & cited[x]), -x))
                if len(words & cited[shared]) >= MIN_SHARED_WORDS:
                    n = shared
        out.append(dataclasses.replace(ref, n=n))
        prev = n
    return out
