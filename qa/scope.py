"""Scope checks: a question about a body region, population or drug dose that none of the
retrieved passages discusses is outside what the articles cover, however similar its wording.

Each facet lists the words that name it. When a question names a facet and no top passage
does, the evidence is zero and the answer says which facet was missing. Entries name whole
clinical concepts, so an editor can extend them for a corpus of another specialty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from ingest.sentences import split_units
from qa.records import Passage
from qa.sentence_form import asks_scope, excludes
from qa.text import question_terms, specificity, stem, stems, text_stems

REGIONS: dict[str, tuple[str, ...]] = {
    "the brain or head": ("brain", "head", "cranial", "intracranial", "cerebral"),
    "the neck or cervical spine": ("cervical", "neck", "whiplash"),
    "the chest or thoracic spine": ("chest", "thoracic", "thorax", "lung", "lungs"),
    "the sacroiliac joints": ("sacroiliac", "sacroiliitis"),
    "the hip": ("hip", "hips", "femoroacetabular"),
    "the knee": ("knee", "knees", "meniscal", "meniscus"),
    "the shoulder": ("shoulder", "shoulders", "rotator"),
    "the ankle or foot": ("ankle", "foot", "feet"),
    "the wrist or hand": ("wrist", "hand", "hands", "carpal"),
    "the elbow": ("elbow",),
    "the abdomen": ("abdomen", "abdominal", "liver", "kidney", "bowel"),
}
POPULATIONS: dict[str, tuple[str, ...]] = {
    "children": ("child", "children", "pediatric", "paediatric", "infant", "infants",
                 "adolescent", "adolescents", "toddler", "newborn"),
    "pregnancy": ("pregnant", "pregnancy"),
}
_DOSE_RE = re.compile(r"\b(dose|doses|dosing|dosage|titrat\w*)\b", re.IGNORECASE)
# "How many milligrams of X" asks a dose as surely as "what dose of X": a count of drug units.
_HOW_MANY_UNITS_RE = re.compile(r"\bhow many\s+(?:mg|mcg|milligrams?|micrograms?|grams?|ml|"
                                r"millilit(?:er|re)s?|units?|tablets?|pills?|capsules?)\b",
                                re.IGNORECASE)
# "How much X" asks for a quantity of X (a drug, weight to lose, time off work): a sentence
# stating a quantity and naming X answers it; otherwise it is read as a dose question.
# "How much do NSAIDs reduce pain?" asks the size of an effect, not an amount to give.
_HOW_MUCH_RE = re.compile(r"\bhow much\s+(?!(?:do|does|did|is|are|was|were|can|could|will|would|"
                         r"should|has|have|had|may|might)\b)([a-z][\w-]*)", re.IGNORECASE)
# A number in digits or in words (the closed class of English number words, as guidelines
# write "five percent", "twenty minutes").
_NUMBER = (r"(?:\d+(?:[.,]\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
           r"twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|"
           r"eigh|nine)ty|hundred|thousand)(?:[\s-](?:one|two|three|four|five|six|seven|"
           r"eight|nine))?)")
_QUANTITY_RE = re.compile(rf"\b{_NUMBER}\s?(?:%|percent|per cent|mg|mcg|g|grams?|kg|kilograms?|"
                          r"lbs?|pounds?|ml|units?|iu|minutes?|hours?|days?|weeks?|months?|"
                          r"times?)(?!\w)", re.IGNORECASE)
_RADIATION_RE = re.compile(r"\b(radiation|effective dose|msv|rrl)\b", re.IGNORECASE)
# "What dose", "the maximum daily dose", "starting dose", "how many mg": the question wants an
# amount, which qualitative advice ("taper the dose slowly") does not give.
_ASKS_AMOUNT_RE = re.compile(r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}(?:dose|doses|dosage)\b|"
                             r"\b(?:maximum|max|starting|initial|daily|usual|typical|minimum)\s+"
                             r"(?:[\w-]+\s+)?(?:dose|doses|dosage)\b|\bhow many\b",
                             re.IGNORECASE)
_DRUG_AMOUNT_RE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|\u00b5g|g|ml|units?|iu)\b", re.I)
# What a trial's participants were given is its method, not a dose to prescribe: "Each
# participant was discharged with a one-week supply of naproxen (500 mg)", "patients were
# randomized to 80 mg of methylprednisolone", "those who received 200 mg ...".
_TRIAL_METHOD_RE = re.compile(
    r"\b(?:participants?|patients?|subjects?|volunteers?|groups?|arms?|controls?)\b[^.;]{0,80}?"
    r"\b(?:was|were)\s+(?:\w+\s+){0,2}?(?:given|randomi[sz]ed|assigned|allocated|discharged|"
    r"treated|instructed|encouraged|offered|prescribed|injected)\b|\breceiv(?:ed|ing)\b",
    re.IGNORECASE)
_CHILD_AGE_RE = re.compile(r"\b(\d{1,2})[- ]?(?:year|yr|y)s?[- ]?old\b", re.IGNORECASE)
CHILD_MAX_AGE = 15
DOSES = "drug doses"


@dataclass(frozen=True)
class ScopeGap:
    """A facet the question names that the passages do not discuss (or say they exclude)."""

    facet: str
    excluded_by: str = ""  # the sentence placing the facet outside an article's scope

    @property
    def names_subject(self) -> bool:
        """The missing facet is what the question is about (a body region, a population, an
        excluded topic), not a detail the articles leave out (a dose): no article is then
        about the question's topic."""
        return self.facet != DOSES or bool(self.excluded_by)

    @property
    def reason(self) -> str:
        if self.excluded_by:
            return (f"the retrieved articles mention {self.facet} only to exclude it from their "
                    f"scope: \"{self.excluded_by}\"")
        return f"the retrieved articles do not discuss {self.facet}"


