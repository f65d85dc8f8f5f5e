"""Targets checked against the results, and the tables `citewise bench` prints (rich) or
docs/benchmarks.md shows (Markdown)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

STAGES = ("embed_query", "dense", "bm25", "fusion", "compose")
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
)
CORPUS_TARGETS = {"warm_p95_ms": ("seed", "real"), "cold_ask_s": ("demo", "seed", "real"),
                  "answers_per_s_8": ("demo", "seed", "real"), "ingest_ratio": ("real",),
                  "rss_mb": ("demo", "seed", "real")}


def chosen_row(results: dict, n: int) -> dict | None:
    for row in results.get("scale", []):
        if row["n"] == n and row["chosen"]:
            return row
    return None


def corpus_value(row: dict, key: str) -> float | None:
    return {
        "warm_p95_ms": row["warm"]["p95_ms"],
        "cold_ask_s": row["cold"]["cli_ask_median_s"],
        "answers_per_s_8": row["throughput"]["8"]["answers_per_s"],
        "ingest_ratio": row["ingest"]["ratio"],
        "rss_mb": row["answering_peak_rss_mb"],
    }[key]


def check_targets(results: dict) -> list[dict[str, object]]:
    out = []
    big = chosen_row(results, 1_000_000)
    for key, what, limit, sense in TARGETS:
        cells: list[tuple[str, float | None]] = []
        if key in CORPUS_TARGETS:
            for name in CORPUS_TARGETS[key]:
                if name in results["corpora"]:
                    cells.append((name, corpus_value(results["corpora"][name], key)))
        elif big is not None:
            cells.append(("synthetic", big["p95_ms"] if key == "scale_1m_p95_ms"
                          else big["recall_at_10"]))
        if not cells:
            cells.append(("-", None))
        for corpus, value in cells:
            if value is None:
                met, margin = None, None
            else:
                met = value <= limit if sense == "max" else value >= limit
                margin = round((value - limit) / limit * 100, 1)  # % above (+) / below (-)
            out.append({"key": key, "corpus": corpus, "what": what,
                        "target": ("<= " if sense == "max" else ">= ") + f"{limit:g}",
                        "measured": value, "met": met, "margin_pct": margin})
    return out


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
    rows = []
    for s in ("answer", *STAGES):
        cells = [s if s == "answer" else f"  {s}"]
        for n in names:
            w = results["corpora"][n]["warm"]
            src = w if s == "answer" else w["stages"][s]
            cells.append(f"{src['p50_ms']:.1f} / {src['p95_ms']:.1f}")
        rows.append(cells)
    return ["warm answer, ms p50 / p95", *names], rows


def _status(met: bool | None) -> str:
    return {True: "[green]met[/]", False: "[red]missed[/]", None: "[dim]not run[/]"}[met]


def print_report(console: Console, results: dict) -> None:
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
    lines = _md(CORPUS_HEADER, corpus_rows(results)) + [""]
    header, rows = stage_rows(results)
    lines += _md(header, rows) + [""]
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
