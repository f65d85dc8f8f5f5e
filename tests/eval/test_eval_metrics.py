"""Metric functions on hand-made records: exact expected numbers, no model."""

from __future__ import annotations

import math

import pytest

from eval.cases import EvalCase
from eval.harness import score_record, summarize
from eval.metrics import (
    abstention_scores,
    citation_scores,
    facts_covered,
    percentile,
    ranked_articles,
    retrieval_scores,
    source_matches,
)
from eval.thresholds import ThresholdError, missed_thresholds, parse_thresholds


def retrieved(*article_ids: str) -> list[dict[str, object]]:
    return [{"rank": i, "chunk_id": f"{a}:{i}", "article_id": a, "title": a.replace("-", " ")}
            for i, a in enumerate(article_ids, start=1)]


def cite(*article_ids: str) -> list[dict[str, object]]:
    return [{"n": i, "article_id": a, "title": a.title(), "source_path": f"corpus/{a}.md",
             "text": f"passage of {a}"} for i, a in enumerate(article_ids, start=1)]


def record(answer: str, *, abstained: bool = False, citations: list | None = None,
           retrieved_list: list | None = None, latency: float = 100.0,
           evidence: float = 0.5) -> dict[str, object]:
    return {"question": "q", "answer": answer, "abstained": abstained,
            "citations": citations or [], "retrieved": retrieved_list or [],
            "evidence": evidence, "latency_ms": latency}


def test_facts_match_any_phrasing_ignoring_case_whitespace_and_markers() -> None:
    answer = "MRI  Without and WITH IV contrast [1]. It separates\nscar from disc [2]."
    facts = [["with and without iv contrast", "without and with iv contrast"],
             ["scar from disc"], ["fibrosis"], ["contrast. it separates"]]
    assert facts_covered(answer, facts) == [True, True, False, True]


def test_a_number_matches_whether_written_in_words_or_digits() -> None:
    answer = "The relief from these ablations is durable for at least 6 months [1]."
    assert facts_covered(answer, [["at least six months"], ["at least 16 months"],
                                  ["durable for at least six weeks"]]) == [True, False, False]
    assert facts_covered("Five percent of patients", [["5 percent"]]) == [True]
    assert facts_covered("someone improved", [["one improved"]]) == [False]  # whole words only


def test_source_match_is_case_and_punctuation_insensitive() -> None:
    source = {"article_id": "mri-contrast-when-to-add",
              "title": "When should IV contrast be added?", "source_path": "corpus/x.md"}
    assert source_matches(source, "MRI contrast: when to add")
    assert source_matches(source, "iv contrast be added")
    assert source_matches(source, "x.md")
    assert not source_matches(source, "contrast-infection")
    assert not source_matches(source, " - ")


def test_retrieved_chunks_dedupe_to_articles_in_rank_order() -> None:
    chunks = retrieved("b", "a", "b", "c", "a")
    assert [a["article_id"] for a in ranked_articles(chunks)] == ["b", "a", "c"]
    assert [a["article_id"] for a in ranked_articles(list(reversed(chunks)))] == ["b", "a", "c"]


def test_retrieval_scores_exact() -> None:
    ranking = ranked_articles(retrieved("a", "b", "a", "c", "d", "e", "f", "g"))
    # expected b (article rank 2) and g (article rank 7); "zzz" is never retrieved
    scores = retrieval_scores(ranking, ["b", "g", "zzz"])
    assert scores["recall@1"] == 0.0
    assert scores["recall@5"] == pytest.approx(1 / 3)
    assert scores["recall@10"] == pytest.approx(2 / 3)
    assert scores["mrr"] == 0.5
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert scores["ndcg@10"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(8)) / ideal)
    perfect = retrieval_scores(ranked_articles(retrieved("b", "x")), ["b"])
    assert perfect == {"recall@1": 1.0, "recall@5": 1.0, "recall@10": 1.0, "mrr": 1.0,
                       "ndcg@10": 1.0}
    assert retrieval_scores(ranking, []) == {}


def test_citation_scores() -> None:
    scores = citation_scores(cite("a", "b", "a", "c"), ["a", "Corpus/C"])
    assert scores["cited_articles"] == ["a", "b", "c"]
    assert scores["source_hit"] is True
    assert scores["citation_precision"] == pytest.approx(2 / 3)
    assert citation_scores([], ["a"]) == {"cited_articles": [], "source_hit": False,
                                          "citation_precision": None}


