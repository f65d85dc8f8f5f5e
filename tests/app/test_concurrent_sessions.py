"""Eight sessions at once share one warm engine without errors: eight browser sessions against
a real `streamlit run app.py` (AppTest is not thread-safe: driven from eight threads its own
runtime state breaks, a harness artefact), and eight threads asking the cached engine."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.app.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, WIDTH
from ui import resources
from ui.render import answer_html

SESSIONS = 8
STARTERS = 4  # the Ask page offers four starter questions


@pytest.mark.browser
def test_eight_browser_sessions_are_answered_at_once(server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # A browser context each: separate cookies, so separate Streamlit sessions.
            pages = [browser.new_context(viewport={"width": WIDTH, "height": 900}).new_page()
                     for _ in range(SESSIONS)]
            for page in pages:
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(server)
            for i, page in enumerate(pages):
                page.locator(f".st-key-starter-{i % STARTERS} button").wait_for()
            # Click all eight before waiting for any: the server answers them concurrently.
            for i, page in enumerate(pages):
                page.locator(f".st-key-starter-{i % STARTERS} button").click()
            shown: dict[int, set[str]] = {}
            for i, page in enumerate(pages):
                bottom = page.locator("[data-testid=cw-bottom-line]")
                bottom.wait_for()
                assert page.locator("[data-testid=stException]").count() == 0, f"session {i}"
                shown.setdefault(i % STARTERS, set()).add(bottom.inner_text())
        finally:
            browser.close()
    assert all(len(texts) == 1 for texts in shown.values()), f"one question, two answers: {shown}"
    assert len({next(iter(t)) for t in shown.values()}) == STARTERS, "sessions got one answer"


def test_eight_threads_share_one_cached_engine(workspace: Path) -> None:
    """The engine the app caches (st.cache_resource) answers eight concurrent askers exactly
    as it answers one at a time, and stays the one cached engine."""
    import json

    core = Path(__file__).resolve().parents[2] / "eval" / "sets" / "core.jsonl"
    cases = [json.loads(line) for line in core.read_text().splitlines()
             if line.strip() and not line.startswith("#")]  # "# corpus:" header
    questions = [c["question"] for c in cases if c.get("answerable", True)][:SESSIONS]
    s = resources.settings()
    engine = resources.engine(s)
    expected = {q: answer_html(engine.ask(q)) for q in questions}
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        concurrent = list(pool.map(lambda q: answer_html(engine.ask(q)), questions * 3))
    assert concurrent == [expected[q] for q in questions * 3]
    assert resources.engine(s) is engine, "a second engine was loaded instead of the cached one"
