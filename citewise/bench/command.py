"""The `citewise bench` command: every measurement per corpus, results.json, the tables."""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from citewise.bench.plan import BenchCorpus, BenchPlan, run_plan

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)


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


def choose_corpora(corpora: list[str] | None, questions: list[Path] | None, quick: bool,
                   demo_dir: Path) -> list[BenchCorpus]:
    known = known_corpora(demo_dir)
    if not corpora:
        chosen = [known["demo"]] if quick else [c for c in known.values() if c.folder.is_dir()]
    else:
        chosen = [known[c] if c in known else
                  BenchCorpus(Path(c).name, Path(c), known["demo"].questions) for c in corpora]
    for c in chosen:
        if not c.folder.is_dir():
            raise typer.BadParameter(f"corpus folder {c.folder} does not exist")
    for q in [c.questions for c in chosen] + list(questions or []):
        if not q.is_file():
            raise typer.BadParameter(f"question file {q} does not exist")
    if questions:
        chosen = [BenchCorpus(c.name, c.folder, questions[0]) for c in chosen]
    return chosen


def bench_command(
    quick: Annotated[bool, typer.Option("--quick", help="demo corpus only, 1 round, 1 cold "
                                        "run, 10k vectors (CI smoke test, ~1 min)")] = False,
    out: Annotated[Path, typer.Option("--out", help="results file")] = Path("bench/results.json"),
    corpus: Annotated[list[str] | None, typer.Option(
        "--corpus", help="only this corpus: demo, seed, real or a folder (default: all three, "
                         "those present); repeatable: with --growth, one library of all")] = None,
    questions: Annotated[list[Path] | None, typer.Option(
        "--questions", help="JSONL with a `question` per line (default: per corpus); "
                            "repeatable: the files' questions in turn")] = None,
    sizes: Annotated[str | None, typer.Option(
        "--sizes", help="comma-separated synthetic chunk counts (default 10000,100000,1000000; "
                        "--quick: 10000; --growth: none; 0: none)")] = None,
    cold_runs: Annotated[int | None, typer.Option(
        "--cold-runs", help="fresh `citewise ask` processes per corpus (default 5; --quick 1)")]
    = None,
    growth: Annotated[str | None, typer.Option(
        "--growth", help="library scale: document counts to measure at, e.g. 100,250,500,all "
                         "(each step ingests only the documents it adds)")] = None,
    work: Annotated[Path | None, typer.Option(
        "--work", help="keep the indexes here (default: a temporary folder); a rerun with the "
                       "same folder reuses finished steps and resumes an interrupted ingest")]
    = None,
    load: Annotated[float, typer.Option(
        "--load", help="seconds of served load (`citewise serve`) with an ingest in the "
                       "middle, over the last corpus or growth step (0: none)")] = 0.0,
    askers: Annotated[int, typer.Option("--askers", min=1, help="concurrent askers of --load")]
    = 32,
    workers: Annotated[int, typer.Option("--workers", min=1,
                                         help="`citewise serve` workers of --load")] = 2,
) -> None:
    """Measure parse, ingest, warm/cold/concurrent answers, memory and FAISS scale; with
    --growth, the same as a library grows; with --load, the API under load."""
    from citewise.bench.machine import load_average, machine_info, own_peak_rss_mb
    from citewise.bench.report import check_targets, print_report
    from citewise.console import load_settings

    settings = load_settings()
    corpora = choose_corpora(corpus, questions, quick, settings.corpus_dir)
    size_list = ([int(s) for s in sizes.split(",") if s.strip() and int(s) > 0]
                 if sizes is not None else [] if growth else
                 list(QUICK_SIZES if quick else FULL_SIZES))
    started = time.perf_counter()
    results: dict[str, object] = {
        "command": "citewise bench " + " ".join(shlex.quote(a) for a in sys.argv[2:]),
        "quick": quick, "machine": machine_info(), "settings": settings.as_dict(),
        "corpora": {}, "scale": [],
    }
    plan = BenchPlan(corpora=corpora, questions=list(questions or []), quick=quick,
                     sizes=size_list, cold_runs=cold_runs or (1 if quick else 5),
                     growth=growth, load=load, askers=askers, workers=workers)
    with tempfile.TemporaryDirectory(prefix="citewise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        run_plan(plan, settings, results, work or tmp / "work", tmp)
    results["bench_process_peak_rss_mb"] = own_peak_rss_mb()
    results["load_average_at_end"] = load_average()
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = check_targets(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(Console(), results)
    Console().print(f"wrote {out} ({results['seconds']:.0f} s)")
