"""Run the API on uvicorn: one process, or N worker processes over the same index folder."""

from __future__ import annotations

import os
import shutil
import tempfile

from api.metrics import MULTIPROC_ENV
from config.settings import Settings


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          log_level: str = "info") -> None:
    """Serve until interrupted. Workers are fresh interpreters: they get `settings` through
    the environment (Settings.as_env). With `workers` > 1 they share one metrics folder, made
    fresh here and removed at exit."""
    import uvicorn

    os.environ.update(settings.as_env())
    metrics_dir = None
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        metrics_dir = tempfile.mkdtemp(prefix="citewise-metrics-")
        os.environ[MULTIPROC_ENV] = metrics_dir
    try:
        uvicorn.run("api.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level=log_level, proxy_headers=False,
                    timeout_graceful_shutdown=10)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
