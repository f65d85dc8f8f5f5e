"""Sentence units: where a statement ends."""

from __future__ import annotations

from ingest.sentences import split_sentences


def _texts(paragraph: str) -> list[str]:
    return [s.text for s in split_sentences(paragraph)]


def test_a_grade_ends_a_statement_printed_without_its_full_stop() -> None:
    # NASS 2020 prints a recommendation, its grade under it, then the first study: no full stop
    paragraph = ("Tricyclic antidepressants are not recommended for the treatment of low back "
                 "pain (Grade of Recommendation: A) Atkinson et al 2 conducted a double-blind "
                 "trial. The trial ran for 12 weeks.")
    assert _texts(paragraph) == [
        "Tricyclic antidepressants are not recommended for the treatment of low back pain "
        "(Grade of Recommendation: A)",
        "Atkinson et al 2 conducted a double-blind trial.", "The trial ran for 12 weeks."]


def test_other_parentheses_and_graded_sentences_keep_their_ends() -> None:
    # a parenthesis that grades nothing is part of its sentence
    assert _texts("Imaging is described below (see Table 2) Results follow in the text.") == [
        "Imaging is described below (see Table 2) Results follow in the text."]
    # a grade after the full stop is not cut off here (clean_unit reads it with the statement)
    assert _texts("Heat helps (moderate-quality evidence). Massage helps too.") == [
        "Heat helps (moderate-quality evidence).", "Massage helps too."]
    # offsets still point into the paragraph
    paragraph = "Opioids are a last option (Grade: weak recommendation) Tramadol is second line."
    spans = split_sentences(paragraph, offset=10)
    assert [paragraph[s.start - 10:s.end - 10] for s in spans] == [s.text for s in spans]
