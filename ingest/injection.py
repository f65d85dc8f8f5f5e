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


def instruction_sentences(text: str) -> list[str]:
    """The sentences of `text` that read like model instructions, for ingest warnings."""
    from ingest.sentences import split_units

    return [u.text for u in split_units(text) if looks_like_instruction(u.text)]
