"""The one Backend interface (ARCHITECTURE.md habit 2): a chat call that must return JSON, and its errors.

A backend knows one wire protocol (OpenAI chat-completions, Ollama /api/chat, litellm) and nothing about
grading: it sends the messages with a JSON schema, and returns the raw text, the finish reason and the usage.
Retries are *not* done here (the one retry layer is `backends.retry`); a backend turns every failure into a
`BackendError` that says whether a retry could help and what a person should do.

Backend modules import their client libraries lazily, so importing this module stays cheap.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.errors import InterviewerError

ErrorKind = Literal[
    "connection",  # could not connect (refused, DNS, reset before a reply)
    "timeout",  # no reply within the per-call timeout
    "rate_limit",  # 429
    "quota",  # 429 that will not pass by waiting (billing quota exhausted)
    "server",  # 5xx
    "auth",  # 401 / 403
    "not_found",  # 404, model not found / not pulled
    "bad_request",  # 400 and other 4xx
    "unsupported",  # the server refused structured output (response_format / format)
    "config",  # bad configuration found before any request (missing key, bad URL)
    "deadline",  # the overall grading deadline passed
    "reply",  # a reply came back but it is not usable (no choices, empty)
    # speech to text only (voice.errors.TranscriptionError):
    "extra_missing",  # the voice extra (faster-whisper) is not installed
    "model_missing",  # the voice model is neither a complete folder nor downloadable now
    "audio",  # the audio file is missing or cannot be decoded
    "cancelled",  # the user stopped the transcription
]

RETRYABLE_KINDS: frozenset[str] = frozenset({"connection", "timeout", "rate_limit", "server"})


class BackendError(InterviewerError):
    """A failed backend call. `message` is one line (already redacted); `hint` says what to do next."""

    def __init__(self, message: str, *, kind: ErrorKind, hint: str = "", status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS


@dataclass(frozen=True)
class ChatRequest:
    messages: list[dict[str, str]]
    """[{"role": "system" | "user" | "assistant", "content": str}, ...]"""
    schema: dict[str, Any]
    """JSON schema the reply must follow (sent as structured-output constraint where the server supports it)."""
    schema_name: str = "grade"
    max_tokens: int = 2000
    temperature: float = 0.0
    timeout: float = 60.0
    """Seconds for this one call (the retry layer shortens it to what is left of the deadline)."""


@dataclass
class ChatResponse:
    text: str
    finish_reason: str | None = None
    """'stop', 'length' (cut off at max_tokens), ... as the server reported it; None if it did not say."""
    model: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    structured: str = "json_schema"
    """How the reply was constrained: 'json_schema', 'json_object' (JSON mode) or 'format' (Ollama)."""
    extra: dict[str, Any] = field(default_factory=dict)


Check = tuple[str, bool, str]
"""(what was checked, passed, detail) - shown by `interviewer doctor`."""


class Backend(ABC):
    """One model provider protocol. Subclasses set the capability attributes and implement `complete`."""

    name: str = "backend"
    supports_schema: bool = True
    """True when the server can be asked to constrain the reply to a JSON schema."""
    needs_key: bool = False
    """True when requests fail without an API key."""
    key_env_var: str | None = None
    """Name of the environment variable the key is read from (never the key itself)."""

    def __init__(self, model: str, base_url: str = "") -> None:
        self.model = model
        self.base_url = base_url

    @abstractmethod
    async def complete(self, request: ChatRequest) -> ChatResponse:
        """One call, no retries. Raise BackendError (redacted) on any failure."""

    async def prepare(self) -> None:  # noqa: B027 - optional hook with a harmless default
        """Import the client library and build the client (no network). Called before the first call, so
        configuration errors surface before any request and import time is not counted as model latency."""

    async def check(self) -> list[Check]:
        """Real health checks for `doctor`: reachable, model present, structured output accepted."""
        return []

    def secrets(self) -> list[str]:
        """Secret values this backend holds (to redact from any text shown or stored)."""
        return []

    @property
    def label(self) -> str:
        return f"{self.name}:{self.model}" if self.model else self.name

    def describe(self) -> dict[str, str]:
        """Effective settings for `doctor` (no secret values)."""
        return {"backend": self.name, "model": self.model, "base_url": self.base_url or "(default)"}

    async def aclose(self) -> None:  # noqa: B027 - optional hook with a harmless default
        """Release connections."""


def status_kind(status: int) -> ErrorKind:
    """Map an HTTP status to an error kind (decides retrying: 429 and 5xx retry, other 4xx do not)."""
    if status == 429:
        return "rate_limit"
    if status in (401, 403):
        return "auth"
    if status == 404:
        return "not_found"
    if status == 408:
        return "timeout"
    if status >= 500:
        return "server"
    return "bad_request"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or from retry-after-ms."""
    if not value:
        return None
    value = value.strip()
    try:
        secs = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        from datetime import UTC, datetime

        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        secs = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, secs)


def retry_after_from_headers(headers: Any) -> float | None:
    if headers is None:
        return None
    try:
        ms = headers.get("retry-after-ms")
        if ms:
            return max(0.0, float(ms) / 1000.0)
    except (TypeError, ValueError):
        pass
    try:
        return parse_retry_after(headers.get("retry-after"))
    except Exception:  # noqa: BLE001 - a malformed header is simply ignored
        return None


def connection_refused(exc: BaseException) -> bool:
    """True when an exception (or anything in its cause chain) is a refused TCP connection."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, ConnectionRefusedError) or "refused" in str(e).lower():
            return True
        e = e.__cause__ or e.__context__
    return False
