"""Editor changes (index/editor.py) and their commands: remove an article, correct its metadata,
say how far the corpus and the index have drifted (issue 30)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from config.settings import Settings
from index.editor import EditError, corpus_drift, remove_article, set_metadata, sync_with_settings
from index.store import load_index
from tests.conftest import CORPUS
from tests.test_cli import citewise

FILES = ("red-flags-low-back-pain.md", "acute-low-back-pain-imaging.md",
         "upper-lumbar-radiculopathy.md")


@pytest.fixture
def edited(tmp_path: Path, embedder) -> Settings:  # noqa: ANN001 - the session's model
    """Three corpus articles in a tmp corpus, ingested."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in FILES:
        shutil.copy(CORPUS / name, corpus / name)
    s = Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "index", audit_log=False)
    sync_with_settings(s)
    return s


def test_drift_names_gone_new_and_changed_files(edited: Settings, tmp_path: Path) -> None:
    data = load_index(edited.index_dir)
    assert corpus_drift(edited.corpus_dir, data).in_line
    corpus = edited.corpus_dir
    (corpus / FILES[0]).unlink()
    shutil.copy(CORPUS / "relative-radiation-levels.md", corpus / "relative-radiation-levels.md")
    (corpus / f"{FILES[1]}.meta.json").write_text('{"publisher": "X"}', encoding="utf-8")
    drift = corpus_drift(corpus, data)
    assert drift.gone == ("red-flags-low-back-pain",)
    assert drift.new == ("relative-radiation-levels.md",)
    assert drift.changed == ("acute-low-back-pain-imaging",), "a new sidecar changes an article"
    copy = tmp_path / "copy"
    shutil.copytree(CORPUS, copy)
    assert not corpus_drift(copy, data).in_line
    shutil.rmtree(copy)
    shutil.copytree(tmp_path / "corpus", copy)
    (copy / f"{FILES[1]}.meta.json").unlink()
    (copy / "relative-radiation-levels.md").unlink()
    shutil.copy(CORPUS / FILES[0], copy / FILES[0])
    assert corpus_drift(copy, data).in_line, "another folder with the same files matches"


def test_remove_keeps_the_file_aside_and_drops_it_from_the_index(edited: Settings) -> None:
    (edited.corpus_dir / f"{FILES[0]}.meta.json").write_text('{"publisher": "X"}')
    sync_with_settings(edited)
    result = remove_article(edited, load_index(edited.index_dir), "red-flags-low-back-pain")
    assert result.report.removed == ["red-flags-low-back-pain"]
    assert not (edited.corpus_dir / FILES[0]).exists()
    assert not (edited.corpus_dir / f"{FILES[0]}.meta.json").exists(), "its sidecar goes too"
    assert result.kept_at is not None and result.kept_at.read_bytes() == (
        CORPUS / FILES[0]).read_bytes(), "the text is kept, not lost"
    assert (result.kept_at.parent / f"{FILES[0]}.meta.json").is_file()
    data = load_index(edited.index_dir)
    assert "red-flags-low-back-pain" not in data.manifest.articles
    assert corpus_drift(edited.corpus_dir, data).in_line


def test_remove_refuses_what_it_cannot_remove(edited: Settings) -> None:
    data = load_index(edited.index_dir)
    with pytest.raises(EditError, match="no indexed article has the id 'nope'"):
        remove_article(edited, data, "nope")
    (edited.corpus_dir / FILES[2]).unlink()  # gone on disk, still indexed
    with pytest.raises(EditError, match="no longer in the corpus folder.*re-index"):
        remove_article(edited, data, "upper-lumbar-radiculopathy")


def test_metadata_edit_writes_the_sidecar_and_reindexes_that_article_alone(
        edited: Settings) -> None:
    data = load_index(edited.index_dir)
    result = set_metadata(edited, data, "acute-low-back-pain-imaging",
                          {"publisher": "Northbridge Spine Society", "year": "2019"})
    sidecar = edited.corpus_dir / f"{FILES[1]}.meta.json"
    assert result.sidecar == sidecar
    assert json.loads(sidecar.read_text()) == {"publisher": "Northbridge Spine Society",
                                               "year": 2019}
    assert result.report.updated == ["acute-low-back-pain-imaging"] and not result.report.added
    n_chunks = data.manifest.articles["acute-low-back-pain-imaging"].n_chunks
    assert result.report.n_embedded == n_chunks, "only the edited article is re-embedded"
    article = load_index(edited.index_dir).articles["acute-low-back-pain-imaging"]
    assert (article.publisher, article.year) == ("Northbridge Spine Society", 2019)
    again = set_metadata(edited, load_index(edited.index_dir), "acute-low-back-pain-imaging",
                         {"publisher": ""})  # cleared: not stated, the year kept
    assert json.loads(sidecar.read_text()) == {"publisher": None, "year": 2019}
    assert load_index(edited.index_dir).articles["acute-low-back-pain-imaging"].publisher is None
    assert again.report.updated == ["acute-low-back-pain-imaging"]


def test_bad_metadata_is_refused_and_nothing_is_saved(edited: Settings) -> None:
    data = load_index(edited.index_dir)
    version = data.manifest.version_id
    with pytest.raises(EditError, match="year 1800 is not a year.*nothing was saved"):
        set_metadata(edited, data, "acute-low-back-pain-imaging", {"year": "1800"})
    with pytest.raises(EditError, match="title is empty"):
        set_metadata(edited, data, "acute-low-back-pain-imaging", {"title": " "})
    with pytest.raises(EditError, match="unknown metadata field.*colour"):
        set_metadata(edited, data, "acute-low-back-pain-imaging", {"colour": "red"})
    assert not list(edited.corpus_dir.glob("*.meta.*")) and not list(
        edited.corpus_dir.glob(".meta-*")), "no sidecar, no temporary file left"
    assert load_index(edited.index_dir).manifest.version_id == version


def test_a_yaml_sidecar_stays_yaml(edited: Settings) -> None:
    import yaml

    yml = edited.corpus_dir / f"{FILES[1]}.meta.yaml"
    yml.write_text("review_status: Draft\n", encoding="utf-8")
    sync_with_settings(edited)
    set_metadata(edited, load_index(edited.index_dir), "acute-low-back-pain-imaging",
                 {"publisher": "ACR"})
    assert yaml.safe_load(yml.read_text()) == {"publisher": "ACR", "review_status": "Draft"}
    assert not (edited.corpus_dir / f"{FILES[1]}.meta.json").exists()


def test_status_remove_and_meta_commands(edited: Settings) -> None:
    where = ("--corpus", str(edited.corpus_dir), "--index", str(edited.index_dir))
    status = citewise("status", *where, "--json")
    assert status.returncode == 0 and json.loads(status.stdout)["in_line"], status.stderr
    meta = citewise("meta", "upper-lumbar-radiculopathy", "--set", "publisher=ACR", *where,
                    "--json")
    assert meta.returncode == 0, meta.stderr
    assert json.loads(meta.stdout)["ingest"]["updated"] == ["upper-lumbar-radiculopathy"]
    bad = citewise("meta", "upper-lumbar-radiculopathy", "--set", "year=soon", *where)
    assert bad.returncode == 1 and "nothing was saved" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    removed = citewise("remove", "red-flags-low-back-pain", *where, "--json")
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout)["ingest"]["removed"] == ["red-flags-low-back-pain"]
    (edited.corpus_dir / FILES[1]).unlink()
    drifted = citewise("status", *where, "--json")
    assert drifted.returncode == 1
    assert json.loads(drifted.stdout)["gone"] == ["acute-low-back-pain-imaging"]
