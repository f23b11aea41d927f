"""Transcription through an OpenAI-compatible `/v1/audio/transcriptions` endpoint: OpenAI itself, or a local
server that speaks it (faster-whisper-server / speaches, LocalAI, whisper.cpp's server, vLLM).

This module owns one upload and its reply. Everything else is the grading backend's, reused rather than
copied: `OpenAIBackend` holds the base URL and the key (read from the environment variable named by
`voice.api_key_env`, default OPENAI_API_KEY; never written anywhere; a local server needs none), builds the
client with the SDK's own retries off, redacts secrets, and maps every failure to a `BackendError` with a
hint; `backends.retry` retries 429/5xx/timeouts/connection errors within `voice.deadline`.

The request asks for `verbose_json` with word timestamps at temperature 0. A server or model that refuses it
(OpenAI's gpt-4o-transcribe models accept only `json`) is asked again for plain `json`, and remembered: the
transcript then has no word timings (pace is still measured; pauses are not).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..backends.base import BackendError
from ..backends.openai_backend import OpenAIBackend, where
from ..backends.redact import one_line
from ..backends.retry import RetryPolicy, call_with_retries
from ..core.transcript import Transcript, Word
from .errors import TranscriptionError, WavError
from .settings import DEFAULT_MODELS, VoiceConfig
from .transcriber import Progress, ProgressHook, Transcriber
from .wav import read_info

OPENAI_MAX_BYTES = 25 * 1024 * 1024
_FORMAT_REFUSED = re.compile(r"response_format|verbose_json|timestamp_granularit", re.I)


class OpenAITranscriber(Transcriber):
    name = "openai"

    def __init__(self, model: str = DEFAULT_MODELS["openai"], *, base_url: str = "", api_key_env: str = "",
                 language: str = "en", timeout: float = 120.0, deadline: float = 300.0, max_retries: int = 2,
                 env: Mapping[str, str] | None = None, policy: RetryPolicy | None = None) -> None:
        super().__init__(model)
        self.http = OpenAIBackend(model, base_url, api_key_env, timeout, env)
        self.language = language
        self.timeout = timeout
        self.deadline = deadline
        self.policy = policy or RetryPolicy(max_retries=max_retries)
        self.mode = "verbose_json"

    @classmethod
    def from_config(cls, cfg: VoiceConfig, env: Mapping[str, str] | None = None) -> OpenAITranscriber:
        return cls(cfg.effective_model(), base_url=cfg.base_url, api_key_env=cfg.api_key_env,
                   language=cfg.language, timeout=cfg.timeout, deadline=cfg.deadline,
                   max_retries=cfg.max_retries, env=env)

    def secrets(self) -> list[str]:
        return self.http.secrets()

    def describe(self) -> dict[str, str]:
        d = self.http.describe()
        d["backend"] = self.name
        d["response"] = self.mode + (" (word timings)" if self.mode == "verbose_json" else " (no word timings)")
        return d

    async def prepare(self, *, progress: ProgressHook | None = None) -> None:
        try:
            await self.http.prepare()  # imports the SDK off the loop; a missing key is reported here
        except BackendError as e:
            raise _voice_error(e) from None

    async def transcribe(self, audio: Path, *, progress: ProgressHook | None = None) -> Transcript:
        audio = Path(audio)
        try:
            data = await asyncio.to_thread(audio.read_bytes)
        except OSError as e:
            raise TranscriptionError(f"cannot read the audio file {audio}: {e.strerror or e}", kind="audio",
                                     hint="record again, or check the path") from None
        if self.http.official and len(data) > OPENAI_MAX_BYTES:
            raise TranscriptionError(f"the take is {len(data) / 1e6:.0f} MB; OpenAI accepts at most 25 MB "
                                     "(about 13 minutes of 16 kHz audio)", kind="bad_request",
                                     hint="record shorter takes, or set voice.backend = \"local\"")
        await self.prepare()
        if progress:
            progress(Progress("uploading", None, f"sending {len(data) / 1e6:.1f} MB to {where(self.http.base_url)}"))
        deadline_at = self.policy.clock() + self.deadline
        try:
            reply = await call_with_retries(lambda per_call: self._once(audio.name, data, per_call),
                                            policy=self.policy, deadline_at=deadline_at, timeout=self.timeout)
        except TranscriptionError:
            raise
        except BackendError as e:  # the retry layer's own deadline error
            raise _voice_error(e) from None
        return self._transcript(reply, audio)

    async def _once(self, filename: str, data: bytes, timeout: float) -> Any:
        import openai

        kw: dict[str, Any] = {"model": self.model, "file": (filename, data, "audio/wav"), "temperature": 0.0,
                              "timeout": timeout}
        if self.language:
            kw["language"] = self.language
        if self.mode == "verbose_json":
            kw.update(response_format="verbose_json", timestamp_granularities=["word"])
        else:
            kw["response_format"] = "json"
        try:
            return await self.http.client().audio.transcriptions.create(**kw)
        except openai.APIStatusError as e:
            detail = str(e.message)
            if e.status_code in (400, 422) and self.mode == "verbose_json" and _FORMAT_REFUSED.search(detail):
                self.mode = "json"  # this model/server gives no word timings: ask for text only from now on
                return await self._once(filename, data, timeout)
            raise _voice_error(self.http.error_from(e)) from None  # the grading backend's error mapping, reused
        except openai.OpenAIError as e:
            raise _voice_error(self.http.error_from(e)) from None
        except BackendError as e:
            raise _voice_error(e) from None
        except ValueError as e:  # a 200 whose body is not JSON (a broken proxy)
            raise TranscriptionError(f"{where(self.http.base_url)} answered with a body that is not JSON "
                                     f"({one_line(self.http.redactor(str(e)), 80)})", kind="reply",
                                     hint="check that voice.base_url points at an OpenAI-compatible API") from None

    def _transcript(self, reply: Any, audio: Path) -> Transcript:
        body = _as_dict(reply)
        text = str(body.get("text") or "").strip()
        words = _words(body) if self.mode == "verbose_json" else []
        try:
            duration = read_info(audio).duration
        except WavError:
            duration = float(body.get("duration") or (words[-1].end if words else 0.0))
        timed = self.mode == "verbose_json" and (bool(words) or not text)
        return Transcript(text=text, words=words, duration=round(duration, 3), language=str(body.get("language") or ""),
                          model=self.model, backend=self.name, word_timings=timed)


def _as_dict(reply: Any) -> dict[str, Any]:
    if isinstance(reply, str):  # some servers answer text even when JSON was asked for
        return {"text": reply}
    if isinstance(reply, Mapping):
        return dict(reply)
    dump = getattr(reply, "model_dump", None)
    return dump() if callable(dump) else {"text": str(getattr(reply, "text", "") or "")}


def _words(body: Mapping[str, Any]) -> list[Word]:
    """Words from `words`, or from each segment's `words` (servers that nest them)."""
    raw = body.get("words") or [w for seg in body.get("segments") or [] for w in (seg.get("words") or [])]
    out: list[Word] = []
    for w in raw:
        try:
            text = str(w.get("word") or w.get("text") or "").strip()
            start, end = float(w["start"]), float(w["end"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if text and start >= 0:
            prob = w.get("probability")
            out.append(Word(text=text, start=round(start, 3), end=round(max(start, end), 3),
                            probability=float(prob) if isinstance(prob, (int, float)) and 0 <= prob <= 1 else None))
    return out


_WORDING = (("grader.", "voice."), ("grade again", "transcribe again"),
            ("the answer is saved as ungraded", "the take is kept"), ("the answer is saved", "the take is kept"),
            ("refused to grade", "refused to transcribe"), ("grading deadline", "transcription deadline"))


def _voice_error(e: BackendError) -> TranscriptionError:
    """The grading backend's error, worded for the voice settings (voice.*, not grader.*)."""
    if isinstance(e, TranscriptionError):
        return e

    def fix(text: str) -> str:
        for old, new in _WORDING:
            text = text.replace(old, new)
        return text

    hint = fix(e.hint)
    if e.retryable and "take is kept" not in hint:
        hint += "; the take is kept"
    return TranscriptionError(fix(e.message), kind=e.kind, hint=hint, status=e.status, retry_after=e.retry_after)
