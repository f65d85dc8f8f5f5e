"""Session fixtures for the eval tests: the real model, the demo corpus index, one core run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from citewise.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
CORE_SET = ROOT / "eval" / "sets" / "core.jsonl"


@pytest.fixture(scope="session")
def eval_embedder() -> Any:
    from index.embedder import load_embedder

    return load_embedder()  # process-wide cache: the CLI tests reuse the same model


@pytest.fixture(scope="session")
def eval_settings() -> Settings:
    """Code defaults, not the environment: `make test` grades what ships."""
    return Settings()


def build_engine(corpus: Path, index_dir: Path, settings: Settings, embedder: Any) -> Any:
    """Ingest `corpus` into `index_dir` and load an engine on it."""
    from index.sync import sync_corpus
    from qa.engine import QAEngine, chunker_settings

    report = sync_corpus(corpus, index_dir, chunker_settings(settings), embedder=embedder)
    assert not report.skipped, f"corpus files skipped at ingest: {report.skipped}"
    return QAEngine.load(settings.replace(index_dir=index_dir), index_dir=index_dir,
                         embedder=embedder)


@pytest.fixture(scope="session")
def engine_for(eval_settings: Settings, eval_embedder: Any) -> Callable[[Path, Path], Any]:
    """`engine_for(corpus, index_dir)`: ingest a corpus and load an engine on it."""
    return lambda corpus, index_dir: build_engine(corpus, index_dir, eval_settings,
                                                  eval_embedder)


@pytest.fixture(scope="session")
def core_engine(tmp_path_factory: pytest.TempPathFactory, eval_settings: Settings,
                eval_embedder: Any) -> Any:
    return build_engine(CORPUS, tmp_path_factory.mktemp("core-index"), eval_settings,
                        eval_embedder)


@pytest.fixture(scope="session")
def core_run(core_engine: Any) -> Iterator[dict[str, Any]]:
    """The core set asked once per session; threshold and comparison tests share it."""
    from eval.cases import load_cases
    from eval.harness import run_eval

    yield run_eval(core_engine, load_cases(CORE_SET)).as_dict()
