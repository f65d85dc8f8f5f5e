"""Editor corrections of an article's metadata, kept next to it: `<file name>.meta.json`
(or `.meta.yaml` / `.meta.yml`), so the document itself is never edited."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ingest.doc_metadata import title_problem, valid_year
from ingest.errors import ArticleParseError
from ingest.records import Article

SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
KEYS = ("title", "publisher", "year", "last_updated", "review_status")


def sidecar_path(article: Path) -> Path | None:
    """The sidecar of `article` when one exists (JSON first)."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = article.with_name(article.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def sidecar_bytes(article: Path) -> bytes:
    """The sidecar's bytes (b"" when none): part of the article's content hash."""
    path = sidecar_path(article)
    if path is None:
        return b""
    try:
        return path.name.encode() + b"\0" + path.read_bytes()
    except OSError:
        return b""


def read_sidecar(path: Path) -> dict[str, object]:
    """The overrides in `path`; ArticleParseError (on the sidecar) for anything wrong."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleParseError(path, f"cannot read it ({exc})") from exc
    try:
        if path.suffix == ".json":
            data = json.loads(raw) if raw.strip() else {}
        else:
            import yaml

            data = yaml.safe_load(raw) or {}
    except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ArticleParseError(path, f"not valid "
                                      f"{'JSON' if path.suffix == '.json' else 'YAML'} "
                                      f"({first})") from exc
    if not isinstance(data, dict):
        raise ArticleParseError(path, "must hold a mapping of "
                                      + ", ".join(KEYS))
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise ArticleParseError(path, f"unknown key(s) {', '.join(unknown)} "
                                      f"(allowed: {', '.join(KEYS)})")
    return data


def apply_sidecar(article: Article, path: Path) -> Article:
    """`article` with the sidecar's values in place of the parsed ones."""
    from ingest.structure import parse_date

    data = read_sidecar(path)
    changes: dict[str, object] = {}
    for key in ("title", "publisher", "review_status"):
        if key in data:
            value = str(data[key] or "").strip()
            if key == "title" and (not value or title_problem(value) == "empty"):
                raise ArticleParseError(path, "title is empty")
            changes[key] = value or None
    if "year" in data:
        year = valid_year(data["year"]) if data["year"] is not None else None
        if data["year"] is not None and year is None:
            raise ArticleParseError(path, f"year {data['year']!r} is not a "
                                          "year between 1900 and 2100")
        changes["year"] = year
    if "last_updated" in data:
        value = data["last_updated"]
        iso = parse_date(str(value)) if value is not None else None
        if value is not None and iso is None:
            raise ArticleParseError(path, f"last_updated {value!r} is not a "
                                          "date (use YYYY-MM-DD)")
        changes["last_updated"] = iso
        if "year" not in data and iso:
            changes["year"] = int(iso[:4])
    return replace(article, **changes)  # type: ignore[arg-type]
