"""Stage timings that add up to the answer: each stage runs from the end of the one before.

Timing each step on its own left the steps between them untimed, and under load a preemption
or a page fault landing there went unaccounted (at 200 documents the stages of a 306 ms answer
added up to 25 ms). Contiguous laps attribute every millisecond of an answer to the stage in
which it passed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping


class StageClock:
    """Laps in ms since `started` (a time.perf_counter() value)."""

    def __init__(self, started: float) -> None:
        self.started = started
        self._last = started
        self.ms: dict[str, float] = {}

    @classmethod
    def resumed(cls, ms: Mapping[str, float], elapsed_ms: float) -> StageClock:
        """A clock going on from laps taken earlier (`ms`, adding up to `elapsed_ms`), as if
        they had ended now: a pause between the two is nobody's stage."""
        clock = cls(time.perf_counter() - elapsed_ms / 1e3)
        clock._last = clock.started + elapsed_ms / 1e3
        clock.ms = dict(ms)
        return clock

    def lap(self, stage: str) -> None:
        """The time since the last lap goes to `stage` (added to it when it ran before)."""
        now = time.perf_counter()
        self.ms[stage] = self.ms.get(stage, 0.0) + (now - self._last) * 1e3
        self._last = now

    def lap_split(self, parts: Mapping[str, float], rest: str) -> None:
        """The time since the last lap, split as `parts` (ms a step measured inside it) says;
        what they leave goes to `rest`."""
        now = time.perf_counter()
        total = (now - self._last) * 1e3
        for stage, ms in parts.items():
            self.ms[stage] = self.ms.get(stage, 0.0) + ms
        self.ms[rest] = self.ms.get(rest, 0.0) + max(0.0, total - sum(parts.values()))
        self._last = now

    def elapsed_ms(self) -> float:
        """Since `started`, up to the last lap (so the laps add up to it exactly)."""
        return (self._last - self.started) * 1e3
