"""The three jobs end to end in a real browser (issue 30): `streamlit run app.py` driven by
Debian chromium via Playwright, one server for the module, the tests in order.

A clinician asks (a chip opens its source, a decline says why, a new question is not read as a
follow-up of the last); an editor adds, corrects and removes articles (a removal the page was
left during finishes; one a stopped server left half-done is offered its repair); a QA lead
runs the eval (the page names the index and corpus it scored, and warns on a mismatch). No
page asks any host but 127.0.0.1. Full-page screenshots at 1280 and 390 px are saved for a
person to read (tests/artifacts/, or CITEWISE_SCREENSHOT_DIR).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.store import load_index
from tests.app.browser import PHONE, TIMEOUT_MS, WIDTH, external_requests, screenshot, settle

pytestmark = pytest.mark.browser

NEW_ARTICLE = (Path(__file__).parent / "data" / "epidural-hematoma.md").read_bytes()
RED_FLAGS = "Which red flags call for early imaging in low back pain?"
UNRELATED = "What are the alternatives when a patient cannot have a lumbar spine MRI?"
LUPUS = "What are the first-line drugs for systemic lupus erythematosus?"
EDITED = "acute-low-back-pain-imaging"
EDITED_QUESTION = ("Healthy 40 year old, 3 days of back pain after lifting boxes, no red "
                   "flags. Do I need an x-ray or MRI?")
PUBLISHER = "Northbridge Spine Society"
REMOVED_IN_APP = "trauma-osteoporosis-elderly-imaging"
REMOVED_BY_CRASH = "upper-lumbar-radiculopathy"


@pytest.fixture
def page(chromium, module_server: str) -> Iterator:  # noqa: ANN001
    """A fresh browser session (its own context) on the module's server; after the test, no
    request may have gone to another host than 127.0.0.1."""
    context = chromium.new_context(viewport={"width": WIDTH, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    outside = external_requests(tab)
    tab.goto(module_server)
    tab.get_by_text("For healthcare professionals").wait_for()
    yield tab
    context.close()
    assert outside == [], f"requests left the machine: {outside}"


def _ask(page, question: str, follow_up: bool = False) -> None:  # noqa: ANN001
    page.get_by_label("Clinical question").fill(question)
    name = "Ask as a follow-up" if follow_up else "Ask"
    page.get_by_role("button", name=name, exact=True).click()
    page.locator(".cw-question", has_text=question).wait_for()
    settle(page)


def _go(page, name: str) -> None:  # noqa: ANN001
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name="Ask the guidelines" if name == "Ask" else name).wait_for()
    settle(page)


def _choose(page, key: str, option: str) -> None:  # noqa: ANN001
    """Pick `option` in the selectbox whose widget key is `key`."""
    box = page.locator(f".st-key-{key} input[role=combobox]")
    if option:
        box.click()
        box.fill(option)  # the list shows the options matching what is typed
    else:
        page.locator(f".st-key-{key} button[aria-label=Open]").click()
    (page.get_by_role("option", name=option) if option else page.get_by_role("option")
     ).first.click()
    settle(page)


def _outcome(page, text: str) -> None:  # noqa: ANN001
    """Wait for a background job's outcome (generous: ingests share 2 cores)."""
    page.get_by_text(text).first.wait_for(timeout=240_000)
    settle(page)


def test_clinician_chip_opens_source_and_new_question_is_not_a_follow_up(
        page, chromium, module_server: str) -> None:  # noqa: ANN001
    _ask(page, RED_FLAGS)
    chip = page.locator("[data-testid=cw-bottom-line] a.cw-cite").first
    target = chip.get_attribute("href")
    assert target and target.startswith("#cw-src-"), target
    source = page.locator(target)
    assert not source.is_visible(), "sources start closed"
    chip.click()
    source.wait_for(state="visible")  # the link opened the closed <details> around it
    assert source.locator(".cw-passage mark").count() >= 1, "the quoted sentence is marked"
    box = source.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, f"source {target} not scrolled to: {box}"
    screenshot(page, "ask-1280.png")
    screenshot(page, "ask-390.png", PHONE)

    # An unrelated question asked next is answered as if asked alone.
    _ask(page, UNRELATED)
    assert page.locator("[data-testid=cw-followup]").count() == 0, "read as a follow-up"
    after = page.locator("[data-testid=cw-bottom-line]").first.inner_text()
    fresh_context = chromium.new_context(viewport={"width": WIDTH, "height": 900})
    try:
        fresh = fresh_context.new_page()
        fresh.set_default_timeout(TIMEOUT_MS)
        fresh.goto(module_server)
        _ask(fresh, UNRELATED)
        alone = fresh.locator("[data-testid=cw-bottom-line]").first.inner_text()
    finally:
        fresh_context.close()
    assert after == alone, "a new question's answer depends on the question before it"

    # A follow-up is asked as one, explicitly, and says so.
    _ask(page, "and which imaging test comes first?", follow_up=True)
    page.locator("[data-testid=cw-followup]", has_text=UNRELATED).wait_for()
    assert page.get_by_text("Earlier questions", exact=True).is_visible()


