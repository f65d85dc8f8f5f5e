"""`make test` gate: the core eval set must meet the quality bar the QA staff agreed on."""

from __future__ import annotations

from typing import Any

import pytest

FACT_COVERAGE = 0.85
SOURCE_HIT = 0.95
ABSTENTION_F1 = 0.90
FALSE_ABSTENTIONS = 0


def _ids(core_run: dict[str, Any], failing: Any) -> str:
    return ", ".join(r["id"] for r in core_run["results"] if failing(r)) or "none"


def _summary(core_run: dict[str, Any]) -> dict[str, float]:
    return core_run["summary"]


def test_fact_coverage(core_run: dict[str, Any]) -> None:
    value = _summary(core_run)["fact_coverage"]
    missing = _ids(core_run, lambda r: r["scores"].get("fact_coverage") not in (None, 1.0))
    assert value >= FACT_COVERAGE, (
        f"fact coverage {value:.3f} < {FACT_COVERAGE}; cases missing facts: {missing}")


def test_source_hit(core_run: dict[str, Any]) -> None:
    value = _summary(core_run)["source_hit"]
    missing = _ids(core_run, lambda r: r["answerable"] and not r["scores"].get("source_hit"))
    assert value >= SOURCE_HIT, (
        f"source hit {value:.3f} < {SOURCE_HIT}; no expected source cited in: {missing}")


def test_abstention_f1(core_run: dict[str, Any]) -> None:
    value = _summary(core_run)["abstention_f1"]
    wrong = _ids(core_run, lambda r: r["scores"]["abstained"] == r["answerable"])
    assert value >= ABSTENTION_F1, (
        f"abstention F1 {value:.3f} < {ABSTENTION_F1}; wrong abstention decision in: {wrong}")


def test_no_false_abstentions(core_run: dict[str, Any]) -> None:
    value = _summary(core_run)["false_abstentions"]
    wrong = _ids(core_run, lambda r: r["answerable"] and r["scores"]["abstained"])
    assert value <= FALSE_ABSTENTIONS, (
        f"{value} false abstentions (answerable cases abstained on): {wrong}")


@pytest.mark.parametrize("metric", ["recall@5", "mrr", "citation_precision"])
def test_reported_metrics_are_measured(core_run: dict[str, Any], metric: str) -> None:
    assert 0.0 <= _summary(core_run)[metric] <= 1.0, f"{metric} missing or out of range"
