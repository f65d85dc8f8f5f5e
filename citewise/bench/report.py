"""Targets checked against the results, and the rich table `citewise bench` prints."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

# (key, description, limit, "max" = measured must be <= limit / "min" = >= limit)
TARGETS = (
    ("warm_p95_ms", "warm answer p95, demo corpus (ms)", 150.0, "max"),
    ("ingest_ratio", "ingest / raw encoder throughput", 0.8, "min"),
    ("scale_1m_p95_ms", "1M chunks: search p95 (ms)", 300.0, "max"),
    ("scale_1m_recall", "1M chunks: recall@10", 0.95, "min"),
    ("cold_start_s", "cold start to first answer (s)", 8.0, "max"),
    ("demo_rss_mb", "peak RSS at demo scale (MB)", 1536.0, "max"),
)


def chosen_row(results: dict, n: int) -> dict | None:
    for row in results.get("scale", []):
        if row["n"] == n and row["chosen"]:
            return row
    return None


def measured(results: dict) -> dict[str, float | None]:
    warm = results["warm"].get(results["settings"]["sentence_encoder"]) or next(
        iter(results["warm"].values()))
    ingest = results["ingest"].get("synthetic") or results["ingest"]["corpus"]
    big = chosen_row(results, 1_000_000)
    return {
        "warm_p95_ms": warm["p95_ms"],
        "ingest_ratio": ingest["ratio"],
        "scale_1m_p95_ms": big["p95_ms"] if big else None,
        "scale_1m_recall": big["recall_at_10"] if big else None,
        "cold_start_s": results["cold_start"]["cli_ask_s"],
        # a fresh process that loads the demo index and answers: what a user runs
        "demo_rss_mb": results["memory"]["cold_ask_process_mb"],
    }


def check_targets(results: dict) -> list[dict[str, object]]:
    values = measured(results)
    out = []
    for key, what, limit, sense in TARGETS:
        value = values[key]
        if value is None:
            met, margin = None, None
        else:
            met = value <= limit if sense == "max" else value >= limit
            margin = round((value - limit) / limit * 100, 1)  # % above (+) / below (-) target
        out.append({"key": key, "what": what, "target": ("<= " if sense == "max" else ">= ")
                    + f"{limit:g}", "measured": value, "met": met, "margin_pct": margin})
    return out


def _status(met: bool | None) -> str:
    return {True: "[green]met[/]", False: "[red]missed[/]", None: "[dim]not run[/]"}[met]


def print_report(console: Console, results: dict) -> None:
    ing = Table("ingest", "articles", "chunks", "ingest chunks/s", "encoder chunks/s", "ratio",
                title="Ingest vs the raw encoder (same chunk texts, same batches)")
    for name, row in results["ingest"].items():
        ing.add_row(name, str(row["articles"]), str(row["chunks"]),
                    f"{row['ingest_chunks_per_s']:.1f}", f"{row['encoder_chunks_per_s']:.1f}",
                    f"{row['ratio']:.2f}")
    console.print(ing)

    stages = ("embed_query", "dense", "bm25", "fusion", "compose")
    encoders = list(results["warm"])
    warm = Table("warm answer (ms)", *[f"{e} p50 / p95" for e in encoders],
                 title="Warm answer latency by stage (composer sentence encoder per column)")
    rows = results["warm"]
    warm.add_row("answer", *[f"{rows[e]['p50_ms']:.1f} / {rows[e]['p95_ms']:.1f}"
                             for e in encoders])
    for s in stages:
        warm.add_row(f"  {s}", *[f"{rows[e]['stages'][s]['p50_ms']:.1f} / "
                                 f"{rows[e]['stages'][s]['p95_ms']:.1f}" for e in encoders])
    console.print(warm)

    cold = results["cold_start"]
    b = cold["breakdown"]
    console.print(f"[bold]Cold start[/]: `citewise ask` {cold['cli_ask_s']:.2f} s end to end; "
                  f"interpreter {b['interpreter_start_s']:.2f} + import {b['import_s']:.2f} + "
                  f"model {b['model_load_s']:.2f} + index {b['index_load_s']:.2f} + first answer "
                  f"{b['first_answer_s']:.2f} s")
    mem = results["memory"]
    console.print(f"[bold]Peak RSS[/]: answering process {mem['cold_ask_process_mb']:.0f} MB; "
                  f"bench process at demo scale (3 encoders, 2 indexes) "
                  f"{mem['bench_process_demo_mb']:.0f} MB, after scale "
                  f"{mem['bench_process_final_mb']:.0f} MB; children ru_maxrss "
                  f"{mem['children_ru_maxrss_mb']:.0f} MB (includes the parent's size at fork)")

    scale = Table("chunks", "index", "efSearch", "build s", "index MB", "p50 ms", "p95 ms",
                  "recall@10", "chosen", title="Scale (synthetic clustered vectors)")
    for row in results["scale"]:
        scale.add_row(f"{row['n']:,}", row["index_type"], str(row["ef_search"] or "-"),
                      f"{row['build_s']:.1f}", f"{row['index_mb']:.0f}", f"{row['p50_ms']:.2f}",
                      f"{row['p95_ms']:.2f}", f"{row['recall_at_10']:.3f}",
                      "yes" if row["chosen"] else "")
    console.print(scale)

    targets = Table("target", "limit", "measured", "status", "margin", title="Targets")
    for t in results["targets"]:
        targets.add_row(t["what"], t["target"], "-" if t["measured"] is None else
                        f"{t['measured']:g}", _status(t["met"]),
                        "" if t["margin_pct"] is None else f"{t['margin_pct']:+.1f}%")
    console.print(targets)


def markdown_tables(results: dict) -> str:
    """The same tables as Markdown, for docs/benchmarks.md."""
    lines = ["| ingest | articles | chunks | ingest chunks/s | encoder chunks/s | ratio |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in results["ingest"].items():
        lines.append(f"| {name} | {r['articles']} | {r['chunks']} | "
                     f"{r['ingest_chunks_per_s']:.1f} | {r['encoder_chunks_per_s']:.1f} | "
                     f"{r['ratio']:.2f} |")
    encoders = list(results["warm"])
    lines += ["", "| warm answer, ms p50 / p95 | " + " | ".join(encoders) + " |",
              "|---|" + "---:|" * len(encoders)]
    rows = results["warm"]
    lines.append("| **answer** | " + " | ".join(
        f"**{rows[e]['p50_ms']:.1f} / {rows[e]['p95_ms']:.1f}**" for e in encoders) + " |")
    for s in ("embed_query", "dense", "bm25", "fusion", "compose"):
        lines.append(f"| {s} | " + " | ".join(
            f"{rows[e]['stages'][s]['p50_ms']:.1f} / {rows[e]['stages'][s]['p95_ms']:.1f}"
            for e in encoders) + " |")
    lines += ["", "| chunks | index | efSearch | build s | index MB | p50 ms | p95 ms | "
              "recall@10 | chosen |", "|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results["scale"]:
        lines.append(f"| {r['n']:,} | {r['index_type']} | {r['ef_search'] or '-'} | "
                     f"{r['build_s']:.1f} | {r['index_mb']:.0f} | {r['p50_ms']:.2f} | "
                     f"{r['p95_ms']:.2f} | {r['recall_at_10']:.3f} | "
                     f"{'**yes**' if r['chosen'] else ''} |")
    lines += ["", "| target | limit | measured | status | margin |", "|---|---|---:|---|---:|"]
    for t in results["targets"]:
        status = {True: "met", False: "**missed**", None: "not run"}[t["met"]]
        margin = "" if t["margin_pct"] is None else f"{t['margin_pct']:+.1f}%"
        lines.append(f"| {t['what']} | {t['target']} | {t['measured']} | {status} | {margin} |")
    return "\n".join(lines) + "\n"
