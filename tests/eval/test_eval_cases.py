"""Eval set parsing: good files, malformed lines named by line number, unknown fields, empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.cases import EvalCase, EvalSetError, load_cases

SETS = Path(__file__).resolve().parents[2] / "eval" / "sets"
CORE_SET, SEED_SET = SETS / "core.jsonl", SETS / "seed-articles.jsonl"

GOOD = {"id": "contrast-postop", "question": "When should contrast be added to a lumbar MRI?",
        "expected_sources": ["mri-contrast-when-to-add"],
        "expected_facts": [["with and without iv contrast", "with contrast"],
                           ["scar", "fibrosis"]],
        "answerable": True}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_parses_into_frozen_cases(tmp_path: Path) -> None:
    unanswerable = {"id": "knee", "question": "knee MRI?", "expected_sources": [],
                    "expected_facts": [], "answerable": False}
    path = write_lines(tmp_path / "set.jsonl", [json.dumps(GOOD), "", json.dumps(unanswerable)])
    cases = load_cases(path)
    assert [c.id for c in cases] == ["contrast-postop", "knee"]
    first = cases[0]
    assert first.expected_sources == ("mri-contrast-when-to-add",)
    assert first.expected_facts == (("with and without iv contrast", "with contrast"),
                                    ("scar", "fibrosis"))
    assert first.answerable is True and cases[1].answerable is False
    assert isinstance(first, EvalCase)
    with pytest.raises(AttributeError):
        first.id = "changed"  # type: ignore[misc]


def test_defaults_for_optional_fields(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "set.jsonl", ['{"id": "a", "question": "q?"}'])
    (case,) = load_cases(path)
    assert case.expected_sources == () and case.expected_facts == () and case.answerable


def test_malformed_json_line_is_named_by_file_and_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", [json.dumps(GOOD), "", '{"id": "x", "question"'])
    with pytest.raises(EvalSetError, match=r"bad\.jsonl:3: not valid JSON"):
        load_cases(path)


@pytest.mark.parametrize(("line", "cause"), [
    ('{"question": "q?"}', "'id' must be a non-empty string"),
    ('{"id": "a", "question": ""}', "'question' must be a non-empty string"),
    ('{"id": "a", "question": "q", "answerable": "yes"}', "'answerable' must be true or false"),
    ('{"id": "a", "question": "q", "expected_facts": [["ok"], [1]]}', r"'expected_facts'\[1\]"),
    ('{"id": "a", "question": "q", "expected_sources": "one"}', "'expected_sources' must be"),
    ('["id", "a"]', "expected a JSON object"),
])
def test_invalid_case_names_line_and_field(tmp_path: Path, line: str, cause: str) -> None:
    path = write_lines(tmp_path / "set.jsonl", [json.dumps(GOOD), line])
    with pytest.raises(EvalSetError, match=rf"set\.jsonl:2: {cause}"):
        load_cases(path)


def test_duplicate_id_is_an_error(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "dup.jsonl", [json.dumps(GOOD), json.dumps(GOOD)])
    with pytest.raises(EvalSetError, match=r"dup\.jsonl:2: duplicate id 'contrast-postop' "
                                           r"\(first on line 1\)"):
        load_cases(path)


def test_unknown_fields_are_kept_and_ignored(tmp_path: Path) -> None:
    data = GOOD | {"topic": "contrast", "notes": {"author": "qa"}}
    (case,) = load_cases(write_lines(tmp_path / "set.jsonl", [json.dumps(data)]))
    assert case.extra == {"topic": "contrast", "notes": {"author": "qa"}}
    assert case.as_dict() == data
    assert case == load_cases(write_lines(tmp_path / "plain.jsonl", [json.dumps(GOOD)]))[0]


def test_empty_file_has_no_cases(tmp_path: Path) -> None:
    assert load_cases(write_lines(tmp_path / "empty.jsonl", [])) == []
    (tmp_path / "blank.jsonl").write_text("\n\n  \n# comment\n", encoding="utf-8")
    assert load_cases(tmp_path / "blank.jsonl") == []


def test_missing_file_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(EvalSetError, match=r"nope\.jsonl: cannot read eval set"):
        load_cases(tmp_path / "nope.jsonl")


def test_shipped_sets_load() -> None:
    core, seed = load_cases(CORE_SET), load_cases(SEED_SET)
    assert len(core) == 59 and len(seed) == 23
    assert sum(not c.answerable for c in core) == 14
    assert all(c.expected_facts and c.expected_sources for c in core if c.answerable)


def test_a_held_out_set_says_so_in_its_header(tmp_path) -> None:
    from eval.cases import SETS_DIR, is_held_out

    assert is_held_out(SETS_DIR / "real-guidelines-heldout.jsonl")
    assert not is_held_out(SETS_DIR / "real-guidelines.jsonl")
    plain = tmp_path / "plain.jsonl"
    plain.write_text('# corpus: corpus\n{"id": "a", "question": "held-out: q?"}\n')
    assert not is_held_out(plain)  # only a comment line marks a set
