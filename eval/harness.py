"""Run an eval set through a QAEngine and score every answer against its case."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eval.cases import EvalCase
from eval.metrics import (
    RECALL_KS,
    abstention_scores,
    citation_scores,
    facts_covered,
    mean,
    percentile,
    ranked_articles,
    retrieval_scores,
)

if TYPE_CHECKING:  # the engine pulls in torch: only the type is needed here
    from qa.engine import QAEngine

Progress = Callable[[int, int], None]
RETRIEVAL_METRICS = tuple(f"recall@{k}" for k in RECALL_KS) + ("mrr", "ndcg@10")


@dataclass(frozen=True)
class EvalRun:
    """Scored results of one eval set: `summary` metrics and one record per case."""

    summary: dict[str, float]
    results: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The results.json contract: {"summary": ..., "results": [...], "meta": ...}."""
        return {"summary": self.summary, "results": self.results, "meta": self.meta}


def score_case(case: EvalCase, record: Mapping[str, Any],
               source_paths: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Per-case scores of one `ask --json` record; source_paths maps article_id -> file."""
    abstained = bool(record.get("abstained"))
    citations = list(record.get("citations") or [])
    articles = ranked_articles(record.get("retrieved") or [])
    for a in articles:
        a["source_path"] = (source_paths or {}).get(a["article_id"], "")
    scores: dict[str, Any] = {
        "abstained": abstained,
        "evidence": record.get("evidence"),
        "latency_ms": record.get("latency_ms"),
        "retrieved_articles": [a["article_id"] for a in articles[:10]],
    }
    failures: list[str] = []
    if not case.answerable:
        cited = citation_scores(citations, case.expected_sources)["cited_articles"]
        scores |= {"cited_articles": cited, "abstention_correct": abstained,
                   "false_abstention": False}
        if not abstained:
            failures.append("answered a question the articles do not cover")
        if cited:
            failures.append(f"cited {len(cited)} article(s) on an unanswerable question")
    else:
        # an abstention's canned text must never count as covering a fact
        covered = facts_covered("" if abstained else str(record.get("answer") or ""),
                                case.expected_facts)
        scores |= {
            "facts_covered": covered,
            "facts_missing": [f[0] for f, ok in zip(case.expected_facts, covered, strict=True)
                              if not ok],
            "fact_coverage": sum(covered) / len(covered) if covered else None,
            "abstention_correct": not abstained,
            "false_abstention": abstained,
        }
        cites = citation_scores(citations, case.expected_sources)
        scores["cited_articles"] = cites["cited_articles"]
        if case.expected_sources:
            scores["source_hit"] = cites["source_hit"]
            scores["citation_precision"] = None if abstained else cites["citation_precision"]
            scores |= retrieval_scores(articles, case.expected_sources)
        if abstained:
            failures.append("abstained on an answerable question")
        else:
            if scores["facts_missing"]:
                failures.append("missing fact(s): " + "; ".join(scores["facts_missing"]))
            if case.expected_sources and not scores["source_hit"]:
                failures.append("no expected source cited")
    scores["passed"] = not failures
    scores["failures"] = failures
    return scores


def summarize(results: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Set-level metrics from scored results; a metric with no applicable case is left out."""
    answerable = [r for r in results if r["answerable"]]
    sc = [r["scores"] for r in answerable]
    summary: dict[str, float] = {
        "n_cases": len(results),
        "n_answerable": len(answerable),
        "n_unanswerable": len(results) - len(answerable),
        "passed": sum(1 for r in results if r["scores"]["passed"]),
    }
    candidates: dict[str, float | None] = {
        "fact_coverage": mean(s.get("fact_coverage") for s in sc),
        "source_hit": mean(float(s["source_hit"]) for s in sc if "source_hit" in s),
        "citation_precision": mean(s.get("citation_precision") for s in sc),
    }
    for name in RETRIEVAL_METRICS:
        candidates[name] = mean(s.get(name) for s in sc)
    summary |= {k: v for k, v in candidates.items() if v is not None}
    if results:
        summary |= abstention_scores([r["scores"]["abstained"] for r in results],
                                     [r["answerable"] for r in results])
    latencies = [float(r["scores"]["latency_ms"] or 0.0) for r in results]
    if latencies:
        summary["latency_p50_ms"] = percentile(latencies, 50)
        summary["latency_p95_ms"] = percentile(latencies, 95)
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in summary.items()}


def ask_record(engine: QAEngine, question: str) -> dict[str, Any]:
    """The `ask --json` record of a question; a rejected question becomes an abstention."""
    from qa.engine import QuestionError

    try:
        return engine.ask(question).as_dict()
    except QuestionError as exc:
        return {"question": question, "answer": "", "abstained": True,
                "abstain_reason": f"question rejected: {exc}", "bottom_line": None,
                "statements": [], "citations": [], "retrieved": [], "closest_titles": [],
                "evidence": 0.0, "latency_ms": 0.0, "timings_ms": {}}


def score_record(case: EvalCase, record: Mapping[str, Any],
                 source_paths: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The results.json entry of a case: its ask record plus id, expectations and scores."""
    return {"id": case.id, **record, "answerable": case.answerable,
            "expected_sources": list(case.expected_sources),
            "expected_facts": [list(f) for f in case.expected_facts],
            "scores": score_case(case, record, source_paths)}


def run_eval(engine: QAEngine, cases: Sequence[EvalCase],
             progress: Progress | None = None) -> EvalRun:
    """Ask every case's question once and score the answers (no LLM, deterministic); the
    audit log marks them as eval questions."""
    from qa.audit import asked_as

    source_paths = {aid: a.source_path for aid, a in engine.data.articles.items()}
    results = []
    with asked_as("eval"):
        for i, case in enumerate(cases, start=1):
            results.append(score_record(case, ask_record(engine, case.question), source_paths))
            if progress:
                progress(i, len(cases))
    meta = {"index_version": engine.version, "n_articles": len(engine.data.articles),
            "scorer": engine.model.training.get("data_hash"),
            "settings_fingerprint": engine.settings.fingerprint()}
    return EvalRun(summary=summarize(results), results=results, meta=meta)
