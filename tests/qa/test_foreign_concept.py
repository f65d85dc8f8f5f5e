"""A question about a concept no article writes (qa.evidence.unknown_terms, known_share) abstains
and says which words; a vignette's aside (a patient's job) does not, with the real model on
real guidelines (ACP 2017, the knee OA synthesis, the ACP/APS commentary)."""

from __future__ import annotations

from qa.evidence import unknown_terms, without_words
from qa.text import stems


def _known(text: str):
    words = stems(text)
    return lambda stem: stem in words


def test_unknown_terms_are_the_specialised_words_the_corpus_never_writes() -> None:
    corpus = _known("Glucosamine for knee osteoarthritis; upright position; low back pain")
    # "violinist" is a specialised word (rare in English) no article holds; "with" is everyday
    assert unknown_terms("A violinist with knee osteoarthritis: glucosamine?",
                         corpus) == ("violinist",)
    # a hyphenated word whose parts the corpus writes is known
    assert unknown_terms("upright-position MRI for low back pain", corpus) == ("mri",)
    assert unknown_terms("glucosamine for knee osteoarthritis?", corpus) == ()


def test_without_words_takes_out_whole_words_only() -> None:
    assert without_words("Lupus: first line drugs for lupus nephritis?", ["lupus"]) == \
        ": first line drugs for nephritis?"
    assert without_words("non-lupus lupusoid", ["lupus"]) == "non-lupus lupusoid"


def test_a_foreign_condition_abstains_naming_its_words(real_guidelines_engine) -> None:
    answer = real_guidelines_engine.ask("Which drugs are first line for systemic lupus "
                                        "erythematosus?")
    assert answer.abstained and not answer.citations
    assert "lupus" in answer.abstain_reason and "erythematosus" in answer.abstain_reason, \
        answer.abstain_reason
    assert answer.known_share < 0.9  # most of the question's meaning is in those words
    assert answer.as_dict()["unknown_terms"] == ["lupus", "erythematosus"]


def test_a_patients_job_in_a_vignette_is_an_aside(real_guidelines_engine) -> None:
    """'violinist' is no article's word, but most of the question's meaning stays without it
    (known share near 1): it is about what the corpus covers."""
    answer = real_guidelines_engine.ask("A violinist with knee osteoarthritis asks whether "
                                        "glucosamine supplements are worth buying.")
    assert not answer.abstained, answer.abstain_reason
    assert "violinist" in answer.unknown_terms and answer.known_share > 0.85
    assert "glucosamine" in answer.text.lower()
