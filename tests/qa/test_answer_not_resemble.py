"""An FAQ-style article: the question heading, a case vignette and a "see" pointer share the
user's words, yet the bottom line must be the sentence that answers (real model, real ingest)."""

from __future__ import annotations

import pytest

from qa.sentence_form import sentence_form

ARTICLE = """---
title: Heat for acute low back pain
last_updated: 2025-01-10
review_status: Approved
---
# Heat for acute low back pain

## Frequently asked questions
Does a heat wrap help acute low back pain in the first week?

A 45-year-old man presents with acute low back pain after lifting and asks whether a heat wrap helps in the first week.

(See the table of heat wrap trials for acute low back pain in the appendix.)

A heat wrap moderately improved pain relief at 5 days and disability at 4 days compared with placebo in acute low back pain.

Heat should not be applied directly to the skin or for longer than 15 to 20 minutes.
"""


@pytest.fixture(scope="module")
def faq_engine(tmp_path_factory: pytest.TempPathFactory, embedder):  # noqa: ANN001, ANN201
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import QAEngine

    base = tmp_path_factory.mktemp("faq")
    (base / "corpus").mkdir()
    (base / "corpus" / "heat-faq.md").write_text(ARTICLE, encoding="utf-8")
    sync_corpus(base / "corpus", base / "index", embedder=embedder)
    return QAEngine.load(Settings().replace(index_dir=base / "index", audit_log=False),
                         index_dir=base / "index", embedder=embedder)


def test_bottom_line_answers_instead_of_resembling(faq_engine) -> None:  # noqa: ANN001
    answer = faq_engine.ask("Does a heat wrap help acute low back pain in the first week?")
    assert not answer.abstained and answer.bottom_line is not None
    assert answer.bottom_line.text.startswith("A heat wrap moderately improved pain relief"), (
        answer.bottom_line.text)
    for statement in [answer.bottom_line, *answer.statements]:
        assert sentence_form(statement.text) is None, f"quoted a non-statement: {statement.text}"
        assert not statement.text.rstrip().endswith("?")
        assert "45-year-old" not in statement.text and "(See" not in statement.text



# An evidence section as specialty guidelines write one (NASS 2020's shape, our own words): a
# study's narration repeats the question's terms; the recommendation is the answer.
EVIDENCE_ARTICLE = """---
title: Spinal cord stimulation for discogenic pain
last_updated: 2025-02-01
review_status: Approved
---
# Spinal cord stimulation for discogenic pain

## Evidence
Brennan et al 1 investigated spinal cord stimulation for discogenic low back pain in a prospective observational study of 25 patients.

Spinal cord stimulation should be considered for chronic discogenic low back pain that has not responded to conservative care.

The work group recommends further trials of spinal cord stimulation for discogenic low back pain.
"""


@pytest.mark.xfail(strict=True, reason=(
    "known regression of the scorer retrained with the named source as a feature (issue 27 "
    "note): the work group's research agenda ('recommends further trials') outranks the "
    "directive; form_agenda's weight needs more agenda-vs-directive labels"))
def test_a_directive_outranks_a_studys_narration(tmp_path_factory: pytest.TempPathFactory,
                                                 embedder) -> None:  # noqa: ANN001
    """The shipped scorer reads a unit's form: the recommendation, not the narration of the
    study behind it (whose words repeat the question's), is the bottom line."""
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import QAEngine

    base = tmp_path_factory.mktemp("evidence")
    (base / "corpus").mkdir()
    (base / "corpus" / "scs.md").write_text(EVIDENCE_ARTICLE, encoding="utf-8")
    sync_corpus(base / "corpus", base / "index", embedder=embedder)
    settings = Settings().replace(index_dir=base / "index", audit_log=False)
    engine = QAEngine.load(settings, index_dir=base / "index", embedder=embedder)
    answer = engine.ask("Is spinal cord stimulation effective for discogenic low back pain?")
    assert answer.bottom_line is not None and answer.bottom_line.text.startswith(
        "Spinal cord stimulation should be considered"), (
        answer.bottom_line.text if answer.bottom_line else answer.abstain_reason)


def test_flattened_table_runs_are_never_candidates(real_guidelines_engine) -> None:  # noqa: ANN001
    """ACP 2017's evidence tables come out of its PDF as runs of hundreds of words ("NSAIDs Pain
    Small to moderate Moderate (6 RCTs) 0 to 100 scale, 12 wk: WMD, ..."): never quoted."""
    from ingest.sentences import split_units
    from qa.records import Passage
    from qa.units import MAX_UNIT_WORDS, answer_units

    engine = real_guidelines_engine
    runs = [c for c in engine.data.chunks if not c.is_reference and any(
        len(u.text.split()) > 300 for u in split_units(c.text))]
    assert runs, "expected ACP 2017's flattened evidence tables among the chunks"
    passages = [Passage(c, rank=i, score=1.0, dense_score=0.5) for i, c in enumerate(runs, 1)]
    found = answer_units(passages)
    assert found and all(len(u.text.split()) <= MAX_UNIT_WORDS for u in found)
