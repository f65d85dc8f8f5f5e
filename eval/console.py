"""Rich terminal tables for `citewise eval`: summary, per-case rows, baseline changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table

from eval.compare import compare_summaries

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
