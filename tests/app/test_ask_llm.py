"""The Ask page with the optional language model: the draft streams from a server replaying
the real model's recorded answers (../shared/llm-recordings), then the checked answer shows;
a dead server falls back to the extractive answer with a notice; the patient toggle."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from apptest_helpers import APP, ask, html_of
from streamlit.testing.v1 import AppTest

from index.sync import sync_corpus
from qa.audience import NEEDS_LLM
from tests.conftest import seed_dir_or_skip
from tests.qa.replay_server import Replay, closed_port, recordings_or_skip, serve

CONTRAST = "When should contrast be added to a lumbar spine MRI?"
PLAIN = ("Your doctor may add a contrast dye to the back scan if cancer, an infection or an "
         "earlier back operation is suspected [1].")


@pytest.fixture(scope="module")
def seed_workspace(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """tmp/corpus (the seed articles, which the recordings were made over) and tmp/index."""
    root = tmp_path_factory.mktemp("citewise-llm-app")
    shutil.copytree(seed_dir_or_skip(), root / "corpus")
    sync_corpus(root / "corpus", root / "index", embedder=embedder)
    return root


@pytest.fixture
def llm_page(seed_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple]:
    """(start the page, the replay) with CITEWISE_LLM_* pointing at the replay server."""
    replay = Replay(recordings_or_skip(), scripted={"Contrast should be added": PLAIN})
    monkeypatch.chdir(seed_workspace)
    monkeypatch.setenv("CITEWISE_INDEX_DIR", "index")
    monkeypatch.setenv("CITEWISE_CORPUS_DIR", "corpus")
    monkeypatch.setenv("CITEWISE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("CITEWISE_LLM_MODEL", replay.model)
    monkeypatch.setenv("CITEWISE_LLM_TIMEOUT", "30")
    st.cache_resource.clear()
    with serve(replay) as url:
        monkeypatch.setenv("CITEWISE_LLM_BASE_URL", url + "/v1")

        def start() -> AppTest:
            at = AppTest.from_file(APP, default_timeout=90)
            at.run()
            assert not at.exception, at.exception
            return at

        yield start, replay
    st.cache_resource.clear()


def test_draft_streams_then_the_checked_answer_shows(llm_page) -> None:
    start, replay = llm_page
    at = ask(start(), CONTRAST)
    assert replay.received and replay.received[0]["stream"] is True, "the app should stream"
    answer = at.session_state["cw_turns"][-1]["answer"]
    assert answer.composer == "generative" and not answer.abstained
    html = html_of(at)
    assert 'data-testid="cw-bottom-line"' in html and "suspicion of malignancy" in html
    assert any("checked against the passage it cites" in c.value for c in at.caption)
    assert not any("Draft from the language model" in c.value for c in at.caption), \
        "the streamed draft is replaced by the checked answer"


def test_dead_server_falls_back_to_the_extractive_answer_with_a_notice(
        llm_page, monkeypatch: pytest.MonkeyPatch) -> None:
    start, _ = llm_page
    monkeypatch.setenv("CITEWISE_LLM_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    at = ask(start(), CONTRAST)
    answer = at.session_state["cw_turns"][-1]["answer"]
    assert answer.composer == "extractive" and not answer.abstained
    warnings = [w.value for w in at.warning]
    assert any("CITEWISE_LLM_BASE_URL" in w for w in warnings), warnings
    assert 'data-testid="cw-bottom-line"' in html_of(at)


def test_patient_toggle_rewords_keeping_citations(llm_page) -> None:
    start, replay = llm_page
    at = ask(start(), CONTRAST)
    at.toggle(key="cw_patient").set_value(True).run()
    assert not at.exception, at.exception
    html = html_of(at)
    assert 'data-testid="cw-patient-wording"' in html and "contrast dye" in html
    assert "Clinician wording" in [e.label for e in at.expander]
    replay.scripted = {"Contrast should be added": PLAIN.replace(" [1]", "")}
    at = start()  # a new session: the rewrite this time lost its citation
    at.toggle(key="cw_patient").set_value(True).run()
    at = ask(at, CONTRAST)
    assert 'data-testid="cw-patient-wording"' not in html_of(at)
    assert any("lost [1]" in i.value for i in at.info), [i.value for i in at.info]


def test_without_a_model_no_patient_toggle_is_offered(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The patient wording cannot work without a language model: no toggle that cannot."""
    for name in [k for k in os.environ if k.startswith("CITEWISE_LLM_")]:
        monkeypatch.delenv(name)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not [t for t in at.toggle if t.key == "cw_patient"]
    assert NEEDS_LLM not in [i.value for i in at.info]
    at = ask(at, "Which red flags call for early imaging in low back pain?")
    assert 'data-testid="cw-bottom-line"' in html_of(at), "the clinician answer is shown"
