"""The tables of names that come from reading every article's whole text, kept with the index
version: the proper nouns that name one article alone (named_source.distinctive_names) and
every acronym the articles write (named_source.acronyms).

Both scan the whole library's text with regular expressions: ~1 s of every engine load at 500
documents, most of a cold `citewise ask`. Version folders are immutable, so the tables are
written once into `<version>/names.json` (by `citewise ingest`, else by the first engine that
loads the version, best effort like qa.lexical's BM25) and read back after. The file names the
code that made it (a hash of qa/named_source.py, qa/text.py and the wordfreq version): tables
made by other code are rebuilt, never reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from index.store import IndexData
from qa import named_source, text

NAMES_FILE = "names.json"


@lru_cache(maxsize=1)
def code_tag() -> str:
    """Names the code the tables come from: any edit of it, or a new wordfreq, rebuilds them."""
    digest = hashlib.sha256()
    for module in (named_source, text):
        digest.update(Path(module.__file__ or "").read_bytes())
    try:
        digest.update(version("wordfreq").encode())
    except PackageNotFoundError:
        pass
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class NameTables:
    distinctive: dict[str, set[str]]  # article id -> proper nouns naming it alone
    acronyms: frozenset[str]


def build_tables(data: IndexData) -> NameTables:
    articles = data.articles
    distinctive = named_source.distinctive_names(articles) if len(articles) > 1 else {}
    return NameTables(distinctive, named_source.acronyms(articles))


def _load(folder: Path) -> NameTables | None:
    try:
        saved = json.loads((folder / NAMES_FILE).read_text(encoding="utf-8"))
        if saved.get("code") != code_tag():
            return None
        return NameTables({a: set(ws) for a, ws in saved["distinctive"].items()},
                          frozenset(saved["acronyms"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _save(tables: NameTables, folder: Path) -> None:
    tmp = folder / f".{NAMES_FILE}.{uuid.uuid4().hex[:8]}"
    try:
        tmp.write_text(json.dumps({
            "code": code_tag(),
            "distinctive": {a: sorted(ws) for a, ws in tables.distinctive.items()},
            "acronyms": sorted(tables.acronyms)}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / NAMES_FILE)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only index: this process keeps its own tables


def name_tables(data: IndexData) -> NameTables:
    """The version's saved tables, else built now and saved for the next load."""
    if data.path is not None:
        saved = _load(data.path)
        if saved is not None:
            return saved
    tables = build_tables(data)
    if data.path is not None and data.path.is_dir():
        _save(tables, data.path)
    return tables
