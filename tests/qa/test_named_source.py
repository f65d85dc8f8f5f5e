"""A question that names its source is answered from it, or told that it does not cover it."""

from __future__ import annotations

from qa.named_source import acronym


def test_acronym_from_capitalised_words() -> None:
    assert acronym("American College of Physicians") == "ACP"
    assert acronym("North American Spine Society") == "NASS"


def test_named_organisation_is_cited_first_from_its_own_guideline(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask(
        "per ACP 2017, which drugs are second line for chronic low back pain?")
    named = answer.as_dict()["named_source"]
    assert named and "acp_lbp_noninvasive_2017" in named["article_ids"], named
    assert not answer.abstained, answer.abstain_reason
    assert answer.citations[0].article_id == "acp_lbp_noninvasive_2017", answer.citations
    assert "duloxetine" in answer.text or "tramadol" in answer.text, answer.text
    assert answer.source_note == ""


def test_named_organisation_from_front_matter_definition(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask("what does AAOS say about manual therapy for the knee?")
    named = answer.as_dict()["named_source"]
    assert named and named["article_ids"] == ["ngc_synthesis_knee_oa_2016"], named
    assert "AAOS" in named["matched"]
    assert answer.citations[0].article_id == "ngc_synthesis_knee_oa_2016"


def test_a_named_source_is_never_a_filter(real_guidelines_engine) -> None:
    """ACP 2017 is about low back pain; the knee question is answered from what covers it and
    the answer says that none of it is ACP's, never "the named document does not cover"."""
    answer = real_guidelines_engine.ask(
        "per ACP 2017, should hyaluronic acid injections be used for knee osteoarthritis?")
    assert "the named document" not in answer.abstain_reason
    if not answer.abstained:
        assert "acp_lbp_noninvasive_2017" not in {c.article_id for c in answer.citations}
        assert answer.source_note.startswith("No passage of "), answer.source_note
        assert answer.text.startswith(answer.source_note)


def test_question_naming_no_source_has_none(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask("is acupuncture recommended for knee osteoarthritis?")
    assert answer.as_dict()["named_source"] is None


def test_publisher_parts_and_own_guideline_acronym_name_an_article() -> None:
    from ingest.records import Article, Section
    from qa.named_source import find_named_source, profile

    top = Article("top", "Guideline for Low Back Pain", "top.pdf",
                  (Section("Intro", "Primary care advice.", ("Intro",), 0),),
                  publisher="Toward Optimized Practice (TOP), Alberta, Canada", year=2011)
    nass = Article("nass", "Multidisciplinary Spine Care", "nass.pdf",
                   (Section("Intro", "The NASS Clinical Guideline outlines care.", ("Intro",), 0),))
    profiles = [profile(top), profile(nass)]
    assert find_named_source("does the Alberta guideline advise opioids?",
                             profiles).article_ids == ("top",)
    assert find_named_source("what does TOP say?", profiles).article_ids == ("top",)
    assert find_named_source("per NASS, is manipulation advised?", profiles).article_ids == (
        "nass",)
    assert find_named_source("is manipulation advised for back pain?", profiles) is None


def test_copyright_holder_names_the_issuer_and_year() -> None:
    from ingest.records import Article, Section
    from qa.named_source import profile

    text = "www.spine.org © 2020 North American Spine Society\nRecommendations were developed."
    prof = profile(Article("nass", "Spine Care", "nass.pdf", (Section("", text, ("",), 0),)))
    names = dict(prof.names)
    assert "NASS" in names and "north american spine society" in names, names
    assert prof.year == 2020


def test_a_place_or_author_of_the_front_matter_names_its_article() -> None:
    """"Alberta" (TOP's province) and "Oliveira" (first author) are nowhere in the publisher
    field; a proper noun only one article's front matter has names it. A capitalised common
    word ("Guideline") or a month does not."""
    from ingest.records import Article, Section
    from qa.named_source import distinctive_names, find_named_source, profiles

    def article(aid: str, title: str, front: str, publisher: str) -> Article:
        return Article(aid, title, f"{aid}.pdf", (Section("", front, ("",), 0),),
                       publisher=publisher)

    articles = {
        "top": article("top", "Guideline for Low Back Pain", "Toward Optimized Practice, "
                       "Alberta. Guideline revised March 2011. The guideline covers adults.",
                       "Toward Optimized Practice (TOP) Program"),
        "oli": article("oli", "Clinical practice guidelines: an overview", "Crystian B. "
                       "Oliveira1 · Chris G. Maher2 Received: 15 March 2018. Each guideline "
                       "was read.", "European Spine Journal"),
    }
    names = distinctive_names(articles)
    assert "Alberta" in names["top"] and "Oliveira" in names["oli"], names
    assert not {"Guideline", "March"} & (names["top"] | names["oli"])
    ps = profiles(articles)
    assert find_named_source("Per the Alberta guideline, is bed rest advised?",
                             ps).article_ids == ("top",)
    assert find_named_source("Oliveira 2018: is acupuncture advised?", ps).article_ids == ("oli",)
    assert find_named_source("Guideline advice on bed rest?", ps) is None


def test_each_source_a_comparison_names_is_kept(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask("Acetaminophen as a first-line drug: ACP 2017 vs VA/DoD?")
    named = answer.as_dict()["named_source"]
    assert named and set(named["article_ids"]) == {"acp_lbp_noninvasive_2017",
                                                   "ngc_synthesis_knee_oa_2016"}, named
    assert {c.article_id for c in answer.citations} <= set(named["article_ids"])


def test_a_joint_guideline_is_the_document_both_organisations_are_named_in(
        real_guidelines_engine) -> None:
    named = real_guidelines_engine.ask(
        "What did the 2007 ACP/APS guideline say about routine imaging for back pain?"
    ).as_dict()["named_source"]
    assert named and named["article_ids"] == ["ngc_commentary_acp_aps_lbp_2008"], named


def test_organisations_a_document_discusses_stay_the_questions_topic(
        real_guidelines_engine) -> None:
    """The NGC commentary is named by its author (Shekelle) and by the organisations whose
    guideline it discusses (ACP/APS): those are what the question is about, not only who
    issued the page, so they stay in the question and the answer is the scope statement."""
    answer = real_guidelines_engine.ask("According to Shekelle's commentary, what does the 2007 "
                                        "ACP/APS low back pain guideline not cover?")
    named = answer.as_dict()["named_source"]
    assert named and named["article_ids"] == ["ngc_commentary_acp_aps_lbp_2008"], named
    assert "does not deal with surgery or other invasive interventions" in answer.text, (
        answer.text)


def test_an_issuer_no_article_mentions_is_not_answered_for(real_guidelines_engine) -> None:
    """"The ACR appropriateness rating" asks what a body says that no indexed article
    mentions (ACP 2017 has "acr" only inside a DOI): abstain and say so, however well the
    rest of the question matches the imaging passages."""
    answer = real_guidelines_engine.ask(
        "What is the ACR appropriateness rating for lumbar MRI with contrast after surgery?")
    assert answer.abstained and answer.citations == ()
    assert answer.abstain_reason == "no indexed article is from ACR or mentions it"
    # an organisation the articles do mention is no reason to abstain
    named = real_guidelines_engine.ask("Does the AAOS recommend glucosamine for knee OA?")
    assert not named.abstained, named.abstain_reason


def test_acronyms_are_words_of_the_text_not_parts_of_addresses() -> None:
    from ingest.records import Article, Section
    from qa.named_source import acronyms, unknown_issuer

    text = "The ACP reviewed trials (doi:10.1002/acr.20594; e-mail ACR@example.org) with the APS."
    known = acronyms({"a": Article("a", "T", "a.pdf", (Section("", text, ("",), 0),))})
    assert {"ACP", "APS"} <= known and "ACR" not in known
    assert unknown_issuer("per ACR, is MRI advised?", known.__contains__) == "ACR"
    assert unknown_issuer("Does the ACP recommend NSAIDs?", known.__contains__) is None
    assert unknown_issuer("Is MRI advised for sciatica?", known.__contains__) is None
