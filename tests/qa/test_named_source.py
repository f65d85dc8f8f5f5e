"""A question that names its source is answered from it, or told that it does not cover it."""

from __future__ import annotations

from qa.named_source import acronym


def test_acronym_from_capitalised_words() -> None:
    assert acronym("American College of Physicians") == "ACP"
    assert acronym("North American Spine Society") == "NASS"


def test_named_organisation_answers_only_from_its_documents(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask(
        "per ACP 2017, which drugs are second line for chronic low back pain?")
    named = answer.as_dict()["named_source"]
    assert named and "acp_lbp_noninvasive_2017" in named["article_ids"], named
    assert "ngc_synthesis_knee_oa_2016" not in named["article_ids"]
    assert not answer.abstained, answer.abstain_reason
    assert {c.article_id for c in answer.citations} <= set(named["article_ids"])
    assert "duloxetine" in answer.text or "tramadol" in answer.text, answer.text


def test_named_organisation_from_front_matter_definition(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask("what does AAOS say about manual therapy for the knee?")
    named = answer.as_dict()["named_source"]
    assert named and named["article_ids"] == ["ngc_synthesis_knee_oa_2016"], named
    assert "AAOS" in named["matched"]
    assert {c.article_id for c in answer.citations} == {"ngc_synthesis_knee_oa_2016"}


def test_named_document_that_does_not_cover_the_question_abstains(
        real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask(
        "per ACP 2017, should hyaluronic acid injections be used for knee osteoarthritis?")
    assert answer.abstained and answer.citations == ()
    assert answer.abstain_reason.startswith("the named document"), answer.abstain_reason
    assert "does not cover this question" in answer.text


def test_question_naming_no_source_has_none(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask("is acupuncture recommended for knee osteoarthritis?")
    assert answer.as_dict()["named_source"] is None
