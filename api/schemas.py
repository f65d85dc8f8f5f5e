"""What the API accepts: request bodies validated at the door, each refusal one line."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.engine import MAX_QUESTION_CHARS

# Only the last earlier question shapes retrieval (qa.engine.retrieval_query); a conversation
# longer than this is a client bug, not a question.
MAX_HISTORY = 50


class AskRequest(BaseModel):
    """A clinician's question, the conversation before it, and who the wording is for."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="the clinical question", examples=[
        "when should contrast be added to a lumbar MRI?"])
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY,
                               description="earlier questions of the conversation, oldest first")
    audience: Literal["clinician", "patient"] = Field(
        "clinician", description="patient: plain-language wording by the configured LLM, every "
        "citation and number kept")

    @field_validator("question")
    @classmethod
    def _question_fits(cls, value: str) -> str:
        size = len(" ".join(value.split()))
        if size > MAX_QUESTION_CHARS:
            raise ValueError(f"is {size:,} characters long; the limit is "
                             f"{MAX_QUESTION_CHARS:,} (nothing is cut off: shorten it)")
        return value

    @field_validator("history")
    @classmethod
    def _history_fits(cls, value: list[str]) -> list[str]:
        for i, earlier in enumerate(value):
            if len(earlier) > MAX_QUESTION_CHARS:
                raise ValueError(f"item {i} is {len(earlier):,} characters long; the limit is "
                                 f"{MAX_QUESTION_CHARS:,}")
        return value


class IngestRequest(BaseModel):
    """Bring the index in line with the server's corpus folder."""

    model_config = ConfigDict(extra="forbid")

    rebuild: bool = Field(False, description="re-embed every article instead of only the "
                          "added and changed ones")


class JobAccepted(BaseModel):
    job_id: str
    status: str
    status_url: str
