"""The one Transcriber interface, pluggable like the grading backends, and the factory that picks one.

A transcriber turns a WAV file into a `core.transcript.Transcript` (text, word timings, duration, language,
model). Two exist: `local` (faster-whisper on this machine; `voice.local`) and `openai` (an OpenAI-compatible
`/v1/audio/transcriptions` server; `voice.openai_stt`). Each is imported only when chosen, so importing this
module costs nothing and works without the `voice` extra.

Why async (like `backends.base.Backend`): the callers already drive grading from asyncio (Textual workers,
`asyncio.run` in the CLI); the OpenAI client is async, with timeouts and cancellation built in; and the local
engine is CPU-bound C++ that releases the GIL, so it runs in a thread *inside* the local transcriber
(`asyncio.to_thread`). A caller awaits either the same way and never blocks its loop; cancelling the await
stops the local engine at its next segment.

Progress (`loading` a model, `downloading` it on first use, `transcribing`, `uploading`) goes to an optional
hook that is always called on the caller's event loop thread, whichever thread the work is on: a Textual
screen can update a widget from it directly.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..core.transcript import Transcript

Stage = Literal["loading", "downloading", "transcribing", "uploading"]


@dataclass(frozen=True)
class Progress:
    stage: Stage
    fraction: float | None = None
    """0-1 when known (share of the audio transcribed, of the model downloaded); None when not."""
    message: str = ""


ProgressHook = Callable[[Progress], None]



class Transcriber(ABC):
    """One speech-to-text engine. Subclasses implement `transcribe`; the rest has harmless defaults."""

    name: str = "transcriber"

    def __init__(self, model: str) -> None:
        self.model = model

    @abstractmethod
    async def transcribe(self, audio: Path, *, progress: ProgressHook | None = None) -> Transcript:
        """Transcribe one audio file. Raises TranscriptionError (redacted, with a hint); never returns junk."""

    async def prepare(self, *, progress: ProgressHook | None = None) -> None:  # noqa: B027 - optional hook
        """Get ready without transcribing (load or fetch the model, build the client), so that the time from
        "stop" to transcript is only the transcription. The TUI calls it when recording starts."""

    def describe(self) -> dict[str, str]:
        """Effective settings for `doctor` and the settings screen (no secret values)."""
        return {"backend": self.name, "model": self.model}

    def secrets(self) -> list[str]:
        """Secret values held (to redact from anything shown or stored)."""
        return []

    @property
    def label(self) -> str:
        return f"{self.name}:{self.model}"

    async def aclose(self) -> None:  # noqa: B027 - optional hook with a harmless default
        """Release the model or the connections."""


def on_loop(hook: ProgressHook | None) -> ProgressHook | None:
    """Wrap a hook so that calling it from any thread runs it on the current event loop's thread."""
    if hook is None:
        return None
    loop = asyncio.get_running_loop()

    def call(p: Progress) -> None:
        try:
            loop.call_soon_threadsafe(hook, p)
        except RuntimeError:  # the loop closed (the caller went away): progress has no one to tell
            pass

    return call
