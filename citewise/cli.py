"""The `citewise` command: the contract every front end (app, eval, tests) builds on."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from citewise.console import ProgressLines, err, fail, load_settings, out

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cited answers from clinical guideline articles, offline.")

IndexOpt = Annotated[Path | None, typer.Option("--index", help="index folder "
                                               "(default: settings.index_dir)")]


@app.command()
def config(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the settings in force (defaults overridden by CITEWISE_* env vars)."""
    from qa.scorer import ScorerModelError, load_model

    settings = load_settings()
    data = settings.as_dict() | {"fingerprint": settings.fingerprint()}
    try:
        scorer: dict[str, object] = load_model().summary()
    except ScorerModelError as exc:
        scorer = {"error": str(exc)}
    if as_json:
        print(json.dumps(data | {"answer_scorer": scorer}, indent=2))
        return
    table = Table("setting", "value", "env var")
    for key, value in data.items():
        table.add_row(key, str(value), f"CITEWISE_{key.upper()}" if key != "fingerprint" else "")
    for key, value in scorer.items():
        table.add_row(f"answer_scorer.{key}", str(value), "")
    out.print(table)


@app.command()
def ingest(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="folder of articles")] = None,
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="re-embed every article")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Bring the index in line with the corpus: add new, replace changed, drop deleted.

    Killing it (even kill -9) leaves the live index whole; vectors it has already encoded are
    kept, and the next ingest does not encode them again."""
    from qa.publish import ingest_corpus

    settings = load_settings(corpus_dir=corpus, index_dir=index)
    if not settings.corpus_dir.is_dir():
        fail(f"corpus folder {settings.corpus_dir} does not exist")
    show = not (as_json or quiet) and err.is_terminal
    lines = ProgressLines(err) if not (quiet or err.is_terminal) else None  # logs, pipes
    with Progress(TextColumn("{task.description:<8}"), BarColumn(), TaskProgressColumn(),
                  console=err, disable=not show, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or 1)
            bar.update(tasks[stage], completed=done, total=total or 1)
            if lines is not None:
                lines(stage, done, total)

        try:
            report, warning = ingest_corpus(settings, rebuild=rebuild, progress=progress)
        except (OSError, ValueError) as exc:
            fail(f"ingest failed, index unchanged: {exc}")
        if warning:
            err.print(f"[yellow]warning:[/] {warning}")
    if as_json:
        print(json.dumps(report.as_dict(), indent=2))
        return
    if quiet:
        return
    if report.rebuilt_reason:
        err.print(f"rebuilt from scratch: {report.rebuilt_reason}")
    resumed = f", {report.n_resumed} of them saved by an interrupted ingest" \
        if report.n_resumed else ""
    out.print(f"[bold]{settings.index_dir}[/]: {report.n_chunks} chunks, version "
              f"{report.version_id} ({report.seconds:.1f} s, {report.n_embedded} embedded"
              f"{resumed})")
    out.print(f"added {len(report.added)}, updated {len(report.updated)}, removed "
              f"{len(report.removed)}, unchanged {len(report.unchanged)}, skipped "
              f"{len(report.skipped)}")
    for name, ids in (("added", report.added), ("updated", report.updated),
                      ("removed", report.removed)):
        for article_id in ids:
            account = report.accounts.get(article_id)
            words = (f" ({account['words_indexed']:,} of {account['words_source']:,} words "
                     f"indexed)" if account else "")
            out.print(f"  {name:<8} {article_id}{words}", highlight=False)
    # One line per skipped file or warning, however long (scripts grep them).
    for path, reason in report.skipped:
        out.print(f"  [yellow]skipped[/]  {path}: {reason}", highlight=False, soft_wrap=True)
    for article_id, warnings in report.warnings.items():
        for warning in warnings:
            out.print(f"  [yellow]warning[/]  {article_id}: {warning}", highlight=False,
                      soft_wrap=True)


@app.command()
def articles(
    index: IndexOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one record per article")] = False,
) -> None:
    """List the indexed articles with their metadata and ingest account (words indexed)."""
    from index.catalog import article_records
    from index.errors import IndexCorruptError, IndexMissingError
    from index.store import load_index

    settings = load_settings(index_dir=index)
    try:
        records = article_records(load_index(settings.index_dir))
    except (IndexMissingError, IndexCorruptError) as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps([r.as_dict() for r in records], indent=2, ensure_ascii=False))
        return
    # One line per article; the title takes what the terminal width leaves.
    head = (f"{'article':<28} {'year':>4} {'status':<12} {'pages':>5} {'sect':>4} {'refs':>4} "
            f"{'words idx/src':>13} {'idx%':>4} {'ocr':>3} {'warn':>4}  ")
    room = max(20, out.width - len(head))
    out.print(head + "title", highlight=False, markup=False, soft_wrap=True)
    for r in records:
        share = f"{r.indexed_share:.0%}" if r.indexed_share is not None else "?"
        words = f"{r.words_indexed:,}/{r.words_source:,}" if r.words_source is not None else "?"
        article_id = r.article_id if len(r.article_id) <= 28 else r.article_id[:27] + "…"
        title = r.title if len(r.title) <= room else r.title[: room - 1] + "…"
        out.print(f"{article_id:<28} {r.year or '—':>4} {(r.review_status or '—')[:12]:<12} "
                  f"{r.pages or '—':>5} {r.sections:>4} {r.references:>4} {words:>13} "
                  f"{share:>4} {'yes' if r.ocr else '':>3} {len(r.warnings) or '':>4}  {title}",
                  highlight=False, markup=False, soft_wrap=True)
    for r in records:
        for warning in r.warnings:
            out.print(f"  [yellow]warning[/]  {r.article_id}: {warning}", highlight=False,
                      soft_wrap=True)


def _load_engine(index: Path | None):  # noqa: ANN202 - imported lazily for a fast --help
    from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
    from qa.engine import QAEngine

    settings = load_settings(index_dir=index)
    try:
        return QAEngine.load(settings)
    except (IndexMissingError, IndexMismatchError, IndexCorruptError, ValueError) as exc:
        fail(str(exc))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the clinical question ('-' reads stdin)")],
    index: IndexOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer record")] = False,
    follow_up: Annotated[list[str] | None, typer.Option(
        "--after", help="an earlier question of the conversation (repeatable)")] = None,
    audience: Annotated[str, typer.Option(
        "--audience", help="clinician, or patient: plain-language wording by the LLM, "
        "every citation and number kept")] = "clinician",
) -> None:
    """Answer a question from the indexed articles, every sentence cited."""
    from qa import ask as asking
    from qa.audience import AUDIENCES
    from qa.engine import QuestionError

    if audience not in AUDIENCES:
        fail(f"--audience must be one of {', '.join(AUDIENCES)}, not {audience!r}", code=2)
    if question == "-":
        question = sys.stdin.read()
    engine = _load_engine(index)
    try:
        asked = asking.ask(engine, question, follow_up or (), audience)
    except QuestionError as exc:
        fail(str(exc), code=2)
    if as_json:
        print(json.dumps(asked.as_dict(), indent=2, ensure_ascii=False))
        return
    from citewise.render import print_answer

    for notice in (asked.answer.composer_notice, asked.worded.notice):
        if notice:
            err.print(f"[yellow]notice:[/] {notice}", highlight=False, soft_wrap=True)
    print_answer(out, asked.answer, asked.worded.text)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on (a load balancer "
                                      "in front for anything beyond this machine)")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="worker processes, each "
                                         "holding the index (~RSS of one `citewise ask`)")] = 1,
    index: IndexOpt = None,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="folder POST /v1/ingest syncs (default: settings.corpus_dir)")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs): ask, articles, ingest jobs, health, metrics.

    Every worker picks up a version published by an ingest (this server's or any other's)
    without a restart; requests already running finish on the old one."""
    from api.server import serve as run_server

    settings = load_settings(index_dir=index, corpus_dir=corpus)
    run_server(settings, host=host, port=port, workers=workers)


