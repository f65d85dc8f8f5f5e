"""What the answer scorer reads of each candidate unit: similarity to the question (sentence,
passage, fused rank, BM25), the question's terms in the unit, its heading and its article's
title, the unit's form (a directive, one study's narration, a trial's methods, a research
agenda, a scope statement, a fragment opening mid-sentence), a stated grade, its document's
date and whether its document is the one the question names.

Every feature is computed the same way for every corpus: no word of one document, no
threshold. How much each counts is learned (qa.scorer) by `citewise eval --train-scorer`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ingest.records import Article
from qa.section_statement import heads_with_statement
from qa.sentence_form import answer_form, research_agenda, scope_exclusion, trial_methods
from qa.strength import find_strength
from qa.text import question_terms, specificity, text_stems, words, written_stems
from qa.units import ITEM, LIST, Unit

# The unit features, in the order of a feature row (the model file records this list).
UNIT_FEATURES = (
    "sent_cos", "sent_cos_gap", "passage_cos", "passage_cos_gap", "fused_rank", "bm25_rel",
    "lex_unit", "lex_unit_gap", "lex_heading", "lex_title", "article_votes", "article_cos_gap",
    "top_article", "form_directive", "form_narration", "form_agenda", "form_methods",
    "form_scope", "fragment", "graded", "log_words", "is_list", "is_item",
    "has_quantity", "amount_asked_given", "position", "heads_section", "summary_section",
    "year_gap", "year_unknown", "named_match", "names_named", "guideline_type", "research_type",
    "ocr",
)
_QUANTITY = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|percent|mg|mcg|µg|g|kg|ml|mmol|units?|iu|"
                       r"minutes?|min|hours?|hrs?|h|days?|weeks?|wk|months?|mo|years?|y|times?|"
                       r"mm\s?hg|cm|mm|°)(?!\w)", re.IGNORECASE)
_SUMMARY = re.compile(r"\b(?:bottom line|summary|overview|key (?:points?|messages?)|"
                      r"recommendations?)\b", re.IGNORECASE)
# A unit that opens inside a sentence: in lower case, or with the footnote numbers of the
# sentence before it ("34,35 Advise the patient ...").
_FRAGMENT = re.compile(r"^(?:[a-z]|\d{1,3}(?:[,\u2013-]\s?\d{1,3})*\s+[A-Z])")


# The question asks for an amount: a dose, a duration, an interval, a count, a threshold.
_ASKS_AMOUNT = re.compile(r"\b(?:dose|doses|dosing|dosage|how (?:long|often|many|much|soon|"
                          r"frequently)|duration|interval|frequency|threshold|cut-?off|target|"
                          r"goal|at what (?:age|level|dose)|what (?:age|level|range))\b",
                          re.IGNORECASE)


def states_amount(text: str) -> bool:
    """The text states an amount: a dose, a duration, a count, a percentage, a measure."""
    return bool(_QUANTITY.search(text))


@dataclass(frozen=True)
class QuestionTerms:
    """The question's topic terms with their weights (IDF over the index's passages)."""

    weights: Mapping[str, float]  # stem -> weight
    variants: Mapping[str, frozenset[str]]  # stem -> the stems that count as it
    asks_amount: bool  # "what dose", "how long", "how often": an amount answers

    def share(self, present: Collection[str]) -> float:
        """IDF-weighted share of the terms whose variants are in `present`."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        return sum(w for t, w in self.weights.items()
                   if self.variants[t] & present) / total  # type: ignore[operator]


def question_weights(question: str, idf: Callable[[str], float]) -> QuestionTerms:
    """The question's topic terms weighted by IDF and specificity (everyday words count
    less), with the stems that count as each (clinical synonyms)."""
    terms = question_terms(question)
    return QuestionTerms({s: idf(s) * specificity(w) for s, w, _v in terms},
                         {s: v for s, _w, v in terms}, bool(_ASKS_AMOUNT.search(question)))


def _form_row(text: str, raw: str, passage_text: str, question: str) -> list[float]:
    """Form flags; an agenda, a trial's methods or a scope statement is flagged unless the
    question asks about research or scope (then it may be the answer)."""
    narration = answer_form(text) < 0 and not research_agenda(text)
    return [float(answer_form(text) > 0), float(narration),
            float(research_agenda(text, question)), float(trial_methods(text, question)),
            float(scope_exclusion(text, question)), float(bool(_FRAGMENT.match(text))),
            float(find_strength(raw, passage_text) is not None)]


