"""What a candidate sentence is by its form: a statement that can answer a question, or text
that only resembles one (a question, a case vignette, a heading, a navigation line, a
bibliography entry, a row of a tick matrix).

Published guidelines are full of such text: FAQ and "Key Question" headings, an opening case
("A 45-year-old man presents with…"), running heads, "See Appendix B", author lists and
reference entries. They share the question's words, so they score well against it, but none of
them states a finding or a recommendation. The rules below read the sentence's form only
(punctuation, capitalisation, the shape of an age phrase or a citation, the cells of a tick
matrix), never its topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

QUESTION, VIGNETTE, HEADING, NAVIGATION, REFERENCE, TABLE = (
    "question", "vignette", "heading", "navigation", "reference", "table")

# closing quotes/brackets may follow the end mark: 'Is it safe?"' or '(… surgery?)'
_ENDS_WITH_QUESTION = re.compile(r"\?[\s\"'”’)\]]*$")
# a case opens with a person of a stated age within its first words: "A 45-year-old man…",
# "Mrs. K, a 62 year old teacher, …", "Case 2: a 7-month-old infant…"
_VIGNETTE = re.compile(r"^\W*(?:\S+\s+){0,6}?an?\s+\d{1,3}[\s-](?:year|yr|month|week)s?"
                       r"[\s-]old\b", re.IGNORECASE)
# "Chou R, Huffman LH." / "Kendall NAS, Linton SJ, Main CJ." / "Bunzi S et al." at the start
_AUTHOR = r"[A-Z][A-Za-z'’\-]+\s[A-Z]{1,3}"
_REFERENCE = re.compile(rf"^(?:\[?\d{{1,4}}[.\]]\s*)?(?:{_AUTHOR}(?:,\s*{_AUTHOR})+,?\s*(?:et al)?"
                        rf"\.|[A-Z][A-Za-z'’\-]+\s(?:{_AUTHOR}\s)?et al\.)")
_IDENTIFIER = re.compile(r"\b(?:doi:\s*10\.|PMID:?\s*\d|ISBN\b)", re.IGNORECASE)
# The bibliographic date order of reference lists and guideline catalogues ("2013 May 18",
# "2014 Jan 01"); prose writes "May 18, 2013" or "18 May 2013".
_CITATION_DATE = re.compile(r"\b(?:19|20)\d\d\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|"
                            r"Dec)[a-z]*\.?\s+\d{1,2}\b")
# pointers to other parts of the document: "See Appendix A", "(Continued on next page)",
# "Box 1 describes the red flags…", "Table 2 summarizes…"
_CROSS_REFERENCE = re.compile(r"^\(?\s*(?:see|continued)\b", re.IGNORECASE)
_POINTER = re.compile(r"^(?:(?:appendix|supplementary|online)\s+)?"
                      r"(?:table|figure|fig\.|box|appendix|panel)\s+[\w.]+\s*(?:\([^)]*\)\s*)?(?:\w+\s+)?"
                      r"(?:describes?|shows?|summari[sz]es?|lists?|presents?|provides?|gives?"
                      r"|illustrates?|displays?|details?)\b", re.IGNORECASE)
# ... or says only where something is: "A direct comparison of the guidelines is provided
# below", "The evidence is summarized in Appendix Table 3."
_PLACED = re.compile(r"\b(?:is|are)\s+(?:provided|presented|shown|listed|summari[sz]ed|given|"
                     r"available)\s*(?:(?:below|above|here|online|in (?:the )?(?:following|"
                     r"appendix|table|figure|box|supplement)\b.*))?\W*$", re.IGNORECASE)
# A comparison matrix read row by row: cells of crosses, ticks and dashes ("X X - 2 out of 6").
# Dashes alone are prose punctuation ("pain – acute or chronic – ..."); a cross or tick in two
# cells is not.
_MARK_CELL = re.compile(r"^[Xx\u2713\u2714\u2717\u2718\u2022\-\u2013\u2014+*]+$")
_CROSS_CELL = re.compile(r"[Xx\u2713\u2714\u2717\u2718]")
MIN_MARK_CELLS, MIN_CROSS_CELLS = 3, 2
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# Closed-class words that carry no capital in a heading ("Treatment of Pain in the Back").
_MINOR = frozenset("a an and as at by for from in into of on or the to vs with".split())


@lru_cache(maxsize=65_536)  # pure; the same passages' sentences come back question after question
def sentence_form(text: str) -> str | None:
    """The kind of non-statement `text` is, or None when it reads as a statement."""
    body = text.strip()
    if not body:
        return HEADING
    if _ENDS_WITH_QUESTION.search(body):
        return QUESTION
    if _VIGNETTE.match(body):
        return VIGNETTE
    if _REFERENCE.match(body) or _IDENTIFIER.search(body) or _CITATION_DATE.search(body):
        return REFERENCE
    if _tick_matrix(body):
        return TABLE
    if (body.startswith("(") and body.rstrip(".").endswith(")")) or (
            _CROSS_REFERENCE.match(body) or _POINTER.match(body) or _PLACED.search(body)):
        return NAVIGATION
    if _title_case(body):
        return HEADING
    return None


def _tick_matrix(text: str) -> bool:
    cells = [token for token in text.split() if _MARK_CELL.match(token)]
    crosses = sum(1 for cell in cells if _CROSS_CELL.search(cell))
    return len(cells) >= MIN_MARK_CELLS and crosses >= MIN_CROSS_CELLS


def _title_case(text: str) -> bool:
    """Most words capitalised, as in a heading, running head or list of names. Acronyms
    (CT, NSAIDs, FDG-PET) say nothing either way and are left out of the count."""
    words = [w for w in _WORD.findall(text)
             if w.lower() not in _MINOR and sum(ch.isupper() for ch in w) < 2]
    if len(words) < 4:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.7 * len(words)


# What a statement does, read from its verbs (never its topic). A directive tells the reader
# what to do or not do ("Clinicians should…", "is not recommended", "Consider…", "Avoid…");
# a study's narration tells what its authors did ("Pauza et al 1 conducted a trial…", "The
# authors compared…", "Participants were randomized to…"); a research agenda asks for more
# studies ("The work group recommends studies to evaluate…", "Further research is needed").
# Guidelines write all three about one topic; only the first answers "what should I do".
DIRECTIVE, NARRATION, AGENDA = 1, -1, -1
# "a trial of NSAIDs" and "evaluation of red flags" are care; "trials" and "studies" are research
_RESEARCH = r"(?:stud(?:y|ies)|research|trials)"
_AGENDA = re.compile(
    rf"\brecommends?\s+(?:that\s+)?(?:an?\s+)?(?:further\s+|more\s+|future\s+|additional\s+|new\s+)?"
    rf"(?:[\w\-]+\s+){{0,2}}{_RESEARCH}\b|\b(?:further|more|future|additional)\s+(?:[\w\-]+\s+)?{_RESEARCH}\s+"
    r"(?:is|are|will be|would be)\s+(?:needed|required|warranted|necessary)"
    rf"|\b(?:requires?|needs?|warrants?|merits?)\s+(?:further|more|future|additional)\s+"
    rf"(?:[\w\-]+\s+)?{_RESEARCH}\b", re.IGNORECASE)
# A question about the research itself ("what further studies are needed?") may be answered
# by an agenda.
_ASKS_RESEARCH = re.compile(rf"\b{_RESEARCH}\b", re.IGNORECASE)
_NARRATION = re.compile(
    r"^(?:in\s+an?\s+[^,.;]{0,60},\s*)?(?:[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?\s+et\s+al\.?,?\s*(?:\(?\d{4}\)?)?"
    r"\s*\d{0,3}\s+|(?:the|these|this|both)\s+(?:\w+\s+)?(?:authors?|investigators?|"
    r"researchers?)\s+)(?:\w+\s+)?(?:conducted|investigated|performed|compared|evaluated|"
    r"assessed|examined|studied|randomi[sz]ed|enrolled|recruited|designed|carried|analy[sz]ed|"
    r"sought|aimed|followed|measured|retrospectively|prospectively|reported|found|showed|noted|"
    r"described|observed|concluded)\b"
    r"|\b(?:participants?|patients?|subjects?|volunteers?)\b[^.;]{0,60}?\b(?:was|were)\s+"
    r"(?:\w+\s+)?(?:randomi[sz]ed|assigned|allocated|recruited|enrolled|discharged|instructed)\b",
    re.IGNORECASE)
# One study's result told as that study's ("This study provides Level I evidence that…", "The
# authors concluded…", "One study showed…", "A 2012 study found…"): the evidence a guideline
# weighs, not the guideline's conclusion, which answers before any single study.
_STUDY_REPORT = re.compile(
    r"^(?:this|the|that|one|another|a|an)\s+(?:[\w\-]+\s+){0,2}?(?:study|paper|trial|review|"
    r"analysis|meta-analysis|rct)\s+(?:\w+\s+)?(?:provides?|offers?|found|finds|showed|shows|"
    r"demonstrated|reported|concluded|suggests?|suggested)\b"
    r"|^the\s+authors?\s+(?:\w+\s+)?(?:concluded|reported|found|noted|suggested)\b",
    re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"\b(?:should|must|recommends?|recommended|suggests?|suggested|advises?|advised|"
    r"(?:is|are)\s+(?:not\s+)?(?:indicated|appropriate|warranted|preferred)|consider|offer|"
    r"avoid|do\s+not|don['’]t)\b", re.IGNORECASE)


# How a study was run, told of its participants: "Participants were randomized to receive an
# exercise program (n=61) or ...", "Patients with chronic LBP (n=52) underwent MRI ...". Such a
# sentence states what was done to a sample, not what was found nor what to do; it is a
# statement of method only when it carries no finding or advice (_FINDING).
_METHOD = re.compile(
    r"\b(?:participants?|patients?|subjects?|volunteers?|individuals?|groups?|arms?|controls?)\b"
    r"[^.;]{0,80}?\b(?:was|were)\s+(?:\w+\s+){0,2}?(?:given|randomi[sz]ed|assigned|allocated|"
    r"discharged|treated|instructed|encouraged|offered|prescribed|injected|recruited|enrolled|"
    r"asked|taught|interviewed|diagnosed|classified|categori[sz]ed|divided|included|excluded|"
    r"evaluated|assessed|measured|surveyed|followed)\b|\bunderw(?:ent|ere)\b|\(\s*n\s*=\s*\d",
    re.IGNORECASE)
_FINDING = re.compile(
    r"\b(?:f(?:ou|i)nds?|found|show(?:s|ed|n)?|demonstrat\w*|reveal\w*|improv\w*|reduc\w*|"
    r"increas\w*|decreas\w*|significant\w*|effective\w*|efficacy|benefit\w*|superior|inferior|"
    r"better|worse|differences?|similar|conclu\w*|evidence|associated|resulted|results?|"
    r"recommend\w*|should)\b", re.IGNORECASE)


def trial_methods(text: str, question: str = "") -> bool:
    """True for a study's methods told of its participants with no finding in the sentence,
    unless the question asks about research."""
    return bool(_METHOD.search(text)) and not _FINDING.search(text) \
        and not _ASKS_RESEARCH.search(question)


# A guideline's scope statement (what it sets aside): "patients with ... fibromyalgia ... are
# not included", "this guideline does not address ...", "excluded were ...". A word of the
# question that the passages write only in such sentences is a topic they set aside
# (qa.scope), and such a sentence answers no question but one about the scope. Clinical
# exclusion ("once fracture has been excluded") is not scope.
_EXCLUSION_RE = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:not\s+(?:included|covered|addressed)|excluded\s+from)\b|"
    r"excluded\s+(?:were|are)\b|(?:does|do)\s+not\s+(?:address|cover|apply\s+to)\b|"
    r"outside\s+(?:the\s+|its\s+)?scope\b|(?:guidelines?|review|statement|document)\s+"
    r"excludes?\b)", re.IGNORECASE)
# ... unless the question asks about the scope itself ("does ACP 2017 cover pregnant women?").
_ASKS_SCOPE_RE = re.compile(r"\b(?:cover(?:s|ed)?|includ(?:e|es|ed)|appl(?:y|ies)|scope|"
                            r"populations?|exclud(?:e|es|ed)|eligible)\b", re.IGNORECASE)


def asks_scope(question: str) -> bool:
    return _ASKS_SCOPE_RE.search(question) is not None


def excludes(text: str) -> bool:
    """The sentence excludes something from a guideline's scope."""
    return _EXCLUSION_RE.search(text) is not None


def scope_exclusion(text: str, question: str = "") -> bool:
    """True for a scope statement, unless the question asks about the scope."""
    return excludes(text) and not asks_scope(question)


def research_agenda(text: str, question: str = "") -> bool:
    """True for a call for more research, unless the question asks about research."""
    return bool(_AGENDA.search(text)) and not _ASKS_RESEARCH.search(question)


def answer_form(text: str) -> int:
    """+1 for a directive, -1 for a study's narration or a research agenda, 0 otherwise."""
    if _AGENDA.search(text) or _NARRATION.search(text) or _STUDY_REPORT.search(text):
        return NARRATION
    return DIRECTIVE if _DIRECTIVE.search(text) else 0
