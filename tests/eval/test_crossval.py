"""Cross-validated abstention thresholds on hand-made evidence scores (no model needed)."""

from __future__ import annotations

import math

from eval.cases import EvalCase
from eval.crossval import SetScores, cross_validate, fit_threshold


def scores(name: str, answerable: list[float], unanswerable: list[float]) -> SetScores:
    cases = [EvalCase(f"{name}-a{i}", "q", answerable=True) for i in range(len(answerable))]
    cases += [EvalCase(f"{name}-u{i}", "q", answerable=False) for i in range(len(unanswerable))]
    evidence = [*answerable, *unanswerable]
    return SetScores(name, tuple(cases), tuple(evidence), tuple(False for _ in evidence))


def test_fit_threshold_separates_without_false_abstentions() -> None:
    rows = [(0.5, False, True), (0.4, False, True), (0.1, False, False), (0.2, False, False)]
    t = fit_threshold(rows)
    assert 0.2 < t <= 0.4


def test_leave_one_set_out_reports_each_set_on_a_threshold_fitted_elsewhere() -> None:
    # set "b" needs a higher threshold than "a" and "c" would give it: its held-out numbers
    # show the missed abstentions a threshold fitted on one kind of corpus leaves elsewhere
    a = scores("a", [0.5, 0.6, 0.45, 0.7], [0.1, 0.15])
    b = scores("b", [0.8, 0.9, 0.85, 0.75], [0.4, 0.42])
    c = scores("c", [0.55, 0.65, 0.5, 0.6], [0.12, 0.2])
    cv = cross_validate([a, b, c], current=0.07, k=3)
    folds = {f.held_out: f for f in cv.leave_one_set_out}
    assert set(folds) == {"a", "b", "c"}
    assert folds["b"].metrics.missed_abstentions == 2 and folds["b"].metrics.recall == 0.0
    # fitted on b and c (whose answerable cases all score >= 0.5), the threshold abstains
    # on a's weakest answerable case: a held-out false abstention
    assert folds["a"].metrics.false_abstentions == 1 and folds["a"].n_cases == 6
    assert folds["c"].metrics.f1 == 1.0
    pooled = cv.leave_one_set_out_pooled
    assert pooled is not None and math.isnan(pooled.threshold)
    assert pooled.missed_abstentions == 2 and pooled.false_abstentions == 1
    # k-fold: every case is held out exactly once
    assert sum(f.n_cases for f in cv.k_fold) == 18 and len(cv.k_fold) == 3
    # the configured threshold, nothing fitted, per set
    assert [f.threshold for f in cv.current] == [0.07, 0.07, 0.07]
    assert cv.current[0].metrics.missed_abstentions == 2


def test_one_small_set_has_no_leave_one_set_out_and_no_k_fold() -> None:
    cv = cross_validate([scores("only", [0.5], [0.1])], current=0.07)
    assert cv.leave_one_set_out == () and cv.leave_one_set_out_pooled is None
    assert cv.k_fold == () and cv.k_fold_pooled is None


def test_each_threshold_is_fitted_with_the_other_in_force() -> None:
    from eval.calibrate import CaseScores

    scores = CaseScores(evidence=(0.05, 0.2, 0.3), known_share=(1.0, 0.8, 0.95),
                        intrinsic=(False, False, True))
    # fitting min_evidence: a case under min_known_share abstains whatever min_evidence is
    assert scores.for_evidence(0.9) == ([0.05, 0.2, 0.3], [False, True, True])
    # fitting min_known_share: a case under min_evidence abstains whatever min_known_share is
    assert scores.for_known_share(0.07) == ([1.0, 0.8, 0.95], [True, False, True])