def test_clinician_decline_states_its_reason(page) -> None:  # noqa: ANN001
    _ask(page, LUPUS)
    reason = page.locator("[data-testid=cw-decline-reason]")
    reason.wait_for()
    assert "lupus" in reason.inner_text().lower(), reason.inner_text()
    assert page.locator("[class*=st-key-closest]").count() == 0, \
        "no article is about lupus: none is offered as the closest"
    screenshot(page, "decline-1280.png")
    screenshot(page, "decline-390.png", PHONE)


def test_editor_metadata_edit_shows_in_the_next_answer(page, module_workspace: Path) -> None:  # noqa: ANN001
    _go(page, "Corpus")
    _choose(page, "meta_article", "Should a patient with acute low back pain and no red flags")
    page.get_by_label("Publisher (issuing organisation)").fill(PUBLISHER)
    screenshot(page, "corpus-metadata-1280.png")
    page.get_by_role("button", name="Save metadata and re-index").click()
    _outcome(page, "the next answer shows it")
    sidecar = module_workspace / "corpus" / f"{EDITED}.md.meta.json"
    assert PUBLISHER in sidecar.read_text(encoding="utf-8")
    assert load_index(module_workspace / "index").articles[EDITED].publisher == PUBLISHER

    _go(page, "Ask")
    _ask(page, EDITED_QUESTION)
    source = page.locator("[data-testid=cw-source]", has_text="no red flags be imaged").first
    source.locator("summary").click()
    source.get_by_text(PUBLISHER).wait_for()


def test_editor_adds_an_article_and_refused_files_say_why(page, module_workspace: Path) -> None:  # noqa: ANN001
    _go(page, "Corpus")
    upload = page.locator("input[type=file]")
    upload.set_input_files(files=[{"name": "Epidural hematoma imaging.md",
                                   "mimeType": "text/markdown", "buffer": NEW_ARTICLE}])
    page.get_by_text("Preview", exact=True).wait_for()
    page.get_by_role("button", name="Add to corpus and re-index").click()
    _outcome(page, "searchable on the Ask page now")
    assert (module_workspace / "corpus" / "epidural-hematoma-imaging.md").is_file()
    screenshot(page, "corpus-1280.png")
    screenshot(page, "corpus-390.png", PHONE)

    page.locator("input[type=file]").set_input_files(files=[{
        "name": "Epidural hematoma imaging.md", "mimeType": "text/markdown",
        "buffer": NEW_ARTICLE}])
    page.get_by_text("already in the corpus with exactly this content").wait_for()
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "notes.docx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04"}])
    page.get_by_text("word-processor files are not read").wait_for()

    _go(page, "Ask")
    _ask(page, "What is the first imaging for a spinal epidural hematoma on anticoagulants?")
    page.locator("[data-testid=cw-source]",
                 has_text="spinal epidural hematoma after anticoagulation").first.wait_for()
    page.get_by_text("pending review").first.wait_for()  # the new article is a Draft