@app.command()
def audit(
    limit: Annotated[int, typer.Option("--limit", help="newest N entries")] = 20,
    contains: Annotated[str, typer.Option("--contains", help="question text filter")] = "",
    abstained: Annotated[bool | None, typer.Option("--abstained/--answered")] = None,
    origin: Annotated[str | None, typer.Option(
        "--origin", help="ask (clinicians' questions) or eval (eval sets'); default both")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List audited answers (time, question, citations, index version, abstained, origin)."""
    from qa.audit import ORIGINS, AuditLog

    settings = load_settings()
    if origin is not None and origin not in ORIGINS:
        fail(f"--origin must be one of {', '.join(ORIGINS)}, not {origin!r}", code=2)
    if not settings.audit_path.exists():
        fail(f"no audit log at {settings.audit_path} (is CITEWISE_AUDIT_LOG off?)")
    entries = AuditLog(settings.audit_path).entries(limit, contains, abstained, origin=origin)
    if as_json:
        print(json.dumps([e.as_dict() for e in entries], indent=2, ensure_ascii=False))
        return
    table = Table("at", "question", "abstained", "citations", "index version", "origin")
    for e in entries:
        table.add_row(e.at, e.question[:60], "yes" if e.abstained else "no",
                      ", ".join(str(c["chunk_id"]) for c in e.citations), e.index_version,
                      e.origin)
    out.print(table)


# Commands defined in their own packages (they import only typer at module level).
from citewise.bench.command import bench_command  # noqa: E402, I001
from citewise.editor_command import meta_command, remove_command, status_command  # noqa: E402
from eval.cli_command import eval_command  # noqa: E402

app.command("eval")(eval_command)
app.command("bench")(bench_command)
app.command("status")(status_command)
app.command("remove")(remove_command)
app.command("meta")(meta_command)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
