"""Targets checked against the results, and the tables `citewise bench` prints (rich) or
docs/benchmarks.md shows (Markdown)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from citewise.bench.report_stages import stage_names

# (key, description, limit, "max" = measured must be <= limit / "min" = >= limit); the
# corpus-dependent ones are checked on each corpus named in CORPUS_TARGETS.
TARGETS = (
    ("warm_p95_ms", "warm answer p95 (ms)", 50.0, "max"),
    ("cold_ask_s", "cold `citewise ask`, median (s)", 3.0, "max"),
    ("answers_per_s_8", "answers/s, 8 concurrent askers", 20.0, "min"),
    ("ingest_ratio", "ingest / raw encoder chunks/s", 0.7, "min"),
    ("rss_mb", "peak RSS of an answering process (MB)", 1536.0, "max"),
    ("scale_1m_p95_ms", "1M chunks: search p95 (ms)", 300.0, "max"),
    ("scale_1m_recall", "1M chunks: recall@10", 0.95, "min"),
    ("timing_coverage", "lowest share of an answer's latency its stage timings cover", 0.9,
     "min"),
)
CORPUS_TARGETS = {"warm_p95_ms": ("seed", "real"), "cold_ask_s": ("demo", "seed", "real"),
                  "answers_per_s_8": ("demo", "seed", "real"), "ingest_ratio": ("real",),
                  "rss_mb": ("demo", "seed", "real"),
                  "timing_coverage": ("demo", "seed", "real")}
# The largest --growth step (the whole library) and the --load run.
LIBRARY_TARGETS = (
    ("warm_p95_ms", "library: warm answer p95 (ms)", 50.0, "max"),
    ("timing_coverage", "library: lowest share of an answer's latency its stages cover", 0.9,
     "min"),
    ("cold_ask_s", "library: cold `citewise ask`, median (s)", 3.0, "max"),
    ("rss_mb", "library: peak RSS of a serving worker (MB)", 3072.0, "max"),
    ("load_errors", "load: failed requests", 0.0, "max"),
    ("load_differ", "load: answers not the CLI's for their version", 0.0, "max"),
)


def chosen_row(results: dict, n: int) -> dict | None:
    for row in results.get("scale", []):
        if row["n"] == n and row["chosen"]:
            return row
    return None


def corpus_value(row: dict, key: str) -> float | None:
    """A target's measured value in one corpus's (or growth step's) row; None when not run."""
    getters = {
        "warm_p95_ms": lambda: row["warm"]["p95_ms"],
        "cold_ask_s": lambda: row["cold"]["cli_ask_median_s"],
        "answers_per_s_8": lambda: row["throughput"]["8"]["answers_per_s"],
        "ingest_ratio": lambda: row["ingest"]["ratio"],
        "rss_mb": lambda: row["answering_peak_rss_mb"],
        "timing_coverage": lambda: row["warm"]["coverage"]["min"],
    }
    try:
        return getters[key]()
    except KeyError:
        return None


def _target(key: str, corpus: str, what: str, limit: float, sense: str,
            value: float | None) -> dict[str, object]:
    if value is None:
        met, margin = None, None
    else:
        met = value <= limit if sense == "max" else value >= limit
        margin = round((value - limit) / limit * 100, 1) if limit else None
    return {"key": key, "corpus": corpus, "what": what,
            "target": ("<= " if sense == "max" else ">= ") + f"{limit:g}",
            "measured": value, "met": met, "margin_pct": margin}


def library_value(results: dict, key: str) -> float | None:
    growth = results.get("growth") or []
    last = growth[-1] if growth else None
    load = results.get("load")
    if key == "rss_mb":
        rss = [v for v in (load or {}).get("worker_peak_rss_mb", {}).values() if v]
        if rss:
            return max(rss)
        return last["answering_peak_rss_mb"] if last else None
    if key.startswith("load_"):
        if load is None:
            return None
        return float(load["errors"] if key == "load_errors" else load["differ_from_cli"])
    return corpus_value(last, key) if last else None


def check_library_targets(results: dict) -> list[dict[str, object]]:
    if not results.get("growth") and not results.get("load"):
        return []
    name = f"{results['growth'][-1]['documents']} documents" if results.get("growth") else "-"
    return [_target(key, name, what, limit, sense, library_value(results, key))
            for key, what, limit, sense in LIBRARY_TARGETS]


def check_targets(results: dict) -> list[dict[str, object]]:
    """Every target on the corpora it is set for, and on any folder given by `--corpus`; the
    library targets on the last --growth step and the --load run."""
    out = []
    big = chosen_row(results, 1_000_000)
    folders = [n for n in results["corpora"] if n not in ("demo", "seed", "real")]
    for key, what, limit, sense in TARGETS:
        cells: list[tuple[str, float | None]] = []
        if key in CORPUS_TARGETS:
            for name in (*CORPUS_TARGETS[key], *folders):
                if name in results["corpora"]:
                    cells.append((name, corpus_value(results["corpora"][name], key)))
        elif big is not None:
            cells.append(("synthetic", big["p95_ms"] if key == "scale_1m_p95_ms"
                          else big["recall_at_10"]))
        if not cells and not results.get("growth"):
            cells.append(("-", None))
        out.extend(_target(key, corpus, what, limit, sense, value) for corpus, value in cells)
    return out + check_library_targets(results)


def corpus_rows(results: dict) -> list[list[str]]:
    """One row per corpus: the headline numbers (strings, for either table format)."""
    rows = []
    for name, r in results["corpora"].items():
        ing, w, t, cold = r["ingest"], r["warm"], r["throughput"], r["cold"]
        rows.append([
            name, str(ing["articles"]), str(ing["chunks"]), str(ing["sentences"]),
            f"{r['parse']['parse_s']:.1f}",
            f"{ing['ingest_chunks_per_s']:.1f} / {ing['encoder_chunks_per_s']:.1f} = "
            f"{ing['ratio']:.2f}" + (f" ({ing['passage_encoder']} bare: {ing['ratio_own']:.2f})"
                                     if ing.get("passage_encoder", "torch") != "torch" else ""),
            f"{w['p50_ms']:.1f} / {w['p95_ms']:.1f}",
            f"{t['1']['answers_per_s']:.1f}", f"{t['8']['answers_per_s']:.1f} "
            f"(p50 {t['8']['p50_ms']:.0f} ms)",
            f"{cold['cli_ask_median_s']:.2f}", f"{r['answering_peak_rss_mb']:.0f}",
        ])
    return rows


CORPUS_HEADER = ["corpus", "articles", "chunks", "sentences", "parse s",
                 "ingest / encoder chunks/s", "warm p50 / p95 ms", "answers/s x1",
                 "answers/s x8", "cold ask s", "RSS MB"]


def stage_rows(results: dict) -> tuple[list[str], list[list[str]]]:
    names = list(results["corpora"])
    warms = [results["corpora"][n]["warm"] for n in names]
    rows = []
    for s in ("answer", *stage_names(warms)):
        cells = [s if s == "answer" else f"  {s}"]
        for w in warms:
            src = w if s == "answer" else w["stages"].get(s, {"p50_ms": 0.0, "p95_ms": 0.0})
            cells.append(f"{src['p50_ms']:.1f} / {src['p95_ms']:.1f}")
        rows.append(cells)
    coverage = ["stages / latency, lowest"] + [
        f"{w['coverage']['min']:.2f}" if w.get("coverage", {}).get("min") is not None else "-"
        for w in warms]
    return ["warm answer, ms p50 / p95", *names], rows + [coverage]


def _status(met: bool | None) -> str:
    return {True: "[green]met[/]", False: "[red]missed[/]", None: "[dim]not run[/]"}[met]


def print_report(console: Console, results: dict) -> None:
    if results["corpora"]:
        table = Table(*CORPUS_HEADER, title="Per corpus (ingest: sync + BM25 save, incl. parse)")
        for row in corpus_rows(results):
            table.add_row(*row)
        console.print(table)
        header, rows = stage_rows(results)
        stages = Table(*header, title="Warm answer latency by stage")
        for row in rows:
            stages.add_row(*row)
        console.print(stages)
    for name, r in results["corpora"].items():
        b = r["cold"]["breakdown"]
        console.print(f"[bold]{name} cold[/]: `citewise ask` {r['cold']['cli_ask_s']} s; probe: "
                      f"interpreter {b['interpreter_start_s']:.2f} + import {b['import_s']:.2f} "
                      f"+ encoder {b['model_load_s']:.2f} + index {b['index_load_s']:.2f} + "
                      f"first answer {b['first_answer_s']:.2f} s ({b['query_encoder']}, torch "
                      f"imported: {b['torch_imported']})")
    if results["scale"]:
        scale = Table("chunks", "index", "efSearch", "build s", "index MB", "p50 ms", "p95 ms",
                      "recall@10", "chosen", title="Scale (synthetic clustered vectors)")
        for row in results["scale"]:
            scale.add_row(f"{row['n']:,}", row["index_type"], str(row["ef_search"] or "-"),
                          f"{row['build_s']:.1f}", f"{row['index_mb']:.0f}",
                          f"{row['p50_ms']:.2f}", f"{row['p95_ms']:.2f}",
                          f"{row['recall_at_10']:.3f}", "yes" if row["chosen"] else "")
        console.print(scale)
    from citewise.bench.library_report import library_tables

    for title, header, rows in library_tables(results):
        table = Table(*header, title=title)
        for row in rows:
            table.add_row(*row)
        console.print(table)
    targets = Table("target", "corpus", "limit", "measured", "status", "margin", title="Targets")
    for t in results["targets"]:
        targets.add_row(t["what"], t["corpus"], t["target"], "-" if t["measured"] is None else
                        f"{t['measured']:g}", _status(t["met"]),
                        "" if t["margin_pct"] is None else f"{t['margin_pct']:+.1f}%")
    console.print(targets)


def _md(header: list[str], rows: list[list[str]]) -> list[str]:
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(r) + " |" for r in rows])


