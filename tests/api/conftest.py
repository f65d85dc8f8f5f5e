"""A small real corpus and index for the API tests (four articles of the bundled corpus)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS

ARTICLES = ("mri-contrast-when-to-add.md", "acute-low-back-pain-imaging.md",
            "red-flags-low-back-pain.md", "cauda-equina-syndrome-imaging.md")
# Held back, then added by an ingest during the tests that switch versions.
ADDED = "prior-lumbar-surgery-imaging.md"
QUESTIONS = ("when should contrast be added to a lumbar spine MRI?",
             "3 days of back pain after lifting, no red flags: do I need imaging?",
             "which symptoms suggest cauda equina syndrome?",
             "what imaging after prior lumbar surgery with new radicular pain?")


@pytest.fixture()
def api_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ARTICLES:
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


@pytest.fixture()
def api_index(api_corpus: Path, tmp_path: Path, embedder) -> Path:
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import prepare_answering

    index_dir = tmp_path / "index"
    report = sync_corpus(api_corpus, index_dir, embedder=embedder)
    assert sorted(report.added) == sorted(n.rsplit(".", 1)[0] for n in ARTICLES), report
    prepare_answering(Settings.from_env(index_dir=index_dir))
    return index_dir
