"""The eval sets over the NGC library (`# corpus: ../shared/ngc-library`) are checked the way the
library's own check_questions.py checks questions.jsonl, and the shorthand set's facts against the
text of its real guidelines. Standard library only for the NGC checks; skipped when ../shared is absent.

NGC checks, for every set whose corpus is the library: its `# files:` slice exists and lists library
pages; ids are unique (eval.cases refuses duplicates); an answerable case has 1-3 facts whose every
phrasing is 1-5 words and occurs in the Major Recommendations field of one of its sources, whether tags
are stripped to a space or to nothing (entities decoded, whitespace collapsed, case ignored); every
source of a comparison supplies a fact; sources exist and are in the slice; near misses have no facts
and no sources, and none of their probe term sets occurs together in any of the 954 pages; no question
shares a run of 6 or more words with any page.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from eval.cases import REPO_ROOT, SETS_DIR, EvalCase, is_held_out, load_cases, set_corpus
from tests.eval.ngc_probes import HELDOUT_PROBES

LIBRARY = (REPO_ROOT / ".." / "shared" / "ngc-library").resolve()
REAL = (REPO_ROOT / ".." / "shared" / "real-guidelines").resolve()
HELDOUT = SETS_DIR / "ngc-heldout.jsonl"
DEV = SETS_DIR / "ngc-dev.jsonl"
SHORTHAND = SETS_DIR / "real-guidelines-shorthand.jsonl"
MAX_FACTS, MAX_FACT_WORDS, SHARED_RUN = 3, 5, 6  # the library README's limits

TAG = re.compile(r"<[^>]+>")
RECS = re.compile(r"<h2>Major Recommendations</h2>(.*?)(?=<h2>|\Z)", re.S)
SPACE = re.compile(r"\s+")
WORD = re.compile(r"[a-z0-9]+")
FILES_LINE = re.compile(r"^(?:#|//)\s*files:\s*(\S.*?)\s*$", re.IGNORECASE)

needs_library = pytest.mark.skipif(not LIBRARY.is_dir(), reason=f"{LIBRARY} is absent")


def _flat(raw: str, tag_gap: str) -> str:
    """Tags replaced by tag_gap, entities decoded, whitespace collapsed, lower case."""
    return SPACE.sub(" ", html.unescape(TAG.sub(tag_gap, raw))).strip().lower()


@dataclass(frozen=True)
class Page:
    text: str  # whole page, tags to a space
    recs_spaced: str  # Major Recommendations, tags to a space
    recs_joined: str  # Major Recommendations, tags to nothing


@lru_cache(maxsize=1)
def library() -> dict[str, Page]:
    """Every page of the library by name (file name without .html), read once per session."""
    pages = {}
    for path in sorted(LIBRARY.glob("ngc-*.html")):
        raw = path.read_text(encoding="utf-8")
        match = RECS.search(raw)
        recs = match.group(1) if match else ""
        pages[path.stem] = Page(_flat(raw, " "), _flat(recs, " "), _flat(recs, ""))
    return pages


def ngc_sets() -> list[Path]:
    """Shipped sets whose `# corpus:` is the NGC library (found without reading the library)."""
    return [p for p in sorted(SETS_DIR.glob("*.jsonl"))
            if (c := set_corpus(p)) is not None and c.resolve() == LIBRARY]


def slice_of(set_path: Path) -> tuple[Path, list[str]]:
    """The slice file a set names on its `# files:` line and the page names it lists."""
    lines = set_path.read_text(encoding="utf-8").splitlines()
    named = [m.group(1) for line in lines if (m := FILES_LINE.match(line.strip()))]
    assert len(named) == 1, f"{set_path.name}: want one '# files:' line, found {named}"
    path = REPO_ROOT / named[0]
    assert path.is_file(), f"{set_path.name}: slice {named[0]} does not exist"
    entries = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.strip().startswith("#")]
    return path, entries


def probes_for(set_path: Path, case: EvalCase) -> list[list[str]] | None:
    """Probe term sets for a near miss: ngc_probes.py for the held-out set, the library's own
    check_questions.py (matched by a marker string in the question) for its questions."""
    if set_path == HELDOUT:
        return HELDOUT_PROBES.get(case.id)
    for marker, sets in _library_probes():
        if marker.lower() in case.question.lower():
            return sets
    return None


@lru_cache(maxsize=1)
def _library_probes() -> list[tuple[str, list[list[str]]]]:
    spec = importlib.util.spec_from_file_location("ngc_check_questions",
                                                  LIBRARY / "check_questions.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # definitions only: main() runs under __name__ == "__main__"
    return list(module.PROBES_BY_QUESTION)


def shared_runs(questions: dict[str, str], pages: dict[str, Page]) -> Iterator[str]:
    """'<id>: ... with <page>' for every run of SHARED_RUN words a question shares with a page."""
    runs: dict[tuple[str, ...], list[str]] = {}
    for qid, question in questions.items():
        words = WORD.findall(question.lower())
        for i in range(len(words) - SHARED_RUN + 1):
            runs.setdefault(tuple(words[i:i + SHARED_RUN]), []).append(qid)
    starts = {run[0] for run in runs}
    for name, page in pages.items():
        words = WORD.findall(page.text)
        for i, word in enumerate(words):
            if word in starts and (run := tuple(words[i:i + SHARED_RUN])) in runs:
                for qid in runs[run]:
                    yield f"{qid}: question shares '{' '.join(run)}' with {name}"


def test_the_ngc_sets_are_shipped() -> None:
    """Both sets name the library as their corpus (found without ../shared present)."""
    assert {HELDOUT, DEV} <= set(ngc_sets())
    assert is_held_out(HELDOUT), "ngc-heldout.jsonl must carry a '# held-out:' line"
    assert not is_held_out(DEV), "the development set is for fitting: no '# held-out:' line"


@needs_library
@pytest.mark.parametrize("set_path", ngc_sets(), ids=lambda p: p.stem)
def test_ngc_set_cases_match_their_pages(set_path: Path) -> None:
    pages = library()
    cases = load_cases(set_path)  # also refuses duplicate ids
    slice_path, slice_entries = slice_of(set_path)
    in_slice = {entry.removesuffix(".html") for entry in slice_entries}
    problems = [f"{slice_path.name}: {e} is not a library page" for e in slice_entries
                if e.removesuffix(".html") not in pages]
    problems += [f"{slice_path.name}: {e} listed twice" for e in set(slice_entries)
                 if slice_entries.count(e) > 1]
    for case in cases:
        facts, sources = case.expected_facts, case.expected_sources
        if not case.answerable:
            if facts or sources:
                problems.append(f"{case.id}: a near miss has no facts and no sources")
            continue
        if not 1 <= len(facts) <= MAX_FACTS:
            problems.append(f"{case.id}: {len(facts)} facts (want 1-{MAX_FACTS})")
        unknown = [s for s in sources if s not in pages]
        outside = [s for s in sources if s in pages and s not in in_slice]
        if not sources or unknown or outside:
            problems.append(f"{case.id}: sources missing, unknown {unknown} or outside the "
                            f"slice {outside}")
            continue
        supplied: set[str] = set()
        for phrasings in facts:
            for phrasing in phrasings:
                if not 1 <= len(phrasing.split()) <= MAX_FACT_WORDS:
                    problems.append(f"{case.id}: {phrasing!r} is not 1-{MAX_FACT_WORDS} words")
                needle = SPACE.sub(" ", phrasing).strip().lower()
                hits = {s for s in sources
                        if needle in pages[s].recs_spaced and needle in pages[s].recs_joined}
                if not hits:
                    problems.append(f"{case.id}: {phrasing!r} is not in the Major Recommendations "
                                    f"of {list(sources)} (tags stripped to a space and to nothing)")
                supplied |= hits
        if len(sources) > 1:
            problems += [f"{case.id}: source {s} supplies none of the facts"
                         for s in sources if s not in supplied]
    assert not problems, "\n".join(problems)


@needs_library
@pytest.mark.parametrize("set_path", ngc_sets(), ids=lambda p: p.stem)
def test_ngc_near_misses_are_answered_by_no_page(set_path: Path) -> None:
    """No page holds every term of a near miss's probe set (a hit means: read that page)."""
    pages = library()
    problems = []
    for case in load_cases(set_path):
        if case.answerable:
            continue
        probes = probes_for(set_path, case)
        if probes is None:
            problems.append(f"{case.id}: near miss without probe term sets")
            continue
        for terms in probes:
            hits = [name for name, page in pages.items() if all(t in page.text for t in terms)]
            if hits:
                problems.append(f"{case.id}: probe {terms} occurs in {hits}; read them")
    assert not problems, "\n".join(problems)


