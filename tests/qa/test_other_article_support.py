"""A supporting sentence from another article than the bottom line's must score close to the
best and come from a passage retrieval ranks among the best: an aside of a loosely related
article does not pad the answer (settings.other_article_relative, other_article_max_rank)."""

from __future__ import annotations

from citewise.settings import Settings
from ingest.records import Chunk
from qa.composer import Candidate, select
from qa.records import Passage

BOTTOM = "MRI without and with IV contrast is usually appropriate in suspected spinal infection."
SAME = "Fever, intravenous drug use and recent infection raise suspicion of a spinal infection."
OTHER = "Lumbar MRI offers excellent soft-tissue contrast and shows the spinal canal well."


def _cand(article: str, text: str, score: float, rank: int) -> Candidate:
    chunk = Chunk(f"{article}-{rank}", article, article, "Notes", ("Notes",), text, 0, len(text))
    return Candidate(text, text, Passage(chunk, rank=rank, score=1.0 / rank), score)


def _chosen(other_rank: int, rank_limit: int | None) -> list[str]:
    cands = [_cand("infection", BOTTOM, 0.55, 1), _cand("infection", SAME, 0.51, 1),
             _cand("mri", OTHER, 0.52, other_rank)]
    s = Settings()
    return [c.passage.chunk.article_id for c in select(
        cands, s.max_statements, s.statement_min_relative, s.duplicate_jaccard,
        s.other_article_relative, rank_limit)]


def test_another_articles_sentence_needs_a_top_ranked_passage() -> None:
    limit = Settings().other_article_max_rank
    assert _chosen(other_rank=limit, rank_limit=limit) == ["infection", "mri", "infection"]
    assert _chosen(other_rank=limit + 1, rank_limit=limit) == ["infection", "infection"]
    assert _chosen(other_rank=limit + 1, rank_limit=None) == ["infection", "mri", "infection"]


def test_the_bottom_lines_own_article_is_not_limited_by_rank() -> None:
    s = Settings()
    cands = [_cand("infection", BOTTOM, 0.55, 1), _cand("infection", SAME, 0.51, 6)]
    chosen = select(cands, s.max_statements, s.statement_min_relative, s.duplicate_jaccard,
                    s.other_article_relative, s.other_article_max_rank)
    assert [c.text for c in chosen] == [BOTTOM, SAME]
