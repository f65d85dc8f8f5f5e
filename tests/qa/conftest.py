"""Fixtures of the qa tests."""

from __future__ import annotations

import pytest

from tests.qa.real_docs import real_engine


@pytest.fixture(scope="session")
def real_guidelines_engine(tmp_path_factory, embedder):
    return real_engine(tmp_path_factory, embedder)
