"""The `citewise bench` command: run every measurement, write results.json, print the table."""

from __future__ import annotations

import json
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

ROOT = Path(__file__).resolve().parents[2]
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)


def _default_questions() -> Path:
    local = Path("eval/sets/core.jsonl")
    return local if local.is_file() else ROOT / "eval" / "sets" / "core.jsonl"


def bench_command(
    quick: Annotated[bool, typer.Option("--quick", help="small corpus and 10k vectors only "
                                        "(CI smoke test, ~1 min)")] = False,
    out: Annotated[Path, typer.Option("--out", help="results file")] = Path("bench/results.json"),
    corpus: Annotated[Path | None, typer.Option("--corpus", help="articles to ingest "
                                                "(default: settings.corpus_dir)")] = None,
    questions: Annotated[Path | None, typer.Option(
        "--questions", help="JSONL with a `question` per line (default eval/sets/core.jsonl)")]
    = None,
    sizes: Annotated[str | None, typer.Option(
        "--sizes", help="comma-separated synthetic chunk counts (default 10000,100000,1000000; "
                        "--quick: 10000)")] = None,
    copies: Annotated[int | None, typer.Option(
        "--copies", help="synthetic corpus = this many renamed copies of the corpus "
                         "(default 10; --quick 2)")] = None,
) -> None:
    """Measure ingest, warm and cold answer latency, memory and FAISS scale on this machine."""
    import numpy as np

    from citewise.bench import runner, scale
    from citewise.bench.machine import (
        load_average,
        machine_info,
        own_peak_rss_mb,
        peak_rss_mb,
    )
    from citewise.bench.report import check_targets, print_report
    from citewise.cli import load_settings
    from index.embedder import load_embedder
    from index.store import load_index

    console = Console()
    log = Console(stderr=True).print
    settings = load_settings(corpus_dir=corpus)
    questions_path = questions or _default_questions()
    if not settings.corpus_dir.is_dir():
        raise typer.BadParameter(f"corpus folder {settings.corpus_dir} does not exist")
    if not questions_path.is_file():
        raise typer.BadParameter(f"question file {questions_path} does not exist")
    size_list = ([int(s) for s in sizes.split(",") if s.strip()] if sizes
                 else list(QUICK_SIZES if quick else FULL_SIZES))
    n_copies = copies if copies is not None else (2 if quick else 10)
    started = time.perf_counter()
    results: dict[str, object] = {
        "command": "citewise bench " + " ".join(shlex.quote(a) for a in sys.argv[2:]),
        "quick": quick, "machine": machine_info(), "settings": settings.as_dict(),
    }
    with tempfile.TemporaryDirectory(prefix="citewise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        log("loading the model")
        embedder = load_embedder(sentence_encoder="torch")

        log("ingest: demo corpus")
        demo_corpus, demo_index = tmp / "corpus", tmp / "index"
        runner.copy_corpus_subset(settings.corpus_dir, demo_corpus, quick)
        ingest = {"corpus": runner.bench_ingest(demo_corpus, demo_index, embedder, settings)}
        if n_copies > 1:
            log(f"ingest: synthetic corpus ({n_copies} copies)")
            runner.make_corpus(demo_corpus, tmp / "corpus-x", copies=n_copies)
            ingest["synthetic"] = runner.bench_ingest(tmp / "corpus-x", tmp / "index-x",
                                                      embedder, settings)
            ingest["synthetic"]["copies"] = n_copies
        results["ingest"] = ingest

        qs = runner.load_questions(questions_path, limit=8 if quick else None)
        encoders = [settings.sentence_encoder] if quick else ["torch", "onnx", "onnx-int8"]
        warm = {}
        for encoder in encoders:
            log(f"warm answers: {len(qs)} questions, sentence encoder {encoder}")
            warm[encoder] = runner.bench_warm(
                demo_index, runner.with_sentence_encoder(embedder, encoder,
                                                         settings.onnx_cache_dir),
                settings, qs, rounds=1 if quick else 3)
        results["warm"] = warm
        demo_rss = own_peak_rss_mb()

        log("cold start: `citewise ask` in a fresh process")
        results["cold_start"] = runner.bench_cold(demo_index, settings, qs[0], tmp)

        seeds = load_index(demo_index).vectors
        rng = np.random.default_rng(0)
        rows: list[dict[str, object]] = []
        for n in size_list:
            log(f"scale: {n:,} synthetic chunks")
            rows.extend(scale.bench_size(seeds, n, settings.index_type, settings.hnsw_threshold,
                                         n_queries=50 if quick else 200,
                                         both=not quick or n <= 10_000, rng=rng, log=log))
        results["scale"] = rows
    results["memory"] = {
        "cold_ask_process_mb": results["cold_start"]["breakdown"]["peak_rss_mb"],
        "bench_process_demo_mb": demo_rss,
        "bench_process_final_mb": own_peak_rss_mb(),
        # ru_maxrss of the children: inflated to the bench's own size at fork (Linux)
        "children_ru_maxrss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
    }
    results["load_average_at_end"] = load_average()
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = check_targets(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(console, results)
    console.print(f"wrote {out} ({results['seconds']:.0f} s)")
