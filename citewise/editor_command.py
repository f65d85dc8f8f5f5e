"""`citewise status`, `citewise remove`, `citewise meta`: the Corpus page's editor operations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from citewise.console import fail, load_settings, out

CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="folder of articles")]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="index folder")]
JsonOpt = Annotated[bool, typer.Option("--json")]


def _snapshot(corpus: Path | None, index: Path | None):  # noqa: ANN202 - (Settings, IndexData)
    from index.errors import IndexCorruptError, IndexMissingError
    from index.store import load_index

    settings = load_settings(corpus_dir=corpus, index_dir=index)
    try:
        return settings, load_index(settings.index_dir)
    except (IndexMissingError, IndexCorruptError) as exc:
        fail(str(exc))


def status_command(corpus: CorpusOpt = None, index: IndexOpt = None,
                   as_json: JsonOpt = False) -> None:
    """Say whether the index matches the corpus folder (exit 1 when it does not)."""
    from index.editor import corpus_drift

    settings, data = _snapshot(corpus, index)
    drift = corpus_drift(settings.corpus_dir, data)
    if as_json:
        print(json.dumps(drift.as_dict() | {"corpus": str(settings.corpus_dir),
                                            "index": str(settings.index_dir),
                                            "version": data.manifest.version_id}, indent=2))
    elif drift.in_line:
        out.print(f"{settings.index_dir} matches {settings.corpus_dir} "
                  f"({len(data.manifest.articles)} articles)", highlight=False)
    else:
        for label, items in (("file gone, still indexed", drift.gone),
                             ("not indexed yet", drift.new),
                             ("changed since indexed", drift.changed)):
            for item in items:
                out.print(f"  {label:<26} {item}", highlight=False)
        out.print("run `citewise ingest` to bring the index in line", highlight=False)
    if not drift.in_line:
        raise typer.Exit(1)


def remove_command(article_id: Annotated[str, typer.Argument(help="article id (see "
                                                             "`citewise articles`)")],
                   corpus: CorpusOpt = None, index: IndexOpt = None,
                   as_json: JsonOpt = False) -> None:
    """Take an article out of the corpus (its file is kept aside) and out of the index."""
    from index.editor import EditError, remove_article

    settings, data = _snapshot(corpus, index)
    try:
        result = remove_article(settings, data, article_id)
    except (EditError, OSError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    out.print(f"removed {article_id}; the file is kept at {result.kept_at} (index version "
              f"{result.report.version_id})", highlight=False)


def meta_command(
    article_id: Annotated[str, typer.Argument(help="article id (see `citewise articles`)")],
    values: Annotated[list[str] | None, typer.Option(
        "--set", help="field=value (title, publisher, year, last_updated, review_status); "
        "an empty value means not stated; repeatable")] = None,
    corpus: CorpusOpt = None, index: IndexOpt = None, as_json: JsonOpt = False,
) -> None:
    """Correct an article's metadata (written to its sidecar) and re-index that article."""
    from index.editor import EditError, set_metadata

    changes: dict[str, object] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--set {item!r}: use field=value", code=2)
        changes[key.strip()] = value
    if not changes:
        fail("nothing to change: give --set field=value", code=2)
    settings, data = _snapshot(corpus, index)
    try:
        result = set_metadata(settings, data, article_id, changes)
    except (EditError, OSError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    out.print(f"{article_id}: metadata saved in {result.sidecar}; re-indexed (version "
              f"{result.report.version_id})", highlight=False)
