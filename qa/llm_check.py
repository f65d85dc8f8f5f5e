"""The checks every sentence a language model writes must pass before it is shown: it cites a
retrieved passage (or quotes one word for word), every number it states is in the cited passage
or the question, and most of its own topic words are in the cited passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from config.settings import Settings
from ingest.citations import strip_markers
from ingest.injection import looks_like_instruction
from ingest.sentences import split_sentences
from qa.composer import MIN_STATEMENT_WORDS
from qa.llm_markers import marked_sentences
from qa.records import Passage
from qa.text import QUESTION_WORDS, content_terms, stem, stems, variants, words

_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_WORD_RE = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
MIN_GROUNDING = Settings.llm_min_grounding  # see the setting for how it was measured


@dataclass(frozen=True)
class GeneratedSentence:
    text: str
    passage_numbers: tuple[int, ...]
    kept: bool
    reason: str = ""
    quoted: bool = False  # no marker, but the sentence stands word for word in the passage


def passage_for_prompt(text: str) -> str:
    """Passage text without citation markers and without sentences addressed to a model."""
    kept = [s.text for s in split_sentences(" ".join(strip_markers(text).split()))
            if not looks_like_instruction(s.text)]
    return " ".join(kept)


def passage_as_shown(passage: Passage) -> str:
    """What the model saw of a passage: title, section and text."""
    chunk = passage.chunk
    return f"{chunk.title} {chunk.section} {passage_for_prompt(chunk.text)}"


def numbers_in(text: str) -> set[str]:
    """Numbers as written ("6", "1.5"); "L1-L2" holds 1 and 2, "50%" holds 50."""
    return set(_NUMBER_RE.findall(text))


def _words(text: str) -> str:
    return " " + " ".join(_WORD_RE.findall(text.lower())) + " "


def quoted_from(text: str, passages: Sequence[Passage]) -> int | None:
    """The number of the first passage that holds `text` word for word (case and punctuation
    aside), for a sentence of at least MIN_STATEMENT_WORDS words; else None."""
    sentence = _words(text)
    if len(sentence.split()) < MIN_STATEMENT_WORDS:
        return None
    return next((i for i, p in enumerate(passages, start=1)
                 if sentence in _words(passage_for_prompt(p.chunk.text))), None)


def repeats(text: str, other: str) -> bool:
    """True when every word of `text` stands, in order, in `other`."""
    return _words(text) in _words(other)


def grounding(text: str, question: str, passage_text: str) -> float:
    """Share of the sentence's topic words (stems, clinical synonyms count) found in the
    passage. Words the question states are given, like its numbers; a sentence that only
    restates the question is measured on all its words."""
    terms = {stem(w): variants(w) for w in words(text)
             if w not in QUESTION_WORDS and not w.isdigit() and len(stem(w)) > 1}
    asked = set(content_terms(question))
    own = {s: v for s, v in terms.items() if s not in asked} or terms
    if not own:
        return 1.0
    held = stems(passage_text)
    return sum(1 for v in own.values() if v & held) / len(own)


def validate(output: str, passages: Sequence[Passage], question: str = "",
             min_grounding: float = MIN_GROUNDING) -> list[GeneratedSentence]:
    """Each sentence of the model's output, kept or dropped with the reason."""
    given = numbers_in(question)
    results = []
    for sentence in marked_sentences(output):
        text, numbers = sentence.text, sentence.passage_numbers
        if not numbers and (source := quoted_from(text, passages)) is not None:
            results.append(GeneratedSentence(text, (source,), True, quoted=True))
            continue
        if not numbers:
            results.append(GeneratedSentence(text, (), False, "no citation"))
            continue
        if any(n < 1 or n > len(passages) for n in numbers):
            results.append(GeneratedSentence(text, numbers, False, "cites a passage not retrieved"))
            continue
        # The text the model saw (markers stripped), so a reference number "[12]" of the
        # article never vouches for a "12" in the answer.
        cited = " ".join(passage_as_shown(passages[n - 1]) for n in numbers)
        invented = sorted(numbers_in(text) - numbers_in(cited) - given, key=text.find)
        if invented:
            results.append(GeneratedSentence(text, numbers, False,
                                             "number(s) not in the cited passage: "
                                             + ", ".join(invented)))
            continue
        share = grounding(text, question, cited)
        if share < min_grounding:
            results.append(GeneratedSentence(text, numbers, False,
                                             f"words not in the cited passage: {share:.2f} "
                                             f"of its topic words found"))
            continue
        results.append(GeneratedSentence(text, numbers, True))
    return results