def markdown_tables(results: dict) -> str:
    """The same tables as Markdown, for docs/benchmarks.md."""
    from citewise.bench.library_report import library_tables

    lines: list[str] = []
    if results["corpora"]:
        lines += _md(CORPUS_HEADER, corpus_rows(results)) + [""]
        header, rows = stage_rows(results)
        lines += _md(header, rows) + [""]
    for title, header, rows in library_tables(results):
        lines += [f"**{title}**", ""] + _md(header, rows) + [""]
    if results["scale"]:
        lines += _md(["chunks", "index", "efSearch", "build s", "index MB", "p50 ms", "p95 ms",
                      "recall@10", "chosen"],
                     [[f"{r['n']:,}", r["index_type"], str(r["ef_search"] or "-"),
                       f"{r['build_s']:.1f}", f"{r['index_mb']:.0f}", f"{r['p50_ms']:.2f}",
                       f"{r['p95_ms']:.2f}", f"{r['recall_at_10']:.3f}",
                       "**yes**" if r["chosen"] else ""] for r in results["scale"]]) + [""]
    lines += _md(["target", "corpus", "limit", "measured", "status", "margin"],
                 [[t["what"], t["corpus"], t["target"], str(t["measured"]),
                   {True: "met", False: "**missed**", None: "not run"}[t["met"]],
                   "" if t["margin_pct"] is None else f"{t['margin_pct']:+.1f}%"]
                  for t in results["targets"]])
    return "\n".join(lines) + "\n"
