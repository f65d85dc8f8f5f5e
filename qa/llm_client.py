"""The chat model behind the optional generative composer, and one-line reasons when its server
fails (each naming the CITEWISE_* setting to fix)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from langchain_core.language_models import BaseChatModel

from config.settings import Settings

PROVIDERS = ("openai", "ollama")
OLLAMA_BASE_URL = "http://127.0.0.1:11434/v1"  # Ollama's OpenAI-compatible endpoint
# Local servers ignore the key, but the OpenAI client refuses to start without one.
PLACEHOLDER_KEY = "not-needed"


class LLMUnavailableError(RuntimeError):
    """The language model could not answer; the message is one line naming what to fix."""


@dataclass(frozen=True)
class LLMServer:
    """Where the chat model lives (never the key): used to word failure messages."""

    provider: str
    model: str
    base_url: str
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMServer:
        base_url = settings.llm_base_url or (OLLAMA_BASE_URL if settings.llm_provider == "ollama"
                                             else "https://api.openai.com/v1")
        return cls(settings.llm_provider, settings.llm_model, base_url, settings.llm_timeout)


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    """An OpenAI-compatible chat client for CITEWISE_LLM_PROVIDER=openai|ollama."""
    if settings.llm_provider not in PROVIDERS:
        raise ValueError(f"CITEWISE_LLM_PROVIDER={settings.llm_provider!r} is not one of "
                         f"{', '.join(PROVIDERS)} (or empty for the extractive composer)")
    if not settings.llm_model:
        raise ValueError("CITEWISE_LLM_MODEL is empty: name the model the server serves "
                         "(e.g. the alias given to llama_cpp.server, or `ollama list`)")
    if settings.llm_timeout <= 0:
        raise ValueError(f"CITEWISE_LLM_TIMEOUT={settings.llm_timeout} must be positive seconds")
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ValueError("the generative composer needs langchain-openai: "
                         "pip install langchain-openai") from exc
    server = LLMServer.from_settings(settings)
    # max_retries=0: a local server that failed once fails again; the user sees the reason
    # at once instead of after three timeouts.
    return ChatOpenAI(model=settings.llm_model, base_url=server.base_url, temperature=0,
                      api_key=settings.llm_api_key or PLACEHOLDER_KEY,
                      timeout=settings.llm_timeout, max_retries=0)


def _detail(exc: BaseException) -> str:
    """The server's own message, one short line."""
    message = getattr(exc, "message", None) or str(exc)
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body.get("detail", body.get("message")))
        if isinstance(inner, dict):
            inner = inner.get("message")
        if isinstance(inner, str) and inner:
            message = inner
    line = " ".join(str(message).split())
    return line[:160] + ("…" if len(line) > 160 else "")


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost exception ("[Errno 111] Connection refused" under "Connection error.")."""
    seen = {id(exc)}
    while (inner := exc.__cause__ or exc.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        exc = inner
    return exc


def describe_llm_failure(exc: BaseException, server: LLMServer | None) -> str:
    """One line: what went wrong with the LLM server and which setting to change."""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on openai
        openai = None  # type: ignore[assignment]
    url = server.base_url if server else "the configured URL"
    model = server.model if server else "the configured model"
    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            timeout = f"{server.timeout:g} s" if server else "the timeout"
            return (f"the LLM server at {url} did not answer within {timeout}: raise "
                    "CITEWISE_LLM_TIMEOUT, use a smaller model, or check the server")
        if isinstance(exc, openai.APIConnectionError):
            why = _detail(_root_cause(exc)) or "connection failed"
            return (f"cannot reach the LLM server at {url} ({why}): start the server or fix "
                    "CITEWISE_LLM_BASE_URL")
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return (f"the LLM server at {url} refused the API key (HTTP {exc.status_code}): "
                    "set CITEWISE_LLM_API_KEY")
        if isinstance(exc, openai.APIStatusError):
            return _status_failure(exc, url, model)
    if isinstance(exc, ValueError | ImportError):
        return f"the LLM client could not start: {_detail(exc)}"
    return f"the LLM call failed ({type(exc).__name__}: {_detail(exc)}); check CITEWISE_LLM_*"


def _status_failure(exc: BaseException, url: str, model: str) -> str:
    status = getattr(exc, "status_code", 0)
    detail = _detail(exc)
    # Servers that know the model list (Ollama, vLLM, OpenAI) name the model in their error.
    names_model = re.search(r"\bmodel\b", detail, re.IGNORECASE) and status in (400, 404)
    if names_model:
        return (f"the LLM server at {url} does not serve the model {model!r} (HTTP {status}: "
                f"{detail}): fix CITEWISE_LLM_MODEL")
    if status == 404:
        path = urlparse(url).path.rstrip("/")
        hint = (" (OpenAI-compatible servers usually expect it to end in /v1)"
                if not path.endswith("/v1") else "")
        return (f"no chat-completions endpoint at {url.rstrip('/')}/chat/completions (HTTP 404)"
                f": fix CITEWISE_LLM_BASE_URL{hint}")
    return (f"the LLM server at {url} answered HTTP {status} ({detail}): check the server log "
            "and CITEWISE_LLM_MODEL / CITEWISE_LLM_BASE_URL")
