"""A question comparing named guidelines hears from each of them."""

from __future__ import annotations

from ingest.records import Chunk
from qa.comparison import balanced_passages, compared, each_side
from qa.composer import Candidate
from qa.named_source import NamedSource
from qa.records import Passage


def _passage(article: str, n: int, score: float = 0.5) -> Passage:
    text = f"Statement {n} of {article}."
    return Passage(Chunk(f"{article}-{n}", article, article, "S", ("S",), text, 0, len(text)),
                   rank=n, score=score, dense_score=score)


def _cand(article: str, n: int, score: float) -> Candidate:
    p = _passage(article, n, score)
    return Candidate(p.chunk.text, p.chunk.text, p, score)


def test_two_organisations_are_a_comparison_one_is_not() -> None:
    both = NamedSource(("acp", "alberta"), ("American College of Physicians 2017",
                                            "Toward Optimized Practice (TOP) Program 2011"),
                       ("ACP", "Alberta"))
    assert compared(both) == ("acp", "alberta")
    # one issuer of two articles (two NGC pages) is no comparison
    ngc = NamedSource(("ngc-knee", "ngc-lbp"), ("National Guideline Clearinghouse 2016",
                                                "National Guideline Clearinghouse 2008"), ("NGC",))
    assert compared(ngc) == () and compared(None) == ()


def test_each_compared_article_gets_passages_in_turn() -> None:
    rankings = {"nass": [_passage("nass", i) for i in range(1, 9)],
                "acp": [_passage("acp", i) for i in range(1, 3)]}
    top = balanced_passages(("nass", "acp"), lambda ids: rankings[ids[0]], 6)
    assert [p.chunk.chunk_id for p in top] == ["nass-1", "acp-1", "nass-2", "acp-2", "nass-3",
                                               "nass-4"]


def test_an_article_without_a_sentence_gets_its_best_one_if_it_answers_well_enough() -> None:
    chosen = [_cand("nass", 1, 0.80), _cand("nass", 2, 0.75)]
    cands = [*chosen, _cand("nass", 3, 0.7), _cand("acp", 1, 0.6), _cand("acp", 2, 0.5)]
    out = each_side(chosen, cands, ("nass", "acp"), floor=0.7)
    assert [c.passage.chunk.chunk_id for c in out] == ["nass-1", "nass-2", "acp-1"]
    # below the floor (0.7 x the bottom line's score) the side stays silent
    weak = [*chosen, _cand("acp", 1, 0.4)]
    assert each_side(chosen, weak, ("nass", "acp"), floor=0.7) == chosen
