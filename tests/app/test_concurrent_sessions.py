"""Eight browser sessions at once share one warm engine (st.cache_resource) without errors."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.apptest_helpers import APP, ask, html_of
from ui import resources
from ui.render import answer_html

CORE = Path(__file__).resolve().parents[2] / "eval" / "sets" / "core.jsonl"
SESSIONS = 8


def test_eight_sessions_share_one_warm_engine(workspace: Path) -> None:
    cases = [json.loads(line) for line in CORE.read_text().splitlines()
             if line.strip() and not line.startswith("#")]  # "# corpus:" header
    questions = [c["question"] for c in cases if c.get("answerable", True)][:SESSIONS]
    s = resources.settings()
    engine = resources.engine(s)  # what the first page run caches
    expected = {q: answer_html(engine.ask(q)) for q in questions}

    def session(question: str) -> tuple[str, str]:
        at = AppTest.from_file(APP, default_timeout=120).run()
        assert not at.exception, at.exception
        ask(at, question)
        return question, html_of(at)

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        pages = list(pool.map(session, questions))
    for question, html in pages:
        assert expected[question] in html, f"session asking {question!r} shows another answer"
    assert resources.engine(s) is engine, "a session loaded its own engine instead of the cache"

    # The engine itself under 8 concurrent askers: the same answers as one at a time.
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        concurrent = list(pool.map(lambda q: answer_html(engine.ask(q)), questions * 3))
    assert concurrent == [expected[q] for q in questions * 3]
