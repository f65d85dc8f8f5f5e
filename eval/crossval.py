"""Cross-validated abstention numbers: the threshold is fitted on some cases and reported on
the cases it was not fitted on, so the number says how the threshold generalises.

Two schemes over the evidence scores of one or more eval sets (collected once per case by
eval.calibrate.collect_scores):
- leave one set out: fit on all other sets, report on the held-out set (needs >= 2 sets);
- k-fold: cases of all sets in a fixed order (set, id), case i in fold i mod k; fit on k-1
  folds, report on the held-out one.
Fitting is eval.calibrate's rule: best F1 without adding a false abstention on the fit data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from eval.calibrate import CalibrationPoint, _point, choose_threshold, sweep_thresholds
from eval.cases import EvalCase
from eval.metrics import abstention_scores

K_FOLDS = 5


@dataclass(frozen=True)
class SetScores:
    """One eval set's cases, the score each got (evidence, known share) and whether it always
    abstains (nothing quotable, a scope gap, the other threshold)."""

    name: str
    cases: tuple[EvalCase, ...]
    evidence: tuple[float, ...]
    intrinsic: tuple[bool, ...]


@dataclass(frozen=True)
class Fold:
    """A threshold fitted without `held_out` and the abstention metrics on `held_out`."""

    held_out: str
    threshold: float
    n_cases: int
    metrics: CalibrationPoint


@dataclass(frozen=True)
class CrossValidation:
    leave_one_set_out: tuple[Fold, ...]
    k_fold: tuple[Fold, ...]
    # all held-out decisions of each scheme scored together (None when the scheme cannot run)
    leave_one_set_out_pooled: CalibrationPoint | None
    k_fold_pooled: CalibrationPoint | None
    current: tuple[Fold, ...]  # the configured threshold on each set (nothing fitted)


Rows = list[tuple[float, bool, bool]]  # (evidence, intrinsic abstention, answerable)


def _rows(sets: Sequence[SetScores]) -> list[tuple[str, str, float, bool, bool]]:
    out = []
    for s in sets:
        for case, e, i in zip(s.cases, s.evidence, s.intrinsic, strict=True):
            out.append((s.name, case.id, e, i, case.answerable))
    return sorted(out, key=lambda r: (r[0], r[1]))


def fit_threshold(rows: Rows) -> float:
    """The threshold eval.calibrate would choose on these rows."""
    evidence, intrinsic, answerable = ([r[k] for r in rows] for k in range(3))
    points = sweep_thresholds(evidence, intrinsic, answerable)
    intrinsic_false = sum(1 for _e, i, ok in rows if i and ok)
    return choose_threshold(points, intrinsic_false).threshold


def score(threshold: float, rows: Rows) -> CalibrationPoint:
    evidence, intrinsic, answerable = ([r[k] for r in rows] for k in range(3))
    return _point(threshold, evidence, intrinsic, answerable)


def _pooled(folds: list[tuple[float, Rows]]) -> CalibrationPoint | None:
    """Every held-out row decided by its own fold's threshold, scored together (the
    threshold field is NaN: there is one per fold)."""
    if not folds:
        return None
    abstained = [i or e < t for t, rows in folds for e, i, _ok in rows]
    answerable = [ok for _t, rows in folds for _e, _i, ok in rows]
    s = abstention_scores(abstained, answerable)
    return CalibrationPoint(math.nan, s["abstention_precision"], s["abstention_recall"],
                            s["abstention_f1"], int(s["false_abstentions"]),
                            int(s["missed_abstentions"]))


def cross_validate(sets: Sequence[SetScores], current: float,
                   k: int = K_FOLDS) -> CrossValidation:
    """Leave-one-set-out (with >= 2 sets) and k-fold abstention numbers on held-out cases."""
    rows = _rows(sets)
    names = list(dict.fromkeys(r[0] for r in rows))
    lso: list[Fold] = []
    lso_folds: list[tuple[float, Rows]] = []
    if len(names) >= 2:
        for name in names:
            train = [r[2:] for r in rows if r[0] != name]
            test = [r[2:] for r in rows if r[0] == name]
            t = fit_threshold(train)
            lso.append(Fold(name, t, len(test), score(t, test)))
            lso_folds.append((t, test))
    kf: list[Fold] = []
    kf_folds: list[tuple[float, Rows]] = []
    if len(rows) >= 2 * k:
        for fold in range(k):
            train = [r[2:] for n, r in enumerate(rows) if n % k != fold]
            test = [r[2:] for n, r in enumerate(rows) if n % k == fold]
            t = fit_threshold(train)
            kf.append(Fold(f"fold {fold + 1}/{k}", t, len(test), score(t, test)))
            kf_folds.append((t, test))
    now = tuple(Fold(name, current, sum(1 for r in rows if r[0] == name),
                     score(current, [r[2:] for r in rows if r[0] == name])) for name in names)
    return CrossValidation(tuple(lso), tuple(kf), _pooled(lso_folds), _pooled(kf_folds), now)
