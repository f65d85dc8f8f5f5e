"""Eval set files: one JSON case a line, parsed into frozen `EvalCase` records."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KNOWN_FIELDS = ("id", "question", "expected_sources", "expected_facts", "answerable")
REPO_ROOT = Path(__file__).resolve().parents[1]
SETS_DIR = REPO_ROOT / "eval" / "sets"
_CORPUS_RE = re.compile(r"^(?:#|//)\s*corpus:\s*(\S.*?)\s*$", re.IGNORECASE)
_HELD_OUT_RE = re.compile(r"^(?:#|//)\s*held-out:", re.IGNORECASE)
_FILES_RE = re.compile(r"^(?:#|//)\s*files:\s*(\S.*?)\s*$", re.IGNORECASE)


class EvalSetError(ValueError):
    """An eval set file cannot be read or one of its lines is not a valid case."""


@dataclass(frozen=True)
class EvalCase:
    """One question with what a good answer must contain and cite.

    `expected_facts` holds one tuple per fact, each a set of alternative phrasings; a fact is
    covered when any phrasing occurs in the answer. `extra` keeps unknown fields untouched.
    """

    id: str
    question: str
    expected_sources: tuple[str, ...] = ()
    expected_facts: tuple[tuple[str, ...], ...] = ()
    answerable: bool = True
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "question": self.question,
                "expected_sources": list(self.expected_sources),
                "expected_facts": [list(f) for f in self.expected_facts],
                "answerable": self.answerable} | self.extra


def _string_list(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of non-empty strings")
    return tuple(value)


def parse_case(data: object) -> EvalCase:
    """One case from its decoded JSON object; ValueError names the offending field."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    case_id, question = data.get("id"), data.get("question")
    if not isinstance(case_id, str) or not case_id.strip():
        raise ValueError("'id' must be a non-empty string")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("'question' must be a non-empty string")
    answerable = data.get("answerable", True)
    if not isinstance(answerable, bool):
        raise ValueError("'answerable' must be true or false")
    sources = _string_list(data.get("expected_sources", []), "'expected_sources'")
    raw_facts = data.get("expected_facts", [])
    if not isinstance(raw_facts, list):
        raise ValueError("'expected_facts' must be a list of lists of phrasings")
    facts: list[tuple[str, ...]] = []
    for i, fact in enumerate(raw_facts):
        # a bare string is one fact with one phrasing: forgiving, and unambiguous
        phrasings = [fact] if isinstance(fact, str) else fact
        facts.append(_string_list(phrasings, f"'expected_facts'[{i}]"))
        if not facts[-1]:
            raise ValueError(f"'expected_facts'[{i}] has no phrasing")
    extra = {k: v for k, v in data.items() if k not in KNOWN_FIELDS}
    return EvalCase(id=case_id, question=question, expected_sources=sources,
                    expected_facts=tuple(facts), answerable=answerable, extra=extra)


def load_cases(path: Path | str) -> list[EvalCase]:
    """All cases of a JSONL eval set; blank lines and `//` or `#` comment lines are skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"{path}: cannot read eval set ({exc})") from exc
    cases: list[EvalCase] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith(("#", "//")):
            continue
        try:
            case = parse_case(json.loads(text))
        except json.JSONDecodeError as exc:
            raise EvalSetError(f"{path}:{lineno}: not valid JSON ({exc.msg} at column "
                               f"{exc.colno})") from exc
        except ValueError as exc:
            raise EvalSetError(f"{path}:{lineno}: {exc}") from exc
        if case.id in seen:
            raise EvalSetError(f"{path}:{lineno}: duplicate id {case.id!r} (first on line "
                               f"{seen[case.id]})")
        seen[case.id] = lineno
        cases.append(case)
    return cases


def _set_lines(path: Path | str) -> list[str]:
    """The lines of an eval set file, for its comment headers."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"{path}: cannot read eval set ({exc})") from exc


def set_corpus(path: Path | str) -> Path | None:
    """The corpus a set was written for, from a `# corpus: DIR` comment line in the set.

    A relative DIR is read from the repository root (`../shared/...` lives beside the repo,
    never inside it); None when the set does not name one. Whether it exists is the caller's
    question: tests skip, the CLI fails with the path in the message.
    """
    for line in _set_lines(path):
        m = _CORPUS_RE.match(line.strip())
        if m:
            corpus = Path(m.group(1)).expanduser()
            return corpus if corpus.is_absolute() else (REPO_ROOT / corpus).resolve()
    return None


@dataclass(frozen=True)
class EvalCorpus:
    """The documents a set was written for: a folder, or a fixed slice of one (a list of its
    files, so a library too large to ingest whole in CI is asked over the same pages every
    run)."""

    folder: Path
    files: tuple[Path, ...] | None = None  # None: every article of the folder
    slice_name: str = ""  # the slice file's stem ("ngc-dev"), "" for the whole folder

    @property
    def name(self) -> str:
        return self.slice_name or self.folder.name or "corpus"

    def exists(self) -> bool:
        return self.folder.is_dir()


def _slice_files(folder: Path, slice_path: Path, eval_set: Path | str) -> tuple[Path, ...]:
    """The files a slice file lists (one name a line, relative to `folder`; # comments)."""
    try:
        lines = slice_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"{eval_set}: cannot read its slice {slice_path} ({exc})") from exc
    names = [line.split("#", 1)[0].strip() for line in lines]
    names = [n for n in names if n]
    if not names:
        raise EvalSetError(f"{eval_set}: its slice {slice_path} lists no file")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise EvalSetError(f"{slice_path}: listed twice: {', '.join(dupes[:5])}")
    return tuple(folder / n for n in names)


def set_source(path: Path | str) -> EvalCorpus | None:
    """The set's corpus (`# corpus: DIR`), sliced by `# files: LIST` when it names a slice
    file (read from the repository root). Whether the folder exists is the caller's question;
    a listed file missing from an existing folder is an EvalSetError."""
    folder = set_corpus(path)
    if folder is None:
        return None
    for line in _set_lines(path):
        m = _FILES_RE.match(line.strip())
        if m:
            slice_path = Path(m.group(1))
            slice_path = slice_path if slice_path.is_absolute() else REPO_ROOT / slice_path
            files = _slice_files(folder, slice_path, path)
            if folder.is_dir():
                missing = [f.name for f in files if not f.is_file()]
                if missing:
                    raise EvalSetError(f"{slice_path}: not in {folder}: "
                                       f"{', '.join(missing[:5])}")
            return EvalCorpus(folder, files, slice_path.stem)
    return EvalCorpus(folder)


def is_held_out(path: Path | str) -> bool:
    """A set marked `# held-out:` checks fitted thresholds and is never fitted on."""
    return any(_HELD_OUT_RE.match(line.strip()) for line in _set_lines(path))


def known_sets() -> list[Path]:
    """The eval sets shipped in eval/sets, by name."""
    return sorted(SETS_DIR.glob("*.jsonl"))
