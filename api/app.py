"""The HTTP API: `create_app(settings)` builds it; `citewise serve` runs it on uvicorn.

Every refusal is a 4xx (or 503 while no index is loaded) with a body `{"error": "<one line>"}`.
Answers are the `citewise ask --json` record (qa.ask), with the index version that gave them
also in the `X-Citewise-Index-Version` header.
"""

from __future__ import annotations

import hmac
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from api.jobs import JobStore, start_job
from api.live import LiveEngine, NotReadyError
from api.metrics import Metrics
from api.schemas import AskRequest, IngestRequest, JobAccepted
from config.settings import Settings
from index.catalog import article_record
from qa import ask as asking
from qa.engine import QAEngine, QuestionError

VERSION_HEADER = "X-Citewise-Index-Version"
# A question, its history and the JSON around them fit in far less; a bigger body is refused
# before it is read.
MAX_BODY_BYTES = 1_000_000


class ApiError(Exception):
    """A request refused with `status` and a one-line reason."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.headers = status, reason, headers or {}


def _one_line(exc: RequestValidationError) -> str:
    """The first validation error as '<field>: <what is wrong>'."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    if first.get("type") == "json_invalid":
        return "the body is not valid JSON"
    if first.get("type") == "missing":
        return f"{where}: is required"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


def live_engine(request: Request) -> QAEngine:
    """The engine to answer this request with (the whole request keeps it)."""
    try:
        return request.app.state.live.engine()
    except NotReadyError as exc:
        raise ApiError(503, f"not ready: {exc}", {"Retry-After": "5"}) from exc


def editor(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Editors only: the bearer token must be the server's CITEWISE_API_TOKEN."""
    expected = request.app.state.settings.api_token
    if not expected:
        raise ApiError(403, "ingest over the API is off: the server has no CITEWISE_API_TOKEN")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "editors only: send Authorization: Bearer <token>",
                       {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise ApiError(401, "the token is not the server's CITEWISE_API_TOKEN",
                       {"WWW-Authenticate": "Bearer"})


Engine = Annotated[QAEngine, Depends(live_engine)]


def create_app(settings: Settings | None = None, live: LiveEngine | None = None) -> FastAPI:
    """The API over `settings.index_dir` (default: the CITEWISE_* settings in force)."""
    settings = settings or Settings.from_env()
    metrics = Metrics()
    live = live or LiveEngine(settings, on_switch=lambda e: metrics.serving(
        e.version, len(e.data.chunks)))
    jobs = JobStore(settings.index_dir)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # noqa: ANN202 - FastAPI's lifespan protocol
        live.start()
        yield
        live.stop()

    app = FastAPI(title="citewise", version="1", lifespan=lifespan,
                  summary="Cited answers from clinical guideline articles, offline.",
                  description="Every statement of an answer carries a numbered citation to the "
                  "article and section it quotes; weak evidence gets an abstention, not an "
                  "answer. Ingest (editors) needs `Authorization: Bearer <CITEWISE_API_TOKEN>`.")
    app.state.live, app.state.metrics, app.state.settings = live, metrics, settings

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.reason}, exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": _one_line(exc)}, 422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.middleware("http")
    async def _measure(request: Request, call_next):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > MAX_BODY_BYTES:
            response: Response = JSONResponse(
                {"error": f"the body is {int(size):,} bytes; the limit is {MAX_BODY_BYTES:,}"},
                413)
        else:
            response = await call_next(request)
        route = request.scope.get("route")
        metrics.observe(request.method, getattr(route, "path", "unmatched"),
                        response.status_code, time.perf_counter() - started)
        return response

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """The process is up (it may still be loading the index: see /readyz)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    def readyz() -> JSONResponse:
        """200 once an index version is loaded and answering, 503 before."""
        state = live.readiness()
        body = {"ready": state.ready, "index_version": state.version}
        if not state.ready:
            return JSONResponse(body | {"error": state.reason}, 503)
        return JSONResponse(body)

    @app.get("/metrics", tags=["operations"])
    def prometheus() -> Response:
        """Prometheus text: requests, latency histogram, index version served."""
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    @app.post("/v1/ask", tags=["answers"])
    def ask(body: AskRequest, response: Response,
            qa: Engine) -> dict[str, Any]:
        """Answer a question from the indexed articles: the `citewise ask --json` record."""
        try:
            asked = asking.ask(qa, body.question, body.history, body.audience)
        except QuestionError as exc:
            raise ApiError(422, f"question: {exc}") from exc
        response.headers[VERSION_HEADER] = asked.index_version
        return asked.as_dict()

    @app.get("/v1/articles", tags=["articles"])
    def articles(response: Response,
                 qa: Engine) -> list[dict[str, Any]]:
        """Every indexed article's metadata and ingest account (`citewise articles --json`)."""
        from index.catalog import article_records

        response.headers[VERSION_HEADER] = qa.version
        return [r.as_dict() for r in article_records(qa.data)]

    @app.get("/v1/articles/{article_id}", tags=["articles"])
    def article(article_id: str, response: Response,
                qa: Engine) -> dict[str, Any]:
        """One article: its record, and under `content` its sections (heading, page, text) and
        reference list."""
        found = qa.data.articles.get(article_id)
        if found is None:
            raise ApiError(404, f"no article {article_id!r} in index version {qa.version}")
        entry = qa.data.manifest.articles.get(article_id)
        response.headers[VERSION_HEADER] = qa.version
        return article_record(found, entry.n_chunks if entry else 0).as_dict() | {
            "content": {"sections": [{"heading": s.heading, "path": list(s.path),
                                      "page": s.page, "text": s.text} for s in found.sections],
                        "references": [r.as_dict() for r in found.references]}}

    @app.post("/v1/ingest", status_code=202, tags=["editors"],
              dependencies=[Depends(editor)], response_model=JobAccepted)
    def ingest(response: Response, body: IngestRequest | None = None) -> JobAccepted:
        """Start an ingest of the server's corpus folder as a job; poll its status URL."""
        if not Path(settings.corpus_dir).is_dir():
            raise ApiError(409, f"the server's corpus folder {settings.corpus_dir} does not "
                           f"exist")
        job = start_job(jobs, settings.as_env(), rebuild=bool(body and body.rebuild))
        url = f"/v1/jobs/{job.job_id}"
        response.headers["Location"] = url
        return JobAccepted(job_id=job.job_id, status=job.status, status_url=url)

    @app.get("/v1/jobs/{job_id}", tags=["editors"], dependencies=[Depends(editor)])
    def job(job_id: str) -> dict[str, Any]:
        """An ingest job: queued, running (stage, done of total), done (report) or failed."""
        found = jobs.read(job_id)
        if found is None:
            raise ApiError(404, f"no ingest job {job_id!r}")
        return found.as_dict()

    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's workers call (`citewise serve` passes settings by environment)."""
    return create_app()
