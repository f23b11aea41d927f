"""Ollama's native API: POST /api/chat with `format` = the JSON schema, GET /api/tags to check the model.

Why native and not /v1: `format` takes a full JSON schema (grammar-constrained decoding), and `num_ctx` can
be set explicitly. Ollama's default context is small and it silently drops the *start* of a longer prompt
(our rules and rubric), so num_ctx is computed from the prompt size plus the reply budget.

Host: config base_url, else OLLAMA_HOST, else http://localhost:11434. Before the first chat the model list
is read once; a model that is not pulled fails at once with `ollama pull <model>`, a refused connection says
Ollama is not running and how to start it.
"""

from __future__ import annotations

import asyncio
import importlib
import math
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from .base import (
    Backend,
    BackendError,
    ChatRequest,
    ChatResponse,
    Check,
    connection_refused,
    retry_after_from_headers,
    status_kind,
)
from .redact import Redactor, env_secrets, one_line

DEFAULT_HOST = "http://localhost:11434"
MIN_CTX = 4096
CHARS_PER_TOKEN = 3.0  # conservative (English is ~4): better a slightly large context than a truncated prompt


def normalise_host(host: str) -> str:
    """OLLAMA_HOST forms: '0.0.0.0', 'host:port', 'http://host:port', with or without /api or /v1."""
    h = host.strip().rstrip("/")
    if "://" not in h:
        h = "http://" + h
    p = urlparse(h)
    hostname = p.hostname or "localhost"
    if hostname in ("0.0.0.0", "::"):  # a bind address: connect to this machine
        hostname = "127.0.0.1"
    port = p.port or (443 if p.scheme == "https" else 11434)
    path = p.path
    for suffix in ("/api", "/v1"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return f"{p.scheme}://{hostname}:{port}{path}"


def num_ctx_for(messages: list[dict[str, str]], max_tokens: int) -> int:
    """A context window that holds the prompt and the reply, rounded up to a multiple of 1024."""
    est = sum(len(m.get("content", "")) for m in messages) / CHARS_PER_TOKEN
    need = est + max_tokens + 512
    return max(MIN_CTX, int(math.ceil(need / 1024.0)) * 1024)


def model_matches(wanted: str, available: str) -> bool:
    if wanted == available:
        return True
    return ":" not in wanted and available == f"{wanted}:latest"


class OllamaBackend(Backend):
    name = "ollama"
    supports_schema = True
    needs_key = False

    def __init__(self, model: str, base_url: str = "", api_key_env: str = "", timeout: float = 60.0,
                 env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        super().__init__(model, normalise_host(base_url or env.get("OLLAMA_HOST", "") or DEFAULT_HOST))
        self.key_env_var = api_key_env or None  # Ollama needs no key; one may be set for a proxy in front of it
        self._key = env.get(api_key_env, "") if api_key_env else ""
        self.timeout = timeout
        self.redactor = Redactor([*env_secrets(env, [api_key_env] if api_key_env else []), self._key])
        self._client: Any = None
        self._model_ok = False

    def secrets(self) -> list[str]:
        return list(self.redactor.secrets)

    def describe(self) -> dict[str, str]:
        d = super().describe()
        d["key variable"] = (f"{self.key_env_var} ({'set' if self._key else 'not set'})" if self.key_env_var
                             else "none needed")
        return d

    def client(self) -> Any:
        if self._client is None:
            import httpx

            headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
            self._client = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout, headers=headers)
        return self._client

    # ------------------------------------------------------------------ errors

    def _not_running(self, detail: str) -> BackendError:
        return BackendError(f"cannot reach Ollama at {self.base_url} ({detail})", kind="connection",
                            hint="start Ollama: run `ollama serve` (or open the Ollama app); if it runs elsewhere, "
                                 "set OLLAMA_HOST or grader.base_url")

    def _not_pulled(self) -> BackendError:
        return BackendError(f"model {self.model!r} is not pulled in Ollama at {self.base_url}", kind="not_found",
                            status=404, hint=f"run: ollama pull {self.model}")

    def _transport_error(self, e: Exception) -> BackendError:
        import httpx

        if isinstance(e, httpx.TimeoutException):
            return BackendError(f"no reply from Ollama at {self.base_url} within the timeout", kind="timeout",
                                hint="the model may still be loading or is too slow: raise grader.timeout, "
                                     "or use a smaller model")
        if isinstance(e, httpx.ConnectError):
            detail = "connection refused" if connection_refused(e) else one_line(self.redactor(str(e)), 80)
            return self._not_running(detail)
        return BackendError(f"connection to Ollama at {self.base_url} failed ({type(e).__name__}: "
                            f"{one_line(self.redactor(str(e)), 100)})", kind="connection",
                            hint="check that Ollama is running and reachable")

    def _status_error(self, r: Any) -> BackendError:
        try:
            body = r.json()
            detail = str(body.get("error", body)) if isinstance(body, dict) else str(body)
        except ValueError:
            detail = r.text
        detail = one_line(self.redactor(detail), 160)
        if r.status_code == 404 and "not found" in detail.lower() and "model" in detail.lower():
            return self._not_pulled()
        kind = status_kind(r.status_code)
        hint = {"auth": "Ollama itself needs no key: check the proxy in front of it and grader.api_key_env",
                "server": "check the Ollama server log; the model may be out of memory (try a smaller one)",
                "rate_limit": "wait a moment and grade again (the answer is saved)",
                }.get(kind, f"check grader.model ({self.model!r}); run `interviewer doctor`")
        return BackendError(f"Ollama at {self.base_url} answered {r.status_code}: {detail}", kind=kind,
                            status=r.status_code, retry_after=retry_after_from_headers(r.headers), hint=hint)

    # ------------------------------------------------------------------ calls

    async def prepare(self) -> None:
        if self._client is None:
            await asyncio.to_thread(importlib.import_module, "httpx")  # keep imports off the UI loop
        self.client()

    async def models(self, timeout: float | None = None) -> list[str]:
        import httpx

        try:
            r = await self.client().get("/api/tags", timeout=timeout or self.timeout)
        except httpx.HTTPError as e:
            raise self._transport_error(e) from None
        if r.status_code >= 400:
            raise self._status_error(r)
        try:
            data = r.json()
            return [m.get("name") or m.get("model") for m in data.get("models", [])]
        except (ValueError, AttributeError):
            raise BackendError(f"{self.base_url}/api/tags did not answer like Ollama", kind="reply",
                               hint="check that OLLAMA_HOST / grader.base_url points at Ollama") from None

    async def ensure_model(self, timeout: float | None = None) -> None:
        if self._model_ok:
            return
        names = await self.models(timeout)
        if not any(model_matches(self.model, n) for n in names):
            raise self._not_pulled()
        self._model_ok = True

    async def complete(self, request: ChatRequest) -> ChatResponse:
        import httpx

        await self.ensure_model(request.timeout)
        body = {
            "model": self.model,
            "messages": request.messages,
            "stream": False,
            "format": request.schema,
            "options": {"temperature": request.temperature, "num_predict": request.max_tokens,
                        "num_ctx": num_ctx_for(request.messages, request.max_tokens)},
        }
        try:
            r = await self.client().post("/api/chat", json=body, timeout=request.timeout)
        except httpx.HTTPError as e:
            raise self._transport_error(e) from None
        if r.status_code >= 400:
            raise self._status_error(r)
        try:
            data = r.json()
            text = data["message"]["content"]
        except (ValueError, KeyError, TypeError):
            raise BackendError(f"Ollama at {self.base_url} sent a reply without a message", kind="reply",
                               hint="check that OLLAMA_HOST / grader.base_url points at Ollama") from None
        if data.get("error"):
            raise BackendError(f"Ollama error: {one_line(self.redactor(str(data['error'])), 160)}", kind="server",
                               hint="check the Ollama server log")
        return ChatResponse(text=text or "", finish_reason=data.get("done_reason"), model=data.get("model", self.model),
                            prompt_tokens=data.get("prompt_eval_count"), completion_tokens=data.get("eval_count"),
                            structured="format")

    async def check(self) -> list[Check]:
        from .openai_backend import probe_structured

        checks: list[Check] = []
        try:
            names = await self.models(timeout=min(self.timeout, 10.0))
        except BackendError as e:
            return [("reachable", False, f"{e.message} -> {e.hint}")]
        checks.append(("reachable", True, f"Ollama at {self.base_url} answered; {len(names)} model(s) pulled"))
        if not any(model_matches(self.model, n) for n in names):
            missing = self._not_pulled()
            return [*checks, ("model pulled", False, f"{missing.message} -> {missing.hint}")]
        checks.append(("model pulled", True, f"{self.model!r} is pulled"))
        self._model_ok = True
        checks.append(await probe_structured(self, timeout=max(self.timeout, 60.0)))
        return checks

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
