"""The `citewise bench` command: every measurement per corpus, results.json, the tables."""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)


@dataclass(frozen=True)
class BenchCorpus:
    name: str
    folder: Path
    questions: Path


def known_corpora(demo_dir: Path) -> dict[str, BenchCorpus]:
    """The demo corpus, the seed articles and the real guidelines (the last two when the
    ../shared folders are present), each with its own questions."""
    sets = ROOT / "eval" / "sets"
    return {
        "demo": BenchCorpus("demo", demo_dir, sets / "core.jsonl"),
        "seed": BenchCorpus("seed", SHARED / "seed-articles", sets / "seed-articles.jsonl"),
        "real": BenchCorpus("real", SHARED / "real-guidelines",
                            Path(__file__).with_name("real_guidelines_questions.jsonl")),
    }


def choose_corpora(corpus: str | None, questions: Path | None, quick: bool,
                   demo_dir: Path) -> list[BenchCorpus]:
    known = known_corpora(demo_dir)
    if corpus is None:
        chosen = [known["demo"]] if quick else [c for c in known.values() if c.folder.is_dir()]
    elif corpus in known:
        chosen = [known[corpus]]
    else:
        folder = Path(corpus)
        chosen = [BenchCorpus(folder.name, folder, questions or known["demo"].questions)]
    if questions is not None:
        chosen = [BenchCorpus(c.name, c.folder, questions) for c in chosen]
    for c in chosen:
        if not c.folder.is_dir():
            raise typer.BadParameter(f"corpus folder {c.folder} does not exist")
        if not c.questions.is_file():
            raise typer.BadParameter(f"question file {c.questions} does not exist")
    return chosen


def bench_command(
    quick: Annotated[bool, typer.Option("--quick", help="demo corpus only, 1 round, 1 cold "
                                        "run, 10k vectors (CI smoke test, ~1 min)")] = False,
    out: Annotated[Path, typer.Option("--out", help="results file")] = Path("bench/results.json"),
    corpus: Annotated[str | None, typer.Option(
        "--corpus", help="only this corpus: demo, seed, real or a folder (default: all three, "
                         "those present)")] = None,
    questions: Annotated[Path | None, typer.Option(
        "--questions", help="JSONL with a `question` per line (default: per corpus)")] = None,
    sizes: Annotated[str | None, typer.Option(
        "--sizes", help="comma-separated synthetic chunk counts (default 10000,100000,1000000; "
                        "--quick: 10000; 0: none)")] = None,
    cold_runs: Annotated[int | None, typer.Option(
        "--cold-runs", help="fresh `citewise ask` processes per corpus (default 5; --quick 1)")]
    = None,
) -> None:
    """Measure parse, ingest, warm/cold/concurrent answers, memory and FAISS scale."""
    import numpy as np

    from citewise.bench import runner, scale
    from citewise.bench.machine import load_average, machine_info, own_peak_rss_mb
    from citewise.bench.report import check_targets, print_report
    from citewise.console import load_settings
    from index.embedder import load_embedder
    from index.query_encoder import ensure_onnx_export, load_query_encoder
    from index.store import load_index
    from qa.engine import QAEngine

    console = Console()
    log = Console(stderr=True).print
    settings = load_settings()
    corpora = choose_corpora(corpus, questions, quick, settings.corpus_dir)
    size_list = ([int(s) for s in sizes.split(",") if s.strip() and int(s) > 0]
                 if sizes is not None else list(QUICK_SIZES if quick else FULL_SIZES))
    runs = cold_runs or (1 if quick else 5)
    started = time.perf_counter()
    results: dict[str, object] = {
        "command": "citewise bench " + " ".join(shlex.quote(a) for a in sys.argv[2:]),
        "quick": quick, "machine": machine_info(), "settings": settings.as_dict(),
        "corpora": {},
    }
    with tempfile.TemporaryDirectory(prefix="citewise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        log("loading the model (ingest) and the ONNX export (questions)")
        embedder = load_embedder(sentence_encoder=settings.sentence_encoder,
                                 onnx_cache_dir=settings.onnx_cache_dir,
                                 passage_encoder=settings.passage_encoder)
        ensure_onnx_export(settings.onnx_cache_dir)
        query_encoder = load_query_encoder(settings.query_encoder, settings.onnx_cache_dir)
        seeds = None
        for c in corpora:
            row: dict[str, object] = {"folder": str(c.folder), "questions": str(c.questions)}
            folder = c.folder
            if quick and c.name == "demo":
                folder = tmp / "demo-corpus"  # its first 5 articles
                runner.make_corpus(c.folder, folder, copies=1, limit=5)
            log(f"{c.name}: parse")
            row["parse"] = runner.bench_parse(folder)
            log(f"{c.name}: ingest vs the raw encoder")
            index_dir = tmp / f"index-{c.name}"
            row["ingest"] = runner.bench_ingest(folder, index_dir, embedder, settings)
            qs = runner.load_questions(c.questions, limit=8 if quick else None)
            engine = QAEngine.load(settings.replace(index_dir=index_dir), index_dir=index_dir,
                                   embedder=query_encoder)
            log(f"{c.name}: warm answers: {len(qs)} questions")
            row["warm"] = runner.bench_warm(engine, qs, rounds=1 if quick else 3)
            row["throughput"] = {}
            for askers in (1, 8):
                log(f"{c.name}: throughput, {askers} concurrent asker(s)")
                row["throughput"][str(askers)] = runner.bench_throughput(
                    engine, qs, askers, answers_each=(4 if quick else 40) // min(askers, 4))
            log(f"{c.name}: cold `citewise ask` x {runs}")
            row["cold"] = runner.bench_cold(index_dir, settings, qs[0], tmp, runs)
            row["answering_peak_rss_mb"] = row["cold"]["breakdown"]["peak_rss_mb"]
            results["corpora"][c.name] = row  # type: ignore[index]
            if seeds is None or c.name == "demo":
                seeds = load_index(index_dir).vectors
            del engine

        rng = np.random.default_rng(0)
        rows: list[dict[str, object]] = []
        for n in size_list:
            log(f"scale: {n:,} synthetic chunks")
            rows.extend(scale.bench_size(seeds, n, settings.index_type, settings.hnsw_threshold,
                                         n_queries=50 if quick else 200,
                                         both=not quick or n <= 10_000, rng=rng, log=log))
        results["scale"] = rows
    results["bench_process_peak_rss_mb"] = own_peak_rss_mb()
    results["load_average_at_end"] = load_average()
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = check_targets(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(console, results)
    console.print(f"wrote {out} ({results['seconds']:.0f} s)")
