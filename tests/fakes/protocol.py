"""The recorded request and the scripted reply: what the fake server saw, and what it must answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CHAT_PATHS = ("/v1/chat/completions", "/chat/completions", "/api/chat")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes
    at: float

    @property
    def kind(self) -> str:
        return endpoint_kind(self.method, self.path)

    @property
    def protocol(self) -> str:
        return "ollama" if self.path.startswith("/api/") else "openai"

    @property
    def messages(self) -> list[dict[str, Any]]:
        return (self.body or {}).get("messages", []) if isinstance(self.body, dict) else []

    @property
    def text(self) -> str:
        """All message contents joined (to search for the nonce, the answer...)."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)

    @property
    def schema(self) -> dict | None:
        """The JSON schema sent: OpenAI response_format json_schema, or Ollama `format`."""
        b = self.body if isinstance(self.body, dict) else {}
        rf = b.get("response_format")
        if isinstance(rf, dict) and rf.get("type") == "json_schema":
            return rf.get("json_schema", {}).get("schema")
        fmt = b.get("format")
        return fmt if isinstance(fmt, dict) else None


def endpoint_kind(method: str, path: str) -> str:
    p = path.split("?", 1)[0].rstrip("/")
    if method == "POST" and p in CHAT_PATHS:
        return "chat"
    if p == "/api/tags":
        return "tags"
    if p == "/api/show":
        return "show"
    if p in ("/v1/models", "/models"):
        return "models"
    if p in ("", "/", "/api/version"):
        return "root"
    return "other"


@dataclass
class Reply:
    """One scripted reply. For chat endpoints `content` is the model's text (a dict is JSON-encoded)."""

    status: int = 200
    content: Any = None
    finish_reason: str = "stop"
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    """A raw body (bytes/str/dict) sent as is instead of a chat completion."""
    delay: float = 0.0
    """Seconds to wait before replying (a hang when longer than the client's timeout)."""
    disconnect: bool = False
    """Close the connection without any reply."""
    echo_key: bool = False
    """Put the request's Authorization header into the reply (a server that echoes the key back)."""
    usage: tuple[int, int] = (812, 345)
    cost: float | None = None
    model: str | None = None
    call: Callable[[Recorded], Reply] | None = None
    """Build the reply from the request (dynamic scripts)."""
    refusal: str | None = None
    """A refusal: OpenAI's `message.refusal` with null content; over Ollama, the refusal text as the content."""

    @classmethod
    def ok(cls, content: Any, **kw: Any) -> Reply:
        return cls(content=content, **kw)

    @classmethod
    def error(cls, status: int, message: str = "", *, headers: dict[str, str] | None = None,
              code: str | None = None, **kw: Any) -> Reply:
        return cls(status=status, content=message or f"fake error {status}", headers=headers or {},
                   body={"code": code} if code else None, **kw)

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Reply:
        return cls(delay=seconds, content="{}")

    @classmethod
    def drop(cls) -> Reply:
        return cls(disconnect=True)

    @classmethod
    def echo(cls, status: int = 401) -> Reply:
        return cls(status=status, echo_key=True, content="invalid key")

    @classmethod
    def dynamic(cls, fn: Callable[[Recorded], Reply]) -> Reply:
        return cls(call=fn)

    @classmethod
    def refuse(cls, text: str = "I'm sorry, but I can't help with grading this.") -> Reply:
        return cls(refusal=text)

    @classmethod
    def empty_body(cls, status: int = 200) -> Reply:
        """A response with no body at all (Content-Length: 0)."""
        return cls(status=status, body=b"")
