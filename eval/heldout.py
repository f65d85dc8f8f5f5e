"""Document-held-out evaluation: every case answered by a scorer fitted without the documents
it is about (eval/doc_folds.py), beside the shipped scorer and a plain baseline.

For each fold the scorer is trained (eval/train_scorer.train) on the other folds' cases of the
sets that may be fitted on, with every unit of the fold's documents left out even as a
negative; the fold's cases (held-out sets' too) are then composed by the engine with that
model and scored as `citewise eval` scores them. The plain baseline quotes the three best
units by sentence cosine + passage cosine over the same passages and never declines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from eval.doc_folds import K_FOLDS, assign_folds, document_groups
from eval.harness import ask_record, score_record, summarize
from eval.samples import CaseSample
from eval.train_scorer import train
from qa.composer import select
from qa.features import UNIT_FEATURES
from qa.scorer import ScorerModel, Selection

BASELINE_UNITS = 3
_SENT, _PASSAGE = UNIT_FEATURES.index("sent_cos"), UNIT_FEATURES.index("passage_cos")


@dataclass(frozen=True)
class HeldOut:
    """Scored results per set: document-held-out, shipped model, plain baseline."""

    held_out: dict[str, list[dict[str, Any]]]
    shipped: dict[str, list[dict[str, Any]]]
    baseline: dict[str, list[dict[str, Any]]]
    folds: tuple[dict[str, Any], ...]

    def summaries(self, which: str) -> dict[str, dict[str, float]]:
        runs = getattr(self, which)
        out = {name: summarize(results) for name, results in runs.items()}
        out["all"] = summarize([r for results in runs.values() for r in results])
        return out


def _without_documents(sample: CaseSample, documents: set[str]) -> CaseSample:
    """The sample with every unit of `documents` taken out (they belong to another fold)."""
    p = sample.prepared
    if p is None:
        return sample
    keep = [i for i, u in enumerate(p.units) if f"{sample.corpus}:{u.article_id}" not in documents]
    if len(keep) == len(p.units):
        return sample
    prepared = replace(p, units=tuple(p.units[i] for i in keep), features=p.features[keep])
    return replace(sample, prepared=prepared, labels=sample.labels[keep])


def _record(sample: CaseSample, model: ScorerModel | None) -> dict[str, Any]:
    if sample.prepared is None:
        return ask_record(sample.engine, sample.case.question)  # the rejection record
    return sample.engine.compose(sample.prepared, model).as_dict()


def baseline_record(sample: CaseSample, duplicate_overlap: float) -> dict[str, Any]:
    """The plain baseline's answer: the BASELINE_UNITS best units by sentence + passage
    cosine, as an `ask --json`-shaped record (never declining)."""
    p = sample.prepared
    if p is None or not p.units:
        return {"answer": "", "abstained": True, "citations": [], "retrieved": []}
    score = p.features[:, _SENT] + p.features[:, _PASSAGE]
    chosen = select(p.units, score, Selection(0.0, -1e9, -1e9, BASELINE_UNITS - 1),
                    duplicate_overlap)
    articles = sample.engine.data.articles
    cited = dict.fromkeys(p.units[i].article_id for i in chosen)
    return {"answer": " ".join(p.units[i].text for i in chosen), "abstained": False,
            "citations": [{"article_id": a, "title": articles[a].title,
                           "source_path": articles[a].source_path} for a in cited],
            "retrieved": []}


def document_cv(samples: Sequence[CaseSample], duplicate_overlap: float, max_statements: int,
                k: int = K_FOLDS, progress: Callable[[int, int], None] | None = None
                ) -> HeldOut:
    """Answer every sample with a scorer fitted on the other folds (see module doc)."""
    folds = assign_folds(document_groups([s.documents for s in samples],
                                         [s.key for s in samples]), k)
    held_out: dict[str, list[dict[str, Any]]] = {}
    shipped: dict[str, list[dict[str, Any]]] = {}
    baseline: dict[str, list[dict[str, Any]]] = {}
    fold_info = []
    paths = {id(s.engine): {aid: a.source_path for aid, a in s.engine.data.articles.items()}
             for s in samples}
    for f in range(k):
        test = [s for s, g in zip(samples, folds, strict=True) if g == f]
        docs = {d for s in test for d in s.documents}
        fit_on = [_without_documents(s, docs) for s, g in
                  zip(samples, folds, strict=True) if g != f and not s.held_out]
        model = train(fit_on, duplicate_overlap, max_statements)
        fold_info.append({"fold": f, "test_cases": len(test), "train_cases": len(fit_on),
                          "documents": len(docs), **model.selection.__dict__})
        for s in test:
            source_paths = paths[id(s.engine)]
            held_out.setdefault(s.set_name, []).append(
                score_record(s.case, _record(s, model), source_paths))
            shipped.setdefault(s.set_name, []).append(
                score_record(s.case, _record(s, None), source_paths))
            baseline.setdefault(s.set_name, []).append(
                score_record(s.case, baseline_record(s, duplicate_overlap), source_paths))
        if progress:
            progress(f + 1, k)
    return HeldOut(held_out, shipped, baseline, tuple(fold_info))
