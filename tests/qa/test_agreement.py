"""Statements grouped by organisation, newest first; conflicts said plainly."""

from __future__ import annotations

from qa.agreement import find_difference, group_by_source, stance
from qa.records import Statement


def _s(text: str, org: str | None, year: int | None) -> Statement:
    return Statement(text, (1,), "c", organisation=org, year=year)


def test_stance_reads_for_against_and_no_recommendation() -> None:
    assert stance("VA/DoD recommends acetaminophen as first-line treatment") == "for"
    assert stance("The developers recommend against the use of glucosamine") == "against"
    assert stance("AAOS was unable to recommend for or against manual therapy") == "none"
    assert stance("Neither developer recommends routine use of injections") == "against"
    assert stance("Knee pain is common") is None
    # "do not" is a stance only as an imperative; mid-sentence it describes (ACP 2017's text)
    assert stance("Do not use therapeutic ultrasound for acute low back pain") == "against"
    assert stance("\u2022 Do not prescribe bed rest") == "against"
    assert stance("Most patients with acute back pain have self-limited episodes that resolve "
                  "on their own; many do not seek medical care") is None


def test_groups_newest_first_and_conflict_named() -> None:
    stmts = [_s("AAOS recommends against hyaluronic acid for knee OA", "AAOS", 2013),
             _s("VA/DoD finds insufficient evidence for or against hyaluronic acid", "VA", 2014)]
    groups = group_by_source(stmts)
    assert [(g.organisation, g.year) for g in groups] == [("VA", 2014), ("AAOS", 2013)]
    differ = find_difference("should hyaluronic acid be used for knee OA?", stmts, "knee")
    assert differ and differ.startswith("Guidelines differ: VA (2014)"), differ
    same = [_s("AAOS recommends exercise", "AAOS", 2013), _s("ACP recommends exercise", "ACP", 2017)]
    assert find_difference("is exercise recommended?", same) is None


def test_different_amounts_for_the_same_item_differ() -> None:
    stmts = [_s("Give acetaminophen up to 4 grams daily", "VA", 2014),
             _s("Limit acetaminophen to 3 grams daily", "AAOS", 2013)]
    assert "gives" in (find_difference("acetaminophen daily dose?", stmts) or "")


def test_knee_synthesis_differences_are_said_plainly(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask(
        "should hyaluronic acid injections be used for knee osteoarthritis?")
    data = answer.as_dict()
    assert not answer.abstained, answer.abstain_reason
    assert len(data["sources"]) >= 2, data["statement_details"]
    years = [g["year"] or 0 for g in data["sources"]]
    assert years == sorted(years, reverse=True)
    assert data["differ"] and data["differ"].startswith("Guidelines differ:"), data["differ"]
    # the synthesis reports AAOS 2013 against hyaluronic acid, VA/DoD 2014 an "I statement"
    assert "VA/DoD (2014)" in data["differ"] and "AAOS (2013)" in data["differ"], data["differ"]
    assert data["differ"].index("VA/DoD") < data["differ"].index("AAOS"), "newest first"
    assert answer.text.startswith("Guidelines differ:")


def test_a_comparison_document_reports_and_takes_no_side() -> None:
    reporter = [_s("The developers recommend against glucosamine for knee pain", "NGC", 2016),
                _s("AAOS makes no recommendation for or against glucosamine", "AAOS", 2013)]
    question = "is glucosamine recommended?"
    assert find_difference(question, reporter) is not None
    assert find_difference(question, reporter, reporters=frozenset({("NGC", 2016)})) is None
