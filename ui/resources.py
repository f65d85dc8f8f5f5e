"""What the app loads once per process: the QA engine and the index snapshot, keyed by version.

Both caches are keyed by the index version named in INDEX_DIR/CURRENT, so an ingest (from the
Corpus page or the CLI) makes the next page run load a fresh engine without a restart. The
embedding model itself is cached by `index.embedder.load_embedder`, so a reload after an ingest
costs only the index read.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from config.settings import Settings
from index.store import IndexData, current_version, load_index
from qa.engine import QAEngine


def settings() -> Settings:
    """Settings in force for this page run (CITEWISE_* env vars over the defaults)."""
    return Settings.from_env()


def index_version(s: Settings) -> str | None:
    return current_version(Path(s.index_dir))


@st.cache_resource(max_entries=2, show_spinner=False)
def _load_engine(index_dir: str, version: str, fingerprint: str, _s: Settings) -> QAEngine:
    # `version` and `fingerprint` only key the cache; `_s` is not hashed (leading underscore).
    return QAEngine.load(_s, index_dir=Path(index_dir))


def engine(s: Settings) -> QAEngine:
    """The engine for the live index version; raises IndexMissingError when there is none."""
    version = index_version(s) or "none"
    loaded = _load_engine(str(s.index_dir), version, s.fingerprint(), s)
    if loaded.is_stale():  # an ingest switched the index between reading CURRENT and loading
        _load_engine.clear()
        loaded = _load_engine(str(s.index_dir), index_version(s) or "none", s.fingerprint(), s)
    return loaded


@st.cache_resource(max_entries=2, show_spinner=False)
def _load_snapshot(index_dir: str, version: str) -> IndexData:
    return load_index(Path(index_dir))


def engine_or_error(s: Settings) -> QAEngine | None:
    """The cached engine, loading it behind a spinner; None after showing why it cannot."""
    from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError

    try:
        what = "the index and the language model" if s.llm_provider else "the index"
        with st.spinner(f"Loading {what}…"):
            return engine(s)
    except (IndexMissingError, IndexMismatchError, IndexCorruptError) as exc:
        st.error(f"The index cannot be used: {exc}")
        return None


def index_snapshot(s: Settings) -> IndexData | None:
    """The live index without the model (for tables); None when nothing is indexed yet."""
    version = index_version(s)
    if version is None:
        return None
    return _load_snapshot(str(s.index_dir), version)
