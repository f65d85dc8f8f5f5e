"""`citewise eval --calibrate`: the abstention threshold fitted on one or more eval sets, with
cross-validated numbers on held-out sets and folds (eval.crossval)."""

from __future__ import annotations

from pathlib import Path

from eval.indexes import err, fail, index_for_set, load_engine, out_console, progress_bar


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
    """Ask every case of every set once (both abstention checks off), fit each threshold on the
    sets not marked held-out, print leave-one-set-out and k-fold numbers and the held-out sets'
    numbers at the fitted value; the last line is the setting to use."""
    from eval.calibrate import CaseScores, _point, calibrate_from, collect_scores
    from eval.cases import EvalCase, EvalSetError, is_held_out, load_cases
    from eval.console import print_calibration, print_cross_validation
    from eval.crossval import SetScores, cross_validate

    sets = sets or default_sets()
    if not sets:
        fail("no eval set to calibrate on (give --set)", code=2)
    if len(sets) > 1 and (index is not None or corpus is not None):
        fail("--index/--corpus name one index: with several --set, each set's own "
              "'# corpus:' line is used", code=2)
    collected: list[tuple[str, tuple[EvalCase, ...], CaseScores]] = []
    held_out: list[tuple[str, tuple[EvalCase, ...], CaseScores]] = []
    settings = None
    for path in sets:
        try:
            cases = load_cases(path)
            checks_only = is_held_out(path)
        except EvalSetError as exc:
            fail(str(exc), code=2)
        if not cases:
            fail(f"{path}: the eval set has no cases", code=2)
        settings, index_dir = index_for_set(path, index, corpus)
        engine = load_engine(settings, index_dir)
        with progress_bar(f"calibrating {path.stem}") as bar:
            task = bar.add_task("calibrate", total=len(cases))
            scores = collect_scores(
                engine, cases, lambda done, total, t=task: bar.update(t, completed=done))
        (held_out if checks_only else collected).append((path.stem, tuple(cases), scores))
    if not collected:
        fail("every set given is held out: nothing to fit on", code=2)
    assert settings is not None
    out = out_console()
    all_cases: list[EvalCase] = [c for _n, cases, _s in collected for c in cases]
    # Each threshold is fitted with the other at its configured value.
    checks = (("min_known_share", settings.min_known_share,
               lambda s: s.for_known_share(settings.min_evidence)),
              ("min_evidence", settings.min_evidence,
               lambda s: s.for_evidence(settings.min_known_share)))
    for setting, current, rows in checks:
        per_set = [SetScores(name, cases, *map(tuple, rows(s))) for name, cases, s in collected]
        out.rule(f"{setting} (now {current})")
        print_cross_validation(out, cross_validate(per_set, current))
        score_all = [e for s in per_set for e in s.evidence]
        intrinsic_all = [i for s in per_set for i in s.intrinsic]
        # ids may repeat across sets: calibrate_from only reads each case's answerable flag and id
        cal = calibrate_from(score_all, intrinsic_all, all_cases, current, setting)
        for name, cases, s in held_out:
            score, intrinsic = rows(s)
            answerable = [c.answerable for c in cases]
            for label, t in (("fitted", cal.best.threshold), ("current", current)):
                p = _point(t, score, intrinsic, answerable)
                out.print(f"held out {name} (never fitted on), {label} {setting} {t:g}: "
                          f"abstention F1 {p.f1:.3f}, {p.false_abstentions} false / "
                          f"{p.missed_abstentions} missed", highlight=False)
        out.print(f"fitted on all {len(all_cases)} cases of "
                  f"{', '.join(name for name, _c, _s in collected)}:")
        print_calibration(out, cal)  # its last line is the setting to use
