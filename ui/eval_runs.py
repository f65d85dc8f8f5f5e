"""Eval sets and saved eval runs for the Evaluation page.

Runs are saved as `<index_dir parent>/eval-runs/<set>-<timestamp>.json` (with the default
settings: `.citewise/eval-runs/`), so a later run can be compared with any earlier one.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from config.settings import Settings

EVAL_SETS_DIR = Path(__file__).resolve().parent.parent / "eval" / "sets"
_STAMP = "%Y%m%dT%H%M%S"


def eval_sets(folder: Path = EVAL_SETS_DIR) -> list[Path]:
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def runs_dir(s: Settings) -> Path:
    return Path(s.index_dir).parent / "eval-runs"


def save_run(folder: Path, set_name: str, run: dict[str, object]) -> Path:
    """Write one run as JSON; the name sorts by time within a set."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", set_name)
    path = folder / f"{stem}-{time.strftime(_STAMP)}.json"
    n = 1
    while path.exists():  # two runs within one second
        n += 1
        path = folder / f"{stem}-{time.strftime(_STAMP)}-{n}.json"
    payload = {"set": set_name, "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"), **run}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str),
                    encoding="utf-8")
    return path


def saved_runs(folder: Path, set_name: str) -> list[Path]:
    """Saved runs of one set, newest first."""
    if not folder.is_dir():
        return []
    stem = re.escape(re.sub(r"[^A-Za-z0-9_-]+", "-", set_name))
    pattern = re.compile(stem + r"-\d{8}T\d{6}(-\d+)?")
    runs = [p for p in folder.glob("*.json") if pattern.fullmatch(p.stem)]
    return sorted(runs, key=lambda p: p.stem, reverse=True)


def load_run(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8"))


def run_label(path: Path) -> str:
    """ "core-20261207T172152" -> "7 Dec 2026, 17:21:52" (the stem when it is not a run's)."""
    match = re.search(r"(\d{8}T\d{6})(?:-(\d+))?$", path.stem)
    if not match:
        return path.stem
    stamp = time.strptime(match.group(1), _STAMP)
    label = time.strftime("%-d %b %Y, %H:%M:%S", stamp)
    return f"{label} ({match.group(2)})" if match.group(2) else label
