"""A stand-in for the `sounddevice` module (PortAudio needs a sound card this machine does not have): the
same names and calling convention - `query_devices(kind="input")`, `RawInputStream(samplerate, channels,
dtype, callback)` calling back from its own thread with (buffer, frames, time, status), `PortAudioError`."""

from __future__ import annotations

import threading
import time
import types


class PortAudioError(Exception):
    pass


def make(blocks: list[bytes], *, device: bool = True, fail_start: bool = False, pace: float = 0.005) -> types.ModuleType:
    mod = types.ModuleType("sounddevice")
    mod.PortAudioError = PortAudioError
    mod.fed = threading.Event()
    mod.streams = []

    def query_devices(kind=None):  # noqa: ANN001, ANN202
        if not device:
            raise PortAudioError("Error querying device -1")
        return {"name": "fake mic", "max_input_channels": 1, "default_samplerate": 16000.0}

    class RawInputStream:
        def __init__(self, samplerate, channels, dtype, callback):  # noqa: ANN001
            assert (samplerate, channels, dtype) == (16000, 1, "int16")
            self.callback = callback
            self.running = False
            mod.streams.append(self)

        def start(self) -> None:
            if fail_start:
                raise PortAudioError("Error opening InputStream: Invalid number of channels [PaErrorCode -9998]")
            self.running = True
            self.thread = threading.Thread(target=self._feed, daemon=True)
            self.thread.start()

        def _feed(self) -> None:
            for b in blocks:
                if not self.running:
                    return
                self.callback(memoryview(b), len(b) // 2, None, None)
                time.sleep(pace)
            mod.fed.set()

        def stop(self) -> None:
            self.running = False
            self.thread.join(2)

        def close(self) -> None:
            self.closed = True

    mod.query_devices = query_devices
    mod.RawInputStream = RawInputStream
    return mod
