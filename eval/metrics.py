"""Metric functions over `ask --json` records: pure, deterministic, no model needed."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# `[3]` citation markers are added by the renderer, not part of the quoted prose.
_MARKER = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)

RECALL_KS = (1, 5, 10)
NDCG_K = 10


# Guidelines write small numbers both ways, often in one document (NASS 2020: "durable for at
# least six months" in its summary, "at least 6 months" in its chapter): the same fact.
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORD_RE = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b")


def normalize_text(text: str) -> str:
    """NFKC, lower case, whitespace collapsed, number words as digits ("six" -> "6"): what
    fact matching compares.

    NFKC folds typographic ligatures ("ﬁ" -> "fi") that PDFs keep and that read the same.
    """
    folded = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    return _NUMBER_WORD_RE.sub(lambda m: _NUMBER_WORDS[m.group(1)], folded)


def normalize_source(text: str) -> str:
    """Lower case with every non-alphanumeric character removed: what source matching compares."""
    return _NON_ALNUM.sub("", text.lower())


def answer_prose(answer: str) -> str:
    """The answer text without its `[n]` citation markers, normalised for fact matching."""
    return normalize_text(_MARKER.sub("", answer))


def facts_covered(answer: str, facts: Sequence[Sequence[str]]) -> list[bool]:
    """Per fact: does any of its phrasings occur in the answer (case/whitespace-insensitive)."""
    prose = answer_prose(answer)
    return [any(normalize_text(p) in prose for p in phrasings) for phrasings in facts]


def source_matches(source: Mapping[str, Any], expected: str) -> bool:
    """An article (article_id / title / source_path) matches an expected-source string."""
    needle = normalize_source(expected)
    if not needle:
        return False
    return any(needle in normalize_source(str(source.get(key) or ""))
               for key in ("article_id", "title", "source_path"))


def is_expected(source: Mapping[str, Any], expected: Sequence[str]) -> bool:
    return any(source_matches(source, e) for e in expected)


def ranked_articles(retrieved: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Retrieved chunks deduplicated to articles, best rank first."""
    out: dict[str, dict[str, Any]] = {}
    for item in sorted(retrieved, key=lambda r: r.get("rank", 0)):
        article_id = str(item.get("article_id"))
        if article_id not in out:
            out[article_id] = {"article_id": article_id, "title": item.get("title", ""),
                               "source_path": item.get("source_path", "")}
    return list(out.values())


def retrieval_scores(articles: Sequence[Mapping[str, Any]],
                     expected: Sequence[str]) -> dict[str, float]:
    """Recall@1/5/10, MRR and nDCG@10 of an article ranking against the expected sources.

    Recall@k is the share of expected-source strings matched by an article in the top k
    (standard IR recall: a case listing two sources scores 0.5 at k=1 when one is first).
    Relevance is binary; an article earns gain only for an expected string no higher-ranked
    article matched, so nDCG never exceeds 1.
    """
    if not expected:
        return {}
    found: set[int] = set()
    found_at: list[int] = []  # rank (1-based) at which each expected string was first matched
    dcg = 0.0
    first_relevant: int | None = None
    for rank, article in enumerate(articles, start=1):
        if first_relevant is None and is_expected(article, expected):
            first_relevant = rank
        new = [i for i, e in enumerate(expected) if i not in found and source_matches(article, e)]
        if not new:
            continue
        found.update(new)
        found_at.extend([rank] * len(new))
        if rank <= NDCG_K:
            dcg += 1.0 / math.log2(rank + 1)
    n = len(expected)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(n, NDCG_K) + 1))
    scores = {f"recall@{k}": sum(1 for r in found_at if r <= k) / n for k in RECALL_KS}
    scores["mrr"] = 1.0 / first_relevant if first_relevant else 0.0
    scores["ndcg@10"] = min(1.0, dcg / ideal)
    return scores


def cited_articles(citations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Distinct cited articles in citation order."""
    out: dict[str, dict[str, Any]] = {}
    for c in citations:
        out.setdefault(str(c.get("article_id")), {
            "article_id": c.get("article_id"), "title": c.get("title", ""),
            "source_path": c.get("source_path", "")})
    return list(out.values())


def citation_scores(citations: Sequence[Mapping[str, Any]],
                    expected: Sequence[str]) -> dict[str, Any]:
    """Source hit (an expected source is cited) and citation precision (cited that are expected)."""
    articles = cited_articles(citations)
    relevant = [is_expected(a, expected) for a in articles]
    return {
        "cited_articles": [a["article_id"] for a in articles],
        "source_hit": any(relevant),
        "citation_precision": (sum(relevant) / len(relevant)) if relevant else None,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between order statistics."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def abstention_scores(abstained: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float]:
    """Precision / recall / F1 of abstaining (positive class), truth = not answerable.

    With nothing to find and nothing claimed, precision and recall are 1; F1 is 0 when
    precision and recall are both 0.
    """
    tp = sum(1 for a, ok in zip(abstained, answerable, strict=True) if a and not ok)
    fp = sum(1 for a, ok in zip(abstained, answerable, strict=True) if a and ok)
    fn = sum(1 for a, ok in zip(abstained, answerable, strict=True) if not a and not ok)
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"abstention_precision": precision, "abstention_recall": recall,
            "abstention_f1": f1, "false_abstentions": fp, "missed_abstentions": fn}


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
