"""Which index an eval set runs on (its own corpus, ingested; or a given folder), and the
engine loaded over it: shared by `citewise eval` and `citewise eval --calibrate`."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from config.settings import Settings
from eval.cases import EvalCorpus

EVAL_INDEX_ROOT = Path(".citewise/eval-index")

err = Console(stderr=True)


def out_console() -> Console:
    # piped output (CI logs) keeps the full table instead of wrapping at 80 columns
    return Console() if sys.stdout.isatty() else Console(width=180)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def eval_index_dir(corpus: Path | EvalCorpus) -> Path:
    """Where `--corpus` (or a set's slice of a folder) is indexed: one folder per corpus path
    and slice, reused (incrementally)."""
    source = corpus if isinstance(corpus, EvalCorpus) else EvalCorpus(corpus)
    key = str(source.folder.resolve()) + "|" + "\n".join(str(f) for f in source.files or ())
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return EVAL_INDEX_ROOT / f"{source.name}-{digest}"


def sync_index(corpus: Path | EvalCorpus, index_dir: Path, settings: Settings) -> None:
    from index.embedder import load_embedder
    from index.sync import sync_corpus
    from qa.engine import chunker_settings

    source = corpus if isinstance(corpus, EvalCorpus) else EvalCorpus(corpus)
    corpus = source.folder
    if not corpus.is_dir():
        fail(f"corpus folder {corpus} does not exist")
    try:
        report = sync_corpus(corpus, index_dir, chunker_settings(settings),
                             index_type=settings.index_type,
                             hnsw_threshold=settings.hnsw_threshold,
                             max_file_bytes=int(settings.max_file_mb * 1e6),
                             files=list(source.files) if source.files else None,
                             embedder=load_embedder())
    except (OSError, ValueError) as exc:
        fail(f"ingest of {corpus} into {index_dir} failed: {exc}")
    err.print(f"index {index_dir}: {report.n_chunks} chunks (added {len(report.added)}, "
              f"updated {len(report.updated)}, removed {len(report.removed)}, skipped "
              f"{len(report.skipped)})", highlight=False, soft_wrap=True)


def index_for_set(eval_set: Path, index: Path | None,
                  corpus: Path | None) -> tuple[Settings, Path]:
    """Settings and index folder for a set: --index as given; --corpus (or, with neither, the
    corpus the set names on its `# corpus:` line) ingested first; else settings.index_dir."""
    from eval.cases import EvalSetError, set_source

    settings = Settings.from_env()
    source: EvalCorpus | None = EvalCorpus(corpus) if corpus is not None else None
    if corpus is None and index is None:
        try:
            source = set_source(eval_set)
        except EvalSetError as exc:
            fail(str(exc), code=2)
    index_dir = index or settings.index_dir
    if source is not None:
        index_dir = index or eval_index_dir(source)
        sync_index(source, index_dir, settings)
    return settings.replace(index_dir=index_dir), index_dir


def progress_bar(label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), console=err,
                    disable=not err.is_terminal, transient=True)


def load_engine(settings: Settings, index_dir: Path,  # noqa: ANN201 - lazy torch import
                model: Any = None):
    """The engine over `index_dir` (with `model`, a qa.scorer.ScorerModel, instead of the
    shipped scorer when given), or a one-line failure."""
    from index.embedder import load_embedder
    from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
    from qa.engine import QAEngine
    from qa.scorer import ScorerModelError

    try:
        return QAEngine.load(settings, index_dir=index_dir, embedder=load_embedder(),
                             model=model)
    except (IndexMissingError, IndexMismatchError, IndexCorruptError, ScorerModelError) as exc:
        fail(str(exc))
