"""Prometheus metrics of the API: requests, their latency, the index version served.

With several workers (`citewise serve --workers N`), `PROMETHEUS_MULTIPROC_DIR` names a folder
the workers share (`citewise serve` makes a fresh one), so whichever worker answers
`GET /metrics` reports the totals of all of them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Seconds: a warm answer takes ~0.02 s, a queue of 32 askers on 2 cores ~0.5 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class Metrics:
    """The API's metrics, registered once per process."""

    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROC_ENV))
        # In multiprocess mode the samples live in files; a registry per process otherwise.
        self.registry = None if self.multiprocess else CollectorRegistry()
        kw = {} if self.registry is None else {"registry": self.registry}
        self.requests = Counter("citewise_requests", "HTTP requests answered",
                                ("method", "route", "status"), **kw)
        self.latency = Histogram("citewise_request_seconds", "HTTP request latency (s)",
                                 ("route",), buckets=LATENCY_BUCKETS, **kw)
        self.index_version = Gauge("citewise_index_version_info", "index version served "
                                   "(1 = the one this worker answers from)", ("version",),
                                   multiprocess_mode="liveall", **kw)
        self.index_chunks = Gauge("citewise_index_chunks", "chunks in the index served",
                                  multiprocess_mode="liveall", **kw)
        self.reloads = Counter("citewise_index_reloads", "index versions picked up without a "
                               "restart", **kw)
        self._version: str | None = None

    def serving(self, version: str, chunks: int) -> None:
        if self._version is not None:
            self.index_version.labels(version=self._version).set(0)
            self.reloads.inc()
        self.index_version.labels(version=version).set(1)
        self.index_chunks.set(chunks)
        self._version = version

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method=method, route=route, status=str(status)).inc()
        self.latency.labels(route=route).observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        """The Prometheus text of every worker (multiprocess) or of this one."""
        if self.registry is not None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
