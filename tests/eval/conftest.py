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
def eval_samples(tmp_path_factory: pytest.TempPathFactory, eval_settings: Settings,
                 eval_embedder: Any) -> tuple[list[Any], list[str]]:
    """Every shipped set whose corpus is present, each case prepared once on its own corpus
    (its `# corpus:` line, sliced by `# files:`; sets over one corpus share its index), and
    the names of the sets whose corpus is absent (../shared beside the repo)."""
    from eval.cases import is_held_out, known_sets, load_cases, set_source
    from eval.samples import collect
    from index.sync import sync_corpus
    from qa.engine import QAEngine, chunker_settings

    engines: dict[Any, Any] = {}
    samples: list[Any] = []
    missing: list[str] = []
    for path in known_sets():
        source = set_source(path)
        if source is None or not source.exists():
            missing.append(path.stem)
            continue
        if source not in engines:
            index_dir = tmp_path_factory.mktemp(f"{source.name}-index")
            sync_corpus(source.folder, index_dir, chunker_settings(eval_settings),
                        files=list(source.files) if source.files else None,
                        embedder=eval_embedder)
            engines[source] = QAEngine.load(eval_settings.replace(index_dir=index_dir),
                                            index_dir=index_dir, embedder=eval_embedder)
        engine = engines[source]
        cases = load_cases(path)
        indexed = set(engine.data.articles)
        wanted = {s for c in cases for s in c.expected_sources}
        absent = {s for s in wanted if not any(s.lower() in a.lower() for a in indexed)}
        assert not absent, f"{path.stem}: expected sources not indexed: {sorted(absent)}"
        samples.extend(collect(engine, cases, path.stem, source.folder.name, is_held_out(path)))
    return samples, missing


@pytest.fixture(scope="session")
def heldout_run(eval_samples: tuple[list[Any], list[str]], eval_settings: Settings) -> Any:
    """Every case answered by a scorer fitted without its documents, by the shipped scorer
    and by the plain baseline (eval.heldout.document_cv), once per session."""
    from eval.heldout import document_cv

    samples, _missing = eval_samples
    return document_cv(samples, eval_settings.duplicate_overlap, eval_settings.max_statements)


@pytest.fixture(scope="session")
def set_run(heldout_run: Any) -> Callable[[str], dict[str, Any]]:
    """`set_run(name)`: eval/sets/<name>.jsonl answered by the shipped scorer on its own
    corpus ({"summary", "results"} as `citewise eval --out` writes); skips when its corpus is
    absent."""
    from eval.harness import summarize

    def run(name: str) -> dict[str, Any]:
        results = heldout_run.shipped.get(name)
        if results is None:
            pytest.skip(f"the corpus of {name}.jsonl is absent")
        out = {"summary": summarize(results), "results": results}
        MEASURED[name] = out["summary"]
        HELD_OUT[name] = summarize(heldout_run.held_out[name])
        return out

    return run


HELD_OUT: dict[str, dict[str, Any]] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not MEASURED:
        return
    from eval.thresholds import SET_GATES, TARGET_GATES

    terminalreporter.section("eval sets: measured (gate / issue target)")
    for name, summary in [*MEASURED.items(), *((f"{k} held out", v) for k, v in
                                               HELD_OUT.items())]:
        parts = []
        for metric, target in TARGET_GATES.items():
            value = summary.get(metric)
            gate = SET_GATES.get(name, {}).get(metric)
            shown = "–" if value is None else f"{value:.3f}" if metric != "false_abstentions" \
                else f"{value:g}"
            parts.append(f"{metric} {shown} ({'–' if gate is None else f'{gate:g}'}"
                         f" / {target:g})")
        terminalreporter.write_line(f"{name}: " + ", ".join(parts))