def excluded_topic(question: str, passages: Sequence[Passage]) -> ScopeGap | None:
    """A specialised word of the question that the passages write only in sentences excluding
    it from their scope, or None."""
    if asks_scope(question):
        return None
    terms = [(w, variants) for _s, w, variants in question_terms(question)
             if specificity(w) >= 1.0]
    for w, variants in terms:
        holding: list[str] = []
        for p in passages:
            if not variants & text_stems(p.chunk.text):
                continue
            if not excludes(p.chunk.text):
                break  # a passage writes the word and excludes nothing: it discusses it
            holding.extend(u for u in _sentences([p]) if variants & stems(u))
        else:
            if holding and all(excludes(u) for u in holding):
                return ScopeGap(w, excluded_by=" ".join(holding[0].split()))
    return None


def _stems(values: Sequence[str]) -> set[str]:
    return {stem(v) for v in values}


def scope_gap(question: str, passages: Sequence[Passage]) -> ScopeGap | None:
    """The first facet the question names and no passage discusses, or None."""
    q_stems = stems(question)
    text = " ".join(p.chunk.embed_text for p in passages)
    p_stems = stems(text)
    for facets in (REGIONS, POPULATIONS):
        for name, names in facets.items():
            # Every facet word the question uses must occur: "knee" alone in a passage
            # ("pain below the knee") does not make a question about meniscal tears covered.
            named = q_stems & _stems(names)
            if named - p_stems:
                return ScopeGap(name)
    age = _CHILD_AGE_RE.search(question)
    if age and int(age.group(1)) <= CHILD_MAX_AGE and not p_stems & _stems(POPULATIONS["children"]):
        return ScopeGap("children")
    how_much = _HOW_MUCH_RE.search(question)
    asks_dose = _DOSE_RE.search(question) or _HOW_MANY_UNITS_RE.search(question) or (
        how_much is not None and not _quantity_of(how_much.group(1), passages))
    if asks_dose and not _RADIATION_RE.search(question) and not _dose_given(question, passages):
        return ScopeGap(DOSES)
    return None


def _sentences(passages: Sequence[Passage]) -> Iterator[str]:
    """The units the composer would quote: sentences, list items, table rows."""
    for p in passages:
        yield from (unit.text for unit in split_units(p.chunk.text))


def _quantity_of(noun: str, passages: Sequence[Passage]) -> bool:
    """A sentence names `noun` and states a quantity ("lose five percent of body weight")."""
    target = stem(noun.lower())
    return any(_QUANTITY_RE.search(s) and target in stems(s)
               for s in _sentences(passages))


def _dosed(question: str) -> str | None:
    """The stem of what a dose question asks to dose: its most specialised word (the rarest
    in general English), as a drug name is beside "acute" or "knee"."""
    specific = [(zipf_frequency(w, "en"), s) for s, w, _v in question_terms(question)
                if specificity(w) >= 1.0 and not _DOSE_RE.fullmatch(w) and len(w) > 2]
    return min(specific)[1] if specific else None


def _dose_given(question: str, passages: Sequence[Passage]) -> bool:
    """A sentence outside a trial's methods names what the question is about and either states
    a drug amount ("acetaminophen ... 4 g/day") or, unless the question wants an amount,
    speaks of dosing it ("use the lowest effective doses of NSAIDs" for "how should they dose
    NSAIDs?": qualitative dosing advice answers a question about dosing without a number).
    An amount elsewhere in the passages (another drug's, a trial arm's) gives no dose of the
    thing asked about."""
    dosed = _dosed(question)
    if dosed is None:
        return False
    amount_only = _ASKS_AMOUNT_RE.search(question) is not None
    for sentence in _sentences(passages):
        if _TRIAL_METHOD_RE.search(sentence) or dosed not in stems(sentence):
            continue
        if _DRUG_AMOUNT_RE.search(sentence) or (not amount_only and _DOSE_RE.search(sentence)
                                                and not _RADIATION_RE.search(sentence)):
            return True
    return False
