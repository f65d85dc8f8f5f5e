"""Comparing real runs: deleting an article makes the cases that need it worse."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from eval.cases import load_cases
from eval.compare import compare_runs
from eval.harness import run_eval

ROOT = Path(__file__).resolve().parents[2]
CORE_SET = ROOT / "eval" / "sets" / "core.jsonl"
DELETED = "relative-radiation-levels"


def test_deleting_an_article_makes_its_cases_worse(
        tmp_path: Path, core_run: dict[str, Any], engine_for: Any) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / f"{DELETED}.md").unlink()
    engine = engine_for(corpus, tmp_path / "index")
    assert DELETED not in engine.data.articles
    cases = load_cases(CORE_SET)
    current = run_eval(engine, cases).as_dict()
    status = {row["id"]: row["status"] for row in compare_runs(current, core_run)}
    before = {r["id"]: r["scores"] for r in core_run["results"]}
    # cases that can only be answered from the deleted article, and were cited from it before
    affected = [c.id for c in cases if c.expected_sources == (DELETED,)
                and before[c.id].get("source_hit")]
    assert affected, "no core case relied on the deleted article in the baseline run"
    worse = sorted(k for k, v in status.items() if v == "worse")
    assert set(affected) <= set(worse), f"affected {affected}, worse {worse}"
    for r in current["results"]:
        assert DELETED not in r["scores"]["cited_articles"], r["id"]
    assert set(status.values()) <= {"better", "worse", "same"}
