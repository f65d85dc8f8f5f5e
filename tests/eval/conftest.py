"""Session fixtures for the eval tests: the real model, the demo corpus index, one core run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings

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


# Every shipped eval set that names its corpus is asked once per session; the numbers are
# printed at the end of the run (pytest_terminal_summary) next to the targets.
MEASURED: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="session")
def set_run(tmp_path_factory: pytest.TempPathFactory, eval_settings: Settings,
            eval_embedder: Any, core_run: dict[str, Any]) -> Callable[[str], dict[str, Any]]:
    """`set_run(name)`: the results of eval/sets/<name>.jsonl on its own corpus, asked once.

    The corpus comes from the set's `# corpus:` line (../shared/... beside the repo); the
    test skips when it is absent. Files the reader cannot take (a scanned PDF without OCR, a
    .tsv) are skipped at ingest, but every expected source of the set must be indexed.
    """
    from eval.cases import SETS_DIR, load_cases, set_corpus
    from eval.harness import run_eval
    from index.sync import sync_corpus
    from qa.engine import QAEngine, chunker_settings

    cache: dict[str, dict[str, Any]] = {"core": core_run}
    engines: dict[Path, Any] = {}  # sets on one corpus (a held-out set) share its index

    def run(name: str) -> dict[str, Any]:
        if name not in cache:
            path = SETS_DIR / f"{name}.jsonl"
            corpus = set_corpus(path)
            if corpus is None or not corpus.is_dir():
                pytest.skip(f"corpus of {path.name} not found at {corpus}")
            if corpus not in engines:
                index_dir = tmp_path_factory.mktemp(f"{name}-index")
                sync_corpus(corpus, index_dir, chunker_settings(eval_settings),
                            embedder=eval_embedder)
                engines[corpus] = QAEngine.load(eval_settings.replace(index_dir=index_dir),
                                                index_dir=index_dir, embedder=eval_embedder)
            engine = engines[corpus]
            cases = load_cases(path)
            indexed = set(engine.data.articles)
            wanted = {s for c in cases for s in c.expected_sources}
            missing = {s for s in wanted if not any(s.lower() in a.lower() for a in indexed)}
            assert not missing, f"{name}: expected sources not indexed: {sorted(missing)}"
            cache[name] = run_eval(engine, cases).as_dict()
        MEASURED[name] = cache[name]["summary"]
        return cache[name]

    return run


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not MEASURED:
        return
    from eval.thresholds import SET_GATES, TARGET_GATES

    terminalreporter.section("eval sets: measured (gate / issue target)")
    for name, summary in MEASURED.items():
        parts = []
        for metric, target in TARGET_GATES.items():
            value = summary.get(metric)
            gate = SET_GATES.get(name, {}).get(metric)
            shown = "–" if value is None else f"{value:.3f}" if metric != "false_abstentions" \
                else f"{value:g}"
            parts.append(f"{metric} {shown} ({'–' if gate is None else f'{gate:g}'}"
                         f" / {target:g})")
        terminalreporter.write_line(f"{name}: " + ", ".join(parts))
