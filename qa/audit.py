"""Audit trail: every answer appended to a local SQLite database for QA review.

Questions may contain patient data: the file stays on this machine (settings.audit_path) and
`CITEWISE_AUDIT_LOG=false` turns recording off. Each entry says where the question came from
(`origin`): "ask" for a clinician's question, "eval" for an eval set's, so QA review can tell
them apart. The origin is set per thread with `asked_as` (an eval run in one thread never marks
a clinician's question asked meanwhile in another).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qa.records import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    abstain_reason TEXT NOT NULL,
    citations TEXT NOT NULL,
    index_version TEXT NOT NULL,
    settings_hash TEXT NOT NULL,
    composer TEXT NOT NULL,
    evidence REAL NOT NULL,
    latency_ms REAL NOT NULL,
    origin TEXT NOT NULL DEFAULT 'ask'
);
CREATE INDEX IF NOT EXISTS answers_at ON answers(at);
"""
ORIGINS = ("ask", "eval")
_ORIGIN: ContextVar[str] = ContextVar("citewise_audit_origin", default="ask")


@contextmanager
def asked_as(origin: str) -> Iterator[None]:
    """Answers recorded in this thread (and context) within the block carry `origin`."""
    if origin not in ORIGINS:
        raise ValueError(f"audit origin must be one of {', '.join(ORIGINS)}, not {origin!r}")
    token = _ORIGIN.set(origin)
    try:
        yield
    finally:
        _ORIGIN.reset(token)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    question: str
    answer: str
    abstained: bool
    abstain_reason: str
    citations: list[dict[str, object]]
    index_version: str
    settings_hash: str
    composer: str
    evidence: float
    latency_ms: float
    origin: str = "ask"  # "ask" (a clinician's question) or "eval" (an eval set's)

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class AuditLog:
    """Append-only answer log; safe for several processes (WAL, busy timeout)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(answers)")}
            if "origin" not in columns:  # a log written before origins were recorded
                db.execute("ALTER TABLE answers ADD COLUMN origin TEXT NOT NULL DEFAULT 'ask'")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def record(self, answer: Answer, index_version: str, settings_hash: str) -> None:
        citations = [{"n": c.n, "chunk_id": c.chunk_id, "article_id": c.article_id,
                      "title": c.title, "section": c.section} for c in answer.citations]
        with self._connect() as db:
            db.execute(
                "INSERT INTO answers (at, question, answer, abstained, abstain_reason, citations,"
                " index_version, settings_hash, composer, evidence, latency_ms, origin)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (datetime.now(UTC).isoformat(timespec="seconds"), answer.question, answer.text,
                 int(answer.abstained), answer.abstain_reason, json.dumps(citations),
                 index_version, settings_hash, answer.composer, answer.evidence,
                 answer.latency_ms, _ORIGIN.get()))

    def entries(self, limit: int = 100, contains: str = "", abstained: bool | None = None,
                since: str = "", origin: str | None = None) -> list[AuditEntry]:
        """Newest first, filtered by question text, abstention, ISO time and origin."""
        query = ("SELECT id, at, question, answer, abstained, abstain_reason, citations,"
                 " index_version, settings_hash, composer, evidence, latency_ms, origin"
                 " FROM answers WHERE question LIKE ? AND at >= ?")
        params: list[object] = [f"%{contains}%", since]
        if abstained is not None:
            query += " AND abstained = ?"
            params.append(int(abstained))
        if origin is not None:
            query += " AND origin = ?"
            params.append(origin)
        query += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        with self._connect() as db:
            rows = db.execute(query, params).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], bool(r[4]), r[5], json.loads(r[6]), r[7],
                           r[8], r[9], r[10], r[11], r[12]) for r in rows]
