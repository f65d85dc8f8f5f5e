"""A sentence is about its article's topic: question terms in the article's title count for it
(settings.title_term_weight), as a section heading's do."""

from __future__ import annotations

from ingest.records import Chunk
from qa.composer import candidates
from qa.records import Passage

# the seed article on thoracolumbar nerve root impingement, in the team's words
INITIAL = ("Initial treatment should control pain with medications such as NSAIDs and muscle "
           "relaxants, together with physical therapy.")
IMAGING = ("Initial imaging should be avoided in the first six weeks unless red flags are "
           "present.")


def _passage(article: str, title: str, section: str, text: str) -> Passage:
    return Passage(Chunk(f"{article}-c", article, title, section, (section,), text, 0,
                         len(text)), rank=1, score=1.0, dense_score=0.6)


def test_title_terms_count_for_the_articles_sentences(embedder) -> None:  # noqa: ANN001
    question = "initial medications for thoracolumbar nerve root impingement?"
    passages = [_passage("a", "Management of thoracolumbar nerve root impingement",
                         "Initial Treatment", INITIAL),
                _passage("b", "Imaging for low back pain", "Initial Imaging", IMAGING)]

    def scores(weight: float) -> dict[str, float]:
        found = candidates(question, passages, embedder.encode_sentences,
                           embedder.encode_query(question), lambda term: 1.0,
                           title_weight=weight)
        return {c.passage.chunk.article_id: c.score for c in found}

    without, with_title = scores(0.0), scores(0.3)
    assert with_title["a"] > without["a"]  # "thoracolumbar nerve root impingement" from its title
    assert with_title["b"] == without["b"]  # a title without the question's terms adds nothing
