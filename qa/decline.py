"""Whether to answer: what the decline model reads of a question and its evidence, and the
reason a decline gives.

The signals that once each declined on their own (a body region or population no passage
discusses, a word the passages write only to exclude it, a year no article is from, an
organisation no article names, words no article writes) are features here: the decline model
(qa.scorer) weighs them with the scorer's best unit probabilities and the evidence score, and a
decline names the strongest of them that holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qa.features import UNIT_FEATURES
from qa.scope import ScopeGap

_LEX, _QUANTITY = UNIT_FEATURES.index("lex_unit"), UNIT_FEATURES.index("has_quantity")


@dataclass(frozen=True)
class Signals:
    """Question-level evidence, computed once per question (the unit probabilities apart)."""

    evidence: float  # qa.evidence.evidence_score of the top passages
    top_cos: float  # best passage cosine
    top_sent_cos: float  # best unit cosine
    coverage: float  # IDF-weighted share of the question's terms the top passages hold
    passage_coverage: float  # ... that one top passage holds together (the best one)
    rarest_present: float  # the question's most specific term is in a top passage (0 / 1)
    rarest_cos: float  # best cosine of a top passage holding it (0 when none does)
    asks_amount: bool  # the question asks a dose, a duration, an interval, a threshold
    amount_stated: bool  # a unit states an amount and names the question's rarest term
    known_share: float  # qa.evidence.known_share (1.0: no unknown word, or one in a title)
    unknown: tuple[str, ...]  # the question's specialised words no article writes
    unknown_weight: float  # their IDF-weighted share of the question's terms
    unknown_max: float  # the largest share one of them holds
    n_terms: int
    gap: ScopeGap | None = None  # a region, population or dose no passage discusses
    excluded: ScopeGap | None = None  # a word the passages write only to exclude it
    year: int | None = None  # a year no retrieved article is from nor cites
    newer_year: bool = False  # the question names a year after every indexed document's
    year_unmatched: bool = False  # ... a year no top passage's document is from
    issuer: str | None = None  # an organisation no article names

    def row(self, p: np.ndarray, units: np.ndarray) -> list[float]:
        """The decline model's feature row (QUESTION_FEATURES), given the unit P's and the
        units' feature rows (qa.features.UNIT_FEATURES)."""
        ranked = np.sort(p)[::-1] if len(p) else np.zeros(1)
        second = float(ranked[1]) if len(ranked) > 1 else 0.0
        lex = units[:, _LEX] if len(units) else np.zeros(1)
        # an amount question is answered by a unit stating an amount: the best such unit's P
        amount = p[units[:, _QUANTITY] > 0] if len(units) else np.zeros(0)
        amount_p = float(amount.max()) if len(amount) else 0.0
        return [float(ranked[0]), second, float(ranked[:3].mean()),
                amount_p if self.asks_amount else float(ranked[0]),
                float(self.amount_stated or not self.asks_amount), self.evidence,
                self.top_cos, self.top_sent_cos, self.coverage, self.passage_coverage,
                float(lex.max()), self.rarest_present, self.rarest_cos, self.known_share,
                self.unknown_weight, self.unknown_max, float(self.gap is not None),
                float(self.excluded is not None), float(self.year is not None),
                float(self.newer_year), float(self.year_unmatched),
                float(self.issuer is not None), math.log1p(self.n_terms)]

    def subject_absent(self) -> bool:
        """No article is about what is asked (a concept none writes, a region, population or
        topic the passages do not discuss, an issuer or year none is from): a decline then
        offers no "closest" articles."""
        return bool(self.issuer is not None or self.year is not None or self.newer_year
                    or (self.gap is not None and self.gap.names_subject)
                    or (self.unknown and self.known_share < 1.0))

    def reason(self, confidence: float, threshold: float) -> str:
        """Why the answer declines: the most specific signal that holds."""
        if self.excluded is not None:
            return self.excluded.reason
        if self.gap is not None:
            return self.gap.reason
        if self.issuer is not None:
            return f"no indexed article is from {self.issuer} or mentions it"
        if self.newer_year:
            return "the question asks about a year after every indexed document's"
        if self.year is not None:
            return f"the articles neither cite nor discuss a work from {self.year}"
        if self.unknown and self.known_share < 1.0:
            return f"no indexed article mentions {', '.join(self.unknown)}"
        return (f"no passage states what is asked well enough (confidence {confidence:.2f} "
                f"< {threshold:.2f})")
