"""Fit the answer scorer (qa/scorer.py) on labelled samples: one reproducible procedure, used
alike for the shipped model and for every fold of the document-held-out evaluation.

1. The unit model: logistic regression (scikit-learn) of "the unit states an expected fact"
   on the unit features, every unit of every answerable case.
2. The decline model: logistic regression of "the case is answerable" on the question
   features, whose unit probabilities are out-of-fold (inner folds over documents), so the
   decline model learns from probabilities like those it will see on unseen documents.
3. The selection: the supporting-unit floor and the answer threshold, chosen on out-of-fold
   probabilities: the floor maximises fact coverage + source hit + citation precision per
   answerable case; the threshold maximises abstention F1 among those declining at most
   MAX_FALSE_ABSTENTION of the answerable cases.
Nothing here is tuned by hand on one set: the grids below are coarse and fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from eval.doc_folds import assign_folds, document_groups
from eval.metrics import abstention_scores, is_expected, normalize_text
from eval.samples import CaseSample, data_hash
from qa.composer import select
from qa.features import UNIT_FEATURES
from qa.scorer import QUESTION_FEATURES, LinearModel, ScorerModel, Selection

INNER_FOLDS = 5
MAX_FALSE_ABSTENTION = 0.02  # of the answerable cases (issue 27's bar)
RELATIVE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MINIMUM_GRID = (0.0, 0.02, 0.05, 0.1, 0.2)
REGULARISATION = 1.0  # scikit-learn's C (inverse L2 strength) for both models


def fit_logistic(x: np.ndarray, y: np.ndarray, features: Sequence[str]) -> LinearModel:
    """A standardised L2 logistic regression; a constant model when y has one class."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0) if len(x) else np.zeros(len(features))
    scale = x.std(axis=0) if len(x) else np.ones(len(features))
    scale = np.where(scale > 1e-9, scale, 1.0)
    if len(set(y.tolist())) < 2:
        rate = float(y.mean()) if len(y) else 0.5
        rate = min(max(rate, 1e-3), 1 - 1e-3)
        return LinearModel(tuple(features), tuple(mean), tuple(scale),
                           (0.0,) * len(features), float(np.log(rate / (1 - rate))))
    fit = LogisticRegression(C=REGULARISATION, max_iter=2000).fit((x - mean) / scale, y)
    return LinearModel(tuple(features), tuple(float(v) for v in mean),
                       tuple(float(v) for v in scale), tuple(float(v) for v in fit.coef_[0]),
                       float(fit.intercept_[0]))


def _usable(samples: Sequence[CaseSample]) -> list[CaseSample]:
    return [s for s in samples if s.prepared is not None]


def _unit_rows(samples: Sequence[CaseSample]) -> tuple[np.ndarray, np.ndarray]:
    rows = [s for s in samples if s.case.answerable and s.case.expected_facts and len(s.labels)]
    if not rows:
        return np.zeros((0, len(UNIT_FEATURES))), np.zeros(0)
    return (np.vstack([s.prepared.features for s in rows]),  # type: ignore[union-attr]
            np.concatenate([s.labels for s in rows]))


def fit_unit_model(samples: Sequence[CaseSample]) -> LinearModel:
    x, y = _unit_rows(_usable(samples))
    return fit_logistic(x, y, UNIT_FEATURES)


def inner_folds(samples: Sequence[CaseSample], k: int = INNER_FOLDS) -> list[int]:
    groups = document_groups([s.documents for s in samples], [s.key for s in samples])
    return assign_folds(groups, k)


def out_of_fold_p(samples: Sequence[CaseSample], k: int = INNER_FOLDS) -> list[np.ndarray]:
    """Unit probabilities of each sample from a unit model fitted without its fold."""
    folds = inner_folds(samples, k)
    out: list[np.ndarray] = [np.zeros(0)] * len(samples)
    for f in range(k):
        model = fit_unit_model([s for s, g in zip(samples, folds, strict=True) if g != f])
        for i, (s, g) in enumerate(zip(samples, folds, strict=True)):
            if g == f and s.prepared is not None:
                out[i] = model.predict(s.prepared.features)
    return out


def _decline_rows(samples: Sequence[CaseSample], ps: Sequence[np.ndarray]) -> np.ndarray:
    return np.asarray([s.prepared.signals.row(p, s.prepared.features)
                       for s, p in zip(samples, ps, strict=True)],
                      dtype=np.float64).reshape(-1, len(QUESTION_FEATURES))


@dataclass(frozen=True)
class Outcome:
    """What an answer made of chosen units scores, as the eval harness would score it."""

    facts: float  # fact coverage of the case
    source_hit: float
    precision: float


