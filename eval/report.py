"""A self-contained HTML report of an eval run: summary, plots, per-case table, changes."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from eval.compare import compare_runs, compare_summaries
from eval.console import format_value
from eval.side_by_side import side_by_side_html
from eval.svg import bar_chart, histogram

PASS, FAIL = "#59a14f", "#e15759"
CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:20px} h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.worse td{background:#fde2e1} tr.better td{background:#e3f4df}
tr.new td{background:#eef3fb} tr.gone td{background:#f1f1f1;color:#777}
.pass{color:#2d7d32;font-weight:bold} .fail{color:#c62828;font-weight:bold}
.up{color:#2d7d32} .down{color:#c62828} .muted{color:#777}
details summary{cursor:pointer;color:#345}
.plots{display:flex;flex-wrap:wrap;gap:24px}
tr.reworded td{background:#fff8e1} table.sbs td{width:41%} .answer{margin:4px 0}
"""


def _fmt(value: Any) -> str:
    return escape(format_value(value))


def _summary_table(run: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    if baseline is None:
        rows = "".join(f"<tr><th>{escape(k)}</th><td class=num>{_fmt(v)}</td></tr>"
                       for k, v in run["summary"].items())
        return f"<table style='width:auto'><tr><th>metric</th><th>value</th></tr>{rows}</table>"
    body = []
    for row in compare_summaries(run, baseline):
        cls = {"better": "up", "worse": "down"}.get(row["direction"], "muted")
        cls = cls if row["graded"] else "muted"
        delta = "" if row["delta"] is None else f"{row['delta']:+.4g}"
        body.append(f"<tr><th>{escape(row['metric'])}</th><td class=num>{_fmt(row['before'])}"
                    f"</td><td class=num>{_fmt(row['after'])}</td><td class='num {cls}'>"
                    f"{delta}</td></tr>")
    return ("<table style='width:auto'><tr><th>metric</th><th>baseline</th><th>now</th>"
            f"<th>change</th></tr>{''.join(body)}</table>")


def _case_rows(run: Mapping[str, Any], status: Mapping[str, str]) -> str:
    out = []
    for r in run["results"]:
        s = r["scores"]
        change = status.get(r["id"], "")
        verdict = "<span class=pass>pass</span>" if s["passed"] else "<span class=fail>fail</span>"
        facts = ("–" if s.get("fact_coverage") is None
                 else f"{sum(s['facts_covered'])}/{len(s['facts_covered'])}")
        why = "<br>".join(escape(f) for f in s["failures"])
        cited = ", ".join(escape(a) for a in s.get("cited_articles", []))
        expected = ", ".join(escape(e) for e in r.get("expected_sources", [])) or "–"
        answer = escape(str(r.get("answer") or ""))
        out.append(
            f"<tr class='{escape(change)}'><td><b>{escape(r['id'])}</b><br>"
            f"<span class=muted>{escape(r.get('question', ''))}</span></td>"
            f"<td>{verdict}{'<br>' + escape(change) if change else ''}</td>"
            f"<td>{'yes' if r['answerable'] else 'no'}</td><td>{_fmt(s['abstained'])}</td>"
            f"<td class=num>{facts}</td><td>{_fmt(s.get('source_hit'))}</td>"
            f"<td class=num>{_fmt(s.get('recall@5'))}</td><td class=num>{_fmt(s.get('mrr'))}"
            f"</td><td class=num>{_fmt(s.get('evidence'))}</td>"
            f"<td class=num>{float(s.get('latency_ms') or 0):.0f}</td>"
            f"<td>{why}<details><summary>answer</summary>{answer}<p><b>cited:</b> "
            f"{cited or '–'}<br><b>expected:</b> {expected}</p></details></td></tr>")
    return "".join(out)


def render_html(run: Mapping[str, Any], baseline: Mapping[str, Any] | None = None,
                title: str = "citewise eval") -> str:
    """The report as one HTML string (inline CSS and SVG, no external resources)."""
    results = run["results"]
    changes = compare_runs(run, baseline) if baseline is not None else []
    status = {c["id"]: c["status"] for c in changes}
    before = {r["id"]: r["scores"].get("fact_coverage") for r in (baseline or {}).get(
        "results", [])}
    answerable = [r for r in results if r["answerable"]]
    coverage = bar_chart(
        [(r["id"], r["scores"].get("fact_coverage") or 0.0,
          PASS if r["scores"]["passed"] else FAIL) for r in answerable],
        "Fact coverage per answerable case (green = passed"
        + (", tick = baseline)" if baseline is not None else ")"),
        markers=[before.get(r["id"]) for r in answerable] if baseline is not None else None)
    latency = histogram([float(r["scores"].get("latency_ms") or 0.0) for r in results],
                        "Latency per question")
    s = run["summary"]
    headline = (f"{s.get('passed', 0)}/{s.get('n_cases', 0)} cases pass · fact coverage "
                f"{_fmt(s.get('fact_coverage'))} · source hit {_fmt(s.get('source_hit'))} · "
                f"abstention F1 {_fmt(s.get('abstention_f1'))} · false abstentions "
                f"{_fmt(s.get('false_abstentions'))}")
    change_html = ""
    if baseline is not None:
        moved = [c for c in changes if c["status"] != "same"]
        counts = {k: sum(1 for c in changes if c["status"] == k)
                  for k in ("better", "worse", "same", "new", "gone")}
        listing = "".join(
            f"<tr class='{c['status']}'><td>{escape(c['id'])}</td><td>{c['status']}</td>"
            f"<td>{_state(c['before'])}</td><td>{_state(c['after'])}</td></tr>" for c in moved)
        change_html = (
            "<h2>Changes against the baseline</h2><p>" + ", ".join(
                f"{n} {k}" for k, n in counts.items()) + "</p>"
            + (f"<table><tr><th>case</th><th>status</th><th>before</th><th>after</th></tr>"
               f"{listing}</table>" if moved else "<p>No case changed.</p>")
            + side_by_side_html(run, baseline, changes))
    meta = run.get("meta", {})
    meta_line = " · ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in meta.items())
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>"
        f"<p><b>{headline}</b></p><p class=muted>{meta_line}</p>"
        f"<h2>Summary</h2>{_summary_table(run, baseline)}{change_html}"
        f"<h2>Plots</h2><div class=plots>{coverage}{latency}</div>"
        "<h2>Cases</h2><table><tr><th>case</th><th>result</th><th>answerable</th>"
        "<th>abstained</th><th>facts</th><th>source hit</th><th>R@5</th><th>MRR</th>"
        "<th>evidence</th><th>ms</th><th>why / answer</th></tr>"
        f"{_case_rows(run, status)}</table></body></html>")


def _state(state: Mapping[str, Any] | None) -> str:
    if state is None:
        return "–"
    return (f"facts {_fmt(state['fact_coverage'])}, abstained {_fmt(state['abstained'])}, "
            f"source hit {_fmt(state['source_hit'])}")


def write_html(run: Mapping[str, Any], path: Path | str,
               baseline: Mapping[str, Any] | None = None, title: str = "citewise eval") -> Path:
    """Write the report; `baseline` (an earlier results.json) highlights better/worse cases."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(run, baseline, title), encoding="utf-8")
    return path
