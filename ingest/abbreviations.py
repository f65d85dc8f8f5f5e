"""The abbreviations a document defines for itself ("straight leg raise (SLR)"), found by the
Schwartz–Hearst algorithm (the `abbreviations` package): a question may use the short form of
what another passage writes out, or the long form of what it abbreviates.
"""

from __future__ import annotations

import logging
import re

MAX_LONG_WORDS = 8
_SHORT = re.compile(r"^[A-Za-z][A-Za-z0-9&/\-]{1,11}$")


def _extractor():  # noqa: ANN202 - the package's module
    # The package calls logging.basicConfig() on import; a handler already on the root logger
    # makes that a no-op, so importing it leaves the application's logging as it was.
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        from abbreviations import schwartz_hearst
    finally:
        root.removeHandler(guard)
    return schwartz_hearst


def defined_abbreviations(text: str) -> tuple[tuple[str, str], ...]:
    """(short form, long form) pairs `text` defines, the most common long form of each,
    sorted by short form. A short form is one token with a capital letter; a long form at
    most MAX_LONG_WORDS words with no sentence punctuation (a clause the algorithm sweeps in
    is left out)."""
    pairs = _extractor().extract_abbreviation_definition_pairs(
        doc_text=text, most_common_definition=True)
    out = {}
    for short, long in pairs.items():
        short, long = str(short).strip(), " ".join(str(long).split())
        words = long.split()
        if not _SHORT.match(short) or not any(ch.isupper() for ch in short):
            continue
        if not 0 < len(words) <= MAX_LONG_WORDS or any(ch in long for ch in ".;:()"):
            continue
        if short.lower() == long.lower() or not long[0].isalpha():
            continue
        out[short] = long
    return tuple(sorted(out.items()))