class Grader:
    """Scores chosen units of one sample without composing a whole answer: which facts each
    unit states and whether its article is an expected source."""

    def __init__(self, sample: CaseSample) -> None:
        case, prepared = sample.case, sample.prepared
        self.n_facts = len(case.expected_facts)
        self.units = prepared.units if prepared else ()
        texts = [normalize_text(u.text) for u in self.units]
        self.covers = np.asarray([[any(normalize_text(p) in t for p in fact)
                                   for fact in case.expected_facts] for t in texts],
                                 dtype=bool).reshape(len(texts), self.n_facts)
        articles = sample.engine.data.articles
        self.expected = {u.article_id: (not case.expected_sources) or is_expected(
            {"article_id": u.article_id, "title": articles[u.article_id].title,
             "source_path": articles[u.article_id].source_path}, case.expected_sources)
            for u in self.units}

    def outcome(self, chosen: Sequence[int]) -> Outcome:
        if not chosen:
            return Outcome(0.0, 0.0, 0.0)
        facts = self.covers[list(chosen)].any(axis=0).mean() if self.n_facts else 0.0
        cited = {self.units[i].article_id for i in chosen}
        hits = sum(self.expected[a] for a in cited)
        return Outcome(float(facts), float(hits > 0), hits / len(cited))


def choose_support(samples: Sequence[CaseSample], ps: Sequence[np.ndarray],
                   duplicate_overlap: float, max_statements: int) -> tuple[float, float]:
    """(support_relative, support_min) maximising fact coverage + source hit + precision
    over the answerable samples (each answered)."""
    graders = [(Grader(s), s, p) for s, p in zip(samples, ps, strict=True)
               if s.case.answerable and s.case.expected_facts and len(p)]
    best, best_score = (RELATIVE_GRID[0], MINIMUM_GRID[0]), -1.0
    for rel in RELATIVE_GRID:
        for low in MINIMUM_GRID:
            sel = Selection(0.0, rel, low, max_statements)
            total = 0.0
            for g, s, p in graders:
                o = g.outcome(select(s.prepared.units, p, sel, duplicate_overlap,
                                     s.prepared.sides))
                total += o.facts + o.source_hit + o.precision
            if total > best_score + 1e-9:
                best, best_score = (rel, low), total
    return best


def choose_threshold(confidence: Sequence[float], answerable: Sequence[bool]) -> float:
    """The answer threshold with the best abstention F1 among those declining at most
    MAX_FALSE_ABSTENTION of the answerable cases; placed between neighbouring scores."""
    values = sorted(set(confidence))
    cuts = [0.0] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] + \
        [values[-1] + 1e-6 if values else 1.0]
    n_ok = sum(answerable) or 1
    best_t, best_key = 0.0, (-1.0, 0.0)
    for t in cuts:
        abstained = [c < t for c in confidence]
        s = abstention_scores(abstained, list(answerable))
        if s["false_abstentions"] / n_ok > MAX_FALSE_ABSTENTION:
            continue
        key = (s["abstention_f1"], -t)
        if key > best_key:
            best_t, best_key = t, key
    return round(best_t, 4)


def train(samples: Sequence[CaseSample], duplicate_overlap: float,
          max_statements: int) -> ScorerModel:
    """The scorer fitted on `samples` (held-out sets are left out by the caller)."""
    usable = _usable(samples)
    unit = fit_unit_model(usable)
    oof = out_of_fold_p(usable)
    rows = _decline_rows(usable, oof)
    answerable = np.asarray([float(s.case.answerable) for s in usable])
    decline = fit_logistic(rows, answerable, QUESTION_FEATURES)
    folds = inner_folds(usable)
    confidence = np.zeros(len(usable))
    for f in range(INNER_FOLDS):
        train_idx = [i for i, g in enumerate(folds) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        if test_idx:
            m = fit_logistic(rows[train_idx], answerable[train_idx], QUESTION_FEATURES)
            confidence[test_idx] = m.predict(rows[test_idx])
    relative, minimum = choose_support(usable, oof, duplicate_overlap, max_statements)
    threshold = choose_threshold(confidence.tolist(), [bool(a) for a in answerable])
    n_units = sum(len(s.labels) for s in usable)
    training = {"data_hash": data_hash(usable), "n_questions": len(usable), "n_units": n_units,
                "n_positive_units": int(sum(float(s.labels.sum()) for s in usable)),
                "sets": sorted({s.set_name for s in usable}),
                "grids": {"support_relative": RELATIVE_GRID, "support_min": MINIMUM_GRID},
                "regularisation": REGULARISATION,
                "max_false_abstention": MAX_FALSE_ABSTENTION}
    return ScorerModel(unit, decline, Selection(threshold, relative, minimum, max_statements),
                       training)


def untrained_model(max_statements: int = 4) -> ScorerModel:
    """A scorer fitted on nothing, for preparing samples before any model exists (preparing
    reads no model): units by sentence + half passage cosine, every question answered."""
    coef = tuple(1.0 if f == "sent_cos" else 0.5 if f == "passage_cos" else 0.0
                 for f in UNIT_FEATURES)
    n_q = len(QUESTION_FEATURES)
    return ScorerModel(
        LinearModel(UNIT_FEATURES, (0.0,) * len(coef), (1.0,) * len(coef), coef, 0.0),
        LinearModel(QUESTION_FEATURES, (0.0,) * n_q, (1.0,) * n_q, (0.0,) * n_q, 5.0),
        Selection(0.0, 0.9, 0.0, max_statements), {"untrained": True})
