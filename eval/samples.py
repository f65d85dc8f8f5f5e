"""Labelled training and evaluation samples: each eval case's question prepared once (passages,
candidate units and their features), each unit labelled by whether it states an expected fact
of the case in an expected source document.

The scorer is trained on these samples and judged on held-out ones (eval/heldout.py); both
compose answers from the same preparations with `QAEngine.compose`, so a fold's figures are
what the engine would answer with the fold's model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from eval.cases import EvalCase
from eval.metrics import is_expected, normalize_text

if TYPE_CHECKING:
    from qa.engine import Prepared, QAEngine


@dataclass(frozen=True)
class CaseSample:
    """One case of one set, prepared by the engine of that set's corpus."""

    set_name: str
    case: EvalCase
    engine: QAEngine
    prepared: Prepared | None  # None: the question was rejected (empty, no words)
    labels: np.ndarray  # per unit: 1.0 when it states an expected fact from an expected source
    # What the case is about: "<corpus>:<article id>" of every indexed article its expected
    # sources name (sets over one corpus share its documents); () for a near miss.
    documents: tuple[str, ...] = ()
    held_out: bool = False  # of a `# held-out:` set: never fitted on
    corpus: str = ""  # the name its documents are keyed by

    @property
    def key(self) -> str:
        return f"{self.set_name}/{self.case.id}"


def unit_labels(case: EvalCase, prepared: Prepared,
                source_of: Callable[[str], dict[str, str]]) -> np.ndarray:
    """1.0 for each unit whose text holds a phrasing of an expected fact (as the eval's fact
    matching reads it) and whose article is an expected source (any article when the case
    lists none); 0.0 otherwise, and for every unit of an unanswerable case."""
    out = np.zeros(len(prepared.units), dtype=np.float32)
    if not case.answerable or not case.expected_facts:
        return out
    phrasings = [normalize_text(p) for fact in case.expected_facts for p in fact]
    for i, unit in enumerate(prepared.units):
        if case.expected_sources and not is_expected(source_of(unit.article_id),
                                                     case.expected_sources):
            continue
        text = normalize_text(unit.text)
        out[i] = float(any(p in text for p in phrasings))
    return out


def collect(engine: QAEngine, cases: Sequence[EvalCase], set_name: str, corpus: str,
            held_out: bool = False,
            progress: Callable[[int, int], None] | None = None) -> list[CaseSample]:
    """Prepare every case's question once and label its units; `corpus` names the documents
    the engine's index holds (the same name for every set over one corpus)."""
    from qa.engine import QuestionError

    articles = engine.data.articles

    def source_of(article_id: str) -> dict[str, str]:
        a = articles.get(article_id)
        return {"article_id": article_id, "title": a.title if a else "",
                "source_path": a.source_path if a else ""}

    out = []
    for i, case in enumerate(cases, start=1):
        try:
            prepared = engine.prepare(case.question)
        except QuestionError:
            prepared = None
        labels = unit_labels(case, prepared, source_of) if prepared is not None else \
            np.zeros(0, dtype=np.float32)
        documents = tuple(sorted({f"{corpus}:{aid}" for aid in articles
                                  if is_expected(source_of(aid), case.expected_sources)}))
        out.append(CaseSample(set_name, case, engine, prepared, labels,
                              documents if case.expected_sources else (), held_out, corpus))
        if progress:
            progress(i, len(cases))
    return out


def data_hash(samples: Sequence[CaseSample]) -> str:
    """A short hash of what a model is fitted on: the feature lists, every case, and the
    content of every document the cases were asked over. (Unit texts and feature values are
    left out: the last float bits of a vector depend on the batch it was encoded in, and may
    reorder a near tie.)"""
    from qa.features import UNIT_FEATURES
    from qa.scorer import QUESTION_FEATURES

    h = hashlib.sha256(json.dumps([UNIT_FEATURES, QUESTION_FEATURES]).encode())
    for s in sorted(samples, key=lambda s: s.key):
        h.update(s.key.encode() + json.dumps(s.case.as_dict(), sort_keys=True).encode())
    documents = {a.content_hash for s in samples for a in s.engine.data.articles.values()}
    h.update("\n".join(sorted(documents)).encode())
    return h.hexdigest()[:16]
