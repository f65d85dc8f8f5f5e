"""What an ingest did: `citewise ingest --json`, the API's job report and the bench read it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """What an ingest did; nothing is written unless the whole new version is."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Of the unchanged, those now read from another path (the corpus folder moved): their
    # vectors are kept, the new version records the new paths.
    moved: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # article_id -> warnings
    # article_id -> ingest account (ingest.account.IngestAccount.as_dict) of each parsed article
    accounts: dict[str, dict[str, object]] = field(default_factory=dict)
    rebuilt_reason: str | None = None
    n_chunks: int = 0
    n_embedded: int = 0
    # Of the n_embedded chunks, those whose vectors an interrupted ingest had already saved.
    n_resumed: int = 0
    version_id: str | None = None
    seconds: float = 0.0
    embed_seconds: float = 0.0
    n_sentences_embedded: int = 0
    sentence_seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.moved)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped]}
