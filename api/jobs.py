"""Ingest jobs: one process per job, its state in a file any worker (or machine) can read.

`POST /v1/ingest` starts `python -m api.ingest_job JOB_FILE` under the `nice` program (answers
keep the CPU first) and returns at once. The job process writes its state to
`<index_dir>/.jobs/<id>.json` (a temporary file, then an atomic rename) as it goes, so
`GET /v1/jobs/{id}` reads the same record whichever worker answers it. One writer at a time:
a second job waits for the first one's writer lock (status "queued" until then). A job whose
process is gone without writing an end state (killed, out of memory) reads as failed; the live
index is the old one, whole (index.store.save_index switches only a complete version).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

JOBS_DIR = ".jobs"
STATES = ("queued", "running", "done", "failed")
UNFINISHED = "the live index is the last version an ingest completed"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Job:
    """The state of one ingest job, as `GET /v1/jobs/{id}` returns it."""

    job_id: str
    status: str  # one of STATES
    rebuild: bool = False
    created_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    stage: str | None = None  # parse, ocr, embed, sentences, write
    done: int = 0
    total: int = 0
    report: dict[str, object] | None = None  # index.sync.SyncReport.as_dict() when done
    warning: str = ""
    error: str = ""
    host: str = field(default_factory=socket.gethostname)
    pid: int | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class JobStore:
    """Job files of one index folder."""

    def __init__(self, index_dir: Path) -> None:
        self.folder = Path(index_dir) / JOBS_DIR

    def path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def write(self, job: Job) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{job.job_id}.{uuid.uuid4().hex[:6]}.tmp"
        tmp.write_text(json.dumps(job.as_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path(job.job_id))

    def read(self, job_id: str) -> Job | None:
        """The job's state, or None when there is no such job; a job whose process ended
        without saying how reads as failed."""
        if not job_id.replace("-", "").isalnum():
            return None
        try:
            data = json.loads(self.path(job_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        job = Job(**data)
        if job.status in ("queued", "running") and job.pid is not None and \
                job.host == socket.gethostname() and not _alive(job.pid):
            return replace(job, status="failed", error="the ingest process ended without "
                           f"finishing (killed?); {UNFINISHED}")
        return job


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) is not running
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def start_job(store: JobStore, env: dict[str, str], rebuild: bool = False) -> Job:
    """Write a queued job and start its process with the settings `env` (Settings.as_env) over
    this environment; the process records its own pid."""
    job = Job(job_id=uuid.uuid4().hex[:12], status="queued", rebuild=rebuild, created_at=now())
    store.write(job)
    command = [sys.executable, "-m", "api.ingest_job", str(store.path(job.job_id))]
    nice = shutil.which("nice")
    if nice:  # the nice program, not os.nice in a preexec_fn (this process has threads)
        command = [nice, "-n", "10", *command]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, **env})
    threading.Thread(target=_reap, args=(store, job.job_id, process), name=f"job-{job.job_id}",
                     daemon=True).start()
    return job


def _reap(store: JobStore, job_id: str, process: subprocess.Popen[bytes]) -> None:
    """Wait for the job process (no zombie left); if it ended without writing an end state
    (killed, crashed at start), say so in its record."""
    _out, err = process.communicate()
    job = store.read(job_id)
    if job is not None and job.status in ("queued", "running"):
        last = (err or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
        why = f"exit status {process.returncode}" + (f": {last[0]}" if last else "")
        store.write(replace(job, status="failed", finished_at=now(),
                            error=f"the ingest process ended without finishing ({why}); "
                                  f"{UNFINISHED}"))
