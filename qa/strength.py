"""The rating or grade a guideline gives a statement ("strong recommendation; moderate-quality
evidence", "Usually not appropriate", "Grade B", "Level II", radiation ☢ levels).

Guidelines print the grade in the recommendation sentence itself or right after it, e.g. ACP:
"... (moderate-quality evidence). (Grade: strong recommendation)"; ACR appropriateness
criteria: "MRI lumbar spine: Usually not appropriate"; NGC syntheses: 'VA/DoD makes a "C"
recommendation'. The patterns below are the published grading vocabularies (GRADE, ACR
appropriateness, letter grades, evidence levels, ☢ relative radiation levels), not words of
one document.
"""

from __future__ import annotations

import re

from ingest.sentences import QUALITY_EVIDENCE

# Characters after a statement searched for its grade: one grade clause, not the next
# recommendation (ACP prints "(Grade: strong recommendation)" within ~40 chars of the text).
FOLLOWING_CHARS = 160
_TRAILING_PAREN = re.compile(r"\s*\([^()]{0,150}\)")
_LEADING_PAREN = re.compile(r"^\s*\([^()]*\)\s*")
_LINE_BREAK_HYPHEN = re.compile(r"(?<=[a-z])- (?=[a-z])")  # "recom- mendation" in PDFs

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # GRADE: "strong recommendation; moderate-quality evidence", "Grade: weak recommendation"
    (re.compile(r"\b(strong|weak|conditional)\s+recommendation\b", re.I), "{0} recommendation"),
    (re.compile(rf"\b({QUALITY_EVIDENCE})", re.I), "{0}"),
    # ACR appropriateness criteria
    (re.compile(r"\b(usually not appropriate|usually appropriate|may be appropriate)\b", re.I),
     "{0}"),
    # Letter grades: "Grade A", "Grade of Recommendation: B", 'makes a "C" recommendation'
    (re.compile(r"\bGrade(?:\s+of\s+Recommendation)?\s*[:\-]?\s*([A-D])\b(?![\w-])"),
     "Grade {0}"),
    (re.compile(r"\ban?\s+[\"“]([A-D])[\"”]\s+recommendation\b"), "Grade {0}"),
    (re.compile(r"\ban?\s+[\"“](I)[\"”]?\s+statement\b"), "I statement (insufficient evidence)"),
    (re.compile(r"\ban?\s+[\"“](Strong|Moderate|Limited|Inconclusive|Consensus)[\"”]\s+"
                r"recommendation\b"), "{0} recommendation"),
    # Strength words: "moderate strength of recommendation", "Strength of Recommendation: Strong"
    (re.compile(r"\b(strong|moderate|limited|weak)(?:\s+to\s+\w+)?\s+strength of recommendation",
                re.I), "{0} strength of recommendation"),
    (re.compile(r"\bstrength of recommendation\s*:\s*(\w+)", re.I),
     "{0} strength of recommendation"),
    # Evidence levels: "Level I", "level of evidence II", "Level of Evidence: 2"
    (re.compile(r"\b[Ll]evel(?:\s+of\s+[Ee]vidence)?\s*[:\-]?\s*(I{1,3}V?|IV|V)\b(?:\s+to\s+(I{1,3}|IV))?"),
     "Level {0}"),
    (re.compile(r"\b[Ll]evel of [Ee]vidence\s*[:\-]?\s*([1-5]|I{1,3}V?|IV|V)\b"), "Level {0}"),
    # ACR relative radiation level: one to five radiation symbols
    (re.compile(r"((?:☢\s*){1,5})"), "radiation {0}"),
)


def _following(passage: str, sentence: str) -> str:
    """The statement's sentence plus the parenthesised grade right after it in the passage;
    a parenthesis opening the sentence grades the previous recommendation and is dropped."""
    at = passage.find(sentence)
    own = _LEADING_PAREN.sub("", sentence)
    if at < 0:
        return own
    tail = _TRAILING_PAREN.match(passage[at + len(sentence):at + len(sentence) + FOLLOWING_CHARS])
    return own + (tail.group(0) if tail else "")


def find_strength(sentence: str, passage: str = "") -> str | None:
    """The grade stated for `sentence` (looked for in it and the clause after it in
    `passage`), as "strong recommendation; moderate-quality evidence"; None when none."""
    text = _following(passage, sentence) if passage else _LEADING_PAREN.sub("", sentence)
    text = _LINE_BREAK_HYPHEN.sub("", text)
    found: list[str] = []
    taken: list[tuple[int, int]] = []  # spans already read: one grade is not counted twice
    for pattern, template in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append(m.span())
            groups = [" ".join(g.split()) for g in m.groups() if g]
            value = template.format(*groups)
            if value.startswith("Level") and len(groups) > 1:
                value = f"Level {groups[0]} to {groups[1]}"
            if value.lower() not in (f.lower() for f in found):
                found.append(value)
    if not found:
        return None
    joined = "; ".join(found)
    return joined[0].upper() + joined[1:]
