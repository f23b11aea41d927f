"""A real HTTP server on 127.0.0.1 that answers like the OpenAI chat-completions API and like Ollama's
/api/chat, /api/tags and /api/show, scripted per test (ARCHITECTURE.md habit 7: fakes speak the protocol).

The real clients (openai SDK, httpx, litellm) talk to it, so tests exercise real request building, real
HTTP errors, headers and timeouts. Usage:

    with FakeLLMServer() as srv:
        srv.script(Reply.error(429, headers={"Retry-After": "0"}), Reply.ok(grade_dict))
        cfg = GraderConfig(backend="openai", model="fake-model", base_url=srv.openai_url)
        ...
        assert len(srv.chat_requests) == 2

Chat requests (POST /v1/chat/completions, /chat/completions, /api/chat) consume the chat script in order;
when it is empty the `responder` (default: `auto_grade`, a valid grade built from the request itself) answers.
/api/tags lists `ollama_models`, /v1/models lists `models`; both can be scripted too (`script_for`).
A strict `response_format` json_schema is checked as OpenAI checks it (fakes.schemas.openai_strict_problems):
a schema OpenAI would refuse gets OpenAI's 400 and consumes no scripted reply (`strict_schemas=False` turns the
check off).
`on_request(recorded)` runs before each reply (e.g. to check the database at the moment the first byte
arrives). Every request is recorded with its headers and JSON body.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .protocol import Recorded, Reply
from .replies import auto_grade
from .schemas import openai_strict_problems


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: without this, ~40 ms a reply
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the default stderr log
        pass

    def _read(self) -> tuple[bytes, Any]:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        return raw, body

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        raw, body = self._read()
        rec = Recorded(method, self.path, {k.lower(): v for k, v in self.headers.items()}, body, raw, time.time())
        fake = self.server.fake
        with fake.lock:
            fake.requests.append(rec)
        if fake.on_request is not None:
            fake.on_request(rec)
        reply = fake.next_reply(rec)
        try:
            while reply.call is not None:
                reply = reply.call(rec)
        except Exception as e:  # a broken script must show up in the test, not as a dropped connection
            fake.errors.append(e)
            reply = Reply.error(500, f"fake server: responder failed: {type(e).__name__}: {e}")
        if reply.delay:
            fake.released.wait(reply.delay)
        if reply.disconnect:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status, payload, headers = fake.render(rec, reply)
        data = payload if isinstance(payload, bytes) else (
            payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
        try:
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (timeout) before we answered
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # the default backlog of 5 refuses connections from concurrent eval tests
    fake: FakeLLMServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-request (timed out, interrupted, killed) is normal here: no traceback."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class FakeLLMServer:
    def __init__(self, *, models: Iterable[str] = ("fake-model",), ollama_models: Iterable[str] = ("llama3.1:8b",),
                 responder: Callable[[Recorded], Reply] | None = auto_grade, strict_schemas: bool = True) -> None:
        self.models = list(models)
        self.strict_schemas = strict_schemas
        self.ollama_models = list(ollama_models)
        self.responder = responder
        self.requests: list[Recorded] = []
        self.errors: list[Exception] = []
        """Exceptions raised by dynamic replies / the responder (a test can assert there were none)."""
        self.on_request: Callable[[Recorded], None] | None = None
        self.lock = threading.Lock()
        self.released = threading.Event()
        self._scripts: dict[str, deque[Reply]] = {}
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------- lifecycle

    def start(self) -> FakeLLMServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-llm-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start the server first"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL, e.g. for Ollama (http://127.0.0.1:PORT)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_url(self) -> str:
        """OpenAI-compatible base URL (ends in /v1)."""
        return self.url + "/v1"

    # -------------------------------------------------------------- scripting

    def script(self, *replies: Reply) -> FakeLLMServer:
        """Queue replies for chat requests (OpenAI and Ollama alike), consumed in order."""
        return self.script_for("chat", *replies)

    def script_for(self, kind: str, *replies: Reply) -> FakeLLMServer:
        """Queue replies for one endpoint kind: chat, tags, models, show, root."""
        with self.lock:
            self._scripts.setdefault(kind, deque()).extend(replies)
        return self

    def pending(self, kind: str = "chat") -> int:
        with self.lock:
            return len(self._scripts.get(kind, ()))

    @property
    def chat_requests(self) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.kind == "chat"]

    def next_reply(self, rec: Recorded) -> Reply:
        kind = rec.kind
        refused = self.refuse_schema(rec) if kind == "chat" and self.strict_schemas else None
        if refused is not None:
            return refused
        with self.lock:
            q = self._scripts.get(kind)
            if q:
                return q.popleft()
        if kind == "chat":
            if self.responder is None:
                return Reply.error(500, "fake server: chat script exhausted")
            return Reply.dynamic(self.responder)
        if kind == "tags":
            return Reply(body={"models": [{"name": m, "model": m, "size": 1, "digest": "0" * 12,
                                           "details": {"family": "llama"}} for m in self.ollama_models]})
        if kind == "models":
            return Reply(body={"object": "list", "data": [{"id": m, "object": "model", "created": 0,
                                                           "owned_by": "fake"} for m in self.models]})
        if kind == "show":
            return Reply(body={"modelfile": "", "parameters": "", "template": "{{ .Prompt }}",
                               "details": {"family": "llama", "parameter_size": "8B"},
                               "model_info": {"llama.context_length": 131072}, "capabilities": ["completion"]})
        if kind == "root":
            return Reply(body="Ollama is running", headers={"Content-Type": "text/plain"})
        return Reply.error(404, f"fake server: no route for {rec.method} {rec.path}")

    @staticmethod
    def refuse_schema(rec: Recorded) -> Reply | None:
        """OpenAI's 400 for a strict json_schema it would not accept, or None."""
        rf = rec.body.get("response_format") if isinstance(rec.body, dict) else None
        if rec.protocol != "openai" or not isinstance(rf, dict) or rf.get("type") != "json_schema":
            return None
        js = rf.get("json_schema") or {}
        if not js.get("strict"):
            return None
        problems = openai_strict_problems(js.get("schema"), js.get("name", ""))
        return Reply(status=400, content=problems[0], body={"param": "response_format",
                                                            "type": "invalid_request_error"}) if problems else None

    # -------------------------------------------------------------- rendering

    def render(self, rec: Recorded, reply: Reply) -> tuple[int, Any, dict[str, str]]:
        headers = dict(reply.headers)
        auth = rec.headers.get("authorization", "") or rec.headers.get("x-api-key", "")
        if reply.body is not None and reply.status < 400:
            return reply.status, reply.body, headers
        if reply.status >= 400:
            message = str(reply.content or "")
            if reply.echo_key:
                message += f" (you sent: {auth})"
            if rec.protocol == "ollama":
                return reply.status, {"error": message}, headers
            err: dict[str, Any] = {"message": message, "type": "fake_error", "param": None, "code": None}
            if isinstance(reply.body, dict):
                err.update({k: v for k, v in reply.body.items() if v is not None})
            return reply.status, {"error": err}, headers
        content = reply.content
        if reply.refusal is not None:
            content = reply.refusal if rec.protocol == "ollama" else None
        if isinstance(content, (dict, list)):
            content = json.dumps(content)
        refused = reply.refusal is not None and content is None
        content = "" if content is None else str(content)
        if reply.echo_key:
            content += f" {auth}"
        req_model = rec.body.get("model") if isinstance(rec.body, dict) else None
        model = reply.model or req_model or "fake-model"
        p, c = reply.usage
        if rec.protocol == "ollama":
            return 200, {"model": model, "created_at": "2025-01-01T00:00:00Z",
                         "message": {"role": "assistant", "content": content}, "done": True,
                         "done_reason": reply.finish_reason, "total_duration": 1_000_000, "load_duration": 1000,
                         "prompt_eval_count": p, "eval_count": c}, headers
        usage: dict[str, Any] = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
        if reply.cost is not None:
            usage["cost"] = reply.cost
        return 200, {"id": f"chatcmpl-fake-{len(self.requests)}", "object": "chat.completion",
                     "created": int(time.time()), "model": model,
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": None if refused else content,
                                                          **({"refusal": reply.refusal} if refused else {})},
                                  "logprobs": None, "finish_reason": reply.finish_reason}],
                     "usage": usage}, headers


def refused_url() -> str:
    """A 127.0.0.1 URL where nothing listens (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"
