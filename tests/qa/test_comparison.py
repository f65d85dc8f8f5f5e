"""A question comparing named guidelines hears from each of them."""

from __future__ import annotations

import numpy as np

from ingest.records import Chunk
from qa.comparison import balanced_passages, compared
from qa.composer import select
from qa.named_source import NamedSource
from qa.records import Passage
from qa.scorer import Selection
from qa.units import answer_units


def _passage(article: str, n: int, score: float = 0.5) -> Passage:
    text = f"Statement {n} of {article}."
    return Passage(Chunk(f"{article}-{n}", article, article, "S", ("S",), text, 0, len(text)),
                   rank=n, score=score, dense_score=score)


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


def test_an_article_without_a_unit_gets_its_best_one_if_it_answers_well_enough() -> None:
    units = answer_units([_passage("nass", 1), _passage("nass", 2), _passage("nass", 3),
                          _passage("acp", 1), _passage("acp", 2)])
    p = np.array([0.80, 0.75, 0.70, 0.60, 0.50])
    sel = Selection(0.5, 0.9, 0.0, 4)
    chosen = select(units, p, sel, 0.8, required=("nass", "acp"))
    # the floor (0.9 x the best, 0.72) keeps nass-3 out, and acp's best (0.6): it stays silent
    assert [units[i].passage.chunk.chunk_id for i in chosen] == ["nass-1", "nass-2"]
    loose = Selection(0.5, 0.7, 0.0, 4)
    chosen = select(units, p, loose, 0.8, required=("nass", "acp"))
    assert [units[i].passage.chunk.chunk_id for i in chosen] == ["nass-1", "nass-2", "nass-3",
                                                                 "acp-1"]
