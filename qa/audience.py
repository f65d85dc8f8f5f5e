"""Patient-friendly wording of a validated answer, as guideline sites offer next to the
clinician text. The language model only rewords: a rewrite that loses or adds a citation
marker or a number is refused and the clinician wording is kept."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.llm_check import numbers_in
from qa.records import Answer

if TYPE_CHECKING:  # langchain loads only when a patient wording is asked of a model
    from qa.generative import GenerativeComposer

AUDIENCES = ("clinician", "patient")
PATIENT_PROMPT = (
    "Rewrite the answer below for a patient, in plain everyday language, as short sentences. "
    "Keep every citation marker such as [1] exactly as written, after the sentence it supports. "
    "Keep every number exactly as written, with its unit. Add no new facts, numbers or advice. "
    "Reply with the rewritten answer only."
)
NEEDS_LLM = ("Patient-friendly wording needs a language model: set CITEWISE_LLM_PROVIDER, "
             "CITEWISE_LLM_MODEL and CITEWISE_LLM_BASE_URL (see the README). The clinician "
             "wording is shown.")
_MARKER_RE = re.compile(r"\[(\d{1,2})\]")


@dataclass(frozen=True)
class Reworded:
    """The answer for one audience: `text` is None when the clinician wording is kept."""

    audience: str
    text: str | None
    notice: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"audience": self.audience, "audience_text": self.text,
                "audience_notice": self.notice}


def _markers(text: str) -> Counter[str]:
    return Counter(_MARKER_RE.findall(text))


def _plain_numbers(text: str) -> set[str]:
    return numbers_in(_MARKER_RE.sub(" ", text))


def check_rewrite(original: str, rewrite: str) -> str:
    """'' when the rewrite keeps every marker and number (and adds none), else why not."""
    lost = set(_markers(original)) - set(_markers(rewrite))
    added = set(_markers(rewrite)) - set(_markers(original))
    if lost or added:
        what = ", ".join([f"lost [{n}]" for n in sorted(lost, key=int)]
                         + [f"added [{n}]" for n in sorted(added, key=int)])
        return f"the rewrite changed the citations ({what})"
    before, after = _plain_numbers(original), _plain_numbers(rewrite)
    if before != after:
        what = ", ".join([f"lost {n}" for n in sorted(before - after)]
                         + [f"added {n}" for n in sorted(after - before)])
        return f"the rewrite changed the numbers ({what})"
    return ""


def reword(answer: Answer, audience: str, composer: GenerativeComposer | None,
           on_text: Callable[[str], None] | None = None) -> Reworded:
    """The answer for `audience`; for patients, rewritten by the model and validated."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if audience == "clinician" or answer.abstained:
        return Reworded(audience, None)
    if composer is None:
        return Reworded(audience, None, NEEDS_LLM)
    from langchain_core.messages import HumanMessage, SystemMessage

    from qa.llm_client import LLMUnavailableError

    messages = [SystemMessage(PATIENT_PROMPT), HumanMessage(answer.text)]
    try:
        rewrite = " ".join(composer.reply(messages, on_text).split())
    except LLMUnavailableError as exc:
        return Reworded(audience, None, f"Clinician wording kept: {exc}")
    problem = check_rewrite(answer.text, rewrite) if rewrite else "the rewrite was empty"
    if problem:
        return Reworded(audience, None, f"Clinician wording kept: {problem}.")
    return Reworded(audience, rewrite)
