"""Fixtures shared by the index tests of both vector backends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.index.articles import ARTICLE


@pytest.fixture()
def small_corpus(tmp_path: Path, seed_dir: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(seed_dir.glob("*.txt"))[:2]:
        shutil.copy(path, corpus / path.name)
    (corpus / "gout.md").write_text(ARTICLE, encoding="utf-8")
    return corpus
