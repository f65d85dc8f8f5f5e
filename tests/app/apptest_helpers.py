"""Helpers shared by the AppTest modules (conftest holds the fixtures)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ASK_BUTTON = "FormSubmitter:ask-Ask"
FOLLOW_UP_BUTTON = "FormSubmitter:ask-Ask as a follow-up"


def ask(at: AppTest, question: str, follow_up: bool = False) -> AppTest:
    """Type a question into the Ask form and submit it (as a new question, or a follow-up)."""
    at.text_input(key="cw_question").set_value(question)
    at.button(key=FOLLOW_UP_BUTTON if follow_up else ASK_BUTTON).click().run()
    assert not at.exception, at.exception
    return at


def wait_for_jobs(at: AppTest, timeout: float = 300.0) -> AppTest:
    """Let the background jobs (ui/jobs.py) finish, then run the page again to show them."""
    from ui.jobs import jobs

    for slot in ("corpus", "eval"):
        job = jobs().wait(slot, timeout)
        assert job is None or not job.running, f"{job.label} still running after {timeout} s"
    at.run()
    assert not at.exception, at.exception
    return at


def html_of(at: AppTest) -> str:
    """All markdown/HTML the page wrote, joined: what a reader would see as text."""
    return "\n".join(m.value for m in at.markdown)