@needs_library
def test_no_ngc_question_copies_six_words_of_a_page() -> None:
    questions = {f"{p.stem}:{c.id}": c.question for p in ngc_sets() for c in load_cases(p)}
    problems = sorted(set(shared_runs(questions, library())))
    assert not problems, "\n".join(problems)


@needs_library
def test_dev_set_is_the_library_question_set_unchanged() -> None:
    original = [json.loads(line) for line in
                (LIBRARY / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    shipped = [case.as_dict() for case in load_cases(DEV)]
    assert shipped == original


@needs_library
def test_heldout_set_is_about_pages_the_dev_set_never_cites() -> None:
    """Held out means held out: no answer page of the held-out set is cited by the dev set or
    indexed in the dev slice."""
    dev_cited = {s for c in load_cases(DEV) for s in c.expected_sources}
    held_cited = {s for c in load_cases(HELDOUT) for s in c.expected_sources}
    _, dev_slice = slice_of(DEV)
    assert not held_cited & dev_cited, sorted(held_cited & dev_cited)
    assert not held_cited & {e.removesuffix(".html") for e in dev_slice}


# --- the shorthand set over the real guidelines -------------------------------------------------

def _norm(text: str) -> str:
    """NFKC (PDF ligatures such as 'ﬁ' to 'fi'), whitespace collapsed, lower case."""
    return SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def _dehyphenate(text: str) -> str:
    """Words a PDF line break split with a hyphen, joined ('treat-\\nment' -> 'treatment')."""
    return re.sub(r"-[ \t]*\n\s*", "", text)


def _find_phrasings(path: Path, wanted: set[str]) -> set[str]:
    """The phrasings (normalised) found in a document as pypdf or BeautifulSoup reads it. A PDF is
    read page by page (each page with the previous one, for phrases across a page break) and
    reading stops once every phrasing is found, so the 217-page NASS PDF is read only as far as
    its summary of recommendations."""
    found: set[str] = set()
    if path.suffix == ".html":
        bs4 = pytest.importorskip("bs4")
        raw = bs4.BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"),
                                "html.parser").get_text("\n")
        texts = (_norm(raw), _norm(_dehyphenate(raw)))
        return {w for w in wanted if any(w in t for t in texts)}
    pypdf = pytest.importorskip("pypdf")
    previous = ""
    for page in pypdf.PdfReader(str(path)).pages:
        current = page.extract_text() or ""
        window = previous + "\n" + current
        for text in (_norm(window), _norm(_dehyphenate(window))):
            found |= {w for w in wanted if w in text}
        if found == wanted:
            break
        previous = current
    return found


def test_shorthand_set_facts_occur_in_their_documents() -> None:
    corpus = set_corpus(SHORTHAND)
    if corpus is None or not corpus.is_dir():
        pytest.skip(f"corpus of {SHORTHAND.name} not found at {corpus}")
    assert corpus.resolve() == REAL, f"{SHORTHAND.name} should name ../shared/real-guidelines"
    files = {p.stem: p for p in corpus.iterdir() if p.suffix in (".pdf", ".html")}
    cases = load_cases(SHORTHAND)
    problems: list[str] = []
    wanted: dict[str, set[str]] = {}
    for case in cases:
        if not case.answerable:
            if case.expected_facts or case.expected_sources:
                problems.append(f"{case.id}: a near miss has no facts and no sources")
            continue
        unknown = [s for s in case.expected_sources if s not in files]
        if not case.expected_sources or unknown or not case.expected_facts:
            problems.append(f"{case.id}: sources missing or unknown {unknown}, or no facts")
            continue
        for phrasings in case.expected_facts:
            for phrasing in phrasings:
                for source in case.expected_sources:
                    wanted.setdefault(source, set()).add(_norm(phrasing))
    found = {source: _find_phrasings(files[source], needles) for source, needles in wanted.items()}
    for case in cases:
        for phrasings in case.expected_facts if case.answerable else ():
            for phrasing in phrasings:
                if not any(_norm(phrasing) in found.get(s, set()) for s in case.expected_sources):
                    problems.append(f"{case.id}: {phrasing!r} is not in the text of "
                                    f"{list(case.expected_sources)}")
    assert not problems, "\n".join(problems)

