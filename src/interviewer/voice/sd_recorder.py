"""Recording through the `sounddevice` library (PortAudio), for machines with no recorder program.

This module owns one in-process take: PortAudio calls back with 16-bit blocks on its own thread; the blocks
go through a queue to a writer thread that appends them to the WAV file (`wave` keeps the header right after
every write, so even a crash leaves a readable file), and the last block gives the input level.
`sounddevice` is imported only here, only when chosen, and its two failure modes get their own messages:
the PortAudio library missing (`OSError` at import) and no input device (`PortAudioError`).
"""

from __future__ import annotations

import contextlib
import importlib
import queue
import threading
import wave
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import TYPE_INSTEAD, NoMicrophoneError, NoRecorderError, RecorderError
from .recording import CHANNELS, RATE, Recording, Take
from .wav import QUIET, Level, level_of

PORTAUDIO_HINT = ("install the PortAudio library (Debian/Ubuntu: apt install libportaudio2; macOS: brew install "
                  f"portaudio), or a recorder program (alsa-utils, sox); {TYPE_INSTEAD}")


def load_sounddevice() -> ModuleType:
    try:
        return importlib.import_module("sounddevice")
    except ImportError:
        raise NoRecorderError("the sounddevice library is not installed",
                              hint=f"pip install sounddevice, or install alsa-utils or sox; {TYPE_INSTEAD}") from None
    except OSError as e:  # "PortAudio library not found"
        raise NoRecorderError(f"sounddevice cannot load PortAudio ({e})", hint=PORTAUDIO_HINT) from None


class SoundDeviceRecording(Recording):
    def __init__(self, path: Path, *, rate: int = RATE, channels: int = CHANNELS, max_seconds: int = 600,
                 module: ModuleType | None = None) -> None:
        super().__init__(path, "sounddevice", max_seconds)
        sd = module or load_sounddevice()
        self._error_type: type[BaseException] = getattr(sd, "PortAudioError", OSError)
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._last = b""
        self._frames = 0
        self._failed: str = ""
        self._take: Take | None = None
        try:
            sd.query_devices(kind="input")  # raises when there is no default input device
        except self._error_type as e:
            raise _no_microphone(e) from None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._wave = wave.open(str(self.path), "wb")  # noqa: SIM115 - closed in stop()
        self._wave.setnchannels(channels)
        self._wave.setsampwidth(2)
        self._wave.setframerate(rate)
        self._limit = rate * max_seconds
        self._writer = threading.Thread(target=self._write, name="voice-writer", daemon=True)
        self._writer.start()
        try:
            self._stream = sd.RawInputStream(samplerate=rate, channels=channels, dtype="int16",
                                             callback=self._callback)
            self._stream.start()
        except self._error_type as e:
            self._close_writer()
            self.path.unlink(missing_ok=True)
            raise _no_microphone(e) from None

    def _callback(self, indata: Any, frames: int, time: Any, status: Any) -> None:  # PortAudio's thread
        if status and "input overflow" not in str(status).lower():
            self._failed = str(status)
        if self._frames >= self._limit:
            return
        block = bytes(indata)
        self._frames += frames
        self._last = block
        self._queue.put(block)

    def _write(self) -> None:
        while (block := self._queue.get()) is not None:
            try:
                self._wave.writeframes(block)
            except OSError as e:  # disk full: keep what was written, say so at stop
                self._failed = f"cannot write the take: {e.strerror or e}"

    def _close_writer(self) -> None:
        self._queue.put(None)
        self._writer.join(5.0)
        with contextlib.suppress(OSError):
            self._wave.close()

    def level(self) -> Level:
        return level_of(self._last) if self._last else QUIET

    def check(self) -> None:
        if self._failed and not self.stopped:
            raise RecorderError(f"recording failed: {self._failed}", hint=TYPE_INSTEAD)

    def wait_ready(self, timeout: float = 0.5) -> None:
        import time as _time

        until = _time.monotonic() + timeout
        while _time.monotonic() < until and not self._last:
            self.check()
            _time.sleep(0.02)

    def stop(self, timeout: float = 3.0) -> Take:
        if not self.stopped:
            self.stopped = True
            with contextlib.suppress(Exception):  # a stream that already failed may refuse to stop
                self._stream.stop()
                self._stream.close()
            self._close_writer()
            self._take = self._finish(f"recording trouble: {self._failed}" if self._failed else "")
        if self._take is None:
            raise RecorderError("this take was already stopped with nothing recorded", hint="record again")
        return self._take


def _no_microphone(e: BaseException) -> NoMicrophoneError:
    return NoMicrophoneError(f"no microphone found: PortAudio said: {e}",
                             hint="plug in or enable a microphone and check it is not muted or in use; or set "
                                  f"voice.recorder to a recorder program; {TYPE_INSTEAD}")
