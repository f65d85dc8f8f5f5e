"""`citewise eval --train-scorer` and `citewise eval --cv documents` (`--calibrate`): the
answer scorer fitted on the eval sets, and judged on documents it was not fitted on.

Every set is asked over its own corpus (its `# corpus:` line, sliced by `# files:`); sets over
one corpus share its index and engine. `--train-scorer` fits on every set not marked held-out
and writes qa/models/answer_scorer.json with its document-held-out figures; `--cv documents`
prints, per set and over all, the shipped scorer's figures, the document-held-out ones and the
plain baseline's.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from eval.indexes import err, fail, index_for_set, load_engine, out_console, progress_bar

SHOWN = ("fact_coverage", "source_hit", "citation_precision", "abstention_f1",
         "false_abstentions", "missed_abstentions")
SHORT = {"fact_coverage": "facts", "source_hit": "source", "citation_precision": "cit.prec",
         "abstention_f1": "abst.F1", "false_abstentions": "false", "missed_abstentions": "missed"}


def held_out_lines(training: dict[str, Any], set_name: str) -> list[str]:
    """The shipped scorer's document-held-out figures for `set_name` and the plain baseline's,
    as its training recorded them (`citewise eval --train-scorer`), to read beside a run's."""
    held = training.get("document_held_out", {}).get(set_name)
    if not held:
        return [f"document-held-out: {set_name} was not among the scorer's training sets "
                "(`citewise eval --cv documents --set ...` measures it)"]
    base = training.get("baseline_held_out", {}).get(set_name, {})
    cells = ", ".join(f"{SHORT[m]} {held[m]:g}" if m.endswith("abstentions")
                      else f"{SHORT[m]} {held[m]:.3f}" for m in SHOWN if held.get(m) is not None)
    lines = [f"document-held-out (scorer fitted without this set's documents): {cells}"]
    if base:
        lines.append("plain baseline, same passages (top-3 by sentence + passage cosine): "
                     + ", ".join(f"{SHORT[m]} {v:.3f}" for m, v in base.items() if v is not None))
    return lines


def default_sets() -> list[Path]:
    """Every shipped set whose corpus is present (sets naming none use settings.index_dir)."""
    from eval.cases import EvalSetError, known_sets, set_source

    out = []
    for path in known_sets():
        try:
            source = set_source(path)
        except EvalSetError as exc:
            fail(str(exc), code=2)
        if source is None or source.exists():
            out.append(path)
        else:
            err.print(f"skipping {path.name}: its corpus {source.folder} is absent",
                      highlight=False)
    return out


def collect_sets(sets: list[Path]) -> list[Any]:
    """Every case of every set prepared and labelled (eval.samples.CaseSample)."""
    from eval.cases import EvalSetError, is_held_out, load_cases, set_source
    from eval.samples import collect
    from eval.train_scorer import untrained_model
    from qa.scorer import ScorerModelError, load_model

    try:  # what the "shipped" figures are of; preparing reads no model
        shipped = load_model()
    except ScorerModelError as exc:
        err.print(f"{exc}: the shipped figures are an untrained scorer's", highlight=False)
        shipped = untrained_model()
    engines: dict[Path, Any] = {}
    samples: list[Any] = []
    for path in sets:
        try:
            cases = load_cases(path)
            held_out = is_held_out(path)
            source = set_source(path)
        except EvalSetError as exc:
            fail(str(exc), code=2)
        if not cases:
            fail(f"{path}: the eval set has no cases", code=2)
        settings, index_dir = index_for_set(path, None, None)
        if index_dir not in engines:
            engines[index_dir] = load_engine(settings, index_dir, shipped)
        corpus = source.folder.name if source is not None else str(index_dir)
        with progress_bar(f"preparing {path.stem}") as bar:
            task = bar.add_task("prepare", total=len(cases))
            samples.extend(collect(engines[index_dir], cases, path.stem, corpus, held_out,
                                   lambda done, total, t=task: bar.update(t, completed=done)))
    return samples


