"""Shared fixtures for the app tests: a tmp copy of the corpus and an index built from it.

Paths are relative to a tmp working folder (`corpus/`, `index/`), so the manifest's source
paths stay valid when a test copies the whole folder to get an index it may change.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from config.settings import Settings
from index.sync import sync_corpus
from qa.engine import chunker_settings

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # app.py and pages/ import the `ui` helpers from the repo root
    sys.path.insert(0, str(REPO))
APP = str(REPO / "app.py")
ARTICLES = [p for p in (REPO / "corpus").iterdir()
            if p.is_file() and p.suffix in (".md", ".html", ".pdf") and p.name != "README.md"]


@pytest.fixture(scope="session")
def built_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tmp/corpus (a copy of corpus/) and tmp/index built from it, once per session."""
    root = tmp_path_factory.mktemp("citewise-app")
    (root / "corpus").mkdir()
    for path in ARTICLES:
        shutil.copy2(path, root / "corpus" / path.name)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        report = sync_corpus(Path("corpus"), Path("index"), chunker_settings(Settings()))
    finally:
        os.chdir(cwd)
    assert not report.skipped, f"demo corpus should ingest cleanly, skipped: {report.skipped}"
    return root


@pytest.fixture
def workspace(built_workspace: Path, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the built workspace as cwd, with the app pointed at it."""
    root = tmp_path / "ws"
    shutil.copytree(built_workspace, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("CITEWISE_CORPUS_DIR", "corpus")
    monkeypatch.setenv("CITEWISE_INDEX_DIR", "index")
    st.cache_resource.clear()  # engines of an earlier test's index must not leak in
    yield root
    from ui.jobs import jobs

    for slot in ("corpus", "eval"):  # a job writes relative to the cwd: finish it here
        jobs().wait(slot, timeout=600)
    st.cache_resource.clear()


@pytest.fixture
def server(workspace: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port, against the tmp corpus and index (built already)."""
    from tests.app.browser import CHROMIUM, streamlit_server

    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (run `make browser`)")
    with streamlit_server(workspace) as url:
        yield url


@pytest.fixture(scope="module")
def module_workspace(built_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One private copy of the built workspace for a module's browser tests, which run in
    order against one server (each start costs a model load)."""
    root = tmp_path_factory.mktemp("browser-ws") / "ws"
    shutil.copytree(built_workspace, root)
    return root


@pytest.fixture(scope="module")
def module_server(module_workspace: Path) -> Iterator[str]:
    from tests.app.browser import CHROMIUM, streamlit_server

    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (run `make browser`)")
    with streamlit_server(module_workspace) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():  # noqa: ANN201 - a playwright Browser
    """Debian chromium driven by Playwright, one per module."""
    from tests.app.browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (run `make browser`)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
