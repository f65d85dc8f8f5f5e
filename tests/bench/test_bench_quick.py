"""`citewise bench --quick` (the CI smoke test): every section present, with numbers.

Nothing is timed or compared with a target here: timings on a shared CI machine are noise.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from typer.testing import CliRunner

from citewise.cli import app


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_bench_quick_writes_every_section(tmp_path: Path, embedder) -> None:
    out = tmp_path / "results.json"
    result = CliRunner().invoke(app, ["bench", "--quick", "--out", str(out)])
    assert result.exit_code == 0, f"bench failed: {result.output}\n{result.exception!r}"
    data = json.loads(out.read_text())
    for section in ("machine", "ingest", "warm", "cold_start", "memory", "scale", "targets"):
        assert section in data, f"results.json lacks {section!r}"
    assert data["quick"] is True and data["machine"]["nproc"] >= 1

    for name in ("corpus", "synthetic"):
        row = data["ingest"][name]
        for key in ("chunks", "ingest_chunks_per_s", "encoder_chunks_per_s", "ratio"):
            assert _is_number(row[key]) and row[key] > 0, f"ingest.{name}.{key} = {row[key]}"

    (warm,) = data["warm"].values()
    assert warm["answers"] > 0 and _is_number(warm["p50_ms"]) and _is_number(warm["p95_ms"])
    assert set(warm["stages"]) == {"embed_query", "dense", "bm25", "fusion", "compose"}
    assert warm["stages"]["embed_query"]["p50_ms"] > 0, "query embedding time not recorded"

    cold = data["cold_start"]
    assert _is_number(cold["cli_ask_s"]) and cold["cli_ask_s"] > 0
    for key in ("import_s", "model_load_s", "index_load_s", "first_answer_s", "peak_rss_mb"):
        assert _is_number(cold["breakdown"][key]), f"cold_start.breakdown.{key} missing"
    assert all(_is_number(v) and v > 0 for v in data["memory"].values()), data["memory"]

    assert {row["n"] for row in data["scale"]} == {10_000}, "--quick runs 10k only"
    chosen = [row for row in data["scale"] if row["chosen"]]
    assert len(chosen) == 1 and chosen[0]["index_type"] == "flat", chosen
    for row in data["scale"]:
        for key in ("build_s", "index_mb", "p50_ms", "p95_ms", "recall_at_10"):
            assert _is_number(row[key]), f"scale row {row} lacks {key}"
    assert chosen[0]["recall_at_10"] == 1.0, "exact search must find the exact neighbours"

    assert {t["key"] for t in data["targets"]} >= {"warm_p95_ms", "cold_start_s"}
    assert "Targets" in result.output
