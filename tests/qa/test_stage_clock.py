"""An answer's stage timings add up to its latency, whatever runs between the stages."""

from __future__ import annotations

import time

from qa.stage_clock import StageClock


def test_laps_add_up_to_the_elapsed_time() -> None:
    clock = StageClock(time.perf_counter())
    time.sleep(0.002)
    clock.lap("first")
    time.sleep(0.001)
    clock.lap_split({"inner": 0.5}, rest="outer")
    clock.lap("first")  # a stage may run twice: its laps add up
    assert set(clock.ms) == {"first", "inner", "outer"} and clock.ms["inner"] == 0.5
    assert abs(sum(clock.ms.values()) - clock.elapsed_ms()) < 1e-6
    assert clock.ms["first"] > 0 and clock.ms["outer"] >= 0


def test_every_answer_is_covered_by_its_stages(corpus_engine) -> None:
    for question in ("when should contrast be added to a lumbar spine MRI?",
                     "what apixaban dose for atrial fibrillation with renal impairment?",
                     "ACR vs ACP: imaging for acute low back pain?"):
        answer = corpus_engine.ask(question)
        covered = sum(answer.timings_ms.values())
        assert abs(covered - answer.latency_ms) < 0.01, (question, answer.timings_ms,
                                                          answer.latency_ms)
        assert {"question", "embed_query", "dense", "bm25", "fusion", "references",
                "checks"} <= set(answer.timings_ms)
