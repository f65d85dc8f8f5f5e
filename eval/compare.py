"""Compare two eval runs case by case: which answers got better, which got worse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Set-level metrics where a smaller number is the better one.
LOWER_IS_BETTER = frozenset({"false_abstentions", "missed_abstentions", "latency_p50_ms",
                             "latency_p95_ms"})
# Timings vary run to run on the same index: shown, never counted as a change in quality.
TIMINGS = frozenset({"latency_p50_ms", "latency_p95_ms"})
# Counts that describe a run rather than grade it.
NOT_COMPARED = frozenset({"n_cases", "n_answerable", "n_unanswerable"})


def case_state(result: Mapping[str, Any]) -> dict[str, Any]:
    """The graded part of one result: fact coverage, abstained, source hit, passed."""
    s = result.get("scores", {})
    return {"fact_coverage": s.get("fact_coverage"), "abstained": bool(s.get("abstained")),
            "source_hit": s.get("source_hit"), "passed": bool(s.get("passed"))}


def _verdict(before: Mapping[str, Any], after: Mapping[str, Any], answerable: bool) -> str:
    """'worse' when anything graded regressed (even if something else improved)."""
    gains = losses = 0
    if answerable:
        # abstaining on an answerable question is the regression; answering again the gain
        pairs = [(not before["abstained"], not after["abstained"]),
                 (before["fact_coverage"] or 0.0, after["fact_coverage"] or 0.0),
                 (bool(before["source_hit"]), bool(after["source_hit"]))]
    else:
        pairs = [(before["abstained"], after["abstained"]), (before["passed"], after["passed"])]
    for old, new in pairs:
        gains += new > old
        losses += new < old
    if losses:
        return "worse"
    return "better" if gains else "same"


def compare_runs(current: Mapping[str, Any], baseline: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per case id: status better | worse | same | new | gone, with before/after."""
    before = {r["id"]: r for r in baseline.get("results", [])}
    after = {r["id"]: r for r in current.get("results", [])}
    rows: list[dict[str, Any]] = []
    for case_id, result in after.items():
        old = before.get(case_id)
        new_state = case_state(result)
        if old is None:
            rows.append({"id": case_id, "question": result.get("question", ""), "status": "new",
                         "before": None, "after": new_state})
            continue
        old_state = case_state(old)
        status = _verdict(old_state, new_state, bool(result.get("answerable", True)))
        rows.append({"id": case_id, "question": result.get("question", ""), "status": status,
                     "before": old_state, "after": new_state})
    for case_id, result in before.items():
        if case_id not in after:
            rows.append({"id": case_id, "question": result.get("question", ""),
                         "status": "gone", "before": case_state(result), "after": None})
    return rows


def compare_summaries(current: Mapping[str, Any],
                      baseline: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per summary metric: before, after, delta and whether the change is an improvement."""
    old, new = baseline.get("summary", {}), current.get("summary", {})
    rows = []
    for metric in [*new, *(k for k in old if k not in new)]:
        if metric in NOT_COMPARED:
            continue
        a, b = old.get(metric), new.get(metric)
        delta = None if a is None or b is None else round(b - a, 4)
        if metric in LOWER_IS_BETTER and delta is not None:
            direction = "better" if delta < 0 else "worse" if delta > 0 else "same"
        elif delta is not None:
            direction = "better" if delta > 0 else "worse" if delta < 0 else "same"
        else:
            direction = "new" if a is None else "gone"
        rows.append({"metric": metric, "before": a, "after": b, "delta": delta,
                     "direction": direction, "graded": metric not in TIMINGS})
    return rows
