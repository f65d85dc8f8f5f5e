"""One question asked the way every front end asks it: the `ask --json` record of the CLI and
of `POST /v1/ask` come from here, so the two are the same record for the same index version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.engine import MAX_QUESTION_CHARS, QAEngine, QuestionError
from qa.records import Answer

if TYPE_CHECKING:
    from qa.audience import Reworded


def check_length(question: str, history: Sequence[str] = ()) -> None:
    """Refuse what retrieval would otherwise cut to MAX_QUESTION_CHARS without a word: the
    question, and the question read together with the one it follows (qa.engine.retrieval_query
    reads both, whitespace folded in the question only)."""
    size = len(" ".join(question.split()))
    if size > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is {size:,} characters long; the limit is "
                            f"{MAX_QUESTION_CHARS:,} (nothing is cut off: shorten it)")
    if history:
        together = len(history[-1]) + 1 + size
        if together > MAX_QUESTION_CHARS:
            raise QuestionError(f"the question and the earlier question it follows are "
                                f"{together:,} characters long together; the limit is "
                                f"{MAX_QUESTION_CHARS:,} (nothing is cut off: shorten them)")


@dataclass(frozen=True)
class AskedAnswer:
    """An answer, its wording for the audience asked for, and the index version that gave it."""

    answer: Answer
    worded: Reworded
    index_version: str

    def as_dict(self) -> dict[str, object]:
        """The `ask --json` record (Answer.as_dict, the audience wording, the index version)."""
        return self.answer.as_dict() | self.worded.as_dict() | {
            "index_version": self.index_version}


def ask(engine: QAEngine, question: str, history: Sequence[str] = (),
        audience: str = "clinician") -> AskedAnswer:
    """Answer `question` (after `history`) and word it for `audience`; QuestionError when the
    question cannot be asked as given, ValueError for an unknown audience."""
    from qa.audience import AUDIENCES

    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    check_length(question, history)
    answer = engine.ask(question, history=tuple(history))
    return AskedAnswer(answer, engine.reword(answer, audience), engine.version)
