"""The audit log tells a clinician's question from an eval set's (issue 30)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from config.settings import Settings
from eval.cases import EvalCase
from eval.harness import run_eval
from qa.audit import AuditLog, asked_as
from qa.engine import QAEngine

RED_FLAGS = "what are the red flags in low back pain?"


@pytest.fixture
def audited_engine(tmp_path: Path, corpus_index: Path, embedder) -> QAEngine:
    s = Settings.from_env(index_dir=corpus_index, audit_log=True,
                          audit_path=tmp_path / "audit.sqlite3")
    return QAEngine.load(s, embedder=embedder)


def test_eval_questions_are_marked_in_the_audit_log(audited_engine: QAEngine) -> None:
    audited_engine.ask(RED_FLAGS)
    run_eval(audited_engine, [EvalCase(id="c1", question="when is MRI indicated for sciatica?")])
    log = AuditLog(audited_engine.settings.audit_path)
    assert [(e.question, e.origin) for e in log.entries()] == [
        ("when is MRI indicated for sciatica?", "eval"), (RED_FLAGS, "ask")]
    assert [e.question for e in log.entries(origin="ask")] == [RED_FLAGS]
    assert audited_engine.ask(RED_FLAGS) and log.entries(limit=1)[0].origin == "ask", \
        "after the eval run, questions are clinicians' again"


def test_an_eval_in_one_thread_does_not_mark_another_threads_question(
        audited_engine: QAEngine) -> None:
    inside, done = threading.Event(), threading.Event()

    def eval_thread() -> None:
        with asked_as("eval"):
            inside.set()
            done.wait(timeout=60)
            audited_engine.ask("when is MRI indicated for sciatica?")

    worker = threading.Thread(target=eval_thread)
    worker.start()
    assert inside.wait(timeout=60)
    audited_engine.ask(RED_FLAGS)  # asked while the other thread is inside its eval block
    done.set()
    worker.join()
    origins = {e.question: e.origin for e in AuditLog(audited_engine.settings.audit_path).entries()}
    assert origins == {RED_FLAGS: "ask", "when is MRI indicated for sciatica?": "eval"}


def test_a_log_written_before_origins_reads_as_clinicians(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:  # the schema as it was before the origin column
        conn.executescript(
            "CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
            " question TEXT NOT NULL, answer TEXT NOT NULL, abstained INTEGER NOT NULL,"
            " abstain_reason TEXT NOT NULL, citations TEXT NOT NULL, index_version TEXT NOT NULL,"
            " settings_hash TEXT NOT NULL, composer TEXT NOT NULL, evidence REAL NOT NULL,"
            " latency_ms REAL NOT NULL);"
            "INSERT INTO answers VALUES (1, '2026-01-01T00:00:00+00:00', 'q', 'a', 0, '', '[]',"
            " 'v1', 'h', 'extractive', 0.5, 12.0);")
    entries = AuditLog(db).entries()
    assert [(e.question, e.origin) for e in entries] == [("q", "ask")]


def test_unknown_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="audit origin must be one of ask, eval"):
        with asked_as("bench"):
            pass
