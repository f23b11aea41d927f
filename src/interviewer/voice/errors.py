"""The voice layer's errors: each says what went wrong and what to do next, and typing always still works.

Recording errors (`RecorderError` and its kinds) are raised by the recorders; transcription errors reuse the
grading backends' `BackendError` (its `kind` decides retrying in `backends.retry`), with a few kinds of their
own: the optional extra is not installed, the model is missing, the audio cannot be read, the user cancelled.
"""

from __future__ import annotations

from ..backends.base import BackendError
from ..core.errors import InterviewerError

TYPE_INSTEAD = "you can still type your answer"
INSTALL_VOICE = "pip install 'interviewer[voice]'"


class VoiceError(InterviewerError):
    """Base of every error raised by the voice layer."""


class RecorderError(VoiceError):
    """A recording could not be started, or stopped on its own with an error."""


class NoRecorderError(RecorderError):
    """No way to record: no recorder program on PATH, no usable `sounddevice`, or a bad record_command."""


class NoMicrophoneError(RecorderError):
    """A recorder is there but found no input device (no sound card, nothing plugged in, access denied)."""


class WavError(VoiceError):
    """A file that is not (or not yet) a PCM WAV file we can read."""


class TranscriptionError(BackendError):
    """A take could not be transcribed. The audio stays on disk (see `voice.takes`) and can be tried again.

    Kinds beyond `BackendError`'s: "extra_missing" (faster-whisper not installed), "model_missing" (the model
    is neither a complete folder nor downloadable now), "audio" (the file cannot be decoded), "cancelled".
    """
