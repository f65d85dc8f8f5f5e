"""Which articles a decline offers as "closest": only those about the question's topic.

A decline used to offer the titles of whatever was retrieved, so a question about lupus was
offered back-pain guidelines. The engine offers nothing when it found the question's subject
absent from the articles (a concept none writes, a body region, population or topic they do not
discuss, an issuer or year none is from). Otherwise an article is about the question's topic
when its text writes most (more than half) of the question's specialised words
(text.specificity 1.0, in any variant: "MRI" for "magnetic resonance imaging"), or, for a
question of everyday words only, at least one of its topic words. A majority, not a fitted
share: one stray word ("pills" where a guideline writes "pharmacologic") does not rule an
article out, and an article writing a minority of what is asked is about something else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ingest.records import Article
from qa.records import Passage
from qa.text import question_terms, specificity, text_stems


def _article_stems(article: Article) -> frozenset[str]:
    headings = " ".join(" ".join(s.path) for s in article.sections)
    return text_stems(f"{article.title}\n{headings}\n{article.text}")


def is_about(question: str, article: Article) -> bool:
    """The article writes most specialised words of the question (or, when it has none, one
    of its topic words)."""
    terms = question_terms(question)
    if not terms:
        return False
    held = _article_stems(article)
    special = [variants for _s, w, variants in terms if specificity(w) >= 1.0]
    if special:
        return 2 * sum(1 for variants in special if variants & held) > len(special)
    return any(variants & held for _s, _w, variants in terms)


def on_topic_titles(question: str, passages: Sequence[Passage],
                    articles: Mapping[str, Article], limit: int = 3) -> tuple[str, ...]:
    """Titles of the retrieved passages' articles that are about the question, best rank first."""
    out: dict[str, None] = {}
    seen: set[str] = set()
    for p in passages:
        article_id = p.chunk.article_id
        if article_id in seen:
            continue
        seen.add(article_id)
        article = articles.get(article_id)
        if article is not None and is_about(question, article):
            out[p.chunk.title] = None
            if len(out) == limit:
                break
    return tuple(out)
