"""A real `streamlit run app.py` for browser tests, driven by Debian chromium via Playwright
(never `playwright install`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
STREAMLIT = Path(sys.executable).parent / "streamlit"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 90_000
WIDTH = 1280  # the desktop width the issue 30 walk used
PHONE = 390  # a phone's CSS width (iPhone 12-15)
# Screenshots for a person to read: tests/artifacts/ unless CITEWISE_SCREENSHOT_DIR says where.
SHOTS = Path(os.environ.get("CITEWISE_SCREENSHOT_DIR", REPO / "tests" / "artifacts"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout:.0f} s")


@contextmanager
def streamlit_server(workspace: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port, against the workspace's corpus and index."""
    port = _free_port()
    # the same .streamlit/config.toml that `make run` picks up from the repo root
    shutil.copytree(REPO / ".streamlit", workspace / ".streamlit", dirs_exist_ok=True)
    env = os.environ | {"CITEWISE_CORPUS_DIR": "corpus", "CITEWISE_INDEX_DIR": "index",
                        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                        "PYTHONPATH": str(REPO)}
    log = open(workspace / "streamlit.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [str(STREAMLIT), "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=workspace, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def external_requests(page) -> list[str]:  # noqa: ANN001 - playwright Page
    """Every request the page makes to a host other than 127.0.0.1, collected from now on."""
    seen: list[str] = []

    def check(request) -> None:  # noqa: ANN001
        host = urllib.parse.urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            seen.append(request.url)

    page.on("request", check)
    page.on("websocket", lambda ws: check(ws))
    return seen


def settle(page) -> None:  # noqa: ANN001
    """Wait for the script run to finish: until then Streamlit shows stale elements too."""
    page.locator("[data-testid=stStatusWidgetRunningIcon]").wait_for(state="hidden",
                                                                   timeout=TIMEOUT_MS)
    page.locator("[data-stale=true]").first.wait_for(state="detached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)


def screenshot(page, name: str, width: int = WIDTH) -> Path:  # noqa: ANN001
    """Full-page shot at `width`: Streamlit scrolls inside its main block, so the viewport is
    grown to fit it first, then set back."""
    before = page.viewport_size or {"width": WIDTH, "height": 900}
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(600)
    height = page.evaluate(
        "() => { const b = document.querySelector('[data-testid=stMainBlockContainer]');"
        " return b ? b.getBoundingClientRect().height : document.body.scrollHeight; }")
    page.set_viewport_size({"width": width, "height": min(max(844, int(height) + 160), 9000)})
    page.wait_for_timeout(600)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(before)
    page.wait_for_timeout(300)
    return path
