"""Vectors of every quotable sentence, computed at ingest and stored with the index.

The extractive composer scores candidate sentences by cosine to the question. Embedding them
at question time was ~90% of a warm answer (172 of 194 ms on the real guidelines), so ingest
embeds each sentence or list item of every chunk once, as the composer reads it
("<section>: <sentence>", `sentence_key`), and the composer looks its vectors up by that text.
A sentence the table does not hold (a composer that reads sentences differently) is encoded
at question time, as before, so a lookup can never change an answer, only its cost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.citations import strip_markers
from ingest.records import Chunk
from ingest.sentences import is_grading, quotable_units

KEYS_FILE = "sentences.json"
VECTORS_FILE = "sentence_vectors.npy"
_LEADING_PAREN = re.compile(r"^\(([^()]{1,60})\)\s+")


def clean_unit(unit_text: str) -> str:
    """A sentence as quoted: citation markers stripped, whitespace folded, bullet dropped, and
    a leading grade label dropped (it grades the sentence before: "(Grade of Recommendation:
    I) Non-selective NSAIDs are suggested ..." is a Grade B statement; "(Grade: strong
    recommendation) Recommendation 3: ..." closes ACP's recommendation 2)."""
    text = re.sub(r"\s+", " ", strip_markers(unit_text)).strip().lstrip("-\u2022* ").strip()
    lead = _LEADING_PAREN.match(text)
    if lead and is_grading(lead.group(1)) and text[lead.end():]:
        text = text[lead.end():]
    return text


def sentence_key(section: str, text: str) -> str:
    """What the encoder reads for a sentence: its section heading gives it its topic."""
    return f"{section}: {text}"


def chunk_sentence_keys(chunk: Chunk) -> list[str]:
    """Keys of every quotable sentence or list item of a passage (quotable_units; the
    composer's filters, such as a minimum length, are applied at question time, not here). A
    reference item has
    none: the composer quotes passages only, and a cited-work answer quotes the passages that
    cite it (the real guidelines' 610 reference items held 1,400 of 6,669 keys)."""
    if chunk.is_reference:
        return []
    keys = []
    for unit in quotable_units(chunk.text):
        if unit.kind == "table":
            continue
        text = clean_unit(unit.text)
        if text:
            keys.append(sentence_key(chunk.section, text))
    return keys


@dataclass
class SentenceVectors:
    """Row i of `vectors` is the L2-normalised vector of `keys[i]` (float32)."""

    keys: list[str]
    vectors: np.ndarray
    _rows: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.keys) != len(self.vectors):
            raise ValueError(f"{len(self.keys)} sentence keys but {len(self.vectors)} vectors")
        self._rows = {k: i for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def lookup(self, keys: list[str],
               encode: Callable[[list[str]], np.ndarray] | None = None) -> np.ndarray:
        """Vectors of `keys`, in order; keys not stored are encoded with `encode`."""
        dim = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        rows = [self._rows.get(k) for k in keys]
        missing = [k for k, r in zip(keys, rows, strict=True) if r is None]
        if missing and encode is None:
            raise KeyError(f"{len(missing)} sentences have no stored vector, e.g. {missing[0]!r}")
        fresh = encode(missing) if missing else None  # type: ignore[misc]
        if fresh is not None:
            dim = fresh.shape[1]
        out = np.empty((len(keys), dim), dtype=np.float32)
        j = 0
        for i, r in enumerate(rows):
            if r is None:
                out[i] = fresh[j]  # type: ignore[index]
                j += 1
            else:
                out[i] = self.vectors[r]
        return out

    def subset(self, keys: Iterable[str]) -> SentenceVectors:
        """The stored vectors of `keys` (those stored), e.g. of the chunks an ingest keeps."""
        wanted = [k for k in dict.fromkeys(keys) if k in self._rows]
        rows = [self._rows[k] for k in wanted]
        dim = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        vectors = self.vectors[rows] if rows else np.zeros((0, dim), dtype=np.float32)
        return SentenceVectors(wanted, np.ascontiguousarray(vectors, dtype=np.float32))

    def save(self, folder: Path) -> None:
        (folder / KEYS_FILE).write_text(json.dumps(self.keys, ensure_ascii=False),
                                        encoding="utf-8")
        np.save(folder / VECTORS_FILE, self.vectors)

    @classmethod
    def load(cls, folder: Path) -> SentenceVectors:
        """Keys read, vectors memory-mapped: a composer reads the rows of a few dozen sentences
        an answer, so a process holds only the pages it touched (the library's 165k sentence
        vectors are 250 MB; workers on one machine share them through the page cache)."""
        keys = json.loads((folder / KEYS_FILE).read_text(encoding="utf-8"))
        return cls(keys, np.load(folder / VECTORS_FILE, mmap_mode="r"))


def embed_sentences(chunks: Iterable[Chunk], encode: Callable[[list[str]], np.ndarray],
                    dim: int, known: SentenceVectors | None = None) -> SentenceVectors:
    """Vectors of every sentence key of `chunks`; keys already in `known` are not re-encoded
    (a sentence repeated in the overlap of two chunks, or in an unchanged article)."""
    keys = list(dict.fromkeys(k for c in chunks for k in chunk_sentence_keys(c)))
    reused = known.subset(keys) if known is not None else SentenceVectors([], np.zeros((0, dim),
                                                                                      np.float32))
    todo = [k for k in keys if k not in reused]
    fresh = encode(todo) if todo else np.zeros((0, dim), dtype=np.float32)
    table = SentenceVectors(reused.keys + todo,
                            np.ascontiguousarray(np.vstack([reused.vectors, fresh]),
                                                 dtype=np.float32))
    return table
