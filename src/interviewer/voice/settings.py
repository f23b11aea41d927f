"""Voice settings: the `[voice]` section of config.toml, with a docstring per field.

Kept here while the package is being restructured; phase 2 moves `VoiceConfig` into `interviewer.config`
(as `Config.voice`, with INTERVIEWER_VOICE_* environment variables) and this module re-exports it.
Like the grader's, the key is never stored: `api_key_env` names the environment variable that holds it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

VoiceBackendName = Literal["local", "openai"]
RecorderName = Literal["auto", "arecord", "pw-record", "parecord", "rec", "sounddevice"]
DEFAULT_MODELS: dict[str, str] = {"local": "base.en", "openai": "whisper-1"}


class VoiceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: VoiceBackendName = "local"
    """Speech to text: local (faster-whisper on this machine, the `voice` extra) or openai (any server
    speaking OpenAI's /v1/audio/transcriptions)."""
    model: str = ""
    """local: a model name (tiny.en, base.en, small.en, ...; downloaded once, the library's usual way) or a
    folder with model.bin, config.json and tokenizer.json. openai: e.g. whisper-1. Empty = the default."""
    language: str = "en"
    """Language spoken; English-only models (*.en) need "en"."""
    base_url: str = ""
    """openai: the server's base URL (ends in /v1); empty = OPENAI_BASE_URL or api.openai.com."""
    api_key_env: str = ""
    """openai: the NAME of the environment variable holding the key (default OPENAI_API_KEY). Never the key."""
    timeout: Annotated[float, Field(gt=0, le=1800)] = 120.0
    """openai: seconds for one upload and transcription."""
    deadline: Annotated[float, Field(gt=0, le=3600)] = 300.0
    """openai: seconds for one take, retries included."""
    max_retries: Annotated[int, Field(ge=0, le=10)] = 2
    """openai: retries on 429, 5xx, timeouts and connection errors."""
    beam_size: Annotated[int, Field(ge=1, le=10)] = 5
    """local: beam search width. 5 at temperature 0 is deterministic; 1 is faster but not (it falls back to
    sampling on hard audio) and drops more fillers."""
    cpu_threads: Annotated[int, Field(ge=0, le=64)] = 0
    """local: threads for the model; 0 = all cores but one, so the interface stays responsive."""
    vad_filter: bool = True
    """local: skip stretches with no speech before decoding (word timings are mapped back). Off, Whisper
    invents words in room noise ("Thank you for watching...") and can lose the speech after it."""
    recorder: RecorderName = "auto"
    """How to record: auto picks the first of arecord, pw-record, parecord, rec (sox), sounddevice."""
    record_command: str = ""
    """A recording command of your own, run until stopped; {path} is the WAV to write, {rate} and
    {channels} the format (16000, 1). Overrides `recorder`."""
    max_seconds: Annotated[int, Field(ge=10, le=3600)] = 600
    """Longest take; recorders that can stop themselves are told so (no runaway recording)."""
    keep_audio: bool = True
    """Keep each take's WAV in the data folder after it is transcribed (it is always kept until then)."""
    long_pause: Annotated[float, Field(gt=0, le=30)] = 1.0
    """Seconds of silence between two words that count as a long pause in the delivery figures."""

    def effective_model(self) -> str:
        return self.model or DEFAULT_MODELS[self.backend]
