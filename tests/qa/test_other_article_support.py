"""A supporting sentence from another article than the bottom line's must score close to the
best and come from a passage retrieval ranks among the best: an aside of a loosely related
article does not pad the answer (settings.other_article_relative, other_article_max_rank)."""

from __future__ import annotations

from config.settings import Settings
from ingest.records import Chunk
from qa.composer import Candidate, select
from qa.engine import QAEngine
from qa.records import Passage

BOTTOM = "MRI without and with IV contrast is usually appropriate in suspected spinal infection."
SAME = "Fever, intravenous drug use and recent infection raise suspicion of a spinal infection."
OTHER = "Lumbar MRI offers excellent soft-tissue contrast and shows the spinal canal well."


def _cand(article: str, text: str, score: float, rank: int, stated: float = 0.5) -> Candidate:
    chunk = Chunk(f"{article}-{rank}", article, article, "Notes", ("Notes",), text, 0, len(text))
    return Candidate(text, text, Passage(chunk, rank=rank, score=1.0 / rank), score, stated)


def _chosen(other_rank: int, rank_limit: int | None) -> list[str]:
    cands = [_cand("infection", BOTTOM, 0.55, 1), _cand("infection", SAME, 0.51, 1),
             _cand("mri", OTHER, 0.52, other_rank)]
    s = Settings()
    return [c.passage.chunk.article_id for c in select(
        cands, s.max_statements, s.statement_min_relative, s.duplicate_jaccard,
        s.other_article_relative, rank_limit, s.other_article_terms)]


def test_another_articles_sentence_needs_a_top_ranked_passage() -> None:
    limit = Settings().other_article_max_rank
    assert _chosen(other_rank=limit, rank_limit=limit) == ["infection", "mri", "infection"]
    assert _chosen(other_rank=limit + 1, rank_limit=limit) == ["infection", "infection"]
    assert _chosen(other_rank=limit + 1, rank_limit=None) == ["infection", "mri", "infection"]


def test_the_bottom_lines_own_article_is_not_limited_by_rank() -> None:
    s = Settings()
    cands = [_cand("infection", BOTTOM, 0.55, 1), _cand("infection", SAME, 0.51, 6)]
    chosen = select(cands, s.max_statements, s.statement_min_relative, s.duplicate_jaccard,
                    s.other_article_relative, s.other_article_max_rank, s.other_article_terms)
    assert [c.text for c in chosen] == [BOTTOM, SAME]


def test_an_admitted_article_brings_its_other_close_sentences() -> None:
    """The terms test admits an article, not each sentence: once one of its close sentences
    writes the question's terms, its others are judged like the bottom line's article's."""
    s = Settings()
    bottom = _cand("infection", BOTTOM, 0.55, 1, stated=0.4)
    weak = _cand("mri", OTHER, 0.50, 2, stated=0.1)
    strong = _cand("mri", "MRI shows spinal infection early, before radiographs change.",
                   0.49, 2, stated=0.4)

    def chosen(*cands: Candidate) -> list[str]:
        return [c.text for c in select(list(cands), s.max_statements, s.statement_min_relative,
                                       s.duplicate_jaccard, s.other_article_relative,
                                       s.other_article_max_rank, s.other_article_terms)]

    assert chosen(bottom, weak) == [BOTTOM]
    assert chosen(bottom, weak, strong) == [BOTTOM, weak.text, strong.text]


def test_another_article_enters_only_through_a_sentence_that_writes_the_question(
        corpus_engine) -> None:
    """Real corpus and model: on upper lumbar herniations, the MRI-limitations article's "The
    size and type of a lumbar disc herniation do not necessarily correlate with how the patient
    fares" scores close to the best sentence (topic words, top-3 passage), but neither it nor
    its heading writes most of the question's terms: it no longer pads the answer
    (settings.other_article_terms)."""
    question = "do herniated discs in the upper lumbar spine cause different symptoms?"
    engine = QAEngine(corpus_engine.data, corpus_engine.embedder,
                      corpus_engine.settings.replace(other_article_terms=0.0, audit_log=False))
    before = engine.ask(question)
    after = corpus_engine.ask(question)

    def articles(answer) -> set[str]:
        return {c.article_id for c in answer.citations}

    assert articles(before) == {"upper-lumbar-radiculopathy", "mri-limitations-incidental-findings"}
    assert articles(after) == {"upper-lumbar-radiculopathy"}
    assert after.bottom_line == before.bottom_line
