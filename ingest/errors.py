"""Errors raised while reading articles."""

from __future__ import annotations

from pathlib import Path


class ArticleParseError(Exception):
    """An article file could not be turned into an Article; the message names file and cause."""

    def __init__(self, path: Path | str, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path.name}: {cause}")
