"""Pick the abstention threshold (settings.min_evidence) from one pass over an eval set.

Each question is asked once with min_evidence=0, so every answer is composed and its evidence
score recorded; abstaining at threshold t then means evidence < t (or the composer found no
quotable sentence, which no threshold changes). Thresholds are swept over the observed scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eval.cases import EvalCase
from eval.harness import Progress
from eval.metrics import abstention_scores

if TYPE_CHECKING:
    from qa.engine import QAEngine


@dataclass(frozen=True)
class CalibrationPoint:
    """Abstention metrics if every case with evidence < threshold abstained."""

    threshold: float
    precision: float
    recall: float
    f1: float
    false_abstentions: int
    missed_abstentions: int


@dataclass(frozen=True)
class Calibration:
    """The chosen threshold, the metrics at the current one, and the cases still wrong."""

    best: CalibrationPoint
    current: CalibrationPoint
    points: tuple[CalibrationPoint, ...]
    still_answered: tuple[str, ...]  # unanswerable case ids answered at the best threshold
    always_abstained: tuple[str, ...]  # answerable ids abstaining whatever the threshold
    # any threshold in (gap[0], gap[1]] makes the same decisions as best.threshold
    gap: tuple[float, float] = (0.0, 0.0)
    setting: str = "min_evidence"  # the settings field the threshold is for

    @property
    def env_line(self) -> str:
        return f"CITEWISE_{self.setting.upper()}={format_threshold(self.best.threshold)}"


def format_threshold(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if value else "0"


def _point(threshold: float, evidence: Sequence[float], intrinsic: Sequence[bool],
           answerable: Sequence[bool]) -> CalibrationPoint:
    abstained = [i or e < threshold for e, i in zip(evidence, intrinsic, strict=True)]
    s = abstention_scores(abstained, answerable)
    return CalibrationPoint(threshold, s["abstention_precision"], s["abstention_recall"],
                            s["abstention_f1"], int(s["false_abstentions"]),
                            int(s["missed_abstentions"]))


def _short(lo: float, hi: float) -> float:
    """A short number t with lo < t <= hi near their midpoint: abstains lo, answers hi."""
    mid = (lo + hi) / 2
    for digits in range(2, 10):
        value = round(mid, digits)
        if lo < value <= hi:
            return value
    return hi


def sweep_thresholds(evidence: Sequence[float], intrinsic: Sequence[bool],
                     answerable: Sequence[bool]) -> list[CalibrationPoint]:
    """Candidate thresholds: 0 and one between each pair of adjacent observed scores, plus one
    above the highest; each placed at a short number inside its gap."""
    values = sorted(set(evidence))
    cuts = [0.0]  # abstain only where the composer finds nothing to quote
    cuts.extend(_short(a, b) for a, b in zip(values, values[1:], strict=False))
    if values:
        cuts.append(round(values[-1] + 0.01, 2))
    return [_point(t, evidence, intrinsic, answerable) for t in cuts]


def choose_threshold(points: Sequence[CalibrationPoint],
                     intrinsic_false: int) -> CalibrationPoint:
    """Highest F1 among thresholds adding no false abstention; the lowest such on a tie."""
    feasible = [p for p in points if p.false_abstentions <= intrinsic_false] or [points[0]]
    return max(feasible, key=lambda p: (p.f1, -p.threshold))


def calibrate_from(evidence: Sequence[float], intrinsic: Sequence[bool],
                   cases: Sequence[EvalCase], current: float,
                   setting: str = "min_evidence") -> Calibration:
    """The sweep on already-collected scores (separated from asking for tests)."""
    answerable = [c.answerable for c in cases]
    points = sweep_thresholds(evidence, intrinsic, answerable)
    intrinsic_false = sum(1 for i, ok in zip(intrinsic, answerable, strict=True) if i and ok)
    best = choose_threshold(points, intrinsic_false)
    still = tuple(c.id for c, e, i in zip(cases, evidence, intrinsic, strict=True)
                  if not c.answerable and not i and e >= best.threshold)
    stuck = tuple(c.id for c, i in zip(cases, intrinsic, strict=True) if c.answerable and i)
    decided = [e for e, i in zip(evidence, intrinsic, strict=True) if not i]
    below = [e for e in decided if e < best.threshold]
    above = [e for e in decided if e >= best.threshold]
    gap = (max(below, default=0.0), min(above, default=best.threshold))
    return Calibration(best=best, current=_point(current, evidence, intrinsic, answerable),
                       points=tuple(points), still_answered=still, always_abstained=stuck,
                       gap=gap, setting=setting)


@dataclass(frozen=True)
class CaseScores:
    """What each case scored with both abstention checks off: its evidence, how much of its
    meaning the corpus's words carry (qa.evidence.known_share), and whether it abstains
    whatever either threshold (nothing quotable, a scope gap, a question that cannot be asked)."""

    evidence: tuple[float, ...]
    known_share: tuple[float, ...]
    intrinsic: tuple[bool, ...]

    def for_evidence(self, min_known_share: float) -> tuple[list[float], list[bool]]:
        """(score, intrinsic) rows for fitting min_evidence, the known-share check in force."""
        return list(self.evidence), [i or k < min_known_share
                                     for i, k in zip(self.intrinsic, self.known_share, strict=True)]

    def for_known_share(self, min_evidence: float) -> tuple[list[float], list[bool]]:
        """(score, intrinsic) rows for fitting min_known_share, min_evidence in force."""
        return list(self.known_share), [i or e < min_evidence
                                        for i, e in zip(self.intrinsic, self.evidence, strict=True)]


def collect_scores(engine: QAEngine, cases: Sequence[EvalCase],
                   progress: Progress | None = None) -> CaseScores:
    """Ask each case once with min_evidence and min_known_share at 0."""
    from qa.engine import QAEngine, QuestionError

    open_engine = QAEngine(engine.data, engine.embedder,
                           engine.settings.replace(min_evidence=0.0, min_known_share=0.0))
    evidence: list[float] = []
    known: list[float] = []
    intrinsic: list[bool] = []
    for n, case in enumerate(cases, start=1):
        try:
            answer = open_engine.ask(case.question)
            evidence.append(float(answer.evidence))
            known.append(float(answer.known_share))
            intrinsic.append(answer.abstained)
        except QuestionError:
            evidence.append(0.0)
            known.append(0.0)
            intrinsic.append(True)
        if progress:
            progress(n, len(cases))
    return CaseScores(tuple(evidence), tuple(known), tuple(intrinsic))


def calibrate(engine: QAEngine, cases: Sequence[EvalCase],
              progress: Progress | None = None) -> Calibration:
    """Ask each case once at min_evidence=0 and sweep the threshold over the evidence seen."""
    scores = collect_scores(engine, cases, progress)
    evidence, intrinsic = scores.for_evidence(engine.settings.min_known_share)
    return calibrate_from(evidence, intrinsic, cases, engine.settings.min_evidence)
