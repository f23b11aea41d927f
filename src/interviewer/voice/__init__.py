"""Answering out loud: recording a take, turning it into text, keeping it until it is.

A layer beside `backends/`: it imports `interviewer.core`, the backends' shared pieces (errors, the retry
layer, the OpenAI-compatible client and its key handling), `locations`/`fsutil`, the standard library and
its own optional dependencies (faster-whisper, sounddevice) - never Textual or Rich, and nothing heavy at
import time. The use case that strings these together for the TUI, the CLI and plain mode (record -> stop ->
transcribe -> delivery -> attempt) belongs to `app/`.

| module | owns |
| --- | --- |
| `settings.py` | `VoiceConfig`, the `[voice]` section |
| `errors.py` | typed errors, each with what to do next |
| `wav.py` | WAV headers (read, repair) and the input level |
| `recording.py` | the `Recording` interface (start / level / stop / discard) and the finished `Take` |
| `recorder.py` | finding a way to record; a take through a recorder program |
| `sd_recorder.py` | the same through the `sounddevice` library |
| `transcriber.py` | the `Transcriber` interface, progress, the factory |
| `local_model.py` | `voice.model` -> a checked model folder (cache, first-use download with progress) |
| `local.py` | faster-whisper on the CPU |
| `openai_stt.py` | an OpenAI-compatible `/v1/audio/transcriptions` server |
| `takes.py` | takes on disk, their transcripts and failures; transcribing again |
"""

from .errors import NoMicrophoneError, NoRecorderError, RecorderError, TranscriptionError, VoiceError
from .settings import VoiceConfig

__all__ = ["NoMicrophoneError", "NoRecorderError", "RecorderError", "TranscriptionError", "VoiceConfig", "VoiceError"]
