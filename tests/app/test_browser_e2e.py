"""End to end in a real browser: `streamlit run app.py` driven by Debian chromium via Playwright.

Asks a question, opens a citation, uploads a new article and asks about it, runs an eval set,
and saves full-page screenshots of the three pages under tests/artifacts/.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.app.browser import CHROMIUM, CHROMIUM_ARGS, REPO, TIMEOUT_MS, WIDTH

ARTIFACTS = REPO / "tests" / "artifacts"
NEW_ARTICLE = (Path(__file__).parent / "data" / "epidural-hematoma.md").read_bytes()

pytestmark = pytest.mark.browser


def _screenshot(page, name: str) -> Path:  # noqa: ANN001 - playwright Page
    """Full-page shot: Streamlit scrolls inside stMain, so grow the viewport to fit it first."""
    height = page.evaluate(
        "() => { const b = document.querySelector('[data-testid=stMainBlockContainer]');"
        " return b ? b.getBoundingClientRect().height : document.body.scrollHeight; }")
    page.set_viewport_size({"width": WIDTH, "height": min(max(900, int(height) + 160), 8000)})
    page.wait_for_timeout(400)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    return path


def _settle(page) -> None:  # noqa: ANN001
    """Wait for the script run to finish: until then Streamlit shows stale elements too."""
    page.locator("[data-testid=stStatusWidgetRunningIcon]").wait_for(state="hidden",
                                                                   timeout=TIMEOUT_MS)
    page.locator("[data-stale=true]").first.wait_for(state="detached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)


def _ask(page, question: str) -> None:  # noqa: ANN001
    box = page.get_by_label("Clinical question")
    box.fill(question)
    page.get_by_role("button", name="Ask").click()
    page.locator(".cw-question", has_text=question).wait_for(timeout=TIMEOUT_MS)
    _settle(page)


def test_browser_end_to_end(server: str, workspace: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    phases: dict[str, float] = {}
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        phases[name] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server)
            page.get_by_text("For healthcare professionals").wait_for()

            # 1. a question, answered with numbered citations; open the first source
            started = time.monotonic()
            _ask(page, "Which red flags call for early imaging in low back pain?")
            first_answer_s = time.monotonic() - started
            page.locator("[data-testid=cw-bottom-line]").wait_for()
            assert page.locator(".cw-cite").count() >= 1, "answer sentences carry [n] chips"
            sources = page.locator("[data-testid=stExpander] summary")
            sources.first.wait_for()  # elements stream in: wait for them, never count early
            sources.first.click()
            page.locator(".cw-passage mark").first.wait_for()
            assert page.get_by_text("For healthcare professionals").first.is_visible()
            _screenshot(page, "ask.png")
            phase("load + first answer + citation")

            # follow-up in the same conversation
            started = time.monotonic()
            _ask(page, "and which imaging test comes first?")
            follow_up_s = time.monotonic() - started
            page.get_by_text("Follow-up to:").wait_for()
            phase("follow-up")
            # generous: the machine is shared (2 cores); AppTest checks the engine's latency
            assert follow_up_s < 15, f"a follow-up took {follow_up_s:.1f} s in the browser"

            # 2. corpus page: upload, preview, confirm
            page.get_by_role("link", name="Corpus").click()
            page.get_by_role("heading", name="Corpus").wait_for()
            page.locator("input[type=file]").set_input_files(files=[{
                "name": "Epidural hematoma imaging.md", "mimeType": "text/markdown",
                "buffer": NEW_ARTICLE}])
            page.get_by_text("Preview", exact=True).wait_for()
            page.get_by_role("button", name="Add to corpus and re-index").click()
            page.get_by_text("searchable on the Ask page now").wait_for()
            page.get_by_text("Preview", exact=True).wait_for(state="detached")  # fresh uploader
            _settle(page)
            assert (workspace / "corpus" / "epidural-hematoma-imaging.md").is_file()
            _screenshot(page, "corpus.png")
            phase("upload + ingest")

            # 3. ask about the new article: it must be cited, with its Draft caution
            page.get_by_role("link", name="Ask").click()
            page.get_by_label("Clinical question").wait_for()
            _ask(page, "What is the first imaging for a spinal epidural hematoma on "
                       "anticoagulants?")
            # cited: a numbered source from the new article (waits until it has rendered)
            new_source = page.locator("[data-testid=stExpander] summary",
                                      has_text="spinal epidural hematoma after anticoagulation")
            new_source.first.wait_for()
            page.get_by_text("pending review").first.wait_for()  # it is a Draft
            new_source.first.click()
            page.wait_for_timeout(400)
            _screenshot(page, "ask-new-article.png")
            phase("ask about the new article")

            # 4. evaluation page: run the smaller set, see metrics and the per-question table
            page.get_by_role("link", name="Evaluation").click()
            page.get_by_role("heading", name="Evaluation").wait_for()
            page.get_by_text("59 questions").wait_for()  # the core set, selected by default
            page.get_by_role("button", name="Run evaluation").click()
            page.get_by_role("heading", name="Per question").wait_for(timeout=180_000)
            _settle(page)
            _screenshot(page, "evaluation.png")
            phase("eval run (59 questions)")
        finally:
            browser.close()
    print(f"first answer {first_answer_s:.2f} s, follow-up {follow_up_s:.2f} s; phases {phases}")
