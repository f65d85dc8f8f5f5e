"""A sentence that writes an abbreviation holds the words it stands for: "90% of LBP episodes
resolve" answers a question on how quickly low back pain resolves as well as if it wrote them."""

from __future__ import annotations

from ingest.records import Chunk
from qa.composer import candidates
from qa.records import Passage
from qa.text import written_stems

# the seed article on imaging for low back pain writes its patient advice with the abbreviation
ABBREVIATED = "Patients should be reassured that 90% of LBP episodes resolve within 6 weeks."
OTHERS = ("Most episodes of sciatica resolve within a few weeks without treatment.",
          "Pain that persists beyond six weeks warrants a review of the diagnosis.")


def _passage(article: str, text: str) -> Passage:
    return Passage(Chunk(f"{article}-c", article, "Imaging", "Notes", ("Notes",), text, 0,
                         len(text)), rank=1, score=1.0, dense_score=0.6)


def test_an_abbreviation_holds_the_words_it_stands_for() -> None:
    assert {"low", "back", "pain"} <= written_stems(ABBREVIATED)
    assert "lbp" in written_stems(ABBREVIATED)  # and itself
    assert "pain" not in written_stems("90% of episodes resolve within 6 weeks")


def test_the_abbreviated_sentence_scores_its_question_terms(embedder) -> None:  # noqa: ANN001
    question = "how quickly does low back pain resolve?"
    passages = [_passage("a", ABBREVIATED), *(_passage(f"o{i}", t) for i, t in enumerate(OTHERS))]
    found = candidates(question, passages, embedder.encode_sentences,
                       embedder.encode_query(question), lambda term: 1.0)
    # read as written, "LBP" matched no question word and the sentence came last (0.31 vs 0.43)
    assert [c.passage.chunk.article_id for c in found][0] == "a"
