"""The Evaluation page's audit tab: every answer the engine gave, clinicians' questions apart
from an eval run's (qa/audit.py records which is which)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from config.settings import Settings
from ui.wording import reader_time


def audit_tab_view(s: Settings) -> None:
    """Every answer the engine gave (questions may hold patient data: local file only)."""
    from qa.audit import AuditLog

    if not s.audit_log:
        st.info("The audit log is off (CITEWISE_AUDIT_LOG=false).")
        return
    if not Path(s.audit_path).exists():
        st.caption(f"No answers recorded yet in `{s.audit_path}`.")
        return
    st.caption(f"Answers recorded in `{s.audit_path}`. Questions may contain patient data; "
               "the file never leaves this machine.")
    left, mid, right = st.columns([2, 1, 1])
    contains = left.text_input("Question contains", key="audit_contains")
    kind = mid.selectbox("Outcome", ["all", "answered", "abstained"], key="audit_kind")
    limit = right.number_input("Newest", min_value=10, max_value=5000, value=200, step=50,
                               key="audit_limit")
    with_eval = st.toggle("Include eval-set questions", value=False, key="audit_eval",
                          help="Questions an eval run asked are recorded too, marked 'eval'.")
    abstained = {"all": None, "answered": False, "abstained": True}[kind]
    entries = AuditLog(Path(s.audit_path)).entries(int(limit), contains, abstained,
                                                   origin=None if with_eval else "ask")
    st.dataframe(
        [{"time": reader_time(e.at), "from": "eval set" if e.origin == "eval" else "clinician",
          "question": e.question, "abstained": e.abstained,
          "citations": ", ".join(str(c["chunk_id"]) for c in e.citations),
          "index version": e.index_version, "settings": e.settings_hash,
          "evidence": round(e.evidence, 3), "ms": round(e.latency_ms)} for e in entries],
        hide_index=True, width="stretch")