def _table(title: str, rows: dict[str, dict[str, dict[str, float]]]) -> Any:
    from rich.table import Table

    table = Table(title=title)
    table.add_column("set")
    table.add_column("n", justify="right")
    for kind in rows:
        for metric in SHOWN:
            table.add_column(f"{kind}\n{SHORT[metric]}", justify="right")
    names = list(next(iter(rows.values())))
    for name in names:
        cells = [name, str(next(iter(rows.values()))[name].get("n_cases", ""))]
        for summaries in rows.values():
            s = summaries.get(name, {})
            for metric in SHOWN:
                v = s.get(metric)
                cells.append("–" if v is None else f"{v:g}" if metric.endswith("abstentions")
                             else f"{v:.3f}")
        table.add_row(*cells)
    return table


def cv_sets(sets: list[Path], out_path: Path | None) -> dict[str, Any]:
    """Print (and return) the document-held-out figures of `sets` beside the shipped scorer's
    and the plain baseline's."""
    from config.settings import Settings
    from eval.heldout import document_cv

    settings = Settings.from_env()
    samples = collect_sets(sets or default_sets())
    started = time.perf_counter()
    with progress_bar("document folds") as bar:
        task = bar.add_task("folds", total=5)
        run = document_cv(samples, settings.duplicate_overlap, settings.max_statements,
                          progress=lambda done, total: bar.update(task, completed=done))
    result = {"held_out": run.summaries("held_out"), "shipped": run.summaries("shipped"),
              "baseline": run.summaries("baseline"), "folds": list(run.folds),
              "seconds": round(time.perf_counter() - started, 1)}
    out = out_console()
    out.print(_table("answers per set: shipped scorer | document-held-out | plain baseline",
                     {"shipped": result["shipped"], "held-out": result["held_out"],
                      "baseline": result["baseline"]}))
    for fold in run.folds:
        out.print(f"fold {fold['fold']}: {fold['test_cases']} cases on {fold['documents']} "
                  f"documents, fitted on {fold['train_cases']}: answer threshold "
                  f"{fold['answer_threshold']}, support {fold['support_relative']} / "
                  f"{fold['support_min']}", highlight=False)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(result | {"results": run.held_out}, indent=1,
                                       ensure_ascii=False) + "\n", encoding="utf-8")
        err.print(f"results: {out_path}", highlight=False)
    return result


def train_sets(sets: list[Path]) -> None:
    """Fit the scorer on every set not held out, record its held-out figures, write it."""
    from config.settings import Settings
    from eval.heldout import document_cv
    from eval.train_scorer import train
    from qa.scorer import MODEL_PATH, save_model

    settings = Settings.from_env()
    samples = collect_sets(sets or default_sets())
    fit_on = [s for s in samples if not s.held_out]
    if not fit_on:
        fail("every set given is held out: nothing to fit on", code=2)
    model = train(fit_on, settings.duplicate_overlap, settings.max_statements)
    run = document_cv(samples, settings.duplicate_overlap, settings.max_statements)
    held = run.summaries("held_out")
    base = run.summaries("baseline")
    model.training["document_held_out"] = {
        name: {m: s.get(m) for m in SHOWN} for name, s in held.items()}
    model.training["baseline_held_out"] = {
        name: {m: s.get(m) for m in ("fact_coverage", "source_hit")} for name, s in base.items()}
    model.training["command"] = "citewise eval --train-scorer " + " ".join(
        f"--set {p}" for p in sets) if sets else "citewise eval --train-scorer"
    save_model(model, MODEL_PATH)
    out = out_console()
    out.print(_table("document-held-out figures of this fit", {"held-out": held,
                                                               "baseline": base}))
    out.print(f"wrote {MODEL_PATH} (data {model.training['data_hash']}, "
              f"{model.training['n_questions']} questions, {model.training['n_units']} units; "
              f"answer threshold {model.selection.answer_threshold}, support "
              f"{model.selection.support_relative} / {model.selection.support_min})",
              highlight=False)
