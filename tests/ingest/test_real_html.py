"""Real guideline web pages (../shared/real-guidelines): title, publisher, year, no site chrome,
nothing duplicated, and the share of words indexed."""

from __future__ import annotations

import csv
import re
from functools import cache

import pytest

from ingest import read_article
from ingest.account import count_words
from ingest.records import Article
from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "real-guidelines"
HTML_FILES = sorted(p.name for p in REAL.glob("*.html")) if REAL.is_dir() else []
# Page chrome of the guideline.gov pages: sidebar, "New on" list, login form, footer, menu.
CHROME = ["New on NGC", "Get Email Alerts", "RSS Feed", "Sign In", "Password", "Log into My NGC",
          "Forgot Password", "Create New Account", "Visit our partner sites", "Privacy Policy",
          "Web Site Credits", "Expert Commentaries", "Submit Guidelines", "New This Week",
          "Get Adobe Reader", "NGC:011378", "About NGC", "Share", "Facebook"]


@cache
def sources() -> dict[str, dict[str, str]]:
    with open(REAL / "SOURCES.tsv", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


@cache
def parsed(name: str) -> Article:
    return read_article(REAL / name)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if len(w) > 2}


@pytest.fixture(params=HTML_FILES or ["none"])
def page(request: pytest.FixtureRequest) -> str:
    if not HTML_FILES:
        pytest.skip(f"real guidelines not found at {REAL}")
    return str(request.param)


def test_title_is_the_pages_own_title(page: str) -> None:
    article = parsed(page)
    # SOURCES.tsv gives the title with a page-type prefix and a note in parentheses.
    true_title = re.sub(r"\s*\([^)]*\)\s*$", "", sources()[page]["title"])
    true_title = true_title.split(": ", 1)[1] if true_title.startswith(
        ("Expert Commentary:", "Guideline Synthesis:")) else true_title
    assert "Clearinghouse" not in article.title and "|" not in article.title
    shared = _words(true_title) & _words(article.title)
    assert len(shared) >= 0.8 * len(_words(true_title)), (article.title, true_title)
    assert article.title.startswith(true_title.split(":")[0])


def test_publisher_and_year_match_sources(page: str) -> None:
    article = parsed(page)
    row = sources()[page]
    assert article.publisher and article.publisher in row["publisher"], article.publisher
    assert article.year == int(row["year"])


def test_no_site_chrome_in_any_section(page: str) -> None:
    article = parsed(page)
    for section in article.sections:
        for chrome in CHROME:
            assert chrome not in section.text and chrome not in section.heading, (
                f"{chrome!r} left in section {section.heading!r}")


def test_nothing_is_indexed_twice(page: str) -> None:
    article = parsed(page)
    lines = [ln for s in article.sections for ln in s.text.splitlines() if count_words(ln) >= 8]
    assert len(lines) == len(set(lines)), "a paragraph or table row appears twice"
    for section in article.sections:
        for other in article.sections:
            if other is not section and count_words(other.text) >= 20:
                assert other.text not in section.text, (
                    f"{other.heading!r} is repeated inside {section.heading!r}")


def test_share_of_words_indexed_after_furniture(page: str) -> None:
    account = parsed(page).account
    assert account is not None
    assert account.indexed_share >= 0.85, account
    assert account.dropped_words("navigation") > 50  # the sidebar and menus were counted
    assert not any("is indexed" in w for w in parsed(page).warnings)


def test_commentary_reference_list_is_not_indexed() -> None:
    name = "ngc_commentary_acp_aps_lbp_2008.html"
    if name not in HTML_FILES:
        pytest.skip("NGC commentary not present")
    article = parsed(name)
    assert len(article.references) == 2
    assert article.last_updated == "2008-02-11"
    assert "Chou R, Qaseem A" not in article.text
    assert "views and opinions expressed" not in article.text  # the disclaimer section


def test_synthesis_tables_and_sections_kept_once() -> None:
    name = "ngc_synthesis_knee_oa_2016.html"
    if name not in HTML_FILES:
        pytest.skip("NGC synthesis not present")
    article = parsed(name)
    headings = {h for s in article.sections for h in s.path}
    for expected in ("Weight Reduction", "Manual Therapy", "Harms", "Contraindications"):
        assert expected in headings
    assert "kg/m2" in article.text and "[2]" not in article.text  # an exponent, not a citation


def test_a_layout_table_is_read_as_the_sections_it_lays_out() -> None:
    """The synthesis lays out each guideline's recommendations in one cell of a two-row table
    (row label "AAOS (2013)" / "VA/DoD (2014)"): each recommendation is its own section under
    its organisation, its grade label beside it, not one 1,400-word table row."""
    name = "ngc_synthesis_knee_oa_2016.html"
    if name not in HTML_FILES:
        pytest.skip("NGC synthesis not present")
    article = parsed(name)
    mri = [s for s in article.sections if s.heading == "Magnetic Resonance Imaging (MRI)"]
    assert mri and "VA/DoD (2014)" in mri[0].path, [s.path for s in mri]
    assert "Clinicians should not use MRI as an evaluative tool" in mri[0].text
    rec9 = [s for s in article.sections if s.path[-2:] == ("AAOS (2013)", "Recommendation 9")]
    assert rec9 and "cannot recommend using hyaluronic acid" in rec9[0].text
    assert "Strength of Recommendation: Strong" in rec9[0].text  # a grade, not a heading
    assert not any(s.heading.startswith("Strength of Recommendation") for s in article.sections)
    assert max(count_words(s.text) for s in article.sections) < 1000  # the table row had 1,433


def test_in_page_number_links_are_citation_markers(tmp_path) -> None:  # noqa: ANN001
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Imaging for low back pain</title></head><body><main>"
                    "<h1>Imaging for low back pain</h1><h2>Summary</h2>"
                    "<p>Imaging is not routinely indicated. (<a href='#ref1'>1</a>) Red flags "
                    "change this (<a href='#ref2'>2</a>, <a href='#ref3'>3</a>). See "
                    "<a href='https://example.org/7'>7</a> trials.</p></main></body></html>",
                    encoding="utf-8")
    text = " ".join(read_article(page).text.split())
    assert "Imaging is not routinely indicated [1]. Red flags change this [2], [3]. See 7 trials." \
        in text, text


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-guidelines not present")
def test_ngc_commentary_markers_stay_with_their_sentence() -> None:
    text = " ".join(parsed("ngc_commentary_acp_aps_lbp_2008.html").text.split())
    assert "diagnosis and treatment of low back pain [1]. This is the most comprehensive" in text


def test_side_by_side_statements_are_quotable_and_data_rows_are_not() -> None:
    """The commentary sets each 2007 recommendation beside its 1994 counterpart in a table;
    each is a statement the composer may quote. A data row of a medication table is kept
    whole: its cells mean nothing apart."""
    from ingest.sentences import quotable_units

    name = "ngc_commentary_acp_aps_lbp_2008.html"
    if name not in HTML_FILES:
        pytest.skip("NGC commentary not present")
    text = "\n".join(s.text for s in parsed(name).sections)
    quotable = [u.text for u in quotable_units(text) if u.kind != "table"]
    assert any(u.startswith("Recommendation 2: Clinicians should not routinely obtain imaging")
               for u in quotable), [u for u in quotable if "Recommendation" in u][:5]
    row = "| Acetaminophen | Up to 1000mg QID (max of 3000 mg/day) | Liver disease. Rare harms. |"
    assert [u.kind for u in quotable_units(row)] == ["table"]
