"""`citewise eval --calibrate`: the abstention threshold fitted on one or more eval sets, with
cross-validated numbers on held-out sets and folds (eval.crossval)."""

from __future__ import annotations

from pathlib import Path

from eval.cli_command import _fail, _load_engine, _out, _progress, err, index_for_set


def default_sets() -> list[Path]:
    """Every shipped set whose corpus is present (sets naming none use settings.index_dir)."""
    from eval.cases import known_sets, set_corpus

    out = []
    for path in known_sets():
        corpus = set_corpus(path)
        if corpus is None or corpus.is_dir():
            out.append(path)
        else:
            err.print(f"skipping {path.name}: its corpus {corpus} is absent", highlight=False)
    return out


def calibrate_sets(sets: list[Path], index: Path | None, corpus: Path | None) -> None:
    """Ask every case of every set once (min_evidence=0), fit the threshold on all of them,
    and print leave-one-set-out and k-fold numbers; the last line is the setting to use."""
    from eval.calibrate import calibrate_from, collect_scores
    from eval.cases import EvalCase, EvalSetError, load_cases
    from eval.console import print_calibration, print_cross_validation
    from eval.crossval import SetScores, cross_validate

    sets = sets or default_sets()
    if not sets:
        _fail("no eval set to calibrate on (give --set)", code=2)
    if len(sets) > 1 and (index is not None or corpus is not None):
        _fail("--index/--corpus name one index: with several --set, each set's own "
              "'# corpus:' line is used", code=2)
    scores: list[SetScores] = []
    current = 0.0
    for path in sets:
        try:
            cases = load_cases(path)
        except EvalSetError as exc:
            _fail(str(exc), code=2)
        if not cases:
            _fail(f"{path}: the eval set has no cases", code=2)
        settings, index_dir = index_for_set(path, index, corpus)
        engine = _load_engine(settings, index_dir)
        current = settings.min_evidence
        with _progress(f"calibrating {path.stem}") as bar:
            task = bar.add_task("calibrate", total=len(cases))
            evidence, intrinsic = collect_scores(
                engine, cases, lambda done, total, t=task: bar.update(t, completed=done))
        scores.append(SetScores(path.stem, tuple(cases), tuple(evidence), tuple(intrinsic)))
    out = _out()
    all_cases: list[EvalCase] = [c for s in scores for c in s.cases]
    evidence_all = [e for s in scores for e in s.evidence]
    intrinsic_all = [i for s in scores for i in s.intrinsic]
    # ids may repeat across sets: calibrate_from only reads each case's answerable flag and id
    cal = calibrate_from(evidence_all, intrinsic_all, all_cases, current)
    print_cross_validation(out, cross_validate(scores, current))
    out.print(f"fitted on all {len(all_cases)} cases of {', '.join(s.name for s in scores)}:")
    print_calibration(out, cal)  # its last line is the setting to use
