"""Helpers shared by the AppTest modules (conftest holds the fixtures)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ASK_BUTTON = "FormSubmitter:ask-Ask"


def ask(at: AppTest, question: str) -> AppTest:
    """Type a question into the Ask form and submit it."""
    at.text_input(key="cw_question").set_value(question)
    at.button(key=ASK_BUTTON).click().run()
    assert not at.exception, at.exception
    return at


def html_of(at: AppTest) -> str:
    """All markdown/HTML the page wrote, joined: what a reader would see as text."""
    return "\n".join(m.value for m in at.markdown)
