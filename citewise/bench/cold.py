"""Cold-start probe, run as a fresh process: `python -m citewise.bench.cold INDEX QUESTION`.

Prints one JSON line: seconds spent importing, loading the query encoder, loading the index
and answering the first question, whether torch was imported, and the process's peak RSS.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(index_dir: str, question: str) -> dict[str, object]:
    t0 = time.perf_counter()
    from config.settings import Settings
    from index.query_encoder import load_query_encoder
    from qa.engine import QAEngine

    t1 = time.perf_counter()
    settings = Settings.from_env(index_dir=Path(index_dir))
    encoder = load_query_encoder(settings.query_encoder, settings.onnx_cache_dir)
    t2 = time.perf_counter()
    engine = QAEngine.load(settings, index_dir=Path(index_dir), embedder=encoder)
    t3 = time.perf_counter()
    engine.ask(question)
    t4 = time.perf_counter()
    from citewise.bench.machine import own_peak_rss_mb

    return {"import_s": round(t1 - t0, 2), "model_load_s": round(t2 - t1, 2),
            "index_load_s": round(t3 - t2, 2), "first_answer_s": round(t4 - t3, 2),
            "query_encoder": type(encoder).__name__, "torch_imported": "torch" in sys.modules,
            "peak_rss_mb": own_peak_rss_mb()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
