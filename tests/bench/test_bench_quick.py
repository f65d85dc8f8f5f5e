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


def test_bench_quick_writes_every_section(tmp_path: Path, embedder, monkeypatch) -> None:
    monkeypatch.setenv("CITEWISE_ONNX_CACHE_DIR", str(tmp_path / "onnx"))
    out = tmp_path / "results.json"
    result = CliRunner().invoke(app, ["bench", "--quick", "--out", str(out)])
    assert result.exit_code == 0, f"bench failed: {result.output}\n{result.exception!r}"
    data = json.loads(out.read_text())
    for section in ("machine", "corpora", "scale", "targets", "bench_process_peak_rss_mb"):
        assert section in data, f"results.json lacks {section!r}"
    assert data["quick"] is True and list(data["corpora"]) == ["demo"], "--quick: demo only"

    demo = data["corpora"]["demo"]
    assert demo["parse"]["files"] == 5 and _is_number(demo["parse"]["parse_s"])
    for key in ("chunks", "sentences", "ingest_chunks_per_s", "encoder_chunks_per_s", "ratio"):
        assert _is_number(demo["ingest"][key]) and demo["ingest"][key] > 0, key
    warm = demo["warm"]
    assert warm["answers"] > 0 and _is_number(warm["p50_ms"]) and _is_number(warm["p95_ms"])
    assert set(warm["stages"]) >= {"embed_query", "dense", "bm25", "fusion", "compose"}
    assert 0 < warm["coverage"]["min"] <= 1.0, warm["coverage"]
    assert warm["stages"]["embed_query"]["p50_ms"] > 0, "query embedding time not recorded"
    for askers in ("1", "8"):
        row = demo["throughput"][askers]
        assert row["errors"] == 0, row["first_error"]
        assert row["answers"] > 0 and _is_number(row["answers_per_s"]), row
    cold = demo["cold"]
    assert len(cold["cli_ask_s"]) == 1 and _is_number(cold["cli_ask_median_s"])
    assert cold["breakdown"]["torch_imported"] is False, "the ONNX query path imported torch"
    assert _is_number(demo["answering_peak_rss_mb"])

    assert {row["n"] for row in data["scale"]} == {10_000}, "--quick runs 10k only"
    chosen = [row for row in data["scale"] if row["chosen"]]
    assert len(chosen) == 1 and chosen[0]["index_type"] == "flat", chosen
    assert chosen[0]["recall_at_10"] == 1.0, "exact search must find the exact neighbours"

    assert {t["key"] for t in data["targets"]} >= {"warm_p95_ms", "cold_ask_s",
                                                   "answers_per_s_8", "ingest_ratio"}
    assert "Targets" in result.output


def test_bench_unknown_corpus_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "--corpus", str(tmp_path / "nope"),
                                      "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 2 and "does not" in result.output, result.output
