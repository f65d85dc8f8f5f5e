"""A small OpenAI-compatible HTTP server on 127.0.0.1 that replays the real responses recorded
in ../shared/llm-recordings, matched by the question in the request, so tests drive the real
langchain-openai client over real HTTP (and its real failures: closed port, 404, timeouts)."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

RECORDINGS = (Path(__file__).resolve().parents[2].parent / "shared" / "llm-recordings"
              / "qwen2.5-coder-1.5b-seed-articles.jsonl")
_QUESTION_RE = re.compile(r"Question:\s*(.+?)\s*$", re.DOTALL)


def recordings_or_skip() -> list[dict[str, Any]]:
    if not RECORDINGS.is_file():
        pytest.skip(f"LLM recordings not found at {RECORDINGS}")
    return [json.loads(line) for line in RECORDINGS.read_text().splitlines() if line.strip()]


def question_of(request: dict[str, Any]) -> str:
    user = request["messages"][-1]["content"]
    match = _QUESTION_RE.search(user)
    return match.group(1) if match else user


@dataclass
class Replay:
    """What the server answers: recorded exchanges by question, scripted replies for other
    prompts (matched by a substring of the last message), and how it misbehaves."""

    recordings: list[dict[str, Any]]
    scripted: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # sleep before answering (a slow server)
    api_key: str = ""  # when set, requests without "Bearer <api_key>" get HTTP 401
    received: list[dict[str, Any]] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)

    @property
    def model(self) -> str:
        return self.recordings[0]["request"]["model"]

    def content_for(self, request: dict[str, Any]) -> str | None:
        question = question_of(request)
        for rec in self.recordings:
            if question_of(rec["request"]) == question:
                return rec["response"]["choices"][0]["message"]["content"]
        last = request["messages"][-1]["content"]
        return next((reply for key, reply in self.scripted.items() if key in last), None)


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != "/v1/chat/completions":
                self._json(404, {"detail": "Not Found"})  # what FastAPI-based servers answer
                return
            request = json.loads(body)
            replay.received.append(request)
            replay.auth_headers.append(self.headers.get("Authorization", ""))
            if replay.api_key and self.headers.get("Authorization") != f"Bearer {replay.api_key}":
                self._json(401, {"error": {"message": "Invalid API key", "type": "auth"}})
                return
            if request.get("model") != replay.model:  # as Ollama and vLLM answer
                self._json(404, {"error": {"message": f"model '{request.get('model')}' not "
                                           "found, try pulling it first"}})
                return
            time.sleep(replay.delay_s)
            content = replay.content_for(request)
            if content is None:
                self._json(500, {"error": {"message": "no recording for this request"}})
                return
            if request.get("stream"):
                self._stream(content)
            else:
                self._json(200, {"id": "chatcmpl-replay", "object": "chat.completion",
                                 "created": 0, "model": replay.model, "choices": [
                                     {"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": content}}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1,
                                           "total_tokens": 2}})

        def _stream(self, content: str) -> None:
            """Server-sent events, a few characters a chunk, as llama-cpp-python sends them."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            pieces = re.findall(r"\S+\s*|\s+", content)
            for i, piece in enumerate([*pieces, None]):
                delta = {"content": piece} if piece is not None else {}
                if i == 0:
                    delta["role"] = "assistant"
                chunk = {"id": "chatcmpl-replay", "object": "chat.completion.chunk",
                         "created": 0, "model": replay.model,
                         "choices": [{"index": 0, "delta": delta,
                                      "finish_reason": None if piece is not None else "stop"}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


@contextmanager
def serve(replay: Replay) -> Iterator[str]:
    """Run the server in a thread; yields its root URL (http://127.0.0.1:PORT)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    server.daemon_threads = True
    server.handle_error = lambda *args: None  # type: ignore[method-assign]  # a client gave up
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
