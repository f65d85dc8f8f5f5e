"""The Ask page through Streamlit's AppTest, against a tmp copy of the corpus and its index."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import APP, ask, html_of
from streamlit.testing.v1 import AppTest

from config.settings import DISCLAIMER
from ingest.records import Reference
from qa.engine import QAEngine
from qa.records import Citation
from ui.render import is_pending_review, passage_html, related_questions

RED_FLAGS = "Which red flags call for early imaging in low back pain?"


@pytest.fixture
def page(workspace: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_disclaimer_and_starters_before_any_question(page: AppTest) -> None:
    assert DISCLAIMER in html_of(page), "the disclaimer must be visible before asking"
    starters = [b.label for b in page.button if b.key and b.key.startswith("starter-")]
    assert starters, "an empty page should offer article questions to start with"


def test_answer_has_bottom_line_numbered_sources_and_disclaimer(page: AppTest) -> None:
    ask(page, RED_FLAGS)
    html = html_of(page)
    assert 'data-testid="cw-bottom-line"' in html, "the bottom line should lead the answer"
    assert 'class="cw-cite"' in html, "answer sentences should carry numbered citations"
    assert DISCLAIMER in html
    labels = [e.label for e in page.expander]
    assert labels and labels[0].startswith("**[1]**"), f"sources numbered from 1, got {labels}"
    assert any("red flags" in label.lower() for label in labels)
    assert "<mark>" in html, "the cited sentence should be highlighted in its passage"
    assert "Last updated" in html and "cw-badge" in html
    answer = page.session_state["cw_turns"][-1]["answer"]
    assert not answer.abstained and answer.citations


def test_second_question_reuses_the_cached_engine(page: AppTest,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm engine serves the next question: no index or model load (its speed is
    measured by `citewise bench`, never by a timed test on a shared machine)."""
    loads: list[object] = []
    original = QAEngine.load.__func__

    def counting_load(cls, *args, **kwargs):  # noqa: ANN001, ANN202
        loads.append(args)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(QAEngine, "load", classmethod(counting_load))
    ask(page, RED_FLAGS)
    page.session_state["cw_turns"] = []  # a new conversation, so no history is mixed in
    ask(page, "When should MRI be done for suspected cauda equina syndrome?")
    assert loads == [], "the engine is cached: asking must not load the index or model again"
    answer = page.session_state["cw_turns"][-1]["answer"]
    assert not answer.abstained and answer.citations, answer.abstain_reason


def test_follow_up_passes_history(page: AppTest) -> None:
    ask(page, RED_FLAGS)
    ask(page, "and which imaging test comes first?")
    turns = page.session_state["cw_turns"]
    assert len(turns) == 2
    assert turns[1]["history"] == [RED_FLAGS], "a follow-up must carry the earlier question"
    assert any("follow-up to" in c.value.lower() for c in page.caption)
    assert "Earlier in this conversation" in html_of(page)


def test_pending_review_source_shows_caution(page: AppTest) -> None:
    ask(page, "How can lumbosacral radiculopathy be told apart from plexopathy on imaging?")
    answer = page.session_state["cw_turns"][-1]["answer"]
    pending = [c for c in answer.citations if is_pending_review(c.review_status)]
    assert pending, "this question should cite the article that is under review"
    assert any("pending review" in w.value for w in page.warning), "caution banner missing"
    labels = [e.label for e in page.expander if e.label.startswith(f"**[{pending[0].n}]**")]
    assert labels and "Under review" in labels[0], f"closed source shows no caution: {labels}"


def test_not_covered_offers_closest_titles(page: AppTest) -> None:
    ask(page, "What is the best antibiotic for community acquired pneumonia in children?")
    html = html_of(page)
    assert 'data-testid="cw-not-covered"' in html, "an off-topic question should abstain"
    assert "Not covered by the indexed articles" in html
    closest = [b for b in page.button if b.key and b.key.startswith("closest-")]
    assert closest, "closest article titles should be offered as questions"
    assert not page.expander, "an abstention has no sources"
    closest[0].click().run()
    turns = page.session_state["cw_turns"]
    assert len(turns) == 1 and turns[0]["question"] == closest[0].label.replace("\\", "")
    assert turns[0]["history"] == [], "a suggestion starts a new conversation"


def test_related_question_click_asks_it(page: AppTest) -> None:
    ask(page, RED_FLAGS)
    related = [b for b in page.button if b.key and b.key.startswith("related-")]
    assert related, "other nearby articles should be suggested"
    first = page.session_state["cw_turns"][-1]["answer"]
    assert related[0].label.replace("\\", "") in related_questions(first)
    related[0].click().run()
    assert page.session_state["cw_turns"][-1]["question"] in related_questions(first)


def test_empty_question_is_ignored(page: AppTest) -> None:
    ask(page, "   ")
    assert page.session_state["cw_turns"] == []
    assert not page.exception


def test_engine_reloads_after_ingest(page: AppTest, workspace: Path) -> None:
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import chunker_settings

    ask(page, RED_FLAGS)
    before = page.session_state["cw_turns"][-1]["answer"]
    (workspace / "corpus" / "red-flags-low-back-pain.md").unlink()
    sync_corpus(Path("corpus"), Path("index"), chunker_settings(Settings()))
    ask(page, RED_FLAGS)
    after = page.session_state["cw_turns"][-1]["answer"]
    assert any(c.article_id == "red-flags-low-back-pain" for c in before.citations)
    assert all(c.article_id != "red-flags-low-back-pain" for c in after.citations), \
        "a removed article must not be cited once the index changed"


def test_pending_review_caution_and_highlight_rendering() -> None:
    citation = Citation(
        n=2, chunk_id="a:0", article_id="a", title="T", section="S", source_path="corpus/a.md",
        last_updated="2025-01-01", review_status="Under review", evidence_type="Guideline",
        text="First sentence [1].\n- Second <b>bold</b> sentence [2].",
        quoted=("Second <b>bold</b> sentence [2].",),
        references=(Reference(1, "Ref", "Venue", 2020, "Guideline"),))
    html = passage_html(citation)
    assert "<mark>Second &lt;b&gt;bold&lt;/b&gt; sentence" in html, html
    assert "<b>bold</b>" not in html, "article text must be escaped"
    assert 'class="cw-ref">ref 1<' in html
    assert is_pending_review("Under review") and is_pending_review("draft")
    assert not is_pending_review("Approved") and not is_pending_review(None)
