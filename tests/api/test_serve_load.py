"""`citewise serve --workers 2` as a user runs it, under load while an ingest publishes a new
version: no request fails, every worker switches without a restart, and every answer is the
record `citewise ask --json` gives for its question and index version (CI-sized: a few askers
for a few seconds; the 32-asker, 60 s run is `citewise bench --load`)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from citewise.bench.load import comparable, ingest_and_wait, run_load, worker_versions
from index.store import current_version
from tests.api.conftest import ADDED, QUESTIONS
from tests.api.test_api import TOKEN, _cli_json
from tests.conftest import CORPUS, ROOT

WORKERS = 2
WAIT_S = 180.0  # a guard against hanging, not a speed check


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert server.poll() is None, "citewise serve exited: " + server.stderr.read().decode()
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200 and \
                    len(asyncio.run(worker_versions(base))) == WORKERS:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("citewise serve did not get ready")


def test_version_switch_under_load_loses_no_request(api_index: Path, api_corpus: Path,
                                                   tmp_path: Path) -> None:
    before = current_version(api_index)
    cli_before = {q: comparable(_cli_json("ask", "--json", "--index", str(api_index), q))
                  for q in QUESTIONS}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CITEWISE_API_TOKEN": TOKEN, "CITEWISE_API_RELOAD_S": "0.2",
           "CITEWISE_AUDIT_PATH": str(tmp_path / "audit.sqlite3")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "citewise.cli", "serve", "--port", str(port), "--workers",
         str(WORKERS), "--index", str(api_index), "--corpus", str(api_corpus)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_ready(base, server)

        async def publish() -> dict[str, object]:
            shutil.copy(CORPUS / ADDED, api_corpus / ADDED)
            done = await ingest_and_wait(base, TOKEN, poll_s=0.2, timeout_s=WAIT_S)
            deadline = time.monotonic() + WAIT_S
            while set((await worker_versions(base)).values()) != {done["version"]}:
                assert time.monotonic() < deadline, "a worker kept the old version"
                await asyncio.sleep(0.1)
            return done | {"workers": await worker_versions(base)}

        result = asyncio.run(run_load(base, list(QUESTIONS), askers=6, seconds=4.0,
                                      during=publish, during_at=0.25))
    finally:
        server.terminate()
        server.wait(timeout=60)
    summary = result.summary()
    assert summary["errors"] == 0, summary["first_errors"]
    during = result.during
    assert during.get("job_status") == "done", during
    after = during["version"]
    assert after != before and current_version(api_index) == after
    assert len(during["workers"]) == WORKERS, "every worker reports the version it serves"
    assert set(result.by_version) == {before, after}, (
        f"answers came from {result.by_version}, not from the old then the new version")
    assert result.unstable == 0, "the same question got different answers from one version"

    cli_after = {q: comparable(_cli_json("ask", "--json", "--index", str(api_index), q))
                 for q in QUESTIONS}
    expected = {before: cli_before, after: cli_after}
    for (question, version), record in result.records.items():
        assert record == expected[version][question], (
            f"the API's answer to {question!r} on {version} is not the CLI's")
