"""Which index an eval run scores, and the run itself as a background job (ui/jobs.py).

A set is written for one corpus (its `# corpus:` line). Scored on another index, its numbers
read as a regression that is none (core: 0.83 on a live index vs 0.93 on its own corpus). By
default a set is scored on its own corpus: the live index when that index matches the corpus
file for file (by content), else the corpus ingested into the index `citewise eval` uses for it
(eval.indexes.eval_index_dir), so the app and the command score the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from config.settings import Settings
from eval.cases import EvalCase
from index.editor import Drift, corpus_drift, sync_with_settings
from index.store import IndexData
from ui.eval_runs import runs_dir, save_run
from ui.jobs import Job, Outcome, Work

EVAL_SLOT = "eval"


@dataclass(frozen=True)
class Target:
    """The index a run scores and what it is known to hold."""

    index_dir: Path
    corpus: Path | None  # the set's corpus (None: the set names none)
    live: bool  # the live index (the Ask page's)
    ingest_first: bool  # the set's corpus is ingested into index_dir before asking
    drift: Drift | None  # live index vs the set's corpus (None when not compared)

    @property
    def matches(self) -> bool | None:
        """Whether the scored index holds exactly the set's corpus (None: unknown)."""
        if self.ingest_first:
            return True
        return None if self.drift is None else self.drift.in_line

    def describe(self) -> str:
        where = "the live index" if self.live else "the set's own index"
        corpus = f" built from `{self.corpus}`" if self.ingest_first or self.matches else ""
        return f"{where} `{self.index_dir}`{corpus}"

    def meta(self) -> dict[str, object]:
        """What a saved run records of the index it scored (flat, for the HTML report)."""
        drift = self.drift
        return {"index_dir": str(self.index_dir), "live_index": self.live,
                "corpus": str(self.corpus) if self.corpus else None,
                "corpus_match": self.matches,
                "corpus_missing": len(drift.new) if drift and not self.ingest_first else 0,
                "corpus_extra": len(drift.gone) if drift and not self.ingest_first else 0,
                "corpus_changed": len(drift.changed) if drift and not self.ingest_first else 0}


def target_for(s: Settings, corpus: Path | None, live: IndexData | None,
               use_live: bool) -> Target:
    """The index to score: the live one when asked or when it matches the set's corpus."""
    from eval.indexes import eval_index_dir

    drift = corpus_drift(corpus, live) if corpus is not None and corpus.is_dir() else None
    if use_live or corpus is None or not corpus.is_dir() or (drift is not None and
                                                             drift.in_line):
        return Target(Path(s.index_dir), corpus, live=True, ingest_first=False, drift=drift)
    return Target(eval_index_dir(corpus), corpus, live=False, ingest_first=True, drift=drift)


def drift_words(drift: Drift) -> str:
    """ "3 of the set's articles are not in it, 1 differs, 2 others are" (or "")."""
    parts = []
    if drift.new:
        parts.append(f"{len(drift.new)} of the set's corpus files are not in it")
    if drift.changed:
        parts.append(f"{len(drift.changed)} differ from the indexed version")
    if drift.gone:
        parts.append(f"it holds {len(drift.gone)} articles the corpus does not")
    return "; ".join(parts)


def eval_work(s: Settings, set_path: Path, cases: Sequence[EvalCase], target: Target) -> Work:
    index_dir = target.index_dir

    def work(job: Job) -> Outcome:
        from eval.harness import run_eval
        from qa.engine import QAEngine

        job.result["set"] = set_path.stem  # first: a failed run is shown beside its set too
        settings = s.replace(index_dir=index_dir)
        if target.ingest_first and target.corpus is not None:
            sync_with_settings(settings.replace(corpus_dir=target.corpus), job.progress)
        engine = QAEngine.load(settings, index_dir=index_dir)
        run = run_eval(engine, cases, progress=lambda done, total: job.progress("ask", done,
                                                                                total))
        data = run.as_dict()
        data["meta"] = run.meta | {"eval_set": str(set_path)} | target.meta()
        path = save_run(runs_dir(s), set_path.stem, data)
        job.result["path"] = str(path)
        summary = run.summary
        return "success", (f"Scored {summary.get('n_cases', len(cases))} questions of "
                           f"{set_path.stem}: {summary.get('passed', 0)} passed. Saved as "
                           f"{path.name}.")

    return work
