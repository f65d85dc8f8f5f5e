"""The HTTP API in process (Starlette's TestClient over the real app, engine and index): its
contract with `citewise ask --json` and `citewise articles --json`, the editors' token, ingest
jobs, readiness, metrics, and bad requests refused with a one-line reason."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import VERSION_HEADER, create_app
from citewise.bench.load import comparable
from citewise.cli import app as cli
from config.settings import Settings
from index.store import current_version
from qa.engine import MAX_QUESTION_CHARS
from tests.api.conftest import ADDED, QUESTIONS
from tests.conftest import CORPUS

TOKEN = "editor-secret-token"
WAIT_S = 120.0  # a guard against hanging, not a speed check


def _settings(index_dir: Path, corpus: Path, token: str = TOKEN) -> Settings:
    return Settings.from_env(index_dir=index_dir, corpus_dir=corpus, api_token=token,
                             api_reload_s=0.1)


def _until(check, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


@contextmanager
def client_for(settings: Settings, ready: bool = True) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        if ready:
            _until(lambda: client.get("/readyz").status_code == 200, "the index to load")
        yield client


def _cli_json(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ask_returns_the_cli_record_for_the_same_version(api_index: Path,
                                                         api_corpus: Path) -> None:
    with client_for(_settings(api_index, api_corpus)) as client:
        for question in QUESTIONS[:3]:
            response = client.post("/v1/ask", json={"question": question})
            assert response.status_code == 200, response.text
            record = response.json()
            assert response.headers[VERSION_HEADER] == record["index_version"] == \
                current_version(api_index)
            cli_record = _cli_json("ask", "--json", "--index", str(api_index), question)
            assert comparable(record) == comparable(cli_record), (
                f"the API and `citewise ask --json` differ on {question!r}")
        answered = client.post("/v1/ask", json={"question": QUESTIONS[0]}).json()
        assert not answered["abstained"] and answered["citations"], answered["abstain_reason"]
        follow = client.post("/v1/ask", json={"question": "and with gadolinium allergy?",
                                              "history": [QUESTIONS[0]]}).json()
        assert follow["question"] == "and with gadolinium allergy?" and follow["retrieved"]
        patient = client.post("/v1/ask", json={"question": QUESTIONS[0],
                                               "audience": "patient"}).json()
        assert patient["audience"] == "patient" and "language model" in \
            patient["audience_notice"], "without an LLM the clinician wording is kept, said so"


def test_articles_are_the_cli_records(api_index: Path, api_corpus: Path) -> None:
    with client_for(_settings(api_index, api_corpus)) as client:
        listed = client.get("/v1/articles")
        assert listed.status_code == 200 and listed.headers[VERSION_HEADER]
        assert listed.json() == _cli_json("articles", "--json", "--index", str(api_index))
        first = listed.json()[0]
        one = client.get(f"/v1/articles/{first['article_id']}").json()
        assert {k: one[k] for k in first} == first
        sections = one["content"]["sections"]
        assert len(sections) == first["sections"] and all(s["text"] for s in sections)
        missing = client.get("/v1/articles/no-such-article")
        assert missing.status_code == 404
        assert missing.json()["error"].startswith("no article 'no-such-article' in index version")


def _one_line(response) -> str:  # noqa: ANN001
    error = response.json()["error"]
    assert isinstance(error, str) and error and "\n" not in error, response.text
    return error


@pytest.mark.parametrize(("method", "path", "body", "status", "says"), [
    ("post", "/v1/ask", {}, 422, "question: is required"),
    ("post", "/v1/ask", {"question": "x" * (MAX_QUESTION_CHARS + 1)}, 422,
     f"{MAX_QUESTION_CHARS + 1:,} characters long; the limit is {MAX_QUESTION_CHARS:,}"),
    ("post", "/v1/ask", {"question": "what about contrast? " * 60,
                         "history": ["an earlier question " * 50]}, 422,
     "together; the limit is"),
    ("post", "/v1/ask", {"question": "   "}, 422, "question: the question is empty"),
    ("post", "/v1/ask", {"question": "?!"}, 422, "no words in it"),
    ("post", "/v1/ask", {"question": "mri?", "audience": "vet"}, 422, "audience:"),
    ("post", "/v1/ask", {"question": "mri?", "top_k": 3}, 422, "top_k: Extra inputs"),
    ("post", "/v1/ask", {"question": 42}, 422, "question: Input should be a valid string"),
    ("post", "/v1/ask", {"question": "mri?", "history": "not a list"}, 422, "history:"),
    ("post", "/v1/ask", b"{not json", 422, "the body is not valid JSON"),
    ("post", "/v1/ask", b"x" * 1_000_001, 413, "the limit is 1,000,000"),
    ("get", "/v1/ask", None, 405, "Method Not Allowed"),
    ("get", "/v1/nothing-here", None, 404, "Not Found"),
])
def test_bad_requests_get_a_4xx_and_one_line(api_index: Path, api_corpus: Path, method: str,
                                             path: str, body: object, status: int,
                                             says: str) -> None:
    with client_for(_settings(api_index, api_corpus)) as client:
        if isinstance(body, bytes):
            response = client.request(method, path, content=body,
                                      headers={"Content-Type": "application/json"})
        elif body is None:
            response = client.request(method, path)
        else:
            response = client.request(method, path, json=body)
        assert response.status_code == status, response.text
        assert says in _one_line(response)


def test_not_ready_without_an_index_then_ready_after_ingest(tmp_path: Path, api_corpus: Path,
                                                            embedder) -> None:
    from index.sync import sync_corpus

    index_dir = tmp_path / "index"
    with client_for(_settings(index_dir, api_corpus), ready=False) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        _until(lambda: "no index at" in client.get("/readyz").text, "the first load attempt")
        not_ready = client.get("/readyz")
        assert not_ready.status_code == 503 and not_ready.json()["ready"] is False
        refused = client.post("/v1/ask", json={"question": QUESTIONS[0]})
        assert refused.status_code == 503 and refused.headers["Retry-After"]
        assert _one_line(refused).startswith("not ready: no index at")
        report = sync_corpus(api_corpus, index_dir, embedder=embedder)
        _until(lambda: client.get("/readyz").status_code == 200, "the new index")
        assert client.get("/readyz").json() == {"ready": True, "index_version":
                                                report.version_id}


def test_ingest_is_for_editors_with_the_token(api_index: Path, api_corpus: Path) -> None:
    with client_for(_settings(api_index, api_corpus, token="")) as client:
        off = client.post("/v1/ingest", headers={"Authorization": "Bearer anything"})
        assert off.status_code == 403 and "no CITEWISE_API_TOKEN" in _one_line(off)
    with client_for(_settings(api_index, api_corpus)) as client:
        for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Authorization": "Bearer wrong-token"}):
            refused = client.post("/v1/ingest", headers=headers)
            assert refused.status_code == 401, (headers, refused.text)
            assert refused.headers["WWW-Authenticate"] == "Bearer" and _one_line(refused)
        assert client.get("/v1/jobs/abc", headers={}).status_code == 401
        assert current_version(api_index) is not None


def test_ingest_job_publishes_a_version_every_reader_picks_up(api_index: Path,
                                                              api_corpus: Path) -> None:
    editor = {"Authorization": f"Bearer {TOKEN}"}
    before = current_version(api_index)
    with client_for(_settings(api_index, api_corpus)) as client:
        shutil.copy(CORPUS / ADDED, api_corpus / ADDED)
        started = client.post("/v1/ingest", headers=editor, json={})
        assert started.status_code == 202, started.text
        url = started.json()["status_url"]
        assert started.headers["Location"] == url
        seen: set[str] = set()

        def finished() -> bool:
            job = client.get(url, headers=editor).json()
            seen.add(job["status"])
            return job["status"] in ("done", "failed")

        _until(finished, "the ingest job")
        job = client.get(url, headers=editor).json()
        assert job["status"] == "done", job["error"]
        assert job["report"]["added"] == [ADDED.rsplit(".", 1)[0]] and job["stage"] == "write"
        assert job["started_at"] and job["finished_at"] and job["pid"]
        after = job["report"]["version_id"]
        assert current_version(api_index) == after != before
        _until(lambda: client.get("/readyz").json()["index_version"] == after,
               "the reader to pick up the new version")
        record = client.post("/v1/ask", json={"question": QUESTIONS[3]}).json()
        assert record["index_version"] == after
        assert client.get("/v1/jobs/0123456789ab", headers=editor).status_code == 404
        assert client.get("/v1/jobs/..%2F..%2Fetc", headers=editor).status_code == 404


def test_failed_ingest_job_says_why_and_keeps_the_index(api_index: Path, tmp_path: Path) -> None:
    editor = {"Authorization": f"Bearer {TOKEN}"}
    before = current_version(api_index)
    gone = tmp_path / "gone"
    gone.mkdir()
    with client_for(_settings(api_index, gone)) as client:
        gone.rmdir()
        refused = client.post("/v1/ingest", headers=editor)
        assert refused.status_code == 409 and "does not exist" in _one_line(refused)
    assert current_version(api_index) == before


def test_metrics_are_prometheus_text(api_index: Path, api_corpus: Path) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    with client_for(_settings(api_index, api_corpus)) as client:
        client.post("/v1/ask", json={"question": QUESTIONS[0]})
        client.get("/v1/articles/nope")
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/plain")
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    requests = {(s.labels["route"], s.labels["status"]): s.value
                for s in families["citewise_requests"].samples if s.name.endswith("_total")}
    assert requests[("/v1/ask", "200")] == 1 and requests[("/v1/articles/{article_id}",
                                                           "404")] == 1
    buckets = [s for s in families["citewise_request_seconds"].samples
               if s.name.endswith("_bucket") and s.labels["route"] == "/v1/ask"]
    assert buckets and buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == 1
    versions = {s.labels["version"]: s.value
                for s in families["citewise_index_version_info"].samples}
    assert versions == {current_version(api_index): 1.0}


def test_openapi_documents_every_route(api_index: Path, api_corpus: Path) -> None:
    with client_for(_settings(api_index, api_corpus), ready=False) as client:
        paths = client.get("/openapi.json").json()["paths"]
        assert client.get("/docs").status_code == 200
    assert {"/v1/ask", "/v1/articles", "/v1/articles/{article_id}", "/v1/ingest",
            "/v1/jobs/{job_id}", "/healthz", "/readyz", "/metrics"} <= set(paths)
