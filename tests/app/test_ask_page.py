"""The Ask page through Streamlit's AppTest, against a tmp copy of the corpus and its index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apptest_helpers import APP, ask, html_of
from streamlit.testing.v1 import AppTest

from config.settings import DISCLAIMER
from ingest.records import Reference
from qa.engine import QAEngine
from qa.records import Citation, Statement
from ui.badges import grade_badges, grade_kind, is_pending_review
from ui.render import related_questions, statement_html
from ui.sources import passage_html, short_section, source_labels
from ui.wording import plural, reader_date, reader_time

RED_FLAGS = "Which red flags call for early imaging in low back pain?"
UNRELATED = "What are the alternatives when a patient cannot have a lumbar spine MRI?"


@pytest.fixture
def page(workspace: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _latest(at: AppTest):  # noqa: ANN202 - the latest turn's Answer
    return at.session_state["cw_turns"][-1]["answer"]


def test_disclaimer_and_starters_before_any_question(page: AppTest) -> None:
    assert DISCLAIMER in html_of(page), "the disclaimer must be visible before asking"
    starters = [b.label for b in page.button if b.key and b.key.startswith("starter-")]
    assert starters, "an empty page should offer article questions to start with"


def test_answer_chips_link_to_their_numbered_sources(page: AppTest) -> None:
    ask(page, RED_FLAGS)
    html = html_of(page)
    assert 'data-testid="cw-bottom-line"' in html, "the bottom line should lead the answer"
    assert DISCLAIMER in html
    answer = _latest(page)
    assert not answer.abstained and answer.citations
    links = set(re.findall(r'class="cw-cite" href="#(cw-src-t0-\d+)"', html))
    targets = set(re.findall(r'class="cw-srcbody" id="(cw-src-t0-\d+)"', html))
    assert links and links <= targets, f"every chip leads to a source: {links} vs {targets}"
    assert targets == {f"cw-src-t0-{c.n}" for c in answer.citations}
    assert "<mark>" in html, "the cited sentence should be highlighted in its passage"
    assert "Last updated" in html and "cw-badge" in html
    assert "article(s)" not in " ".join(c.value for c in page.caption)


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
    ask(page, "When should MRI be done for suspected cauda equina syndrome?")
    assert loads == [], "the engine is cached: asking must not load the index or model again"
    assert not _latest(page).abstained and _latest(page).citations


def test_a_new_question_is_not_read_as_a_follow_up(page: AppTest, workspace: Path) -> None:
    ask(page, RED_FLAGS)
    ask(page, UNRELATED)
    turns = page.session_state["cw_turns"]
    assert turns[1]["history"] == [], "Ask starts afresh; only the follow-up button continues"
    assert 'data-testid="cw-followup"' not in html_of(page)
    alone = AppTest.from_file(APP, default_timeout=60)
    alone.run()
    ask(alone, UNRELATED)
    assert _latest(page).text == _latest(alone).text, "the answer depends on the question before"


def test_follow_up_is_explicit_and_carries_the_conversation(page: AppTest) -> None:
    follow = next(b for b in page.button if b.label == "Ask as a follow-up")
    assert follow.disabled, "nothing to follow up before the first question"
    ask(page, RED_FLAGS)
    assert not next(b for b in page.button if b.label == "Ask as a follow-up").disabled
    ask(page, "and which imaging test comes first?", follow_up=True)
    ask(page, "and if it is normal?", follow_up=True)
    turns = page.session_state["cw_turns"]
    assert turns[1]["history"] == [RED_FLAGS]
    assert turns[2]["history"] == [RED_FLAGS, "and which imaging test comes first?"]
    html = html_of(page)
    assert 'data-testid="cw-followup"' in html and "Earlier questions" in html
    clear = next(b for b in page.button if b.label == "Clear earlier questions")
    clear.click().run()
    assert page.session_state["cw_turns"] == []


def test_pending_review_source_shows_caution(page: AppTest) -> None:
    ask(page, "How can lumbosacral radiculopathy be told apart from plexopathy on imaging?")
    pending = [c for c in _latest(page).citations if is_pending_review(c.review_status)]
    assert pending, "this question should cite the article that is under review"
    assert any("pending review" in w.value for w in page.warning), "caution banner missing"
    html = html_of(page)
    summary = html[html.index(f'<span class="cw-srcn">{pending[0].n}</span>'):]
    summary = summary[:summary.index("</summary>")]
    assert "Under review" in summary, f"a closed source shows no caution: {summary}"


def test_decline_states_its_reason_and_offers_no_off_topic_articles(page: AppTest) -> None:
    ask(page, "What are the first-line drugs for systemic lupus erythematosus?")
    answer = _latest(page)
    assert answer.abstained and "lupus" in answer.abstain_reason
    html = html_of(page)
    reason = html[html.index('data-testid="cw-decline-reason"'):]
    assert "lupus" in reason[:300], "the page must say why it declines"
    assert not [b for b in page.button if b.key and b.key.startswith("closest-")], \
        "no indexed article is about lupus: none is offered as the closest"
    assert 'data-testid="cw-source"' not in html, "a decline has no sources"


@pytest.mark.xfail(strict=True, reason=(
    "known regression, issue 27 note: the retrained scorer answers this dose near miss "
    "from a statement naming NSAIDs without a dose"))
def test_on_topic_decline_offers_closest_articles_as_new_questions(page: AppTest) -> None:
    ask(page, "what dose of NSAIDs for acute low back pain?")
    answer = _latest(page)
    assert answer.abstained and "drug doses" in answer.abstain_reason
    closest = [b for b in page.button if b.key and b.key.startswith("closest-")]
    assert closest, "the article recommending NSAIDs is about this question's topic"
    closest[0].click().run()
    turns = page.session_state["cw_turns"]
    assert turns[-1]["question"] == closest[0].label.replace("\\", "")
    assert turns[-1]["history"] == [], "a suggestion is a new question"


def test_related_question_click_asks_it(page: AppTest) -> None:
    ask(page, RED_FLAGS)
    related = [b for b in page.button if b.key and b.key.startswith("related-")]
    assert related, "other nearby articles should be suggested"
    first = _latest(page)
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
    before = _latest(page)
    (workspace / "corpus" / "red-flags-low-back-pain.md").unlink()
    sync_corpus(Path("corpus"), Path("index"), chunker_settings(Settings()))
    ask(page, RED_FLAGS)
    after = _latest(page)
    assert any(c.article_id == "red-flags-low-back-pain" for c in before.citations)
    assert all(c.article_id != "red-flags-low-back-pain" for c in after.citations), \
        "a removed article must not be cited once the index changed"


def _citation(n: int, section: str = "S", page: int | None = None,
              quoted: tuple[str, ...] = ("Second <b>bold</b> sentence [2].",)) -> Citation:
    return Citation(
        n=n, chunk_id=f"a:{n}", article_id="a", title="T", section=section,
        source_path="corpus/a.md", last_updated="2025-01-01", review_status="Under review",
        evidence_type="Guideline", text="First sentence [1].\n- Second <b>bold</b> sentence [2].",
        quoted=quoted, references=(Reference(1, "Ref", "Venue", 2020, "Guideline"),), page=page)


def test_pending_review_caution_and_highlight_rendering() -> None:
    html = passage_html(_citation(2))
    assert "<mark>Second &lt;b&gt;bold&lt;/b&gt; sentence" in html, html
    assert "<b>bold</b>" not in html, "article text must be escaped"
    assert 'class="cw-ref">ref 1<' in html
    assert is_pending_review("Under review") and is_pending_review("draft")
    assert not is_pending_review("Approved") and not is_pending_review(None)


def test_two_sources_of_one_section_are_told_apart() -> None:
    same = [_citation(1, quoted=("Imaging is not needed in the first six weeks of pain.",)),
            _citation(2, quoted=("MRI is the first study when a red flag is present.",)),
            _citation(3, section="Other")]
    labels = source_labels(same)
    assert labels[1] != labels[2] and "Imaging is not needed" in labels[1], labels
    assert labels[3] == "", "a source with its own section needs nothing added"
    paged = source_labels([_citation(1, page=3), _citation(2, page=7)])
    assert paged == {1: ", page 3", 2: ", page 7"}
    one_page = source_labels([_citation(1, page=1, quoted=("Heat helps.",)),
                              _citation(2, page=1, quoted=("Massage helps.",))])
    assert one_page == {1: ": “Heat helps.”", 2: ": “Massage helps.”"}, "one page tells nothing"
    long = "Opioids: nausea, dizziness, constipation, vomiting, somnolence, and dry mouth SMRs: " \
           "increased risk for any adverse event"
    assert short_section(long).endswith(" …") and len(short_section(long).split()) == 15
    assert short_section("Bottom line") == "Bottom line"


def test_grades_get_one_badge_per_kind_and_never_repeat_the_sentence() -> None:
    assert grade_kind("Strong recommendation") == "strength"
    assert grade_kind("moderate-quality evidence") == "quality"
    assert grade_kind("Level II") == "quality" and grade_kind("radiation ☢☢") == "radiation"
    badges = grade_badges("Strong recommendation; moderate-quality evidence",
                          "Clinicians should select heat (moderate-quality evidence).")
    assert 'cw-strength" title="Strength' in badges and "Strong recommendation" in badges
    assert "cw-quality" not in badges, "the sentence already states its evidence quality"
    assert grade_badges("Usually not appropriate",
                        "MRI lumbar spine: usually not appropriate") == ""
    html = statement_html(Statement("Use MRI.", (1, 2), "a:1",
                                    strength="Grade B; Level II"), "t0")
    assert html.count('href="#cw-src-t0-') == 2
    assert "cw-strength" in html and "cw-quality" in html


def test_reader_wording() -> None:
    assert plural(1, "article") == "1 article" and plural(3, "article") == "3 articles"
    assert reader_date("2025-11-20") == "20 Nov 2025" and reader_date(None) is None
    assert reader_time("2026-12-07T16:13:22+00:00") == "7 Dec 2026, 16:13 UTC"
