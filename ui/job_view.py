"""A page's view of its slot's job: progress while it runs (polled once a second, so it moves
even while one stage works through a large file), its outcome once it has finished."""

from __future__ import annotations

import time

import streamlit as st

from ui.jobs import REFUSED, Job, jobs
from ui.wording import ago

POLL_SECONDS = 1.0
# Ingest stages (index.sync and ingest.ocr progress) and eval stages: (share from, to, words).
STAGES = {"parse": (0.0, 0.3, "Reading articles"), "ocr": (0.0, 0.3, "Reading scanned pages"),
          "embed": (0.3, 0.8, "Embedding passages"),
          "sentences": (0.8, 0.9, "Embedding sentences"),
          "write": (0.9, 1.0, "Writing the new index version"),
          "ask": (0.0, 1.0, "Asking the questions")}
DISMISSED = "cw_dismissed_jobs"


def _share(job: Job) -> float:
    low, high, _ = STAGES.get(job.stage, (0.0, 1.0, job.stage))
    return min(1.0, low + (high - low) * (job.done / job.total if job.total else 0.0))


def progress_text(job: Job) -> str:
    words = STAGES.get(job.stage, (0, 0, job.stage or "Starting"))[2]
    counts = f" ({job.done:,} of {job.total:,})" if job.total > 1 else ""
    return f"{job.label}: {words}{counts} · {job.seconds():.0f} s"


def _dismiss(job_id: int) -> None:
    st.session_state.setdefault(DISMISSED, set()).add(job_id)


def job_panel(slot: str) -> Job | None:
    """Show the slot's job; returns it (None when there was none or it is dismissed).

    While the job runs only this panel reruns; when it ends the whole page reruns, so its
    tables show the new index.
    """
    if (refused := st.session_state.pop(REFUSED, None)) is not None:
        st.warning(refused)
    job = jobs().latest(slot)
    if job is None or job.id in st.session_state.get(DISMISSED, set()):
        return None
    if job.running:
        @st.fragment(run_every=POLL_SECONDS)
        def running() -> None:
            if not job.running:
                st.rerun()
            st.progress(_share(job), text=progress_text(job))
            st.caption("This runs on the server: leaving the page does not stop it.")

        running()
        return job
    kind, message = job.outcome or ("error", f"{job.label} ended without an outcome")
    box = {"success": st.success, "warning": st.warning}.get(kind, st.error)
    left, right = st.columns([8, 1], vertical_alignment="center")
    with left:
        box(f"{message} ({ago(time.time() - (job.finished or job.started))}, took "
            f"{job.seconds():.0f} s)")
    right.button("Dismiss", key=f"dismiss-{job.id}", on_click=_dismiss, args=(job.id,))
    return job
