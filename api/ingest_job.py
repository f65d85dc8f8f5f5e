"""One ingest job's process: `python -m api.ingest_job JOB_FILE` (started by api.jobs).

It syncs the corpus with the settings in force (the CITEWISE_* environment of the server that
started it), writing its progress into JOB_FILE at most every PROGRESS_EVERY_S seconds, and
its report or its error at the end. Killing it (even kill -9) leaves the live index whole.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from api.jobs import JobStore, now

PROGRESS_EVERY_S = 0.5


def run(job_file: Path) -> int:
    from config.settings import Settings
    from qa.publish import ingest_corpus

    store = JobStore(job_file.parent.parent)
    job_id = job_file.stem
    job = store.read(job_id)
    if job is None:
        print(f"no job file {job_file}", file=sys.stderr)
        return 2
    job = replace(job, pid=os.getpid())
    store.write(job)
    last = 0.0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal job, last
        first = job.status == "queued"  # progress starts once the writer lock is held
        if first:
            job = replace(job, status="running", started_at=now())
        job = replace(job, stage=stage, done=done, total=total)
        if first or done >= total or time.monotonic() - last >= PROGRESS_EVERY_S:
            store.write(job)
            last = time.monotonic()

    try:
        settings = Settings.from_env()
        report, warning = ingest_corpus(settings, rebuild=job.rebuild, progress=progress)
    except Exception as exc:  # noqa: BLE001 - every failure ends up in the job record
        store.write(replace(job, status="failed", finished_at=now(),
                            error=f"ingest failed, index unchanged: {exc}"))
        return 1
    store.write(replace(job, status="done", finished_at=now(), started_at=job.started_at
                        or now(), report=report.as_dict(), warning=warning))
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
