"""Cold-start probe, run as a fresh process: `python -m citewise.bench.cold INDEX QUESTION`.

Prints one JSON line: seconds spent importing, loading the model, loading the index and
answering the first question, and the process's peak RSS.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(index_dir: str, question: str) -> dict[str, float]:
    t0 = time.perf_counter()
    import sentence_transformers  # noqa: F401 - the import is what is being timed

    from citewise.settings import Settings
    from index.embedder import load_embedder
    from qa.engine import QAEngine

    t1 = time.perf_counter()
    embedder = load_embedder()
    t2 = time.perf_counter()
    settings = Settings.from_env(index_dir=Path(index_dir))
    engine = QAEngine.load(settings, index_dir=Path(index_dir), embedder=embedder)
    t3 = time.perf_counter()
    engine.ask(question)
    t4 = time.perf_counter()
    from citewise.bench.machine import own_peak_rss_mb, peak_rss_mb

    return {"import_s": round(t1 - t0, 2), "model_load_s": round(t2 - t1, 2),
            "index_load_s": round(t3 - t2, 2), "first_answer_s": round(t4 - t3, 2),
            "peak_rss_mb": own_peak_rss_mb(), "ru_maxrss_mb": peak_rss_mb()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