def unit_features(units: Sequence[Unit], terms: QuestionTerms, question: str,
                  sentence_cos: np.ndarray, passage_cos: Mapping[str, float],
                  articles: Mapping[str, Article], top_n: int,
                  named: Collection[str] = (), named_words: Sequence[str] = ()) -> np.ndarray:
    """The feature matrix of `units` (one row each, columns UNIT_FEATURES). `named`: the
    articles a question's named source matched; `named_words`: the names it used ("ACP"), so
    a unit another document attributes to that source ("ACP recommends ...") is seen."""
    if not units:
        return np.zeros((0, len(UNIT_FEATURES)), dtype=np.float32)
    passages = {u.passage.chunk.chunk_id: u.passage for u in units}
    ranked = sorted(passages.values(), key=lambda p: p.rank)
    top_articles = [p.chunk.article_id for p in ranked[:top_n]]
    best_cos = max(passage_cos.values(), default=0.0)
    article_cos: dict[str, float] = {}
    for cid, p in passages.items():
        aid = p.chunk.article_id
        article_cos[aid] = max(article_cos.get(aid, -1.0), passage_cos.get(cid, 0.0))
    bm25_max = max((p.bm25_score or 0.0) for p in passages.values()) or 1.0
    years = [a.year for aid in article_cos if (a := articles.get(aid)) and a.year]
    newest = max(years, default=None)
    lex = [terms.share(written_stems(u.text)) for u in units]
    best_lex = max(lex)
    best_sent = float(sentence_cos.max())
    said_by = re.compile("|".join(rf"(?<![\w/]){re.escape(w)}(?![\w/])" for w in named_words)) \
        if named_words else None
    rows = []
    for u, cos, lex_unit in zip(units, sentence_cos, lex, strict=True):
        chunk = u.passage.chunk
        pcos = passage_cos.get(chunk.chunk_id, 0.0)
        heading = " ".join(chunk.section_path)
        article = articles.get(chunk.article_id)
        year = article.year if article else None
        n_words = len(u.text.split())
        quantity = states_amount(u.text)
        head_words = words(chunk.section_path[-1]) if chunk.section_path else []
        rows.append([
            float(cos), float(cos) - best_sent, pcos, pcos - best_cos,
            1.0 / u.passage.rank, (u.passage.bm25_score or 0.0) / bm25_max,
            lex_unit, lex_unit - best_lex,
            terms.share(text_stems(heading)), terms.share(text_stems(chunk.title)),
            top_articles.count(chunk.article_id) / max(1, len(top_articles)),
            article_cos[chunk.article_id] - best_cos,
            float(bool(top_articles) and chunk.article_id == top_articles[0]),
            *_form_row(u.text, u.raws[0], chunk.text, question),
            math.log(n_words), float(u.kind == LIST), float(u.kind == ITEM),
            float(quantity), float(quantity and terms.asks_amount),
            min(u.position, 10) / 10.0,
            float(bool(chunk.section_path) and heads_with_statement(chunk.section_path[-1])
                  and words(u.text)[:len(head_words)] == head_words),
            float(bool(_SUMMARY.search(heading))),
            0.0 if year is None or newest is None else min(newest - year, 20) / 10.0,
            float(year is None),
            float(chunk.article_id in named),
            float(said_by is not None and bool(said_by.search(f"{u.text} {heading}"))),
            float(chunk.evidence_type == "Guideline"), float(chunk.evidence_type == "Research"),
            float(chunk.ocr),
        ])
    return np.asarray(rows, dtype=np.float32)


def unit_vectors(units: Sequence[Unit],
                 lookup: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One L2-normalised vector per unit: its sentence's, or a list's members' mean."""
    keys = [k for u in units for k in u.keys]
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    flat = lookup(keys)
    out = np.empty((len(units), flat.shape[1]), dtype=np.float32)
    i = 0
    for j, u in enumerate(units):
        v = flat[i:i + len(u.keys)].mean(axis=0)
        out[j] = v / (np.linalg.norm(v) or 1.0)
        i += len(u.keys)
    return out
