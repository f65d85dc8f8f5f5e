"""What the numbers were measured on: CPU, cores, RAM, load, library versions."""

from __future__ import annotations

import os
import platform
import resource
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("citewise", "torch", "sentence-transformers", "transformers", "faiss-cpu",
            "onnxruntime", "bm25s", "numpy")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def total_ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)  # kB -> GiB
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size (ru_maxrss is in KiB on Linux); for RUSAGE_CHILDREN the
    largest of the waited-for children. Linux carries ru_maxrss over fork and exec, so a
    child reports at least its parent's size at fork: see `own_peak_rss_mb`."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def own_peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM, reset by exec), falling back to ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    except (OSError, ValueError):
        pass
    return peak_rss_mb()


def current_rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def machine_info() -> dict[str, object]:
    versions: dict[str, str] = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu_model": cpu_model(),
        "nproc": os.cpu_count(),
        "ram_gb": total_ram_gb(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average_at_start": load_average(),
        "versions": versions,
    }