def test_editor_removal_survives_leaving_the_page(page, module_workspace: Path) -> None:  # noqa: ANN001
    _go(page, "Corpus")
    _choose(page, "remove_article", "Which imaging suits back pain with minor trauma")
    page.get_by_text("Yes, take this article out of the corpus and the index").click()
    page.get_by_role("button", name="Remove and re-index").click()
    page.get_by_role("link", name="Ask").click()  # leave at once: the job goes on
    page.get_by_role("heading", name="Ask the guidelines").wait_for()
    _go(page, "Corpus")
    _outcome(page, f"Removed {REMOVED_IN_APP}.")
    assert not list((module_workspace / "corpus").glob(f"{REMOVED_IN_APP}.*"))
    assert list((module_workspace / "removed").glob(f"*/{REMOVED_IN_APP}.*")), "file kept"
    assert REMOVED_IN_APP not in load_index(module_workspace / "index").manifest.articles
    assert page.get_by_text("The index does not match the corpus folder").count() == 0


def test_editor_is_offered_the_repair_of_a_half_done_removal(page, module_workspace: Path) -> None:  # noqa: ANN001
    # What a server killed inside a removal leaves: the file moved out, the index unchanged.
    kept = module_workspace / "removed" / "killed"
    kept.mkdir(parents=True)
    os.replace(module_workspace / "corpus" / f"{REMOVED_BY_CRASH}.md",
               kept / f"{REMOVED_BY_CRASH}.md")
    assert REMOVED_BY_CRASH in load_index(module_workspace / "index").manifest.articles
    _go(page, "Corpus")
    page.get_by_text(f"{REMOVED_BY_CRASH} is still indexed, but its file is no longer in "
                     "the folder").wait_for()
    screenshot(page, "corpus-repair-1280.png")
    page.get_by_role("button", name="Bring the index in line with the folder").click()
    _outcome(page, "The index matches the corpus folder")
    assert REMOVED_BY_CRASH not in load_index(module_workspace / "index").manifest.articles
    assert page.get_by_text("The index does not match the corpus folder").count() == 0


def _live_index_unlike_core(workspace: Path) -> None:
    """The live index no longer holds core's corpus: the editors' tests above changed it; run
    alone, this test takes one article out itself."""
    from config.settings import Settings
    from eval.cases import set_corpus
    from index.editor import corpus_drift
    from index.sync import sync_corpus
    from qa.engine import chunker_settings
    from tests.app.conftest import REPO

    core = set_corpus(REPO / "eval" / "sets" / "core.jsonl")
    if corpus_drift(core, load_index(workspace / "index")).in_line:
        (workspace / "corpus" / f"{REMOVED_BY_CRASH}.md").unlink()
        sync_corpus(workspace / "corpus", workspace / "index", chunker_settings(Settings()))


def test_qa_lead_sees_which_index_and_corpus_were_scored(page, module_workspace: Path) -> None:  # noqa: ANN001
    _live_index_unlike_core(module_workspace)
    _go(page, "Evaluation")
    page.get_by_text("59 questions").wait_for()  # the core set, selected by default
    # The editors changed the live corpus above: scored there, core would not be core.
    page.get_by_text("The live index", exact=True).click()
    settle(page)
    page.get_by_text("The live index does not match the set's corpus").wait_for()
    page.get_by_text("The set's own corpus", exact=True).click()
    settle(page)
    page.get_by_text("the corpus is ingested into it first").wait_for()
    page.get_by_role("button", name="Run evaluation").click()
    _outcome(page, "Scored 59 questions of core")
    scored = page.locator("[data-testid=cw-scored-on]")
    scored.wait_for()
    text = scored.inner_text()
    assert "the set's own index" in text and "eval-index" in text and "built from" in text, text
    assert "corpus" in text and "version" in text, text
    _choose(page, "eval_case", "acute-no-red-flags")
    page.locator("[data-testid=cw-eval-case]").wait_for()
    screenshot(page, "evaluation-1280.png")
    screenshot(page, "evaluation-390.png", PHONE)


def test_qa_lead_is_warned_before_a_held_out_run(page) -> None:  # noqa: ANN001
    _go(page, "Evaluation")
    page.locator("[data-testid=stSelectbox]", has_text="Eval set").locator(
        "button[aria-label=Open]").click()
    page.get_by_role("option", name="real-guidelines-heldout").click()
    settle(page)
    page.get_by_text("Held-out set.").wait_for()
    run = page.get_by_role("button", name="Run evaluation")
    assert run.is_disabled(), "a held-out run needs the 'checking, not tuning' box ticked"
    screenshot(page, "evaluation-heldout-390.png", PHONE)
    page.get_by_text("I am checking, not tuning").click()
    settle(page)
    assert run.is_enabled()
