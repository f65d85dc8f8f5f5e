"""Rich terminal tables for `citewise eval`: summary, per-case rows, baseline changes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from eval.calibrate import Calibration, CalibrationPoint, format_threshold
from eval.compare import compare_summaries
from eval.crossval import CrossValidation

STATUS_STYLE = {"better": "green", "worse": "bold red", "new": "cyan", "gone": "dim",
                "same": "dim"}


def format_value(value: Any) -> str:
    """A metric value as shown in the terminal table and the HTML report."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def summary_table(run: Mapping[str, Any], baseline: Mapping[str, Any] | None = None) -> Table:
    table = Table(title="summary", title_justify="left")
    table.add_column("metric")
    if baseline is None:
        table.add_column("value", justify="right")
        for key, value in run["summary"].items():
            table.add_row(key, format_value(value))
        return table
    for name in ("baseline", "now", "change"):
        table.add_column(name, justify="right")
    for row in compare_summaries(run, baseline):
        style = STATUS_STYLE.get(row["direction"], "") if row["graded"] else "dim"
        delta = "" if row["delta"] is None else f"{row['delta']:+.4g}"
        table.add_row(row["metric"], format_value(row["before"]), format_value(row["after"]),
                      f"[{style}]{delta}[/]" if style and delta else delta)
    return table


def cases_table(run: Mapping[str, Any], status: Mapping[str, str] | None = None) -> Table:
    table = Table(title="cases", title_justify="left")
    for name, justify in (("id", "left"), ("ans", "left"), ("abst", "left"),
                          ("facts", "right"), ("src", "left"), ("R@5", "right"),
                          ("MRR", "right"), ("evid", "right"), ("ms", "right"),
                          ("result", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    if status is not None:
        table.add_column("change")
    table.add_column("why", overflow="fold")
    for r in run["results"]:
        s = r["scores"]
        facts = ("–" if s.get("fact_coverage") is None
                 else f"{sum(s['facts_covered'])}/{len(s['facts_covered'])}")
        row = [r["id"], format_value(r["answerable"]), format_value(s["abstained"]), facts,
               format_value(s.get("source_hit")), format_value(s.get("recall@5")),
               format_value(s.get("mrr")),
               format_value(s.get("evidence")), f"{s.get('latency_ms') or 0:.0f}",
               "[green]PASS[/]" if s["passed"] else "[bold red]FAIL[/]"]
        if status is not None:
            change = status.get(r["id"], "")
            row.append(f"[{STATUS_STYLE.get(change, '')}]{change}[/]" if change else "")
        row.append("; ".join(s["failures"]))
        table.add_row(*row)
    return table


def changes_lines(changes: Sequence[Mapping[str, Any]]) -> list[str]:
    counts = {k: sum(1 for c in changes if c["status"] == k)
              for k in ("better", "worse", "same", "new", "gone")}
    moved = [c for c in changes if c["status"] != "same"]
    head = ", ".join(f"{n} {k}" for k, n in counts.items())
    if not moved:
        return [f"against the baseline: no change ({head})"]
    lines = [f"against the baseline: {head}"]
    for c in moved:
        lines.append(f"  [{STATUS_STYLE[c['status']]}]{c['status']:<6}[/] {c['id']}: "
                     f"{_state(c['before'])} -> {_state(c['after'])}")
    return lines


def _state(state: Mapping[str, Any] | None) -> str:
    if state is None:
        return "–"
    return (f"facts {format_value(state['fact_coverage'])}, "
            f"abstained {format_value(state['abstained'])}, "
            f"source hit {format_value(state['source_hit'])}")


def print_calibration(console: Console, cal: Calibration) -> None:
    table = Table(title=f"abstention threshold sweep ({cal.setting}: score < threshold -> "
                  "abstain)",
                  title_justify="left")
    for name in ("threshold", "precision", "recall", "F1", "false abst.", "missed abst."):
        table.add_column(name, justify="right")

    def add(p: CalibrationPoint, label: str = "") -> None:
        style = "bold green" if p == cal.best else ""
        cells = [format_threshold(p.threshold) + label, f"{p.precision:.3f}",
                 f"{p.recall:.3f}", f"{p.f1:.3f}", str(p.false_abstentions),
                 str(p.missed_abstentions)]
        table.add_row(*cells, style=style)

    add(cal.current, " (current)")
    at = cal.points.index(cal.best)
    for p in cal.points[max(0, at - 3): at + 4]:  # the best and its neighbours
        add(p)
    console.print(table)
    b, c = cal.best, cal.current
    console.print(f"current {cal.setting} {format_threshold(c.threshold)}: F1 {c.f1:.3f}, "
                  f"{c.false_abstentions} false / {c.missed_abstentions} missed abstentions")
    console.print(f"best: F1 {b.f1:.3f} (precision {b.precision:.3f}, recall {b.recall:.3f}), "
                  f"{b.false_abstentions} false / {b.missed_abstentions} missed abstentions")
    console.print(f"same decisions for any threshold in ({cal.gap[0]:.4f}, {cal.gap[1]:.4f}]: "
                  "scores of the closest cases on either side", highlight=False)
    if cal.still_answered:
        console.print("still answered (unanswerable, score above the threshold): "
                      + ", ".join(cal.still_answered))
    if cal.always_abstained:
        console.print("abstain at any threshold (nothing quotable, a scope gap, the other "
                      "check): "
                      + ", ".join(cal.always_abstained))
    console.print("put this in the environment or settings:")
    console.print(f"[bold]{cal.env_line}[/]", highlight=False)


def print_cross_validation(console: Console, cv: CrossValidation) -> None:
    """Held-out abstention numbers: each threshold is scored on cases it was not fitted on."""
    table = Table(title="abstention, cross-validated (threshold fitted without the held-out "
                  "cases, scored on them)", title_justify="left")
    for name in ("held out", "cases", "threshold", "precision", "recall", "F1", "false abst.",
                 "missed abst."):
        table.add_column(name, justify="right" if name != "held out" else "left")

    def add(fold_name: str, n: int | str, p: CalibrationPoint | None, style: str = "") -> None:
        if p is None:
            return
        t = "per fold" if math.isnan(p.threshold) else format_threshold(p.threshold)
        table.add_row(fold_name, str(n), t, f"{p.precision:.3f}", f"{p.recall:.3f}",
                      f"{p.f1:.3f}", str(p.false_abstentions), str(p.missed_abstentions),
                      style=style)

    for f in cv.leave_one_set_out:
        add(f"set {f.held_out}", f.n_cases, f.metrics)
    total = sum(f.n_cases for f in cv.leave_one_set_out)
    add("leave one set out, all held-out", total, cv.leave_one_set_out_pooled, "bold")
    for f in cv.k_fold:
        add(f.held_out, f.n_cases, f.metrics, "dim")
    add(f"{len(cv.k_fold)}-fold, all held-out", sum(f.n_cases for f in cv.k_fold),
        cv.k_fold_pooled, "bold")
    for f in cv.current:
        add(f"{f.held_out} at the current threshold", f.n_cases, f.metrics, "dim")
    console.print(table)
