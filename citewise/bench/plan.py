"""What one `citewise bench` run measures, in order: each corpus (or the growth steps of one
library), the synthetic FAISS scale, and the served load test."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from config.settings import Settings


@dataclass(frozen=True)
class BenchCorpus:
    name: str
    folder: Path
    questions: Path


@dataclass(frozen=True)
class BenchPlan:
    corpora: list[BenchCorpus]
    questions: list[Path] = field(default_factory=list)  # --questions, in turn
    quick: bool = False
    sizes: list[int] = field(default_factory=list)
    cold_runs: int = 5
    growth: str | None = None
    load: float = 0.0
    askers: int = 32
    workers: int = 2


def _questions(plan: BenchPlan, corpus: BenchCorpus) -> list[str]:
    from citewise.bench import runner

    files = plan.questions or [corpus.questions]
    qs = [q for f in files for q in runner.load_questions(f)]
    return qs[:8] if plan.quick else qs


def run_plan(plan: BenchPlan, settings: Settings, results: dict, work: Path,
             tmp: Path) -> None:
    """Fill `results` with every measurement the plan asks for."""
    from index.embedder import load_embedder
    from index.query_encoder import ensure_onnx_export, load_query_encoder

    log = Console(stderr=True).print
    log("loading the model (ingest) and the ONNX export (questions)")
    embedder = load_embedder(sentence_encoder=settings.sentence_encoder,
                             onnx_cache_dir=settings.onnx_cache_dir,
                             passage_encoder=settings.passage_encoder)
    ensure_onnx_export(settings.onnx_cache_dir)
    query_encoder = load_query_encoder(settings.query_encoder, settings.onnx_cache_dir)
    if plan.growth:
        last_index, last_corpus, qs = _growth(plan, settings, results, work, tmp, embedder,
                                              query_encoder, log)
        seeds = None
    else:
        last_index, last_corpus, qs, seeds = _corpora(plan, settings, results, tmp, embedder,
                                                      query_encoder, log)
    if plan.sizes:
        _scale(plan, settings, results, seeds if seeds is not None else
               _seed_vectors(last_index), log)
    if plan.load > 0:
        from citewise.bench.serve_load import bench_load

        log(f"load: citewise serve --workers {plan.workers}, {plan.askers} askers, "
            f"{plan.load:.0f} s, an ingest in the middle")
        if plan.growth:  # the load test's ingest must leave the measured steps as they were
            last_index, last_corpus = _load_copy(last_index, last_corpus, work)
        results["load"] = bench_load(last_index, last_corpus, qs[:16], settings, tmp,
                                     plan.askers, plan.load, plan.workers, log=log)


def _load_copy(index_dir: Path, corpus: Path, work: Path) -> tuple[Path, Path]:
    """Hard-link copies of the last step's index and corpus for the load test to change (the
    ingest recognises the moved files and embeds only the document it adds)."""
    import shutil

    from citewise.bench.growth import copy_index

    index_copy, corpus_copy = work / "index-load", work / "corpus-load"
    for folder in (index_copy, corpus_copy):
        shutil.rmtree(folder, ignore_errors=True)
    copy_index(index_dir, index_copy)
    shutil.copytree(corpus, corpus_copy)
    return index_copy, corpus_copy


def _seed_vectors(index_dir: Path):  # noqa: ANN202
    from index.store import load_index

    return load_index(index_dir).vectors


def _corpora(plan: BenchPlan, settings: Settings, results: dict, tmp: Path, embedder,
             query_encoder, log):  # noqa: ANN001, ANN202
    """Each corpus ingested from scratch and measured (the bench as it always was)."""
    from citewise.bench import runner
    from index.store import load_index
    from qa.engine import QAEngine

    seeds = None
    index_dir = corpus_dir = Path()
    qs: list[str] = []
    for c in plan.corpora:
        row: dict[str, object] = {"folder": str(c.folder), "questions": str(c.questions)}
        corpus_dir = c.folder
        if plan.quick and c.name == "demo":
            corpus_dir = tmp / "demo-corpus"  # its first 5 articles
            runner.make_corpus(c.folder, corpus_dir, copies=1, limit=5)
        elif plan.load > 0:
            corpus_dir = tmp / f"corpus-{c.name}"  # the load test adds a document to it
            runner.make_corpus(c.folder, corpus_dir)
        log(f"{c.name}: parse")
        row["parse"] = runner.bench_parse(corpus_dir)
        log(f"{c.name}: ingest vs the raw encoder")
        index_dir = tmp / f"index-{c.name}"
        row["ingest"] = runner.bench_ingest(corpus_dir, index_dir, embedder, settings)
        qs = _questions(plan, c)
        engine = QAEngine.load(settings.replace(index_dir=index_dir), index_dir=index_dir,
                               embedder=query_encoder)
        log(f"{c.name}: warm answers: {len(qs)} questions")
        row["warm"] = runner.bench_warm(engine, qs, rounds=1 if plan.quick else 3)
        row["throughput"] = {}
        for askers in (1, 8):
            log(f"{c.name}: throughput, {askers} concurrent asker(s)")
            row["throughput"][str(askers)] = runner.bench_throughput(
                engine, qs, askers, answers_each=(4 if plan.quick else 40) // min(askers, 4))
        log(f"{c.name}: cold `citewise ask` x {plan.cold_runs}")
        row["cold"] = runner.bench_cold(index_dir, settings, qs[0], tmp, plan.cold_runs)
        row["answering_peak_rss_mb"] = row["cold"]["breakdown"]["peak_rss_mb"]
        results["corpora"][c.name] = row
        if seeds is None or c.name == "demo":
            seeds = load_index(index_dir).vectors
        del engine
    return index_dir, corpus_dir, qs, seeds


def _growth(plan: BenchPlan, settings: Settings, results: dict, work: Path, tmp: Path,
            embedder, query_encoder, log):  # noqa: ANN001, ANN202
    """One library (every --corpus folder) measured at each --growth step."""
    from citewise.bench.growth import ingest_step, library_files, measure_step, parse_steps
    from citewise.console import ProgressLines

    files = library_files([c.folder for c in plan.corpora])
    steps = parse_steps(plan.growth or "", len(files))
    qs = _questions(plan, plan.corpora[0])
    lines = ProgressLines(Console(stderr=True), every_s=30.0)
    rows: list[dict[str, object]] = []
    previous: Path | None = None
    for n in steps:
        log(f"growth: {n} of {len(files)} documents")
        index_dir, ingest = ingest_step(files, n, work, previous, embedder, settings, log,
                                        progress=lines)
        row = {"documents": n, "ingest": ingest}
        row |= measure_step(index_dir, settings, query_encoder, qs,
                            rounds=1 if plan.quick else 2, cold_runs=plan.cold_runs,
                            workdir=tmp)
        rows.append(row)
        results["growth"] = rows
        previous = index_dir
    return previous, work / "corpus", qs


def _scale(plan: BenchPlan, settings: Settings, results: dict, seeds, log) -> None:  # noqa: ANN001
    import numpy as np

    from citewise.bench import scale

    rng = np.random.default_rng(0)
    rows: list[dict[str, object]] = []
    for n in plan.sizes:
        log(f"scale: {n:,} synthetic chunks")
        rows.extend(scale.bench_size(seeds, n, settings.index_type, settings.hnsw_threshold,
                                     n_queries=50 if plan.quick else 200,
                                     both=not plan.quick or n <= 10_000, rng=rng, log=log))
    results["scale"] = rows
