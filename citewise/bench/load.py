"""A bounded asyncio load client for `citewise serve` (loopback only): N askers for S seconds,
an ingest in the middle, every answer checked against the CLI's for its index version.

Each asker sends one `POST /v1/ask` at a time, so at most `askers` requests are in flight. An
answer is compared without `latency_ms` and `timings_ms` (the only fields that vary run to
run): every answer of one question from one index version must be the same record, and the
same as `citewise ask --json` gives for that question over that version.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

VARYING = ("latency_ms", "timings_ms")
VERSION_HEADER = "X-Citewise-Index-Version"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def comparable(record: dict) -> dict:
    """An `ask --json` record without the fields that differ from run to run."""
    return {k: v for k, v in record.items() if k not in VARYING}


def digest(record: dict) -> str:
    text = json.dumps(comparable(record), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class LoadResult:
    """What the askers saw."""

    askers: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (question, version) -> digest of the first answer; later answers that differ are counted
    answers: dict[tuple[str, str], str] = field(default_factory=dict)
    records: dict[tuple[str, str], dict] = field(default_factory=dict)
    unstable: int = 0  # answers that differ from the first answer of their question + version
    by_version: dict[str, int] = field(default_factory=dict)
    version_seen: dict[str, list[float]] = field(default_factory=dict)  # first / last second
    during: dict[str, object] = field(default_factory=dict)  # what the middle event reported

    def summary(self) -> dict[str, object]:
        lat = self.latencies_ms
        return {
            "askers": self.askers, "seconds": round(self.seconds, 1), "answers": len(lat),
            "errors": len(self.errors), "first_errors": self.errors[:5],
            "answers_per_s": round(len(lat) / self.seconds, 1) if self.seconds else None,
            "p50_ms": round(float(np.percentile(lat, 50)), 1) if lat else None,
            "p95_ms": round(float(np.percentile(lat, 95)), 1) if lat else None,
            "max_ms": round(max(lat), 1) if lat else None,
            "answers_by_version": dict(self.by_version),
            "version_seen_s": {v: [round(t, 2) for t in ts]
                               for v, ts in self.version_seen.items()},
            "unstable_answers": self.unstable, "during": self.during,
        }


def check_loopback(base_url: str) -> None:
    host = urlsplit(base_url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"the load test runs on loopback only, not against {host!r}")


async def run_load(base_url: str, questions: list[str], askers: int, seconds: float,
                   during: Callable[[], Awaitable[dict[str, object]]] | None = None,
                   during_at: float = 0.5, after_s: float = 1.0,
                   timeout_s: float = 60.0) -> LoadResult:
    """`askers` concurrent askers for `seconds`; `during()` is started at `during_at` of the
    run (an ingest), and the run lasts until `after_s` seconds after it has returned."""
    import httpx

    check_loopback(base_url)
    result = LoadResult(askers=askers)
    started = time.perf_counter()
    deadline = started + seconds
    event_done = asyncio.Event()
    if during is None:
        event_done.set()

    def going() -> bool:
        now = time.perf_counter()
        return now < deadline or not event_done.is_set()
    limits = httpx.Limits(max_connections=askers, max_keepalive_connections=askers)

    async def asker(client: httpx.AsyncClient, k: int) -> None:
        i = 0
        while going():
            question = questions[(k * 7 + i) % len(questions)]
            i += 1
            t0 = time.perf_counter()
            try:
                response = await client.post("/v1/ask", json={"question": question})
            except httpx.HTTPError as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            ms = (time.perf_counter() - t0) * 1e3
            if response.status_code != 200:
                result.errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
                continue
            result.latencies_ms.append(ms)
            record = response.json()
            version = response.headers.get(VERSION_HEADER, "?")
            result.by_version[version] = result.by_version.get(version, 0) + 1
            seen = result.version_seen.setdefault(version, [t0 - started, t0 - started])
            seen[1] = t0 - started
            key, value = (question, version), digest(record)
            first = result.answers.setdefault(key, value)
            if first != value:
                result.unstable += 1
            result.records.setdefault(key, comparable(record))

    async def middle() -> None:
        await asyncio.sleep(seconds * during_at)
        try:
            result.during = await during()  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - reported, and the run still ends
            result.during = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            nonlocal deadline
            deadline = max(deadline, time.perf_counter() + after_s)
            event_done.set()

    async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits) as client:
        tasks = [asyncio.create_task(asker(client, k)) for k in range(askers)]
        if during is not None:
            tasks.append(asyncio.create_task(middle()))
        await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - started
    return result


async def ingest_and_wait(base_url: str, token: str, poll_s: float = 0.5,
                          timeout_s: float = 3600.0) -> dict[str, object]:
    """POST /v1/ingest as an editor and poll the job until it ends: its final record and the
    seconds it took."""
    import httpx

    check_loopback(base_url)
    headers = {"Authorization": f"Bearer {token}"}
    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0, headers=headers) as client:
        response = await client.post("/v1/ingest", json={})
        response.raise_for_status()
        url = response.json()["status_url"]
        while True:
            job = (await client.get(url)).json()
            if job.get("status") in ("done", "failed"):
                break
            if time.perf_counter() - t0 > timeout_s:
                raise TimeoutError(f"ingest job {url} still {job.get('status')} after "
                                   f"{timeout_s:.0f} s")
            await asyncio.sleep(poll_s)
    report = job.get("report") or {}
    return {"job_status": job.get("status"), "job_error": job.get("error"),
            "job_seconds": round(time.perf_counter() - t0, 1),
            "version": report.get("version_id"), "added": report.get("added"),
            "updated": report.get("updated")}


async def worker_versions(base_url: str) -> dict[str, str]:
    """pid -> the index version each live worker serves, read from /metrics (multiprocess
    mode labels every worker's gauge with its pid; one worker reports itself as "self")."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    check_loopback(base_url)
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as client:
        text = (await client.get("/metrics")).text
    out: dict[str, str] = {}
    for family in text_string_to_metric_families(text):
        if family.name == "citewise_index_version_info":
            for sample in family.samples:
                if sample.value == 1:
                    out[sample.labels.get("pid", "self")] = sample.labels["version"]
    return out
