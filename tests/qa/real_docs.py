"""A small index of real published guidelines (../shared/real-guidelines), built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

REAL_DIR = ROOT.parent / "shared" / "real-guidelines"
REAL_FILES = ("ngc_synthesis_knee_oa_2016.html", "ngc_commentary_acp_aps_lbp_2008.html",
              "acp_lbp_noninvasive_2017.pdf")


def real_engine(tmp_path_factory, embedder):
    """QAEngine over the knee OA synthesis, the ACP/APS commentary and ACP 2017."""
    from config.settings import Settings
    from index.sync import sync_corpus
    from qa.engine import QAEngine

    missing = [f for f in REAL_FILES if not (REAL_DIR / f).is_file()]
    if missing:
        pytest.skip(f"real guidelines not found: {', '.join(missing)} in {REAL_DIR}")
    corpus = tmp_path_factory.mktemp("real-corpus")
    for name in REAL_FILES:
        shutil.copy(REAL_DIR / name, corpus / name)
    index_dir = tmp_path_factory.mktemp("real-index")
    report = sync_corpus(corpus, index_dir, embedder=embedder)
    assert not report.skipped, f"real guidelines skipped: {report.skipped}"
    return QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)


def path_of(name: str) -> Path:
    return REAL_DIR / name
