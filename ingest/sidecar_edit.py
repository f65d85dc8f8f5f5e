"""Write an editor's metadata corrections into an article's sidecar (ingest/sidecar.py reads it).

The document itself is never edited. The values are checked by the same rules the next ingest
applies (apply_sidecar) before anything is written; the write is atomic (a hidden temporary
file, then a rename), and an existing YAML sidecar stays YAML.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ingest.errors import ArticleParseError
from ingest.records import Article
from ingest.sidecar import KEYS, SIDECAR_SUFFIXES, apply_sidecar, read_sidecar, sidecar_path


def merged_values(article_path: Path, changes: Mapping[str, object]) -> dict[str, object]:
    """The existing sidecar's values with `changes` over them (None: "not stated")."""
    unknown = sorted(k for k in changes if k not in KEYS)
    if unknown:
        raise ArticleParseError(article_path, f"unknown metadata field(s) {', '.join(unknown)} "
                                              f"(allowed: {', '.join(KEYS)})")
    current = sidecar_path(article_path)
    values = dict(read_sidecar(current)) if current is not None else {}
    for key, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        if key == "year" and isinstance(value, str) and value.isdigit():
            value = int(value)  # "2023" typed into a form or a command line
        values[key] = value
    return {k: values[k] for k in KEYS if k in values}


def _dump(values: Mapping[str, object], suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(values, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return yaml.safe_dump(dict(values), allow_unicode=True, sort_keys=False)


def write_sidecar(article_path: Path, article: Article,
                  changes: Mapping[str, object]) -> tuple[Path, bytes | None]:
    """Write `changes` into the sidecar of `article_path` (checked against `article`, the
    article as indexed); returns the sidecar path and its previous bytes (None if new)."""
    values = merged_values(article_path, changes)
    current = sidecar_path(article_path)
    path = current or article_path.with_name(article_path.name + SIDECAR_SUFFIXES[0])
    suffix = ".json" if path.name.endswith(".json") else ".yaml"
    fd, tmp = tempfile.mkstemp(prefix=".meta-", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_dump(values, suffix))
        try:  # the rules the next ingest applies, on the file about to become the sidecar
            apply_sidecar(article, Path(tmp))
        except ArticleParseError as exc:
            raise ArticleParseError(path, exc.cause) from exc
        previous = path.read_bytes() if path.exists() else None
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path, previous


def restore_sidecar(path: Path, previous: bytes | None) -> None:
    """Undo write_sidecar: the old bytes back, or no sidecar when there was none."""
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(previous)
