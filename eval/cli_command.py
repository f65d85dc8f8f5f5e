"""`citewise eval`: run an eval set, print the table, write results / report / exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from eval.indexes import err, fail, index_for_set, load_engine, out_console, progress_bar


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"{what} {path} cannot be read as JSON ({exc})")
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        fail(f"{what} {path} is not an eval results file (no 'results' list)")
    return data


def _previous_run(out_path: Path, eval_set: Path) -> dict[str, Any] | None:
    """The last saved run of the same set in `--out`, which this run will replace: compared
    against by default so the report shows what changed. None when there is none."""
    if not out_path.is_file():
        return None
    try:
        data = json.loads(out_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None
    saved_set = str(data.get("meta", {}).get("eval_set", ""))
    if Path(saved_set).name != eval_set.name:
        return None
    err.print(f"previous run: {out_path} (compared against; use --baseline to choose another)",
              highlight=False, soft_wrap=True)
    return data


def eval_command(
    eval_sets: Annotated[list[Path] | None, typer.Option(
        "--set", help="eval set (JSONL, one case a line); repeatable with --cv, --calibrate and "
        "--train-scorer (default then: every set in eval/sets whose corpus is present)")] = None,
    index: Annotated[Path | None, typer.Option(
        "--index", help="index folder to evaluate (with --corpus: where to ingest it)")] = None,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="ingest this corpus first (incremental, under .citewise/eval-index/)"
    )] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="write results JSON")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write an HTML report")] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="earlier results JSON: show cases that got better or worse")] = None,
    fail_under: Annotated[list[str] | None, typer.Option(
        "--fail-under", help="metric=value gate, repeatable; exit 1 when missed "
        "(false_abstentions / missed_abstentions / latency_* are upper bounds)")] = None,
    cv: Annotated[str | None, typer.Option(
        "--cv", help="'documents': answer every case with a scorer fitted without the "
        "documents it is about; print those figures beside the shipped scorer's and a plain "
        "baseline's")] = None,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help="the same document folds, with the decision thresholds each fold "
        "fits (the answer threshold and the supporting-unit floor)")] = False,
    train_scorer: Annotated[bool, typer.Option(
        "--train-scorer", help="fit the answer scorer on the sets not held out and write "
        "qa/models/answer_scorer.json")] = False,
    ragas: Annotated[Path | None, typer.Option(
        "--ragas", help="export question/answer/contexts/ground_truth (.jsonl or .csv)")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="summary only")] = False,
) -> None:
    """Score answers against an eval set: retrieval, facts, citations, abstention, latency."""
    from eval.cases import EvalSetError, load_cases
    from eval.thresholds import ThresholdError, missed_thresholds, parse_thresholds

    if cv is not None and cv != "documents":
        fail(f"--cv {cv!r}: the only folds are 'documents'", code=2)
    if cv or calibrate or train_scorer:
        from eval.scorer_command import cv_sets, train_sets

        if index is not None or corpus is not None:
            fail("--index/--corpus name one index: --cv, --calibrate and --train-scorer ask "
                 "each set over its own '# corpus:'", code=2)
        if train_scorer:
            train_sets(eval_sets or [])
        else:
            cv_sets(eval_sets or [], out_path)
        return
    if not eval_sets or len(eval_sets) > 1:
        fail("give exactly one --set (several only with --cv, --calibrate, --train-scorer)",
             code=2)
    eval_set = eval_sets[0]
    try:
        cases = load_cases(eval_set)
    except EvalSetError as exc:
        fail(str(exc), code=2)
    if not cases:
        fail(f"{eval_set}: the eval set has no cases", code=2)
    try:
        gates = parse_thresholds(fail_under or [])
    except ThresholdError as exc:
        fail(str(exc), code=2)
    if ragas is not None and ragas.suffix.lower() not in (".jsonl", ".json", ".csv"):
        fail(f"--ragas {ragas}: use a .jsonl or .csv file name", code=2)
    before = _read_json(baseline, "baseline") if baseline is not None else None
    if before is None and out_path is not None:
        before = _previous_run(out_path, eval_set)

    settings, index_dir = index_for_set(eval_set, index, corpus)
    engine = load_engine(settings, index_dir)
    out = out_console()

    from eval.compare import compare_runs
    from eval.console import cases_table, changes_lines, summary_table
    from eval.harness import run_eval
    from eval.scorer_command import held_out_lines

    with progress_bar("evaluating") as bar:
        task = bar.add_task("eval", total=len(cases))
        run = run_eval(engine, cases, lambda done, total: bar.update(task, completed=done))
    data = run.as_dict() | {"meta": run.meta | {"eval_set": str(eval_set),
                                                "index_dir": str(index_dir)}}
    changes = compare_runs(data, before) if before is not None else None
    if not quiet:
        status = {c["id"]: c["status"] for c in changes} if changes is not None else None
        out.print(cases_table(data, status))
    out.print(summary_table(data, before))
    for line in held_out_lines(engine.model.training, eval_set.stem):
        out.print(line, highlight=False)
    if changes is not None:
        for line in changes_lines(changes):
            out.print(line, highlight=False)

    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        err.print(f"results: {out_path}", highlight=False)
    if html is not None:
        from eval.report import write_html

        write_html(data, html, before, title=f"citewise eval · {eval_set.name}")
        err.print(f"report: {html}", highlight=False)
    if ragas is not None:
        from eval.ragas import write_ragas

        texts = {c.chunk_id: c.text for c in engine.data.chunks}
        n = write_ragas(data, ragas, texts, settings.passages_for_answer)
        err.print(f"ragas: {ragas} ({n} rows)", highlight=False)

    misses = missed_thresholds(data["summary"], gates)
    if misses:
        fail("below threshold: " + "; ".join(misses))