def test_abstention_scores_exact() -> None:
    # TP: 0, 4   FP (false abstention): 1   FN (missed): 2   TN: 3
    s = abstention_scores([True, True, False, False, True], [False, True, False, True, False])
    assert s == {"abstention_precision": pytest.approx(2 / 3),
                 "abstention_recall": pytest.approx(2 / 3),
                 "abstention_f1": pytest.approx(2 / 3), "false_abstentions": 1,
                 "missed_abstentions": 1}
    nothing = abstention_scores([False, False], [True, True])
    assert (nothing["abstention_precision"], nothing["abstention_f1"]) == (1.0, 1.0)
    assert abstention_scores([False], [False])["abstention_f1"] == 0.0


def test_percentile_interpolates() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) == 0.0


CASES = [
    EvalCase("good", "q1", ("a",), (("usually appropriate",), ("6 weeks", "six weeks")), True),
    EvalCase("half", "q2", ("b",), (("ct myelography",), ("artifact",)), True),
    EvalCase("false-abstain", "q3", ("c",), (("fever",),), True),
    EvalCase("out-of-scope", "q4", (), (), False),
    EvalCase("missed", "q5", (), (), False),
]
RECORDS = [
    record("MRI is Usually Appropriate after six weeks [1].", citations=cite("a"),
           retrieved_list=retrieved("a", "b"), latency=100),
    record("CT myelography is an option [1][2].", citations=cite("x", "b"),
           retrieved_list=retrieved("x", "y", "b"), latency=200),
    record("The indexed articles do not cover this. fever", abstained=True,
           retrieved_list=retrieved("c"), latency=300, evidence=0.1),
    record("", abstained=True, latency=400, evidence=0.05),
    record("Something [1].", citations=cite("z"), retrieved_list=retrieved("z"), latency=500),
]


def test_per_case_scores() -> None:
    results = [score_record(c, r, {"a": "corpus/a.md"}) for c, r in zip(CASES, RECORDS,
                                                                         strict=True)]
    good, half, abstain, scope, missed = (r["scores"] for r in results)
    assert results[0]["id"] == "good" and results[0]["answer"] == RECORDS[0]["answer"]
    assert good["facts_covered"] == [True, True] and good["passed"] and good["failures"] == []
    assert half["facts_covered"] == [True, False] and half["facts_missing"] == ["artifact"]
    assert half["source_hit"] and half["citation_precision"] == 0.5 and not half["passed"]
    assert half["recall@1"] == 0.0 and half["recall@5"] == 1.0
    assert half["mrr"] == pytest.approx(1 / 3)
    # the abstention text never covers a fact, even when it happens to contain one
    assert abstain["facts_covered"] == [False] and abstain["false_abstention"]
    assert abstain["citation_precision"] is None and abstain["source_hit"] is False
    assert abstain["failures"] == ["abstained on an answerable question"]
    assert scope["passed"] and scope["abstention_correct"]
    assert not missed["passed"] and missed["failures"] == [
        "answered a question the articles do not cover",
        "cited 1 article(s) on an unanswerable question"]


def test_summary_exact() -> None:
    results = [score_record(c, r) for c, r in zip(CASES, RECORDS, strict=True)]
    summary = summarize(results)
    assert summary == {
        "n_cases": 5, "n_answerable": 3, "n_unanswerable": 2, "passed": 2,
        "fact_coverage": pytest.approx((1 + 0.5 + 0) / 3, abs=1e-4),
        "source_hit": pytest.approx(2 / 3, abs=1e-4),
        "citation_precision": 0.75,  # (1 + 0.5) / 2: the abstained case is left out
        "recall@1": pytest.approx(2 / 3, abs=1e-4), "recall@5": 1.0, "recall@10": 1.0,
        "mrr": pytest.approx((1 + 1 / 3 + 1) / 3, abs=1e-4),
        "ndcg@10": pytest.approx((1 + 0.5 + 1) / 3, abs=1e-4),
        "abstention_precision": 0.5, "abstention_recall": 0.5, "abstention_f1": 0.5,
        "false_abstentions": 1, "missed_abstentions": 1,
        "latency_p50_ms": 300.0, "latency_p95_ms": 480.0,
    }


def test_fail_under_gates() -> None:
    gates = parse_thresholds(["fact_coverage=0.85", "source_hit=0.95,false_abstentions=0"])
    assert gates == {"fact_coverage": 0.85, "source_hit": 0.95, "false_abstentions": 0.0}
    summary = {"fact_coverage": 0.8, "source_hit": 0.95, "false_abstentions": 2}
    assert missed_thresholds(summary, gates) == ["fact_coverage 0.8 < 0.85",
                                                 "false_abstentions 2 > 0"]
    with pytest.raises(ThresholdError, match="'accuracy=1': expected metric=value"):
        parse_thresholds(["accuracy=1"])
    with pytest.raises(ThresholdError, match="'mrr=high': 'high' is not a number"):
        parse_thresholds(["mrr=high"])
