"""Folds over documents: a document's cases never straddle two folds."""

from __future__ import annotations

from eval.doc_folds import assign_folds, document_groups


def test_linked_documents_share_one_group_and_near_misses_stand_alone():
    docs = [("c:a",), ("c:b",), ("c:a", "c:c"), ("c:c",), (), ()]
    ids = ["q1", "q2", "q3", "q4", "n1", "n2"]
    groups = document_groups(docs, ids)
    assert groups[0] == groups[2] == groups[3]  # a and c are linked by the comparison q3
    assert groups[1] != groups[0]
    assert groups[4] == "case:n1" and groups[5] == "case:n2"


def test_every_group_in_one_fold_and_folds_balanced_and_stable():
    docs = [(f"c:d{i % 17}",) for i in range(100)] + [()] * 20
    ids = [f"q{i}" for i in range(120)]
    groups = document_groups(docs, ids)
    folds = assign_folds(groups, 5)
    assert folds == assign_folds(groups, 5)  # the same every run
    fold_of: dict[str, int] = {}
    for g, f in zip(groups, folds, strict=True):
        assert fold_of.setdefault(g, f) == f, f"group {g} split over folds"
    sizes = [folds.count(f) for f in range(5)]
    assert max(sizes) - min(sizes) <= 6, sizes  # groups of ~6 cases dealt evenly
