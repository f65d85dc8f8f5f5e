"""The name tables saved with an index version are the ones the articles give, and tables
made by other code are rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

from index.store import load_index
from qa import name_tables as nt
from qa.named_source import acronyms, distinctive_names, profiles


def test_saved_tables_are_the_articles_own(seed_index: Path, tmp_path: Path) -> None:
    import shutil

    index_dir = shutil.copytree(seed_index, tmp_path / "index")
    data = load_index(index_dir)
    (data.path / nt.NAMES_FILE).unlink(missing_ok=True)
    first = nt.name_tables(data)
    assert (data.path / nt.NAMES_FILE).is_file(), "the tables are saved with the version"
    assert first.distinctive == distinctive_names(data.articles)
    assert first.acronyms == acronyms(data.articles) and first.acronyms
    again = nt.name_tables(load_index(index_dir))
    assert again == first, "read back, the tables are the same"
    named = [(p.article_id, p.label, sorted(p.names), p.year, p.topical)
             for p in profiles(data.articles, again.distinctive)]
    assert named == [(p.article_id, p.label, sorted(p.names), p.year, p.topical)
                     for p in profiles(data.articles)]


def test_tables_of_other_code_are_rebuilt(seed_index: Path, tmp_path: Path) -> None:
    import shutil

    index_dir = shutil.copytree(seed_index, tmp_path / "index")
    data = load_index(index_dir)
    nt.name_tables(data)
    path = data.path / nt.NAMES_FILE
    saved = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(saved | {"code": "other-code", "acronyms": ["ZZZ"]}),
                    encoding="utf-8")
    rebuilt = nt.name_tables(load_index(index_dir))
    assert "ZZZ" not in rebuilt.acronyms and rebuilt.acronyms == acronyms(data.articles)
    assert json.loads(path.read_text(encoding="utf-8"))["code"] == nt.code_tag()
