"""The BM25 index and term statistics of one index version, saved beside it once.

Stemming every chunk and building BM25 took ~1 s of each load on the real guidelines; the
result is written into the version folder (`bm25/`) the first time it is needed — by
`citewise ingest` right after the switch, else by the first engine that loads the version —
and read back from then on. Version folders are otherwise immutable, so a saved BM25 always
belongs to the chunks beside it; `TOKENIZER` names the tokenisation, and a folder made by
another one is rebuilt.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import bm25s

from index.store import IndexData
from ingest.records import Chunk
from qa.text import QUESTION_WORDS, stem, words

STATS_FILE = "term_stats.json"
TOKENIZER = "snowball-en-question-words-passages-accents-v3"  # change when bm25_tokens changes
# One folder per tokenisation: a version saved by another tokeniser keeps its folder, and
# this one saves beside it instead of failing to replace it.
LEXICAL_DIR = f"bm25-{TOKENIZER.rsplit('-', 1)[-1]}"


def bm25_tokens(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in QUESTION_WORDS] or [""]


@dataclass
class LexicalIndex:
    """BM25 over the passage chunks (row i = passage i) and each stem's document frequency."""

    bm25: bm25s.BM25
    df: dict[str, int]
    n_docs: int

    def idf_table(self) -> tuple[dict[str, float], float]:
        """log(1 + N / (df + 0.5)) per stem, and the value for a stem no chunk holds."""
        n = max(self.n_docs, 1)
        return ({t: math.log(1 + n / (c + 0.5)) for t, c in self.df.items()},
                math.log(1 + n / 0.5))


def build_lexical(chunks: list[Chunk]) -> LexicalIndex:
    corpus_tokens = [bm25_tokens(c.embed_text) for c in chunks]
    bm25 = bm25s.BM25()
    if corpus_tokens:
        bm25.index(corpus_tokens, show_progress=False)
    df: Counter[str] = Counter()
    for tokens in corpus_tokens:
        df.update(set(tokens))
    return LexicalIndex(bm25, dict(df), len(corpus_tokens))


def save_lexical(lexical: LexicalIndex, version_dir: Path) -> None:
    """Write `bm25/` into a version folder atomically (a temporary folder, then rename)."""
    tmp = version_dir / f".{LEXICAL_DIR}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        if lexical.n_docs:
            lexical.bm25.save(str(tmp))
        (tmp / STATS_FILE).write_text(json.dumps(
            {"tokenizer": TOKENIZER, "n_docs": lexical.n_docs, "df": lexical.df},
            ensure_ascii=False), encoding="utf-8")
        os.rename(tmp, version_dir / LEXICAL_DIR)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process saved it first, or read-only
        raise


def load_lexical(version_dir: Path, n_chunks: int) -> LexicalIndex | None:
    """The saved BM25 of this version, or None when absent or made for other chunks."""
    folder = version_dir / LEXICAL_DIR
    try:
        stats = json.loads((folder / STATS_FILE).read_text(encoding="utf-8"))
        if stats.get("tokenizer") != TOKENIZER or stats.get("n_docs") != n_chunks:
            return None
        bm25 = bm25s.BM25.load(str(folder)) if n_chunks else bm25s.BM25()
    except (OSError, ValueError, KeyError):
        return None
    return LexicalIndex(bm25, stats["df"], stats["n_docs"])


def lexical_index(data: IndexData) -> LexicalIndex:
    """The version's saved BM25, else built now and saved for the next load (best effort)."""
    # Passages only: reference items are searched on their own (qa.reference_search), so BM25
    # row i is the i-th passage and term statistics are those of the passages.
    passages = [c for c in data.chunks if not c.is_reference]
    if data.path is not None:
        saved = load_lexical(data.path, len(passages))
        if saved is not None:
            return saved
    lexical = build_lexical(passages)
    if data.path is not None and data.path.is_dir():
        try:
            save_lexical(lexical, data.path)
        except OSError:
            pass  # read-only index or a concurrent save: this process keeps its own copy
    return lexical
