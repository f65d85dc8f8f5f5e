"""A recommendation that heads the studies behind it (NASS 2020) is among the passages an
answer quotes from, even when retrieval ranks only its study summaries."""

from __future__ import annotations

import pytest

from ingest.chunker import SectionChunker
from ingest.loader import article_id_for
from ingest.pdf_reader import read_pdf
from ingest.structure import build_article
from qa.records import Passage
from qa.section_statement import first_chunks, heads_with_statement, with_section_statements
from tests.qa.real_docs import REAL_DIR

NASS = REAL_DIR / "nass_lbp_guideline_2020.pdf"
BIACUPLASTY = ("Biacuplasty is an option to produce clinically and statistically significant "
               "improvements in pain at 6 months in patients with discogenic low back pain.")


def test_statement_headings_are_sentences_not_titles_or_questions() -> None:
    assert heads_with_statement(BIACUPLASTY)
    assert not heads_with_statement("Physical Medicine and Rehabilitation")
    assert not heads_with_statement("Is back school effective in the treatment of chronic "
                                    "low back pain compared to other treatments?")


@pytest.fixture(scope="module")
def nass_chunks():
    if not NASS.is_file():
        pytest.skip(f"NASS 2020 absent ({NASS})")
    article = build_article(article_id_for(NASS), str(NASS), read_pdf(NASS))
    return SectionChunker().chunk(article)


def test_a_study_summary_brings_the_recommendation_it_supports(nass_chunks) -> None:
    section = [c for c in nass_chunks if c.section_path and c.section_path[-1] == BIACUPLASTY]
    assert len(section) >= 2, "the biacuplasty recommendation heads its studies"
    first = first_chunks(nass_chunks)[(section[0].article_id, section[0].section_path)]
    assert BIACUPLASTY in " ".join(first.text.split())
    study = max(section, key=lambda c: c.char_start)  # the last study summary under it
    assert study.chunk_id != first.chunk_id
    passages = with_section_statements([Passage(study, rank=1, score=0.1, dense_score=0.7)],
                                       first_chunks(nass_chunks))
    assert [p.chunk.chunk_id for p in passages] == [study.chunk_id, first.chunk_id]
    assert passages[1].dense_score == 0.7  # scored as the passage of its section
    # a passage already holding the statement brings nothing more
    again = with_section_statements(passages, first_chunks(nass_chunks))
    assert len(again) == 2
