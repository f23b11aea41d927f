"""What a spoken answer became: its text and the time of every word.

This module owns the *shape* of a transcript, whichever engine made it (faster-whisper on this machine, or an
OpenAI-compatible `/v1/audio/transcriptions` server). It lives in core because three layers share it: the
voice layer makes it, the store will keep it with the attempt, and `core.delivery` measures pace and pauses
from its word timings. Pure pydantic, frozen like `core.models`: a transcript is a value.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .models import Strict

Seconds = Annotated[float, Field(ge=0)]


class Word(Strict):
    """One spoken word and when it was said, in seconds from the start of the take."""

    text: Annotated[str, Field(min_length=1)]
    """The word as transcribed, stripped, punctuation kept ("Um," "token.")."""
    start: Seconds
    end: Seconds
    probability: Annotated[float, Field(ge=0, le=1)] | None = None
    """The engine's confidence in the word (faster-whisper gives it; the OpenAI API does not)."""

    @model_validator(mode="after")
    def _ordered(self) -> Word:
        if self.end < self.start:
            raise ValueError(f"word {self.text!r} ends ({self.end}) before it starts ({self.start})")
        return self


class Transcript(Strict):
    """One take, transcribed."""

    text: str
    """The transcript as one string (what lands in the answer editor)."""
    words: list[Word] = Field(default_factory=list)
    """Every word with its timing, in order; empty when the engine gave no word timings."""
    duration: Seconds
    """Length of the audio in seconds (the whole take, silences included)."""
    language: str = ""
    """What the engine reported ("en" from faster-whisper, "english" from OpenAI)."""
    model: str = ""
    """The model that made it, e.g. "tiny.en", a folder name, or "whisper-1"."""
    backend: str = ""
    """"local" or "openai"."""
    word_timings: bool = True
    """False when the engine returned text only (then pace is measurable, pauses are not)."""


Span = tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)]]
"""A stretch of silence found in the audio, (start, end) in seconds from the start of its take."""


class SpokenTake(Strict):
    """One recorded take of an answer, as it is kept with the attempt: what was heard, where the audio is,
    and where the audio was silent (which is what the pauses are measured from, see core.delivery)."""

    transcript: Transcript
    audio: str = ""
    """The WAV file, as an absolute path: a recorded take's is in the data folder's audio/, a file named to
    `grade --audio-file` or `/voice` stays where it is. "" when it was not kept (voice.keep_audio = false)."""
    silences: list[Span] | None = None
    """Silences measured in the audio; None when the audio could not be read (pauses then come from the
    gaps between word timings)."""
    recorder: str = ""
    """What recorded it: arecord, sounddevice, a record_command, or "file"."""
