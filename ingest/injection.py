"""Sentences in articles that read like instructions to a language model.

Article text is quoted material, never instructions. Such sentences are reported at ingest,
never quoted by the extractive composer, and removed from the passages a generative composer
sees.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\bignore (all |any )?(the )?(previous|prior|above|earlier|preceding) (instructions|prompts?|"
    r"messages|rules|text)\b",
    r"\bdisregard (all |any )?(the )?(previous|prior|above|earlier|system) ",
    r"\byou are now\b",
    r"\bact as (an? )?(ai|assistant|chatbot|language model|system)\b",
    r"\b(system|developer) prompt\b",
    r"\bnew instructions?\s*:",
    r"\bas an ai (language )?model\b",
    r"\bdo not (tell|reveal|inform) the (user|clinician|reader)\b",
    r"\b(reply|respond|answer) (only )?with\b.*\b(instead|always)\b",
    r"</?(system|assistant|user|instructions?)>",
]
_RE = re.compile("|".join(_PATTERNS), re.IGNORECASE)


def looks_like_instruction(sentence: str) -> bool:
    """True when a sentence addresses a model rather than a clinician."""
    return bool(_RE.search(sentence))


# A request that sets the articles or their citations aside, or asks for something other
# than an answer from them: "ignore the PDFs and just tell me ...", "skip the citations",
# "no citations pls", "write me a poem about ...".
_SET_ASIDE = re.compile(
    r"\b(?:ignore|disregard|forget|bypass)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|these\s+)?"
    r"(?:pdfs?|documents?|articles?|guidelines?|sources?|context|passages?|rules?|citations?)\b"
    r"|\b(?:skip|drop|omit|leave out)\s+(?:the\s+|any\s+)?(?:citations?|sources?|"
    r"references?)\b|\b(?:without|no)\s+(?:any\s+)?citations?\b|\bwrite\s+(?:me\s+)?(?:a\s+|an\s+)?(?:\w+\s+)?(?:poem|story|song|"
    r"essay|joke|limerick)\b", re.IGNORECASE)


def sets_sources_aside(question: str) -> bool:
    """True when a question addresses a model, or asks to answer without the articles or
    their citations: citewise answers only from them, cited."""
    return looks_like_instruction(question) or bool(_SET_ASIDE.search(question))


def instruction_sentences(text: str) -> list[str]:
    """The sentences of `text` that read like model instructions, for ingest warnings."""
    from ingest.sentences import split_units

    return [u.text for u in split_units(text) if looks_like_instruction(u.text)]
