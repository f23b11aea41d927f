"""Recording a take from the microphone: 16 kHz mono 16-bit WAV, through a recorder program or `sounddevice`.

This module owns finding a way to record, and one take's life: start, listen (elapsed time, input level),
stop (the WAV header finalised, or repaired) or discard. It records through the platform's recorder found on
PATH (`arecord`, `pw-record`, `parecord`, sox's `rec`), a command of the user's own (`record_command`, also
how the tests record without a sound card), or the `sounddevice` library when it is installed
(`voice.sd_recorder`). Why programs first: they need no compiled extra, and a recorder that dies takes
nothing of ours with it.

Nothing here blocks for long, and nothing needs an event loop, so a Textual worker can drive it:

    recorder = Recorder.from_config(cfg)            # cheap; NoRecorderError when there is no way to record
    rec = recorder.start(path)                      # spawns the recorder, returns at once
    rec.wait_ready(0.5)                             # blocks <= 0.5 s: NoMicrophoneError if it died at once
    ... every 100 ms: rec.elapsed(), rec.level()    # a ~3 KB read of the growing file; rec.check() for errors
    take = rec.stop()                               # blocks until the recorder exits (ms; <= timeout)
    rec.discard()                                   # or: stop and delete (Esc while recording)

Call `wait_ready` and `stop` in a thread worker (`@work(thread=True)` or `asyncio.to_thread`). The recorder
runs in the app's process group: if the terminal closes, it gets the hangup too, and every recorder that
can is told `max_seconds` so a stray one stops by itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import TYPE_INSTEAD, NoMicrophoneError, NoRecorderError, RecorderError, WavError
from .recording import CHANNELS, RATE, Recording, Take
from .settings import VoiceConfig
from .wav import QUIET, Level, WavInfo, parse_header, read_info, read_level

HEADER_BYTES = 44

# name -> argv template ({path}, {rate}, {channels}, {seconds} are filled in)
TOOLS: dict[str, tuple[str, ...]] = {
    "arecord": ("arecord", "-q", "-f", "S16_LE", "-r", "{rate}", "-c", "{channels}", "-t", "wav", "-d",
                "{seconds}", "{path}"),
    "pw-record": ("pw-record", "--rate", "{rate}", "--channels", "{channels}", "--format", "s16", "{path}"),
    "parecord": ("parecord", "--rate={rate}", "--channels={channels}", "--format=s16le", "--file-format=wav",
                 "{path}"),
    "rec": ("rec", "-q", "-r", "{rate}", "-c", "{channels}", "-b", "16", "-e", "signed-integer", "{path}",
            "trim", "0", "{seconds}"),
}
AUTO_ORDER = ("arecord", "pw-record", "parecord", "rec", "sounddevice")
_NO_DEVICE = re.compile(r"no soundcards|audio open error|no default audio device|no such (?:file|device)|"
                        r"cannot open|can't open|connection refused|connection failure|no (?:input )?device|"
                        r"permission denied|device or resource busy|host is down|invalid (?:input )?device",
                        re.I)
INSTALL_HINT = ("install a recorder (Debian/Ubuntu: apt install alsa-utils, or sox; macOS: brew install sox), "
                "or pip install sounddevice; or set voice.record_command")


@dataclass(frozen=True)
class RecorderSpec:
    """How to record: a named tool with its argv template, or sounddevice (argv None)."""

    name: str
    argv_template: tuple[str, ...] | None

    def argv(self, path: Path, *, rate: int = RATE, channels: int = CHANNELS, seconds: int = 600) -> list[str]:
        assert self.argv_template is not None
        values = {"{path}": str(path), "{rate}": str(rate), "{channels}": str(channels), "{seconds}": str(seconds)}
        out = []
        for part in self.argv_template:  # replace, not str.format: a user's command may hold other braces
            for key, value in values.items():
                part = part.replace(key, value)
            out.append(part)
        return out


def find_recorder(preference: str = "auto", command: str = "",
                  which: Callable[[str], str | None] = shutil.which) -> RecorderSpec:
    """The way to record, from config. Raises NoRecorderError saying what to install."""
    if command.strip():
        try:
            argv = tuple(shlex.split(command))
        except ValueError as e:
            raise NoRecorderError(f"voice.record_command cannot be parsed: {e}",
                                  hint="fix record_command in config.toml (quote paths with spaces)") from None
        if "{path}" not in " ".join(argv):
            raise NoRecorderError("voice.record_command has no {path} for the WAV file to write",
                                  hint='e.g. record_command = "arecord -f S16_LE -r {rate} -c 1 {path}"')
        if not (which(argv[0]) or (os.sep in argv[0] and os.access(argv[0], os.X_OK))):
            raise NoRecorderError(f"the recording command {argv[0]!r} was not found",
                                  hint="fix voice.record_command, or install that program")
        return RecorderSpec("command", argv)
    names = AUTO_ORDER if preference == "auto" else (preference,)
    for name in names:
        if name == "sounddevice":
            if _sounddevice_importable():
                return RecorderSpec("sounddevice", None)
        elif name in TOOLS and which(TOOLS[name][0]):
            return RecorderSpec(name, TOOLS[name])
    if preference != "auto":
        raise NoRecorderError(f"the recorder {preference!r} chosen in voice.recorder is not installed",
                              hint=f"install it, or set voice.recorder = \"auto\"; {TYPE_INSTEAD}")
    raise NoRecorderError("no audio recorder found (looked for arecord, pw-record, parecord, rec and the "
                          "sounddevice library)", hint=f"{INSTALL_HINT}; {TYPE_INSTEAD}")


def _sounddevice_importable() -> bool:
    import importlib.util

    return importlib.util.find_spec("sounddevice") is not None


class ProcessRecording(Recording):
    """A take recorded by a program that writes the WAV file until it is interrupted."""

    def __init__(self, spec: RecorderSpec, path: Path, *, rate: int = RATE, channels: int = CHANNELS,
                 max_seconds: int = 600) -> None:
        super().__init__(path, spec.name, max_seconds)
        self.argv = spec.argv(self.path, rate=rate, channels=channels, seconds=max_seconds)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stderr = tempfile.TemporaryFile()  # a file, not a pipe: a chatty recorder can never block on it
        self._info: WavInfo | None = None
        self._take: Take | None = None
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=self._stderr)
        except OSError as e:
            self._stderr.close()
            raise NoRecorderError(f"could not start the recorder {self.argv[0]!r}: {e.strerror or e}",
                                  hint=f"{INSTALL_HINT}; {TYPE_INSTEAD}") from None
        self._finalizer = weakref.finalize(self, _kill, self.proc)

    def _stderr_text(self) -> str:
        try:
            self._stderr.seek(0)
            text = self._stderr.read(4000).decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return " / ".join(lines[-3:])[:300]

    def _data_bytes(self) -> int:
        try:
            return max(0, self.path.stat().st_size - (self._info.data_offset if self._info else HEADER_BYTES))
        except OSError:
            return 0

    def _failure(self) -> RecorderError:
        said = self._stderr_text()
        code = self.proc.returncode
        what = f"{self.argv[0]} said: {said}" if said else f"{self.argv[0]} exited with code {code}"
        if not said or _NO_DEVICE.search(said):
            return NoMicrophoneError(
                f"no microphone found: {what}",
                hint="plug in or enable a microphone and check it is not muted or in use (arecord -l lists "
                     f"capture devices); or set voice.recorder / voice.record_command; {TYPE_INSTEAD}")
        return RecorderError(f"the recorder failed: {what}", hint=f"check voice.record_command; {TYPE_INSTEAD}")

    def check(self) -> None:
        code = self.proc.poll()
        if code is not None and code != 0 and not self.stopped:
            raise self._failure()

    def wait_ready(self, timeout: float = 0.5) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            self.check()
            if self.proc.poll() is not None or self._data_bytes() > 0:
                return
            time.sleep(0.02)

    def level(self) -> Level:
        if self._info is None:
            try:
                with open(self.path, "rb") as f:
                    head = f.read(4096)
                self._info = parse_header(head, len(head) + 1_000_000)  # sizes are placeholders while recording
            except (OSError, WavError):
                return QUIET
        return read_level(self.path, self._info)

    def stop(self, timeout: float = 3.0) -> Take:
        if not self.stopped:
            self.stopped = True
            failed = self.proc.poll() not in (None, 0)
            if self.proc.poll() is None:
                _interrupt(self.proc, timeout)
            self._finalizer.detach()
            warning = ""
            if failed:
                err = self._failure()
                if self._data_bytes() <= 0:
                    self._stderr.close()
                    self.path.unlink(missing_ok=True)
                    raise err
                warning = f"recording stopped early ({err.message}); what was recorded is kept"
            self._stderr.close()
            self._take = self._finish(warning)
        if self._take is None:
            raise RecorderError("this take was already stopped with nothing recorded", hint="record again")
        return self._take


def _interrupt(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGINT (recorders finalise the WAV header on it), then SIGTERM, then SIGKILL."""
    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 1.0)):
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
    _kill(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(2.0)


class Recorder:
    """Starts takes with one recording method. Build it with `from_config` (or a spec, in tests)."""

    def __init__(self, spec: RecorderSpec, *, rate: int = RATE, channels: int = CHANNELS,
                 max_seconds: int = 600) -> None:
        self.spec = spec
        self.rate = rate
        self.channels = channels
        self.max_seconds = max_seconds

    @classmethod
    def from_config(cls, cfg: VoiceConfig, which: Callable[[str], str | None] = shutil.which) -> Recorder:
        return cls(find_recorder(cfg.recorder, cfg.record_command, which), max_seconds=cfg.max_seconds)

    @property
    def name(self) -> str:
        return self.spec.name

    def start(self, path: Path) -> Recording:
        """Start recording into `path` (a new .wav file) and return at once."""
        if self.spec.argv_template is None:
            from .sd_recorder import SoundDeviceRecording

            return SoundDeviceRecording(path, rate=self.rate, channels=self.channels, max_seconds=self.max_seconds)
        return ProcessRecording(self.spec, path, rate=self.rate, channels=self.channels,
                                max_seconds=self.max_seconds)


def take_from_file(path: Path, recorder: str = "file") -> Take:
    """A WAV made elsewhere (`interviewer transcribe FILE.wav`). Read only: a user's file is never rewritten;
    placeholder sizes in its header are read past (the length is measured from the file)."""
    info = read_info(path)
    return Take(Path(path), round(info.duration, 3), info.rate, info.channels, recorder)
