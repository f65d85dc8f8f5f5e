"""Unnumbered `Type / Title / Venue, Year` lists that show only some cited works."""

from __future__ import annotations

from ingest import read_article
from ingest.records import Reference, Section
from ingest.reference_numbers import align_to_citations
from tests.conftest import seed_dir_or_skip


def _section(text: str) -> Section:
    return Section(heading="Findings", text=text, path=("Findings",), char_start=0)


def test_entry_moves_to_the_marker_whose_sentences_name_it() -> None:
    refs = [Reference(1, "Guideline overview"), Reference(2, "Upright lumbar MRI study", year=2013)]
    text = ("- Imaging follows the guideline overview [1].\n"
            "- Sensitivity is 75% for herniated discs [2].\n"
            "- Upright lumbar MRI shows occult disc protrusions [3].")
    assert [r.n for r in align_to_citations(refs, [_section(text)])] == [1, 3]


def test_positions_kept_without_evidence_or_when_the_list_is_complete() -> None:
    refs = [Reference(1, "Alpha trial"), Reference(2, "Beta cohort")]
    sparse = _section("Something [1]. Something else [2]. More [3].")
    assert [r.n for r in align_to_citations(refs, [sparse])] == [1, 2]
    complete = _section("Alpha trial results [2]. Beta [1].")
    assert [r.n for r in align_to_citations(refs, [complete])] == [1, 2]
    assert align_to_citations([], [sparse]) == []


def test_seed_upright_mri_study_is_reference_5_where_the_text_cites_it() -> None:
    article = read_article(seed_dir_or_skip() / "001_53ae069ba093b5c3.txt")
    upright = next(r for r in article.references if r.title.startswith("Lumbar spine MRI in upright"))
    assert upright.n == 5, "the text cites the upright-position study as [5]"
    assert "in upright position [5]" in article.text
    assert [r.n for r in article.references] == [1, 2, 3, 5]
    other = read_article(seed_dir_or_skip() / "000_823a70ce5266c8a4.txt")
    assert [r.n for r in other.references] == [1, 2, 3], "positions kept where the text agrees"
