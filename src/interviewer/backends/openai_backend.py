"""OpenAI-compatible chat-completions backend: OpenAI itself, and any server speaking the same API (vLLM,
LM Studio, llama.cpp server, OpenRouter, a LiteLLM proxy, Ollama's /v1) through `base_url`.

Structured output: `response_format` json_schema with strict=true. A server that rejects it (400 naming
response_format / json_schema) is asked again in JSON mode (`json_object`) and remembered; the schema is in
the system prompt either way, and the reply is validated locally whatever the server claims.
The SDK's own retries are off (max_retries=0): `backends.retry` is the only retry layer.
The key is read from the environment variable named by config (default OPENAI_API_KEY), never from a file.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
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

DEFAULT_KEY_ENV = "OPENAI_API_KEY"
OFFICIAL_HOST = "api.openai.com"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"}
_REASONING = re.compile(r"^(?:o\d|gpt-5)", re.I)
_SCHEMA_REFUSED = re.compile(r"response_format|json_schema|structured|strict|schema", re.I)
NO_KEY_PLACEHOLDER = "no-key-needed"

PROBE_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["ok"],
                "properties": {"ok": {"type": "boolean"}}}
PROBE_MESSAGES = [{"role": "user", "content": 'Reply with exactly this JSON object: {"ok": true}'}]


def is_local(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower() if url else ""
    return host in _LOCAL_HOSTS or host.endswith(".local") or host.startswith("192.168.") or host.startswith("10.")


def where(base_url: str) -> str:
    if not base_url:
        return OFFICIAL_HOST
    p = urlparse(base_url)
    return p.netloc or base_url


def status_error(status: int, detail: str, *, backend: str, model: str, base_url: str, key_var: str | None,
                 key_set: bool, retry_after: float | None = None, code: str | None = None) -> BackendError:
    """The one-line message and hint for an HTTP error status (shared by the openai and litellm backends)."""
    at = where(base_url)
    kind = status_kind(status)
    tail = f": {detail}" if detail else ""
    if status == 401:
        if key_var and not key_set:
            return BackendError(f"{at} wants an API key (401) and {key_var} is not set", kind="auth",
                                status=status, hint=f"export {key_var}=<your key> (or set grader.api_key_env "
                                                    "to the variable that holds it)")
        return BackendError(f"{at} refused the API key (401){tail}", kind="auth", status=status,
                            hint=f"check that {key_var or 'the key variable'} holds a valid key for {at}")
    if status == 403:
        return BackendError(f"{at} denied access (403){tail}", kind="auth", status=status,
                            hint=f"check that the key in {key_var or 'the key variable'} may use model {model!r}")
    if status == 404:
        return BackendError(f"model {model!r} or its endpoint was not found at {at} (404){tail}", kind="not_found",
                            status=status, hint="check grader.model and grader.base_url (an OpenAI-compatible "
                                                "base_url usually ends in /v1); `interviewer doctor` checks both")
    if status == 429:
        if code == "insufficient_quota" or "quota" in detail.lower() and "exceeded" in detail.lower():
            return BackendError(f"{at}: the account's quota is used up (429){tail}", kind="quota", status=status,
                                hint="add credit or raise the limit for this key, or use another backend")
        return BackendError(f"{at} is rate limiting requests (429){tail}", kind="rate_limit", status=status,
                            retry_after=retry_after, hint="wait a minute and grade again (the answer is saved)")
    if status >= 500:
        return BackendError(f"{at} had a server error ({status}){tail}", kind="server", status=status,
                            retry_after=retry_after, hint="try again later; the answer is saved as ungraded")
    return BackendError(f"{at} rejected the request ({status}){tail}", kind=kind, status=status,
                        hint=f"check grader.model ({model!r}) and grader.base_url; run `interviewer doctor`")


def _body_detail(body: Any, fallback: str) -> tuple[str, str | None]:
    """(message from an error body, error code)."""
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict):
            return str(err.get("message") or err), (str(err["code"]) if err.get("code") else None)
        return str(err), None
    return (str(body) if body else fallback), None


class OpenAIBackend(Backend):
    name = "openai"
    supports_schema = True

    def __init__(self, model: str, base_url: str = "", api_key_env: str = "", timeout: float = 60.0,
                 env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        super().__init__(model, (base_url or env.get("OPENAI_BASE_URL", "")).rstrip("/"))
        self.key_env_var = api_key_env or DEFAULT_KEY_ENV
        self._key = env.get(self.key_env_var, "") or ""
        self.needs_key = not is_local(self.base_url)
        self.timeout = timeout
        self.mode = "json_schema"
        self.redactor = Redactor([*env_secrets(env, [self.key_env_var]), self._key])
        self._client: Any = None

    def secrets(self) -> list[str]:
        return list(self.redactor.secrets)

    def describe(self) -> dict[str, str]:
        d = super().describe()
        d["base_url"] = self.base_url or f"https://{OFFICIAL_HOST}/v1 (default)"
        state = "set" if self._key else ("not set; a local server needs none" if not self.needs_key else "not set")
        d["key variable"] = f"{self.key_env_var} ({state})"
        return d

    @property
    def official(self) -> bool:
        return not self.base_url or urlparse(self.base_url).hostname == OFFICIAL_HOST

    def client(self) -> Any:
        if self._client is None:
            if not self._key and self.needs_key:
                raise BackendError(f"{self.key_env_var} is not set, and {where(self.base_url)} needs an API key",
                                   kind="config", hint=f"export {self.key_env_var}=<your key>, or set "
                                   "grader.api_key_env to the variable that holds it")
            from openai import AsyncOpenAI

            self._client = AsyncOpenAI(api_key=self._key or NO_KEY_PLACEHOLDER, base_url=self.base_url or None,
                                       timeout=self.timeout, max_retries=0)
        return self._client

    async def prepare(self) -> None:
        if self._client is None:
            await asyncio.to_thread(importlib.import_module, "openai")  # ~1-2 s: keep it off the UI loop
        self.client()

    def _kwargs(self, req: ChatRequest) -> dict[str, Any]:
        kw: dict[str, Any] = {"model": self.model, "messages": req.messages, "timeout": req.timeout}
        if self.mode == "json_schema":
            kw["response_format"] = {"type": "json_schema", "json_schema": {
                "name": req.schema_name, "schema": req.schema, "strict": True}}
        else:
            kw["response_format"] = {"type": "json_object"}
        reasoning = bool(_REASONING.match(self.model))
        if self.official:
            kw["max_completion_tokens"] = req.max_tokens * (4 if reasoning else 1)
        else:
            kw["max_tokens"] = req.max_tokens
        if not reasoning:
            kw["temperature"] = req.temperature
        return kw

    def error_from(self, e: Exception) -> BackendError:
        """The OpenAI SDK's exception `e` as a BackendError: redacted, with its kind and a hint. Public because
        the voice layer's transcriber (voice.openai_stt) talks to the same servers and maps failures the same
        way."""
        import openai

        r = self.redactor
        if isinstance(e, openai.APITimeoutError):
            return BackendError(f"no reply from {where(self.base_url)} within the timeout", kind="timeout",
                                hint="the model is slow: raise grader.timeout, or use a smaller model")
        if isinstance(e, openai.APIConnectionError):
            cause = "connection refused" if connection_refused(e) else one_line(r(str(e.__cause__ or e)), 120)
            hint = ("is the server running? start it, or fix grader.base_url" if is_local(self.base_url)
                    else "check your network connection and grader.base_url")
            return BackendError(f"cannot connect to {where(self.base_url)} ({cause})", kind="connection", hint=hint)
        if isinstance(e, openai.APIStatusError):
            detail, code = _body_detail(e.body, e.message)
            return status_error(e.status_code, one_line(r(detail), 160), backend=self.name, model=self.model,
                                base_url=self.base_url, key_var=self.key_env_var, key_set=bool(self._key),
                                retry_after=retry_after_from_headers(e.response.headers), code=code)
        return BackendError(f"unexpected reply from {where(self.base_url)}: {one_line(r(str(e)), 160)}",
                            kind="reply", hint="check that grader.base_url points at an OpenAI-compatible API")

    async def complete(self, request: ChatRequest) -> ChatResponse:
        import openai

        client = self.client()
        try:
            resp = await client.chat.completions.create(**self._kwargs(request))
        except openai.APIStatusError as e:
            detail, _ = _body_detail(e.body, e.message)
            if e.status_code in (400, 422) and self.mode == "json_schema" and _SCHEMA_REFUSED.search(detail):
                self.mode = "json_object"  # the server does not do json_schema: JSON mode + schema in prompt
                return await self.complete(request)
            raise self.error_from(e) from None
        except openai.OpenAIError as e:
            raise self.error_from(e) from None
        except ValueError as e:  # a 200 whose body is empty or not JSON (a broken proxy): the SDK's json error
            raise BackendError(f"{where(self.base_url)} answered with an empty or non-JSON body "
                               f"({one_line(self.redactor(str(e)), 80)})", kind="reply",
                               hint="check that grader.base_url points at an OpenAI-compatible chat API (a proxy "
                                    "in front of it may be failing)") from None
        return self._response(resp)

    def _response(self, resp: Any) -> ChatResponse:
        choices = getattr(resp, "choices", None) or []
        if not choices:
            raise BackendError(f"{where(self.base_url)} returned no choices", kind="reply",
                               hint="check that grader.base_url points at an OpenAI-compatible chat API")
        choice = choices[0]
        msg = choice.message
        text = msg.content or ""
        refusal = getattr(msg, "refusal", None)
        if not text and refusal:
            raise BackendError(f"the model refused to grade: {one_line(self.redactor(refusal), 160)}",
                               kind="reply", hint="rephrase the answer, or grade offline")
        usage = getattr(resp, "usage", None)
        cost = getattr(usage, "cost", None) if usage is not None else None  # OpenRouter reports it
        return ChatResponse(
            text=text, finish_reason=choice.finish_reason, model=getattr(resp, "model", "") or self.model,
            prompt_tokens=getattr(usage, "prompt_tokens", None), completion_tokens=getattr(usage, "completion_tokens",
                                                                                           None),
            cost_usd=float(cost) if isinstance(cost, (int, float)) else None, structured=self.mode,
        )

    async def check(self) -> list[Check]:
        import openai

        checks: list[Check] = []
        try:
            client = self.client()
        except BackendError as e:
            return [("API key", False, f"{e.message} -> {e.hint}")]
        at = where(self.base_url)
        try:
            page = await client.models.list(timeout=min(self.timeout, 15.0))
            ids = [m.id for m in page.data]
            checks.append(("reachable", True, f"{at} answered; {len(ids)} model(s) listed"))
            if ids:
                present = self.model in ids
                checks.append(("model listed", present, f"{self.model!r} " + (
                    "is listed" if present else f"is not among the {len(ids)} listed (the server may still accept "
                                                f"it; e.g. {', '.join(ids[:3])})")))
        except openai.NotFoundError:
            checks.append(("reachable", True, f"{at} answered (it does not list models)"))
        except openai.OpenAIError as e:
            err = self.error_from(e)
            return [*checks, ("reachable", False, f"{err.message} -> {err.hint}")]
        checks.append(await probe_structured(self))
        return checks

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


async def probe_structured(backend: Backend, timeout: float = 30.0) -> Check:
    """Send a tiny schema-constrained request and check the reply is the JSON asked for."""
    req = ChatRequest(messages=PROBE_MESSAGES, schema=PROBE_SCHEMA, schema_name="probe", max_tokens=50,
                      timeout=timeout)
    try:
        resp = await backend.complete(req)
    except BackendError as e:
        return ("structured output", False, f"{e.message} -> {e.hint}" if e.hint else e.message)
    try:
        ok = isinstance(json.loads(resp.text.strip().strip("`").removeprefix("json")), dict)
    except ValueError:
        ok = False
    how = {"json_schema": "JSON-schema output accepted", "json_object": "JSON schema refused; JSON mode works",
           "format": "format schema accepted"}.get(resp.structured, resp.structured)
    if ok:
        return ("structured output", True, f"{how} by {backend.model!r}")
    return ("structured output", False, f"{backend.model!r} did not return JSON: {one_line(resp.text, 80)!r}")
