"""Eight browser sessions at once share one warm engine (st.cache_resource) without errors."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.apptest_helpers import APP, html_of
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

    def session(i: int) -> tuple[int, str]:
        """One browser session: open the app, click one of the starter questions."""
        at = AppTest.from_file(APP, default_timeout=120).run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        # A starter button, not the form: AppTest driven from several threads at once loses
        # the form id of the submit button ("FormSubmitter:-Ask"), a harness artefact.
        at.button(key=f"starter-{i % 4}").click().run()
        assert not at.exception, at.exception
        return i % 4, html_of(at)

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        pages = list(pool.map(session, range(SESSIONS)))
    shown: dict[int, set[str]] = {}
    for starter, html in pages:
        assert 'data-testid="cw-bottom-line"' in html or "abstain" in html.lower(), html[-400:]
        shown.setdefault(starter, set()).add(html)
    assert all(len(v) == 1 for v in shown.values()), "two sessions asking one question differ"
    assert len({next(iter(v)) for v in shown.values()}) == len(shown), "sessions got one answer"
    assert resources.engine(s) is engine, "a session loaded its own engine instead of the cache"

    # The engine itself under 8 concurrent askers: the same answers as one at a time.
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        concurrent = list(pool.map(lambda q: answer_html(engine.ask(q)), questions * 3))
    assert concurrent == [expected[q] for q in questions * 3]
