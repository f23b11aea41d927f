"""One take in progress, whatever records it: the `Recording` interface and the finished `Take`.

The recorder programs (`voice.recorder`) and the sounddevice library (`voice.sd_recorder`) both implement
`Recording`; what a finished take is, and how one is closed (the WAV header repaired, an empty take
refused), is defined once here, so neither recorder module needs the other.
"""

from __future__ import annotations

import contextlib
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from .errors import TYPE_INSTEAD, RecorderError, WavError
from .wav import Level, fix_header

RATE = 16000
CHANNELS = 1


@dataclass(frozen=True)
class Take:
    """A finished recording on disk."""

    path: Path
    duration: float
    rate: int
    channels: int
    recorder: str
    warning: str = ""
    """Set when the recorder stopped on its own with an error: what was recorded until then is kept."""


class Recording(ABC):
    """One take in progress. `level`, `elapsed` and `check` are cheap; `wait_ready` and `stop` may block."""

    def __init__(self, path: Path, recorder: str, max_seconds: int) -> None:
        self.path = Path(path)
        self.recorder = recorder
        self.max_seconds = max_seconds
        self.started = time.monotonic()
        self.stopped = False

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def over_limit(self) -> bool:
        return self.elapsed() >= self.max_seconds

    @abstractmethod
    def level(self) -> Level:
        """Input level of the last ~100 ms."""

    @abstractmethod
    def check(self) -> None:
        """Raise RecorderError if the recorder has failed (NoMicrophoneError when it found no device)."""

    @abstractmethod
    def wait_ready(self, timeout: float = 0.5) -> None:
        """Block until audio arrives, the recorder fails (raises) or `timeout` passes (still running: fine)."""

    @abstractmethod
    def stop(self, timeout: float = 3.0) -> Take:
        """End the take cleanly and return it. Raises RecorderError when nothing at all was recorded."""

    def discard(self) -> None:
        """End the take and delete its file (Esc while recording)."""
        with contextlib.suppress(RecorderError, WavError):
            self.stop(timeout=1.0)
        self.path.unlink(missing_ok=True)

    def _finish(self, warning: str = "") -> Take:
        try:
            info = fix_header(self.path)
        except WavError as e:
            self.path.unlink(missing_ok=True)
            raise RecorderError(f"nothing was recorded ({e.message})", hint=f"record again; {TYPE_INSTEAD}") from None
        if info.frames == 0:
            self.path.unlink(missing_ok=True)
            raise RecorderError("nothing was recorded (the take is empty)", hint=f"record again; {TYPE_INSTEAD}")
        return Take(self.path, round(info.duration, 3), info.rate, info.channels, self.recorder, warning)
