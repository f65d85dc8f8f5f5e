"""The served load test of `citewise bench --load S`: `citewise serve --workers N` on a free
loopback port over the bench's index, `askers` concurrent askers for S seconds, an editor's
ingest in the middle (one document added), and every answer compared with `citewise ask
--json` for its question and index version. Each worker's peak RSS is read from /proc."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from citewise.bench.load import comparable, ingest_and_wait, run_load, worker_versions
from citewise.bench.runner import child_env
from config.settings import Settings
from index.store import current_version

TOKEN_ENV = "CITEWISE_API_TOKEN"
READY_TIMEOUT_S = 900.0  # loading a whole library in N workers on 2 busy cores


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None


def cli_records(index_dir: Path, questions: list[str], env: dict[str, str],
                cwd: Path) -> dict[str, dict]:
    """`citewise ask --json` of each question over the live version, one fresh process each."""
    out = {}
    for question in questions:
        done = subprocess.run([sys.executable, "-m", "citewise.cli", "ask", "--json", "--index",
                               str(index_dir), question], env=env, cwd=cwd,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"`citewise ask` failed on {question!r}: {done.stderr[-300:]}")
        out[question] = comparable(json.loads(done.stdout))
    return out


def _wait_ready(base: str, server: subprocess.Popen[bytes], workers: int) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if server.poll() is not None:
            raise RuntimeError(f"citewise serve exited ({server.returncode})")
        try:
            if httpx.get(f"{base}/readyz", timeout=10).status_code == 200 and \
                    len(asyncio.run(worker_versions(base))) >= workers:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"citewise serve was not ready after {READY_TIMEOUT_S:.0f} s")


def added_document(corpus: Path) -> Path:
    """A copy of the corpus's first article under a new name, its content marked so it is a
    new document to the ingest (the editor's addition of the load test)."""
    first = sorted(p for p in corpus.iterdir() if p.is_file() and
                   p.suffix.lower() in (".html", ".htm", ".md", ".txt"))[0]
    target = corpus / f"{first.stem}-load-test{first.suffix}"
    marker = "\n<!-- added by citewise bench --load -->\n" if first.suffix.startswith(".htm") \
        else "\n\nAdded by citewise bench --load.\n"
    target.write_bytes(first.read_bytes() + marker.encode())
    return target


def bench_load(index_dir: Path, corpus: Path, questions: list[str], settings: Settings,
               workdir: Path, askers: int, seconds: float, workers: int,
               log=print) -> dict[str, object]:  # noqa: ANN001
    """The load test; the document it adds is removed from the corpus afterwards (the index
    keeps it until the next ingest)."""
    env = child_env(settings, workdir) | {TOKEN_ENV: os.urandom(16).hex(),
                                          "CITEWISE_API_RELOAD_S": "1.0"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    cwd = Path(__file__).resolve().parents[2]
    before = current_version(index_dir)
    log(f"  `citewise ask --json` x {len(questions)} on {before}")
    expected = {before: cli_records(index_dir, questions, env, cwd)}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "citewise.cli", "serve", "--port", str(port), "--workers",
         str(workers), "--index", str(index_dir), "--corpus", str(corpus)],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    added: Path | None = None
    try:
        ready_s = _wait_ready(base, server, workers)
        log(f"  {workers} workers ready in {ready_s:.1f} s; {askers} askers for {seconds:.0f} s")
        pids = children(server.pid)

        async def publish() -> dict[str, object]:
            nonlocal added
            added = added_document(corpus)
            done = await ingest_and_wait(base, env[TOKEN_ENV])
            t0 = time.perf_counter()
            while set((await worker_versions(base)).values()) != {done["version"]}:
                if time.perf_counter() - t0 > READY_TIMEOUT_S:
                    raise TimeoutError("a worker kept the old version")
                await asyncio.sleep(0.2)
            return done | {"all_workers_switched_s": round(time.perf_counter() - t0, 1)}

        result = asyncio.run(run_load(base, questions, askers, seconds, during=publish,
                                      during_at=0.4, after_s=5.0))
        rss = {str(pid): peak_rss_mb(pid) for pid in pids}
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    after = current_version(index_dir)
    log(f"  `citewise ask --json` x {len(questions)} on {after}")
    expected[after] = cli_records(index_dir, questions, env, cwd)
    if added is not None:
        added.unlink(missing_ok=True)
    compared = differ = 0
    for (question, version), record in result.records.items():
        if version in expected:
            compared += 1
            differ += record != expected[version][question]
    summary = result.summary()
    return summary | {"workers": workers, "ready_s": round(ready_s, 1),
                      "worker_peak_rss_mb": rss, "versions": [before, after],
                      "compared_with_cli": compared, "differ_from_cli": differ,
                      "questions": len(questions)}
