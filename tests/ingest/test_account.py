"""The ingest account (no silent loss), metadata rules and the metadata sidecar."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.store import _article_from_dict, _article_to_dict
from ingest import ArticleParseError, discover_articles, read_article
from ingest.account import MIN_INDEXED_SHARE, NAVIGATION, REASONS, IngestAccount, count_words
from ingest.doc_metadata import split_site_name, title_problem
from ingest.loader import content_digest
from tests.conftest import CORPUS
from tests.ingest.pages import mostly_navigation_page


def test_every_demo_article_carries_an_account_with_most_words_indexed() -> None:
    paths, _ = discover_articles(CORPUS)
    for path in paths:
        article = read_article(path)
        account = article.account
        assert account is not None, f"{path.name} has no ingest account"
        assert account.words_source > account.words_indexed > 0, path.name
        assert {r for r, _w in account.dropped} <= set(REASONS), account.dropped
        # Demo articles lose nothing but their reference lists and metadata lines.
        assert account.indexed_share >= 0.85, f"{path.name}: {account}"
        assert account.floor_warning(article.title) is None, path.name


def test_mostly_navigation_page_is_ingested_with_a_warning(tmp_path: Path) -> None:
    page = tmp_path / "ankle-sprain.html"
    page.write_text(mostly_navigation_page(), encoding="utf-8")
    article = read_article(page)
    account = article.account
    assert account is not None
    assert account.dropped_words(NAVIGATION) > 5 * account.words_indexed
    assert account.indexed_share < MIN_INDEXED_SHARE
    warning = next(w for w in article.warnings if "is indexed" in w)
    assert "Ankle sprain: when to X-ray" in warning and "largest dropped part: navigation" in warning
    assert "Ottawa ankle rules" in article.text
    for chrome in ("Sign in", "Password", "New on", "Updated recommendations", "privacy policy",
                   "guidance and resources"):
        assert chrome not in article.text, f"site chrome {chrome!r} was indexed"
    # A lower floor (settings.min_indexed_share) lets the same page pass without a warning.
    assert not any("is indexed" in w for w in read_article(page, min_indexed_share=0.0).warnings)


def test_body_taken_for_references_is_flagged(tmp_path: Path) -> None:
    """An early "References" heading must not make the rest of a guideline vanish quietly."""
    body = ("Supervised exercise therapy that combines strengthening and stretching reduces "
            "pain and improves function over three to six months of follow-up. ") * 3
    path = tmp_path / "neck-pain.txt"
    path.write_text("Managing chronic neck pain in primary care\n\nSummary\n\nMost chronic "
                    "neck pain is managed without imaging.\n\nReferences\n\n1. Smith J. Neck "
                    "pain in adults. Spine Journal. 2019.\n\nExercise therapy\n\n" + body
                    + "\n\nManual therapy\n\n" + body + "\n", encoding="utf-8")
    article = read_article(path)
    assert article.account is not None and article.account.indexed_share == 1.0
    warning = next(w for w in article.warnings if "reference list" in w)
    assert "Managing chronic neck pain in primary care" in warning
    assert "body text may have been taken for references" in warning


def test_account_round_trips_with_the_index_and_old_indexes_still_load() -> None:
    article = read_article(CORPUS / "conservative-management-low-back-pain.html")
    data = json.loads(json.dumps(_article_to_dict(article)))
    loaded = _article_from_dict(data)
    assert loaded.account == article.account and loaded.publisher == article.publisher
    for key in ("account", "reviewed_by", "reviewed_on", "publisher", "year"):
        data.pop(key)
    old = _article_from_dict(data)
    assert old.account is None and old.title == article.title


def test_account_arithmetic() -> None:
    account = IngestAccount(words_source=1100, words_indexed=500,
                            dropped=(("page furniture", 200), ("navigation", 250),
                                     ("duplicate", 100)))
    assert account.base == 800 and account.indexed_share == pytest.approx(0.625)
    assert account.largest_loss() == ("navigation", 250) and account.unaccounted == 50
    assert IngestAccount.from_dict(account.as_dict()) == account
    assert count_words("| --- | # Heading - item 3.5 mg") == 4


@pytest.mark.parametrize("text", ["March 3, 2021", "2016 Jun", "© 2019 The Authors. All rights "
                                  "reserved.", "Copyright 2020 Springer", "Vol.:(0123456789)1 3 "
                                  "European Spine Journal", "Ann Intern Med. 2017;166:514-530",
                                  "Guideline for the", "Evidence-Based Clinical Guidelines for",
                                  "https://www.guideline.gov", "12 | 34"])
def test_title_problem_rejects_dates_copyright_and_banners(text: str) -> None:
    assert title_problem(text) is not None


@pytest.mark.parametrize("text", ["Noninvasive Treatments for Acute, Subacute, and Chronic Low "
                                  "Back Pain", "Nonsurgical Management of Osteoarthritis of the "
                                  "Knee", "When should IV contrast be added to a lumbar spine MRI?",
                                  "What should adults be screened for?", "Red flags to act on"])
def test_title_problem_accepts_titles(text: str) -> None:
    assert title_problem(text) is None


def test_title_falls_back_past_a_copyright_line_and_site_names_are_stripped(tmp_path: Path) -> None:
    path = tmp_path / "gout.md"
    path.write_text("# © 2024 Example Society. All rights reserved\n\n# Acute gout: first-line "
                    "treatment\n\n## Recommendation\n\nColchicine or an NSAID is offered first.\n",
                    encoding="utf-8")
    assert read_article(path).title == "Acute gout: first-line treatment"
    assert split_site_name("Nonsurgical Management of the Knee | National Guideline "
                           "Clearinghouse") == ("Nonsurgical Management of the Knee",
                                                "National Guideline Clearinghouse")
    assert split_site_name("Site News :: Low back pain - what to do")[1] == "Site News"


def test_reviewed_by_and_last_reviewed_lines_give_status_and_date(tmp_path: Path) -> None:
    path = tmp_path / "sciatica.txt"
    path.write_text("Sciatica: when to refer\n\nReviewed by Dr Jane Doe, MD — 3 March 2024\n\n"
                    "Refer urgently when there are signs of cauda equina syndrome or progressive "
                    "motor weakness.\n", encoding="utf-8")
    article = read_article(path)
    assert article.review_status == "Reviewed" and article.reviewed_by == "Dr Jane Doe, MD"
    assert article.reviewed_on == "2024-03-03"
    assert "Jane Doe" not in article.text
    path.write_text("Sciatica: when to refer\n\nLast reviewed: 12 January 2023\n\nRefer urgently "
                    "when there are signs of cauda equina syndrome.\n", encoding="utf-8")
    article = read_article(path)
    assert article.reviewed_on == "2023-01-12" and article.last_updated == "2023-01-12"
    assert article.review_status == "Reviewed" and article.year == 2023


def _copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "red-flags-low-back-pain.md"
    shutil.copy(CORPUS / target.name, target)
    return target


def test_sidecar_overrides_metadata_and_changes_the_content_hash(tmp_path: Path) -> None:
    path = _copy_demo(tmp_path)
    parsed = read_article(path)
    before = content_digest(path)
    sidecar = path.with_name(path.name + ".meta.json")
    sidecar.write_text(json.dumps({"title": "Red flags in low back pain", "publisher":
                                   "Example Spine Society", "year": 2024,
                                   "last_updated": "2024-02-01",
                                   "review_status": "Approved"}), encoding="utf-8")
    article = read_article(path)
    assert (article.title, article.publisher, article.year, article.last_updated) == (
        "Red flags in low back pain", "Example Spine Society", 2024, "2024-02-01")
    assert [s.text for s in article.sections] == [s.text for s in parsed.sections]
    assert content_digest(path) != before and article.content_hash == content_digest(path)
    sidecar.unlink()
    yaml_sidecar = path.with_name(path.name + ".meta.yaml")
    yaml_sidecar.write_text("publisher: Example Spine Society\nlast_updated: 2023-05-06\n",
                            encoding="utf-8")
    article = read_article(path)
    assert article.publisher == "Example Spine Society" and article.year == 2023
    assert article.title == parsed.title
    assert content_digest(path) == article.content_hash != before


@pytest.mark.parametrize(("content", "cause"), [
    ("{not json", "not valid JSON"),
    ('{"titel": "x"}', "unknown key(s) titel"),
    ('{"year": "soon"}', "year 'soon' is not a year"),
    ('["title"]', "must hold a mapping"),
])
def test_bad_sidecar_is_one_clear_error_naming_it(tmp_path: Path, content: str,
                                                  cause: str) -> None:
    path = _copy_demo(tmp_path)
    path.with_name(path.name + ".meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(ArticleParseError, match="red-flags-low-back-pain.md.meta.json") as info:
        read_article(path)
    assert cause in str(info.value) and "\n" not in str(info.value)
