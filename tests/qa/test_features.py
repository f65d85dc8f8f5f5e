"""What the answer scorer reads of a unit (qa.features): each feature on real sentences."""

from __future__ import annotations

import numpy as np

from ingest.records import Chunk
from qa.features import UNIT_FEATURES, question_weights, unit_features
from qa.records import Passage
from qa.text import written_stems
from qa.units import answer_units

ABBREVIATED = "Patients should be reassured that 90% of LBP episodes resolve within 6 weeks."


def _passage(article: str, text: str, title: str = "Imaging", section: str = "Notes",
             rank: int = 1) -> Passage:
    chunk = Chunk(f"{article}-c{rank}", article, title, section, (section,), text, 0, len(text))
    return Passage(chunk, rank=rank, score=1.0 / rank, dense_score=0.6, bm25_score=2.0)


def _features(question: str, passages: list[Passage], named: tuple[str, ...] = ()) -> dict:
    units = answer_units(passages)
    x = unit_features(units, question_weights(question, lambda term: 1.0), question,
                      np.linspace(0.5, 0.4, len(units)),
                      {p.chunk.chunk_id: 0.6 for p in passages}, {}, 6, named)
    return {u.text: dict(zip(UNIT_FEATURES, row, strict=True)) for u, row in zip(units, x,
                                                                                 strict=True)}


def test_an_abbreviation_holds_the_words_it_stands_for() -> None:
    assert {"low", "back", "pain"} <= written_stems(ABBREVIATED)
    assert "pain" not in written_stems("90% of episodes resolve within 6 weeks")
    plain = "Patients should be reassured that 90% of episodes resolve within 6 weeks."
    f = _features("how quickly does low back pain resolve?",
                  [_passage("a", ABBREVIATED), _passage("b", plain, rank=2)])
    # "low back pain" through "LBP": all but "quickly"
    assert f[ABBREVIATED]["lex_unit"] > f[plain]["lex_unit"] + 0.3


def test_title_and_heading_terms_are_read_apart_from_the_units() -> None:
    text = "Initial treatment should control pain with NSAIDs and physical therapy."
    f = _features("initial medications for thoracolumbar nerve root impingement?",
                  [_passage("a", text, title="Thoracolumbar nerve root impingement",
                            section="Initial medications")])[text]
    assert f["lex_title"] > 0.5 and f["lex_heading"] == 0.2 and f["lex_unit"] < f["lex_title"]


def test_forms_a_study_narration_an_agenda_a_fragment_and_a_directive() -> None:
    texts = ["Pauza et al conducted a randomized trial of intradiscal heating in 64 patients.",
             "The work group recommends studies to evaluate the role of heating therapy.",
             "34,35 Advise the patient to stay active and avoid bed rest.",
             "Clinicians should advise patients to stay active (Grade B)."]
    f = _features("does intradiscal heating help back pain?",
                  [_passage("a", " ".join(texts))])
    assert f[texts[0]]["form_narration"] == 1.0 and f[texts[0]]["form_directive"] == 0.0
    assert f[texts[1]]["form_agenda"] == 1.0
    assert f[texts[2]]["fragment"] == 1.0
    assert f[texts[3]]["form_directive"] == 1.0 and f[texts[3]]["graded"] == 1.0
    asked = _features("what research does the work group recommend on heating therapy?",
                      [_passage("a", " ".join(texts))])
    assert asked[texts[1]]["form_agenda"] == 0.0  # an agenda may answer a research question


def test_an_amount_answers_a_question_asking_for_one_and_the_named_document_is_marked() -> None:
    dosed = "Give naproxen 500 mg twice daily for up to 2 weeks."
    plain = "Naproxen is an option for acute pain in adults."
    passages = [_passage("a", dosed), _passage("b", plain, rank=2)]
    f = _features("what dose of naproxen for acute pain?", passages, named=("b",))
    assert f[dosed]["amount_asked_given"] == 1.0 and f[plain]["amount_asked_given"] == 0.0
    assert f[plain]["named_match"] == 1.0 and f[dosed]["named_match"] == 0.0
    assert f[dosed]["fused_rank"] == 1.0 and f[plain]["fused_rank"] == 0.5
    unasked = _features("is naproxen effective for acute pain?", passages)
    assert unasked[dosed]["amount_asked_given"] == 0.0
