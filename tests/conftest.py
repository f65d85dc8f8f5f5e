"""Shared fixtures: the real model loads once per session; indexes are built once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Tests must not write into the repo's audit log; audit tests turn it on with a tmp path.
os.environ.setdefault("CITEWISE_AUDIT_LOG", "false")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED_DIR = Path(os.environ.get("CITEWISE_SEED_DIR", ROOT.parent / "shared" / "seed-articles"))


def seed_dir_or_skip() -> Path:
    if not SEED_DIR.is_dir() or not any(SEED_DIR.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEED_DIR}")
    return SEED_DIR


@pytest.fixture(scope="session")
def embedder():
    from index.embedder import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return seed_dir_or_skip()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder, seed_dir) -> Path:
    from index.sync import sync_corpus

    path = tmp_path_factory.mktemp("seed-index")
    sync_corpus(seed_dir, path, embedder=embedder)
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, embedder) -> Path:
    from index.sync import sync_corpus

    path = tmp_path_factory.mktemp("corpus-index")
    report = sync_corpus(CORPUS, path, embedder=embedder)
    assert not report.skipped, f"corpus files skipped: {report.skipped}"
    return path


@pytest.fixture(scope="session")
def seed_engine(seed_index, embedder):
    from config.settings import Settings
    from qa.engine import QAEngine

    return QAEngine.load(Settings.from_env(index_dir=seed_index), embedder=embedder)


@pytest.fixture(scope="session")
def corpus_engine(corpus_index, embedder):
    from config.settings import Settings
    from qa.engine import QAEngine

    return QAEngine.load(Settings.from_env(index_dir=corpus_index), embedder=embedder)


@pytest.fixture(scope="session")
def milvus_corpus_index(tmp_path_factory, embedder) -> Path:
    """The bundled corpus ingested with CITEWISE_BACKEND=milvus into a Milvus Lite file."""
    from index.backends import BackendConfig
    from index.sync import sync_corpus

    base = tmp_path_factory.mktemp("milvus-corpus-index")
    config = BackendConfig(kind="milvus", milvus_uri=str(base / "m.db"))
    report = sync_corpus(CORPUS, base / "index", embedder=embedder, backend=config)
    assert not report.skipped, f"corpus files skipped: {report.skipped}"
    return base / "index"


@pytest.fixture(scope="session")
def milvus_corpus_engine(milvus_corpus_index, embedder):
    from config.settings import Settings
    from qa.engine import QAEngine

    return QAEngine.load(Settings.from_env(index_dir=milvus_corpus_index), embedder=embedder)


@pytest.fixture(scope="session", params=["faiss", "milvus"])
def answer_engine(request):
    """The corpus engine on each vector backend: answer tests must pass on both."""
    name = "corpus_engine" if request.param == "faiss" else "milvus_corpus_engine"
    return request.getfixturevalue(name)


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the bundled corpus (articles only)."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest, ignore=shutil.ignore_patterns("pdf_src", "*.py", "README.md"))
    return dest
