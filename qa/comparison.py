"""Questions that compare named guidelines ("ACP 2017 vs Alberta 2011", "do NASS and ACP
agree?"): each named guideline gets its own passages and its own say in the answer.

Retrieval over the union of the named articles ranks by fused score, so the article that
writes more on the topic (NASS summarises every trial) can fill every passage slot and every
answer sentence; a comparison then quotes one side only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa.named_source import NamedSource
from qa.records import Passage

_YEAR_RE = re.compile(r"\s*\b(?:19|20)\d\d\b\s*$")


def compared(named: NamedSource | None) -> tuple[str, ...]:
    """The articles of a question naming two or more organisations; () otherwise (one
    organisation, even one that issued several of the articles, is no comparison)."""
    if named is None or len(named.article_ids) < 2:
        return ()
    issuers = {_YEAR_RE.sub("", label).strip().lower() for label in named.labels}
    return named.article_ids if len(issuers) >= 2 else ()


def balanced_passages(article_ids: Sequence[str],
                      retrieve: Callable[[tuple[str, ...]], list[Passage]],
                      n: int) -> list[Passage]:
    """`n` passages taking each article's best in turn. An article is retrieved only when its
    turn comes: a question naming "ACR" names 115 articles of the NGC library, and the first
    few of them fill the `n` passages."""
    rankings: dict[int, list[Passage]] = {}

    def ranking(i: int) -> list[Passage]:
        if i not in rankings:
            rankings[i] = retrieve((article_ids[i],))
        return rankings[i]

    out: list[Passage] = []
    depth = 0
    while len(out) < n and any(depth < len(ranking(i)) for i in range(len(article_ids))):
        for i in range(len(article_ids)):
            if len(out) >= n:
                break
            if depth < len(ranking(i)):
                out.append(ranking(i)[depth])
        depth += 1
    return out
