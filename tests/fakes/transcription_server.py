"""A real HTTP server on 127.0.0.1 that answers like OpenAI's `/v1/audio/transcriptions` (ARCHITECTURE.md
habit 7: fakes speak the protocol). The real openai SDK uploads to it: multipart/form-data with the audio
file and the form fields, and gets `json` or `verbose_json` back, or scripted errors, hangs and drops.

It is the fake LLM server with one more endpoint, so scripting works the same way:

    with FakeTranscriptionServer(text="Attention weighs every token.") as srv:
        srv.script_for("transcription", Reply.error(500), Reply.dynamic(srv.responder))
        t = OpenAITranscriber("whisper-1", base_url=srv.openai_url, ...)
        ...
        form = srv.forms[-1]                  # what was uploaded: fields and the file's bytes

The default reply (`transcribe_as`) reads the uploaded WAV's length and spreads the configured words evenly
over it, honouring response_format and timestamp_granularities[] as OpenAI does.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .llm_server import FakeLLMServer
from .protocol import Recorded, Reply

TRANSCRIPTION_PATHS = ("/v1/audio/transcriptions", "/audio/transcriptions")


@dataclass
class Form:
    """A parsed multipart/form-data body: text fields (repeatable) and files."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    """name -> (filename, content type, bytes)."""

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.fields.get(name)
        return values[-1] if values else default


def parse_form(rec: Recorded) -> Form:
    ctype = rec.headers.get("content-type", "")
    form = Form()
    if not ctype.startswith("multipart/form-data"):
        return form
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + rec.raw)
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            form.files[str(name)] = (filename, part.get_content_type(), payload)
        else:
            form.fields.setdefault(str(name), []).append(payload.decode("utf-8"))
    return form


def is_transcription(rec: Recorded) -> bool:
    return rec.method == "POST" and rec.path.split("?", 1)[0].rstrip("/") in TRANSCRIPTION_PATHS


def wav_seconds(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data)) as w:
            return w.getnframes() / float(w.getframerate())
    except (wave.Error, EOFError):
        return 0.0


def transcribe_as(text: str, *, language: str = "english") -> Callable[[Recorded], Reply]:
    """A responder that 'transcribes' any upload as `text`, words spread evenly over the audio."""

    def respond(rec: Recorded) -> Reply:
        form = parse_form(rec)
        if "file" not in form.files:
            return Reply.error(400, "Could not parse multipart form: no file")
        fmt = form.get("response_format", "json")
        grains = form.fields.get("timestamp_granularities[]", [])
        if fmt == "json":
            if grains and "word" in grains:
                return Reply.error(400, "timestamp_granularities requires response_format=verbose_json")
            return Reply(body={"text": text})
        if fmt != "verbose_json":
            return Reply.error(400, f"unsupported response_format {fmt}")
        duration = wav_seconds(form.files["file"][2])
        words = text.split()
        step = duration / max(1, len(words))
        body: dict[str, Any] = {"task": "transcribe", "language": language, "duration": round(duration, 3),
                                "text": text, "segments": []}
        if "word" in grains:
            body["words"] = [{"word": w.strip(".,"), "start": round(i * step, 3),
                              "end": round((i + 0.8) * step, 3)} for i, w in enumerate(words)]
        return Reply(body=body)

    return respond


class FakeTranscriptionServer(FakeLLMServer):
    """The fake LLM server plus `/v1/audio/transcriptions` (script kind "transcription")."""

    def __init__(self, *, text: str = "A transformer weighs every token against every other token.",
                 **kw: Any) -> None:
        super().__init__(**kw)
        self.text = text
        self.transcriber: Callable[[Recorded], Reply] = transcribe_as(text)

    @property
    def transcription_requests(self) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if is_transcription(r)]

    @property
    def forms(self) -> list[Form]:
        return [parse_form(r) for r in self.transcription_requests]

    def next_reply(self, rec: Recorded) -> Reply:
        if not is_transcription(rec):
            return super().next_reply(rec)
        with self.lock:
            q = self._scripts.get("transcription")
            if q:
                return q.popleft()
        return Reply.dynamic(self.transcriber)

    def render(self, rec: Recorded, reply: Reply) -> tuple[int, Any, dict[str, str]]:
        if is_transcription(rec) and reply.status < 400 and reply.body is None:
            return reply.status, reply.content if reply.content is not None else {"text": self.text}, dict(reply.headers)
        return super().render(rec, reply)
