"""The --growth and --load tables of `citewise bench` (rich and Markdown share the rows)."""

from __future__ import annotations

from citewise.bench.report_stages import stage_names

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows

GROWTH_HEADER = ["documents", "chunks", "sentences", "added", "ingest s", "s / document added",
                 "warm p50 / p95 / max ms", "stages / latency, lowest", "answers/s x8",
                 "cold ask s", "RSS MB"]


def _f(value: object, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def growth_rows(results: dict) -> list[list[str]]:
    rows = []
    for r in results.get("growth") or []:
        ing, w = r["ingest"], r["warm"]
        rows.append([
            str(r["documents"]), f"{r['chunks']:,}", f"{r['sentences']:,}", str(ing["added"]),
            _f(ing["ingest_s"]), _f(ing["s_per_document_added"], ".2f"),
            f"{w['p50_ms']:.1f} / {w['p95_ms']:.1f} / {w['max_ms']:.0f}",
            _f(w.get("coverage", {}).get("min"), ".2f"),
            _f(r["throughput"]["8"]["answers_per_s"]), _f(r["cold"]["cli_ask_median_s"], ".2f"),
            _f(r["answering_peak_rss_mb"], ".0f")])
    return rows


def growth_stage_rows(results: dict) -> tuple[list[str], list[list[str]]]:
    steps = results.get("growth") or []
    warms = [r["warm"] for r in steps]
    rows = []
    for s in ("answer", *stage_names(warms)):
        cells = [s if s == "answer" else f"  {s}"]
        for w in warms:
            src = w if s == "answer" else w["stages"].get(s, {"p50_ms": 0.0, "p95_ms": 0.0})
            cells.append(f"{src['p50_ms']:.1f} / {src['p95_ms']:.1f}")
        rows.append(cells)
    return ["warm answer, ms p50 / p95", *[f"{r['documents']} docs" for r in steps]], rows


def load_rows(load: dict) -> list[list[str]]:
    rss = [v for v in load.get("worker_peak_rss_mb", {}).values() if v]
    during = load.get("during") or {}
    return [[
        str(load["askers"]), str(load["workers"]), _f(load["seconds"]), str(load["answers"]),
        str(load["errors"]), _f(load["answers_per_s"]),
        f"{_f(load['p50_ms'])} / {_f(load['p95_ms'])} / {_f(load['max_ms'], '.0f')}",
        " → ".join(f"{v[-6:]}: {n}" for v, n in load["answers_by_version"].items()),
        f"{_f(during.get('job_seconds'))} + {_f(during.get('all_workers_switched_s'))}",
        f"{load['differ_from_cli']} of {load['compared_with_cli']}",
        "/".join(f"{v:.0f}" for v in rss) or "-"]]


LOAD_HEADER = ["askers", "workers", "s", "answers", "errors", "answers/s",
               "p50 / p95 / max ms", "answers by index version", "ingest job s + switch s",
               "differ from CLI", "worker peak RSS MB"]


def library_tables(results: dict) -> list[Table]:
    tables: list[Table] = []
    if results.get("growth"):
        tables.append(("Library growth (each step ingests only what it adds)", GROWTH_HEADER,
                       growth_rows(results)))
        header, rows = growth_stage_rows(results)
        tables.append(("Warm answer latency by stage, as the library grows", header, rows))
    if results.get("load"):
        tables.append(("Served load (citewise serve) with an ingest in the middle",
                       LOAD_HEADER, load_rows(results["load"])))
    return tables
