"""The learned answer scorer: which units answer a question, and whether to answer at all.

Two logistic models, fitted by `citewise eval --train-scorer` (eval/train_scorer.py) on the
labelled eval sets and stored as one small JSON file with their feature lists, the hash of the
data they were fitted on and the document-held-out figures of that fit:
- the unit model: P(the unit states an expected fact), from qa.features.UNIT_FEATURES;
- the decline model: P(the question is answerable from the corpus), from QUESTION_FEATURES,
  which read the unit model's best probabilities beside the evidence score.
Applying them is a dot product: no library is needed at answer time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.features import UNIT_FEATURES

MODEL_PATH = Path(__file__).resolve().parent / "models" / "answer_scorer.json"
FORMAT = 1

QUESTION_FEATURES = (
    "top_p", "second_p", "top3_p", "amount_p", "amount_stated", "evidence", "top_cos",
    "top_sent_cos", "coverage", "passage_coverage", "best_unit_lex", "rarest_present", "rarest_cos",
    "known_share", "unknown_weight", "unknown_max", "scope_gap", "excluded_topic",
    "unknown_year", "newer_year", "year_unmatched", "unknown_issuer", "log_terms",
)


class ScorerModelError(ValueError):
    """The model file is missing, malformed, or was fitted on other features."""


@dataclass(frozen=True)
class LinearModel:
    """A standardised logistic regression: P = sigmoid(((x - mean) / scale) . coef + b)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def logit(self, rows: np.ndarray) -> np.ndarray:
        x = (np.asarray(rows, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return x @ np.asarray(self.coef) + self.intercept

    def predict(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.logit(rows)))

    def as_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "coef": list(self.coef),
                "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: dict[str, Any], expected: tuple[str, ...]) -> LinearModel:
        model = cls(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]),
                    tuple(data["coef"]), float(data["intercept"]))
        if model.features != expected:
            gone = [f for f in model.features if f not in expected]
            new = [f for f in expected if f not in model.features]
            raise ScorerModelError(f"fitted on features other than the code computes (dropped "
                                   f"since: {gone or 'none'}; new: {new or 'none'}; or their "
                                   "order): retrain with `citewise eval --train-scorer`")
        if not len(model.mean) == len(model.scale) == len(model.coef) == len(expected):
            raise ScorerModelError("coefficient vectors do not match the feature list")
        return model


@dataclass(frozen=True)
class Selection:
    """How the answer is made from the unit probabilities."""

    answer_threshold: float  # decline below this P(answerable)
    support_relative: float  # a supporting unit needs this share of the best unit's P ...
    support_min: float  # ... and at least this P
    max_statements: int = 4  # supporting units after the bottom line


@dataclass(frozen=True)
class ScorerModel:
    unit: LinearModel
    decline: LinearModel
    selection: Selection
    training: dict[str, Any] = field(default_factory=dict)  # data hash, sets, held-out figures

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "unit_model": self.unit.as_dict(),
                "decline_model": self.decline.as_dict(),
                "selection": self.selection.__dict__, "training": self.training}

    def summary(self) -> dict[str, Any]:
        """What `citewise config` shows of the model in force."""
        return {"path": str(MODEL_PATH), "data_hash": self.training.get("data_hash"),
                "n_units": self.training.get("n_units"),
                "n_questions": self.training.get("n_questions"),
                "unit_features": list(self.unit.features),
                "question_features": list(self.decline.features),
                **{k: v for k, v in self.selection.__dict__.items()}}


def save_model(model: ScorerModel, path: Path = MODEL_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.as_dict(), indent=1) + "\n", encoding="utf-8")


def load_model(path: Path = MODEL_PATH) -> ScorerModel:
    """The model file; ScorerModelError names the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ScorerModelError(f"{path}: no answer scorer model (run `citewise eval "
                               "--train-scorer`)") from exc
    except (OSError, ValueError) as exc:
        raise ScorerModelError(f"{path}: cannot read the answer scorer model ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ScorerModelError(f"{path}: not an answer scorer model of format {FORMAT}")
    try:
        return ScorerModel(LinearModel.from_dict(data["unit_model"], UNIT_FEATURES),
                           LinearModel.from_dict(data["decline_model"], QUESTION_FEATURES),
                           Selection(**data["selection"]), dict(data.get("training") or {}))
    except ScorerModelError as exc:
        raise ScorerModelError(f"{path}: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise ScorerModelError(f"{path}: not an answer scorer model ({exc})") from exc
