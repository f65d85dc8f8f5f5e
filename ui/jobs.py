"""Background jobs: editor changes and eval runs that outlive the page that started them.

A Streamlit script run stops when its page is left, and an ingest running inside it stopped
half-way (a removed file gone, the index unchanged). A job runs in its own thread of the server
process instead; pages only start jobs and show their progress, so leaving the page, or opening
it in another tab, changes nothing about the work. One job runs at a time per slot ("corpus":
every change to the live index; "eval": one eval run), and the last finished job of each slot
is kept so its outcome is shown to whoever opens the page next.

Jobs read the settings' folders as given, relative to the server's working folder (which a
server never changes), so an app ingest and `citewise ingest` record the same source paths.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

# What a job's work returns: ("success" | "warning" | "error", one-line message).
Outcome = tuple[str, str]
Work = Callable[["Job"], Outcome]
_IDS = itertools.count(1)


@dataclass
class Job:
    """One piece of work and what a page shows of it while it runs and after."""

    slot: str
    label: str  # "Removing red-flags.md"
    id: int = field(default_factory=lambda: next(_IDS))
    started: float = field(default_factory=time.time)
    stage: str = ""
    done: int = 0
    total: int = 0
    finished: float | None = None
    outcome: Outcome | None = None
    result: dict[str, Any] = field(default_factory=dict)  # what the work leaves for the page

    @property
    def running(self) -> bool:
        return self.finished is None

    def progress(self, stage: str, done: int, total: int) -> None:
        """The `index.sync.Progress` callback: the stage and its counters."""
        self.stage, self.done, self.total = stage, done, total

    def seconds(self) -> float:
        return (self.finished or time.time()) - self.started


class JobBusy(RuntimeError):
    """A job of the same slot is still running."""


class Jobs:
    """The server process's jobs, one running at a time per slot."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, Job] = {}
        self._threads: dict[int, threading.Thread] = {}

    def latest(self, slot: str) -> Job | None:
        with self._lock:
            return self._latest.get(slot)

    def start(self, slot: str, label: str, work: Work, finish_on_exit: bool = True) -> Job:
        """Run `work` in a thread; JobBusy when the slot's last job still runs.

        `finish_on_exit`: a server told to stop waits for the job (an index change is brief
        and then complete); an eval run is not waited for.
        """
        with self._lock:
            current = self._latest.get(slot)
            if current is not None and current.running:
                raise JobBusy(f"{current.label} is still running")
            job = Job(slot=slot, label=label)
            self._latest[slot] = job
            thread = threading.Thread(target=self._run, args=(job, work), daemon=not
                                      finish_on_exit, name=f"citewise-job-{slot}-{job.id}")
            self._threads[job.id] = thread
        thread.start()
        return job

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        try:
            job.outcome = work(job)
        except Exception as exc:  # shown on the page: the job must always finish
            job.outcome = ("error", f"{job.label} failed: {exc}")
        finally:
            job.finished = time.time()

    def wait(self, slot: str, timeout: float) -> Job | None:
        """Block until the slot's latest job has finished (tests, the CLI-like callers)."""
        job = self.latest(slot)
        if job is not None:
            thread = self._threads.get(job.id)
            if thread is not None:
                thread.join(timeout)
        return job


@st.cache_resource(show_spinner=False)
def jobs() -> Jobs:
    """The one registry of the server process (shared by every session and page)."""
    return Jobs()


REFUSED = "cw_job_refused"  # why the last start was refused, shown once by the page


def start_job(slot: str, label: str, work: Work, finish_on_exit: bool = True) -> None:
    """A button's on_click: starts the job before the page's script runs again, so leaving
    the page right after the click cannot stop the start (a rerun interrupted a page's own
    code, never a callback)."""
    try:
        jobs().start(slot, label, work, finish_on_exit)
    except JobBusy as exc:
        st.session_state[REFUSED] = f"Wait for the change under way: {exc}."
