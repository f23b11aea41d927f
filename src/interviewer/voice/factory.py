"""Building the transcriber the `[voice]` config names: one place that knows every speech-to-text backend.

Apart from `voice.transcriber` (the Transcriber base class the backends import), so that no module imports a
module that imports it back.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import TranscriptionError
from .settings import VoiceConfig
from .transcriber import Transcriber

TRANSCRIBERS = ("local", "openai")
"""The speech-to-text backends, as `[voice] backend` names them."""


def make_transcriber(cfg: VoiceConfig, env: Mapping[str, str] | None = None) -> Transcriber:
    """A transcriber for the `[voice]` config; its module is imported only now."""
    if cfg.backend not in TRANSCRIBERS:
        raise TranscriptionError(f"unknown voice backend {cfg.backend!r} (known: {', '.join(TRANSCRIBERS)})",
                                 kind="config", hint="set voice.backend to local or openai")
    # Imported here, not at the top: only the configured backend's module is loaded (the local one brings
    # faster-whisper's wrapper with it), and plain typing never pays for either.
    if cfg.backend == "local":
        from .local import LocalTranscriber

        return LocalTranscriber.from_config(cfg, env=env)
    from .openai_stt import OpenAITranscriber

    return OpenAITranscriber.from_config(cfg, env=env)
