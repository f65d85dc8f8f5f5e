"""The stages of a warm answer, as the bench tables list them."""

from __future__ import annotations

STAGES = ("embed_query", "dense", "bm25", "fusion", "compose")


def stage_names(warms: list[dict]) -> list[str]:
    """The known stages first, then any other stage some answer reported."""
    found = {s for w in warms for s in w["stages"]}
    return [s for s in STAGES if s in found or not warms] + sorted(found - set(STAGES))
