"""Safe file handling for the Corpus page: name uploads, preview them, add or remove files.

Every write lands inside the corpus folder: names are reduced to one safe path component and
the final path is checked against the resolved folder before anything is written.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest import SUPPORTED_SUFFIXES, Article, ArticleParseError, read_article

MAX_NAME_CHARS = 120
# discover_articles passes over these names, so an upload under them would never be indexed.
_RESERVED = re.compile(r"^(readme|license|changelog)$", re.IGNORECASE)


class UnsafeFileName(ValueError):
    """The uploaded file's name cannot be turned into a safe corpus file name."""


def safe_file_name(name: str) -> str:
    """One lower-case path component: no '..', slashes, control characters or hidden names."""
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # Cc, Cf, ...
    name = re.split(r"[/\\]", name)[-1].strip()  # keep the last component only
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        raise UnsafeFileName(f"'{name}' has no file extension (use "
                             + ", ".join(SUPPORTED_SUFFIXES) + ")")
    suffix = "." + suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsafeFileName(f"file type '{suffix}' is not supported (use "
                             + ", ".join(SUPPORTED_SUFFIXES) + ")")
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem.lower())  # dots too, so no '..' survives
    stem = re.sub(r"-{2,}", "-", stem).strip("-_")
    stem = stem[: MAX_NAME_CHARS - len(suffix)].strip("-_")
    if not stem:
        raise UnsafeFileName(f"'{name}' has no usable characters in its name; rename it")
    if _RESERVED.match(stem):
        raise UnsafeFileName(f"'{name}' is a reserved name that ingest skips; rename it")
    return stem + suffix


def target_path(corpus_dir: Path, name: str) -> Path:
    """corpus_dir / safe name, refusing anything that would resolve outside the folder."""
    root = corpus_dir.resolve()
    path = (root / safe_file_name(name)).resolve()
    if path.parent != root:
        raise UnsafeFileName(f"'{name}' would be written outside the corpus folder")
    return path


@dataclass(frozen=True)
class Preview:
    """What the editor sees before confirming an upload."""

    file_name: str  # the safe name it will be saved under
    article: Article | None
    error: str | None  # why the file cannot be added; None when it parses


def preview_upload(name: str, data: bytes, max_bytes: int | None = None) -> Preview:
    """Parse the upload from a temporary copy; nothing touches the corpus folder."""
    try:
        file_name = safe_file_name(name)
    except UnsafeFileName as exc:
        return Preview(file_name=name, article=None, error=str(exc))
    with tempfile.TemporaryDirectory(prefix="citewise-upload-") as tmp:
        path = Path(tmp) / file_name
        path.write_bytes(data)
        try:
            article = read_article(path, max_bytes=max_bytes)
        except ArticleParseError as exc:
            return Preview(file_name=file_name, article=None, error=exc.cause)
    return Preview(file_name=file_name, article=article, error=None)


def write_into_corpus(corpus_dir: Path, name: str, data: bytes) -> tuple[Path, bytes | None]:
    """Write atomically (hidden temp file, then rename); returns the path and the old bytes."""
    path = target_path(corpus_dir, name)
    previous = path.read_bytes() if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=path.parent)  # dot: ingest ignores it
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path, previous


def restore(path: Path, previous: bytes | None) -> None:
    """Undo write_into_corpus: put the old bytes back, or remove a file that was new."""
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(previous)
