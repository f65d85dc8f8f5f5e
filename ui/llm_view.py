"""The Ask page's parts for the optional language model: the draft streamed as it arrives,
the fallback notice, and the patient-friendly wording."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

import streamlit as st

from qa.audience import NEEDS_LLM, Reworded
from qa.engine import QAEngine
from qa.records import Answer
from ui.sources import cite_chip

T = TypeVar("T")
_MARKER_RE = re.compile(r"\[(\d{1,2})\]")
DRAFT_CAPTION = ("Draft from the language model, as it arrives. Each sentence is checked "
                 "against the passage it cites before the answer is shown.")
PATIENT_TOGGLE = "Patient-friendly wording"


def streamed(call: Callable[[Callable[[str], None]], T], caption: str) -> T:
    """Run `call(on_text)` in a worker thread while its text streams into the page; the draft
    is removed once `call` returns (the page then shows the checked result)."""
    pieces: queue.Queue[str | None] = queue.Queue()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call(pieces.put)
        except BaseException as exc:  # re-raised in the page's thread below
            outcome["error"] = exc
        finally:
            pieces.put(None)

    worker = threading.Thread(target=run, name="citewise-llm", daemon=True)
    worker.start()
    draft = st.empty()
    with draft.container():
        st.caption(caption)
        st.write_stream(iter(pieces.get, None))
    worker.join()
    draft.empty()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def ask(engine: QAEngine, question: str, history: list[str]) -> Answer:
    """engine.ask; with a language model its draft streams into the page first."""
    if engine.composer is None:
        with st.spinner("Searching the indexed articles…"):
            return engine.ask(question, history=history)
    return streamed(lambda on_text: engine.ask(question, history=history, on_text=on_text),
                    DRAFT_CAPTION)


def composer_notice(answer: Answer) -> None:
    if answer.composer_notice:
        st.warning(f"Language model not used: {answer.composer_notice}.",
                   icon=":material/cloud_off:")
    elif answer.composer == "generative" and answer.abstained:
        st.caption(f"Why no answer: {answer.abstain_reason}.")
    elif answer.composer == "generative":
        st.caption("Written by the language model from the passages below; every sentence was "
                   "checked against the passage it cites, unsupported ones were dropped.")


def reworded_html(text: str, scope: str = "a") -> str:
    body = _MARKER_RE.sub(lambda m: cite_chip(int(m.group(1)), scope), escape(text))
    return ('<div class="cw-bottom" data-testid="cw-patient-wording">'
            '<div class="cw-label">In plain language</div>'
            f"<p>{body}</p></div>")


def patient_wording(engine: QAEngine, turn: dict[str, Any]) -> Reworded:
    """The turn's patient wording, asked of the model once per turn (kept in the turn)."""
    if engine.composer is None:
        return Reworded("patient", None, NEEDS_LLM)
    if "patient" not in turn:
        turn["patient"] = streamed(lambda on_text: engine.reword(turn["answer"], "patient",
                                                                 on_text),
                                   "Rewording for patients, as it arrives; every citation "
                                   "and number is checked before it is shown.")
    return turn["patient"]
