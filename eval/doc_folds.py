"""Folds over source documents: no document a fold's questions are about is the answer of a
question outside it, so whatever is fitted without the fold chose nothing on its documents.

Cases are linked by the documents they expect (a comparison links its two guidelines); each
linked group of documents with all its cases goes to one fold. A near miss expects no document
and stands alone. Groups are dealt to folds largest first, each to the fold holding fewest
cases, ties broken by a hash of the group's documents, so the folds are the same every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

K_FOLDS = 5


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def document_groups(documents: Sequence[Sequence[str]], ids: Sequence[str]) -> list[str]:
    """Per case, the name of its linked group of documents (its own id when it has none)."""
    parent: dict[str, str] = {}
    for docs in documents:
        for d in docs:
            parent.setdefault(d, d)
        for a, b in zip(docs, docs[1:], strict=False):
            ra, rb = _find(parent, a), _find(parent, b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return [_find(parent, docs[0]) if docs else f"case:{case_id}"
            for docs, case_id in zip(documents, ids, strict=True)]


def _tiebreak(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def assign_folds(groups: Sequence[str], k: int = K_FOLDS) -> list[int]:
    """Fold (0..k-1) of each case, keeping every group in one fold."""
    sizes: dict[str, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    load = [0] * k
    fold_of: dict[str, int] = {}
    for g in sorted(sizes, key=lambda g: (-sizes[g], _tiebreak(g))):
        fold = min(range(k), key=lambda f: (load[f], f))
        fold_of[g] = fold
        load[fold] += sizes[g]
    return [fold_of[g] for g in groups]
