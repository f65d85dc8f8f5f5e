"""The sources panel shows a reference hit with the statements that cite it (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import APP, ask, html_of
from streamlit.testing.v1 import AppTest

PLEXOPATHY_2021 = "What does the 2021 ACR plexopathy update say?"


@pytest.fixture
def page(workspace: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_sources_panel_shows_the_reference_hit_with_its_citing_statements(page: AppTest) -> None:
    ask(page, PLEXOPATHY_2021)
    answer = page.session_state["cw_turns"][-1]["answer"]
    work = answer.cited_work
    assert work is not None and not answer.abstained, answer.abstain_reason
    assert "Plexopathy" in work.reference.title and work.reference.year == 2021
    labels = [e.label for e in page.expander]
    assert labels[0].startswith("**Reference**"), f"the reference hit leads the sources: {labels}"
    html = html_of(page)
    assert html.index('data-testid="cw-cited-work"') < html.index('data-testid="cw-source"'), \
        "the citing passages follow the reference as numbered sources"
    panel = html[html.index('data-testid="cw-cited-work"'):]
    assert "ACR Appropriateness Criteria Plexopathy" in panel and "2021" in panel
    assert "Cited by" in panel and all(title in panel for title in work.article_titles)
    first = answer.bottom_line.text
    assert first[:40] in panel, "the citing statements are listed under the reference"
    assert 'class="cw-cite"' in panel, "each citing statement carries its source number"


def test_ordinary_answer_has_no_reference_panel(page: AppTest) -> None:
    ask(page, "Which red flags call for early imaging in low back pain?")
    assert 'data-testid="cw-cited-work"' not in html_of(page)
    assert not any(e.label.startswith("**Reference**") for e in page.expander)
