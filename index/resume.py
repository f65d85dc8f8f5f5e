"""Vectors an unfinished ingest has already computed, kept so the next ingest does not redo them.

An ingest of a whole library spends most of its hour encoding. Each slice of vectors it encodes
is written at once to `<index_dir>/.resume/<kind>-<encoder>/part-*.npz` (a temporary file, then
an atomic rename: a part is whole or absent), keyed by a hash of the exact text encoded. An
ingest that is killed (kill -9, power cut) leaves the live index as it was, since nothing is
switched before the whole new version is written (index.store.save_index), and the parts stay:
the next ingest looks every text up first and encodes only the rest. The folder is removed once
a new version is live. Parts are named by the encoder that made them (model, package version,
encoder kind), so vectors of another model or encoder are never reused.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.store import _checkpoint as checkpoint

RESUME_DIR = ".resume"

Encode = Callable[[list[str]], np.ndarray]
Progress = Callable[[str, int, int], None]


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class ResumeCache:
    """The vectors one encoder made during unfinished ingests of one index folder."""

    def __init__(self, index_dir: Path, kind: str, encoder: str) -> None:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in encoder)
        self.folder = Path(index_dir) / RESUME_DIR / f"{kind}-{safe}"
        self._vectors: dict[str, np.ndarray] = {}
        for part in sorted(self.folder.glob("part-*.npz")):
            try:
                with np.load(part) as saved:
                    keys, vectors = saved["keys"], saved["vectors"]
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                continue  # unreadable: its texts are encoded again
            self._vectors.update(zip((str(k) for k in keys), vectors, strict=True))

    def __len__(self) -> int:
        return len(self._vectors)

    def get(self, text: str) -> np.ndarray | None:
        return self._vectors.get(text_key(text))

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        """Keep `vectors` (row i encodes texts[i]) in memory and in a new part on disk."""
        if not texts:
            return
        keys = [text_key(t) for t in texts]
        self._vectors.update(zip(keys, vectors, strict=True))
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{uuid.uuid4().hex[:12]}"
        tmp = self.folder / f".{name}.npz"
        np.savez(tmp, keys=np.array(keys), vectors=np.asarray(vectors, dtype=np.float32))
        os.replace(tmp, self.folder / f"{name}.npz")


def clear_resume(index_dir: Path) -> None:
    """Drop the saved vectors of unfinished ingests (once a new version is live)."""
    shutil.rmtree(Path(index_dir) / RESUME_DIR, ignore_errors=True)


def encode_resumably(texts: list[str], encode: Encode, cache: ResumeCache | None,
                     slice_size: int, dim: int, stage: str = "embed",
                     progress: Progress | None = None) -> tuple[np.ndarray, int]:
    """Vectors of `texts` in order: those `cache` holds are reused, the rest encoded
    `slice_size` at a time, each slice saved to `cache` before the next starts. Returns the
    vectors and how many texts were encoded now."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    todo: list[int] = []
    for i, text in enumerate(texts):
        saved = cache.get(text) if cache is not None else None
        if saved is None:
            todo.append(i)
        else:
            out[i] = saved
    done = len(texts) - len(todo)
    for start in range(0, len(todo), slice_size):
        if progress:
            progress(stage, done, len(texts))
        rows = todo[start:start + slice_size]
        part = [texts[i] for i in rows]
        vectors = encode(part)
        out[rows] = vectors
        if cache is not None:
            cache.add(part, vectors)
            checkpoint(f"{stage}-saved")  # crash tests: killed with a slice saved
        done += len(rows)
    if progress:
        progress(stage, len(texts), len(texts))
    return out, len(todo)
