"""The Corpus page: article table, upload with preview, confirm, remove, metadata, the repair of
a corpus the index does not match, bad files, safe names. Changes run as background jobs."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import APP, ask, html_of, wait_for_jobs
from streamlit.testing.v1 import AppTest

from index.store import current_version, load_index
from ui.corpus_files import UnsafeFileName, safe_file_name, target_path

NEW_ARTICLE = (Path(__file__).parent / "data" / "snakebite.md").read_bytes()


@pytest.fixture
def corpus_page(workspace: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/corpus.py").run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest):  # noqa: ANN202 - a pandas DataFrame
    return at.dataframe[0].value


def test_table_lists_indexed_articles(corpus_page: AppTest, workspace: Path) -> None:
    table = _table(corpus_page)
    manifest = load_index(Path("index")).manifest
    assert len(table) == len(manifest.articles)
    assert list(table.columns) == ["Title", "Publisher", "Date", "Status", "Passages",
                                   "Not stated", "File"]
    row = table[table["File"] == "red-flags-low-back-pain.md"].iloc[0]
    assert row["Status"] == "Approved"
    assert row["Date"] == "19 May 2025", "dates as a reader writes them"
    assert row["Not stated"] == "publisher", "what the document does not state is named"
    assert row["Passages"] == manifest.articles["red-flags-low-back-pain"].n_chunks


def test_account_table_matches_citewise_articles(corpus_page: AppTest, workspace: Path) -> None:
    from index.catalog import article_records

    records = {r.article_id: r for r in article_records(load_index(Path("index")))}
    account = corpus_page.dataframe[1].value
    assert len(account) == len(records)
    for _i, row in account.iterrows():
        record = records[row["Article"]]
        assert row["Words indexed"] == record.words_indexed
        assert row["Words in source"] == record.words_source
        assert row["Indexed"] == f"{record.indexed_share:.0%}"
    # The demo corpus is indexed above the floor: no floor warning on the page.
    assert not any("is indexed" in w.value for w in corpus_page.warning)


def test_article_below_the_floor_is_flagged_on_the_page(workspace: Path) -> None:
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import chunker_settings
    from tests.ingest.pages import mostly_navigation_page

    (workspace / "corpus" / "ankle-sprain.html").write_text(mostly_navigation_page(),
                                                            encoding="utf-8")
    report = sync_corpus(Path("corpus"), Path("index"), chunker_settings(Settings()))
    assert report.added == ["ankle-sprain"]
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/corpus.py").run()
    flagged = [w.value for w in at.warning if "is indexed" in w.value]
    assert len(flagged) == 1 and "ankle-sprain.html" in flagged[0]
    assert "largest dropped part: navigation" in flagged[0]


def test_upload_preview_confirm_then_ask(corpus_page: AppTest, workspace: Path) -> None:
    version = current_version(Path("index"))
    corpus_page.file_uploader[0].upload("../Snake bite imaging.md", NEW_ARTICLE, "text/markdown")
    corpus_page.run()
    html = html_of(corpus_page)
    assert "How should snakebite envenomation" in html, "the preview should show the title"
    assert "Findings" in html and "References (2)" in html
    assert not (workspace / "corpus" / "snake-bite-imaging.md").exists(), \
        "nothing is saved before the editor confirms"
    assert current_version(Path("index")) == version
    confirm = next(b for b in corpus_page.button if b.label == "Add to corpus and re-index")
    confirm.click().run()
    wait_for_jobs(corpus_page)
    assert (workspace / "corpus" / "snake-bite-imaging.md").is_file()
    assert not (workspace / "snake-bite-imaging.md").exists(), "must not write outside corpus/"
    assert current_version(Path("index")) != version, "the confirm should re-index"
    assert any("Added" in s.value for s in corpus_page.success)
    assert "snake-bite-imaging.md" in set(_table(corpus_page)["File"])

    corpus_page.switch_page("app.py").run()
    ask(corpus_page, "What imaging is first for a snakebite envenomation of the lower back?")
    answer = corpus_page.session_state["cw_turns"][-1]["answer"]
    assert any(c.article_id == "snake-bite-imaging" for c in answer.citations), \
        "the new article should be cited without a restart"


@pytest.mark.parametrize(("name", "data", "why"), [
    ("empty.md", b"   \n", "file is empty"),
    ("binary.txt", b"\x00\x01\x02binary", "binary content"),
    ("broken.pdf", b"%PDF-1.4 garbage, not really a PDF", "not a readable PDF"),
    ("front-matter-only.md", b"---\ntitle: x\n---\n", "no article text"),
])
def test_bad_file_is_refused_and_index_unchanged(corpus_page: AppTest, workspace: Path,
                                                 name: str, data: bytes, why: str) -> None:
    version = current_version(Path("index"))
    files = sorted(p.name for p in (workspace / "corpus").iterdir())
    corpus_page.file_uploader[0].upload(name, data)
    corpus_page.run()
    errors = [e.value for e in corpus_page.error]
    assert errors and why in errors[0] and "unchanged" in errors[0], errors
    assert not [b for b in corpus_page.button if b.label == "Add to corpus and re-index"]
    assert current_version(Path("index")) == version
    assert sorted(p.name for p in (workspace / "corpus").iterdir()) == files


def test_word_files_and_identical_uploads_are_answered_in_words(corpus_page: AppTest,
                                                               workspace: Path) -> None:
    assert corpus_page.file_uploader[0].proto.max_upload_size_mb == 50, "the setting, not 200 MB"
    corpus_page.file_uploader[0].upload("notes.docx", b"PK\x03\x04 not read")
    corpus_page.run()
    assert "word-processor files are not read" in corpus_page.error[0].value
    same = (workspace / "corpus" / "red-flags-low-back-pain.md").read_bytes()
    corpus_page.file_uploader[0].upload("red-flags-low-back-pain.md", same, "text/markdown")
    corpus_page.run()
    assert any("exactly this content" in i.value for i in corpus_page.info)
    assert not [b for b in corpus_page.button if b.label == "Add to corpus and re-index"]


def test_remove_article(corpus_page: AppTest, workspace: Path) -> None:
    corpus_page.selectbox(key="remove_article").set_value("red-flags-low-back-pain").run()
    remove = next(b for b in corpus_page.button if b.label == "Remove and re-index")
    assert remove.disabled, "removing needs the confirmation box ticked"
    corpus_page.checkbox[0].check().run()
    next(b for b in corpus_page.button if b.label == "Remove and re-index").click().run()
    wait_for_jobs(corpus_page)
    assert not (workspace / "corpus" / "red-flags-low-back-pain.md").exists()
    assert list((workspace / "removed").glob("*/red-flags-low-back-pain.md")), "kept aside"
    assert "red-flags-low-back-pain" not in load_index(Path("index")).manifest.articles
    assert "red-flags-low-back-pain.md" not in set(_table(corpus_page)["File"])
    assert any("Removed red-flags-low-back-pain.md" in s.value for s in corpus_page.success)


def test_metadata_edit_is_saved_and_shows_in_the_next_answer(corpus_page: AppTest,
                                                            workspace: Path) -> None:
    corpus_page.selectbox(key="meta_article").set_value("red-flags-low-back-pain").run()
    key = "meta-red-flags-low-back-pain"
    assert corpus_page.text_input(key=f"{key}-year").value == "2025"
    corpus_page.text_input(key=f"{key}-publisher").set_value("Northbridge Spine Society")
    corpus_page.button(key=f"FormSubmitter:{key}-Save metadata and re-index").click().run()
    wait_for_jobs(corpus_page)
    assert any("the next answer shows it" in s.value for s in corpus_page.success), \
        [s.value for s in corpus_page.success] + [e.value for e in corpus_page.error]
    assert (workspace / "corpus" / "red-flags-low-back-pain.md.meta.json").is_file()
    corpus_page.switch_page("app.py").run()
    ask(corpus_page, "Which red flags call for early imaging in low back pain?")
    assert "Northbridge Spine Society" in html_of(corpus_page), "the source shows its publisher"


def test_bad_metadata_is_refused_with_its_reason(corpus_page: AppTest, workspace: Path) -> None:
    corpus_page.selectbox(key="meta_article").set_value("red-flags-low-back-pain").run()
    key = "meta-red-flags-low-back-pain"
    corpus_page.text_input(key=f"{key}-last_updated").set_value("last spring")
    corpus_page.button(key=f"FormSubmitter:{key}-Save metadata and re-index").click().run()
    wait_for_jobs(corpus_page)
    assert any("is not a date" in e.value and "nothing was saved" in e.value
               for e in corpus_page.error), [e.value for e in corpus_page.error]
    assert not (workspace / "corpus" / "red-flags-low-back-pain.md.meta.json").exists()


def test_a_half_done_removal_is_offered_its_repair(workspace: Path) -> None:
    # A server killed between a removal's file move and its ingest leaves this.
    (workspace / "corpus" / "red-flags-low-back-pain.md").unlink()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/corpus.py").run()
    warning = next(w.value for w in at.warning if "does not match the corpus folder" in w.value)
    assert "red-flags-low-back-pain** is still indexed" in warning
    at.button(key="repair").click().run()
    wait_for_jobs(at)
    assert "red-flags-low-back-pain" not in load_index(Path("index")).manifest.articles
    assert not any("does not match the corpus folder" in w.value for w in at.warning)


@pytest.mark.parametrize(("raw", "safe"), [
    ("Guideline.MD", "guideline.md"),
    ("../../etc/passwd.md", "passwd.md"),
    ("..\\..\\evil.txt", "evil.txt"),
    ("my..article.html", "my-article.html"),
    ("  spaced name\x00\x1b[31m.pdf", "spaced-name-31m.pdf"),
    (".hidden.md", "hidden.md"),
])
def test_safe_file_name(raw: str, safe: str) -> None:
    assert safe_file_name(raw) == safe


@pytest.mark.parametrize(("raw", "match"), [
    ("noext", "no file extension"),
    ("script.py", "not supported"),
    ("../..md", "no usable characters"),
    ("README.md", "reserved"),
])
def test_unsafe_file_name_refused(raw: str, match: str) -> None:
    with pytest.raises(UnsafeFileName, match=match):
        safe_file_name(raw)


def test_target_path_stays_inside(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert target_path(corpus, "../../x.md").parent == corpus.resolve()
