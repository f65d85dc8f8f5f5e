"""The engine of the live index version, swapped for the next one while requests go on.

Each worker process holds one `LiveEngine`. A poller thread reads `INDEX_DIR/CURRENT` every
`settings.api_reload_s` seconds; when an ingest (any process, any machine sharing the folder)
has published a new version, the thread loads it beside the old engine and then swaps one
reference. A request takes the engine once and keeps it to the end, so requests already
running finish on the old version and none fails or waits for the load. If the load fails
(the version was pruned by a second ingest meanwhile, a half-copied folder on a network
share), the old engine keeps serving and the next poll tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from config.settings import Settings
from index.query_encoder import TextEncoder, load_query_encoder
from index.store import current_version
from qa.engine import QAEngine

log = logging.getLogger("citewise.api")

Loader = Callable[[Settings, TextEncoder], QAEngine]


def load_engine(settings: Settings, encoder: TextEncoder) -> QAEngine:
    return QAEngine.load(settings, embedder=encoder)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    version: str | None
    reason: str = ""


class NotReadyError(RuntimeError):
    """No index version is loaded yet (or none could be)."""


class LiveEngine:
    """Holds the engine of the newest loadable index version of `settings.index_dir`."""

    def __init__(self, settings: Settings, loader: Loader = load_engine,
                 encoder: TextEncoder | None = None,
                 on_switch: Callable[[QAEngine], None] | None = None) -> None:
        self.settings = settings
        self._loader = loader
        self._encoder = encoder
        self._on_switch = on_switch
        self._engine: QAEngine | None = None
        self._error = "loading the index"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reloads = 0

    def start(self) -> None:
        """Load in the background (health checks answer meanwhile) and keep polling."""
        self._thread = threading.Thread(target=self._poll, name="citewise-reload", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def engine(self) -> QAEngine:
        """The engine to answer one request with (keep it for the whole request)."""
        engine = self._engine
        if engine is None:
            raise NotReadyError(self._error)
        return engine

    def readiness(self) -> Readiness:
        engine = self._engine
        if engine is None:
            return Readiness(False, None, self._error)
        return Readiness(True, engine.version)

    def refresh(self) -> bool:
        """Load the live version if it is not the one held; True when the engine changed."""
        live = current_version(self.settings.index_dir)
        held = self._engine.version if self._engine is not None else None
        if live is None:
            if held is None:
                self._error = (f"no index at {self.settings.index_dir}: run `citewise ingest` "
                               f"(or POST /v1/ingest) first")
            return False
        if live == held:
            return False
        try:
            if self._encoder is None:
                self._encoder = load_query_encoder(self.settings.query_encoder,
                                                   self.settings.onnx_cache_dir)
            engine = self._loader(self.settings, self._encoder)
        except Exception as exc:  # noqa: BLE001 - keep serving the old version, retry later
            self._error = f"index version {live} could not be loaded: {exc}"
            log.warning("%s; %s", self._error,
                        f"still serving {held}" if held else "not ready")
            return False
        self._engine = engine  # one reference swap: running requests keep the old engine
        self.reloads += held is not None
        if self._on_switch is not None:
            self._on_switch(engine)
        log.info("serving index version %s (was %s)", engine.version, held)
        return True

    def _poll(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - the poller must outlive any one failure
                log.exception("index reload check failed")
            self._stop.wait(max(0.0, self.settings.api_reload_s - (time.monotonic() - started)))
