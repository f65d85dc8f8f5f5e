"""The answer scorer's model file: what is saved loads the same; a file fitted on other
features, or not a model, is refused naming the file and what to do."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.scorer import (
    MODEL_PATH,
    QUESTION_FEATURES,
    ScorerModelError,
    load_model,
    save_model,
)


def test_the_shipped_model_loads_with_its_feature_lists_and_training_record() -> None:
    model = load_model()
    assert model.unit.features and model.decline.features == QUESTION_FEATURES
    assert model.training["data_hash"] and model.training["n_units"] > 1000
    assert 0.0 < model.selection.answer_threshold < 1.0
    assert "document_held_out" in model.training  # the figures it was judged by
    assert MODEL_PATH.stat().st_size < 50_000  # small enough to read in a review


def test_save_load_round_trip(tmp_path: Path) -> None:
    model = load_model()
    path = tmp_path / "scorer.json"
    save_model(model, path)
    again = load_model(path)
    x = np.random.default_rng(0).normal(size=(5, len(model.unit.features)))
    assert np.allclose(model.unit.predict(x), again.unit.predict(x))
    assert again.selection == model.selection and again.training == model.training


def test_a_model_fitted_on_other_features_is_refused(tmp_path: Path) -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["unit_model"]["features"] = data["unit_model"]["features"][:-1] + ["retired_feature"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScorerModelError, match=r"old\.json: fitted on features .*retired_feature.* retrain"):
        load_model(path)


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": 1}'])
def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScorerModelError, match=r"bad\.json: "):
        load_model(path)
    with pytest.raises(ScorerModelError, match=r"missing\.json: no answer scorer model"):
        load_model(tmp_path / "missing.json")
