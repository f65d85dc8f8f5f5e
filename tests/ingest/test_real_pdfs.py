"""Real guideline PDFs (../shared/real-guidelines): title, publisher, year, words indexed,
page furniture gone, reference lists recognised, table rows whole."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.blocks import ParsedFile
from ingest.loader import article_id_for
from ingest.pdf_reader import read_pdf
from ingest.records import Article
from ingest.structure import build_article

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-guidelines"
SOURCES = REAL / "SOURCES.tsv"


def _sources() -> dict[str, dict[str, str]]:
    if not SOURCES.exists():
        return {}
    with SOURCES.open(newline="") as f:
        return {row["file"]: row for row in csv.DictReader(f, delimiter="\t")}


TEXT_PDFS = sorted(name for name, row in _sources().items()
                   if name.endswith(".pdf") and "scanned" not in row["format"])


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[ParsedFile, Article]]:
    if not TEXT_PDFS:
        pytest.skip(f"real guidelines absent ({REAL})")
    out = {}
    for name in TEXT_PDFS:
        path = REAL / name
        pf = read_pdf(path)
        out[name] = (pf, build_article(article_id_for(path), str(path), pf))
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_title_publisher_year_match_sources(parsed, name: str) -> None:
    row = _sources()[name]
    article = parsed[name][1]
    title, main = _norm(article.title), _norm(row["title"].split(" (")[0])
    assert main in title or (main.startswith(title) and len(title) >= 0.8 * len(main)), (
        f"{name}: title {article.title!r}, expected {row['title']!r}")
    parts = [_norm(re.sub(r"\(.*?\)", "", p)) for p in re.split(r"\s*[/,;]\s*", row["publisher"])]
    publisher = _norm(article.publisher or "")
    assert any(len(p) >= 5 and p in publisher for p in parts), (
        f"{name}: publisher {article.publisher!r}, expected {row['publisher']!r}")
    assert article.year == int(row["year"]), f"{name}: year {article.year}, expected {row['year']}"


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_most_words_are_indexed_and_the_rest_accounted_for(parsed, name: str) -> None:
    pf, article = parsed[name]
    dropped = dict(pf.dropped)
    assert pf.words_source and pf.words_source > 1000
    indexed = sum(len(s.text.split()) for s in article.sections)
    # Search-method sections are set apart on purpose (not guidance), like reference lists.
    searchable = pf.words_source - dropped.get("page furniture", 0) - dropped.get(
        "reference list", 0) - dropped.get("search method", 0)
    share = indexed / searchable
    assert share >= 0.85, f"{name}: {share:.3f} of text-layer words indexed ({dropped})"


FURNITURE = {  # (as regexes) a running header, footer or stamp printed on most pages
    "acp_lbp_noninvasive_2017.pdf": [r"Downloaded from https://annals\.org",
                                     r"Annals of Internal Medicine"],
    "nass_lbp_guideline_2020.pdf": [r"Diagnosis & Treatment of Low Back Pain \|",
                                    r"not be construed as including all proper methods of care"],
    "oliveira_lbp_cpg_overview_2018.pdf": [r"\d{4} European Spine Journal \(2018\)"],
    "top_alberta_lbp_2011.pdf": [r"LoLow Bacw"],
}


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_no_page_furniture_left_in_sections(parsed, name: str) -> None:
    pf, article = parsed[name]
    assert dict(pf.dropped).get("page furniture", 0) > 0
    for section in article.sections:
        for line in FURNITURE.get(name, []):
            assert not re.search(line, section.text), f"{name}: {line!r} in {section.heading!r}"


def test_acp_reference_list_is_parsed_whole(parsed) -> None:
    """ACP 2017 prints 182 numbered references (the last, on page 17: "182. Chou R, ...")."""
    article = parsed.get("acp_lbp_noninvasive_2017.pdf", (None, None))[1]
    if article is None:
        pytest.skip("ACP 2017 absent")
    assert abs(len(article.references) - 182) <= 18, len(article.references)
    assert article.reference(182) is not None and "Chou" in article.reference(182).title
    # Its body cites "(n)"; a single list numbered once through makes them [n] citations.
    assert any("[1]" in s.text for s in article.sections)
    text = " ".join(s.text for s in article.sections)
    assert "Recommendation 3" in text and "duloxetine" in text
    assert "Deyo RA, Mirza SK" not in text  # reference entries are not body text


def test_nass_body_chapters_survive_its_many_reference_lists(parsed) -> None:
    article = parsed.get("nass_lbp_guideline_2020.pdf", (None, None))[1]
    if article is None:
        pytest.skip("NASS 2020 absent")
    text = " ".join(s.text for s in article.sections)
    headings = " ".join(" ".join(s.path) for s in article.sections)
    # One question from each body chapter: diagnosis, imaging and the five treatment ones.
    for chapter in ("Diagnosis", "Imaging", "Med/Psych", "PM&R", "Interventional", "Surgical",
                    "Cost-Utility"):
        assert re.search(re.escape(chapter) + r" Question \d", text + headings), chapter
    assert len(article.references) > 200  # dozens of per-chapter lists, each restarting at 1
    # A key question wrapped over three 12 pt lines is one heading, on its printed page (44),
    # over the graded recommendations that answer it.
    question = next(s for s in article.sections if s.path[0].startswith("Diagnosis Question 2."))
    assert question.path[0].endswith("recurrence of low back pain?"), question.path
    assert question.page == 44
    assert question.path[1].startswith("There is insufficient evidence to indicate that body")
    assert len(text.split()) > 80_000


def test_medication_table_row_stays_whole(parsed) -> None:
    article = parsed.get("top_alberta_lbp_2011.pdf", (None, None))[1]
    if article is None:
        pytest.skip("TOP 2011 absent")
    rows = [line for s in article.sections for line in s.text.split("\n")]
    assert any(re.search(r"Acetaminophen Up to 1000 ?mg QID \(max of 3000 ?mg ?/ ?day\)", r)
               for r in rows)


def test_ligatures_and_word_gaps_are_repaired(parsed) -> None:
    article = parsed.get("acp_lbp_noninvasive_2017.pdf", (None, None))[1]
    if article is None:
        pytest.skip("ACP 2017 absent")
    text = " ".join(s.text for s in article.sections)
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "efficacy" in text
    assert "treatments for low back pain" in text  # TJ word gaps read as spaces
    assert "Low back pain is one of the most common reasons" in text  # drop cap "L" joined


def test_unmapped_ligature_glyphs_are_spelled_out(parsed) -> None:
    article = parsed.get("oliveira_lbp_cpg_overview_2018.pdf", (None, None))[1]
    if article is None:
        pytest.skip("Oliveira 2018 absent")
    text = " ".join(s.text + " " + s.heading for s in article.sections)
    assert "/g4" not in text
    assert "Multidisciplinary" in text or "multidisciplinary" in text


def test_literature_search_method_is_not_indexed(parsed) -> None:
    pf, article = parsed.get("nass_lbp_guideline_2020.pdf", (None, None))
    if article is None:
        pytest.skip("NASS 2020 absent")
    assert dict(pf.dropped).get("search method", 0) > 0
    assert not any("Literature Search" in s.heading for s in article.sections)


def test_nass_grade_labels_grade_the_statement_above_them(parsed) -> None:
    """NASS prints "Grade of Recommendation: B" under each recommendation, in bold: it grades
    that statement (the badge reads it) and is no heading over the next one."""
    from qa.strength import find_strength

    article = parsed["nass_lbp_guideline_2020.pdf"][1]
    labels = [s.heading for s in article.sections
              if re.fullmatch(r"Grade of Recommendation: \w+", s.heading)]
    assert len(labels) <= 2, f"grade labels still read as headings: {len(labels)}"
    statement = ("Biacuplasty is an option to produce clinically and statistically significant "
                 "improvements in pain at 6 months in patients with discogenic low back pain.")
    assert f"{statement} (Grade of Recommendation: C)" in article.text
    assert find_strength(statement, article.text) == "Grade C"


def test_a_bold_recommendation_stays_whole_and_heads_its_evidence(parsed) -> None:
    """A recommendation set in bold over several lines, its grade under it, is never cut after
    its first line: it is quoted whole from the body, with its grade, and heads the studies
    discussed under it."""
    article = parsed["nass_lbp_guideline_2020.pdf"][1]
    start = "It is recommended that psychosocial factors and workplace factors be assessed"
    whole = f"{start} when counseling patients regarding the risk of conversion from acute to " \
            "chronic low back pain."
    headed = [s for s in article.sections if s.heading.startswith(start)]
    assert headed and all(s.heading == whole for s in headed), [s.heading for s in headed]
    assert headed[0].text.startswith(f"{whole} (Grade of Recommendation: A)")
