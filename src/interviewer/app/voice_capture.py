"""Answering out loud, the use case the app, plain mode and the CLI share: record a take, stop, transcribe it,
find its silences, measure the delivery, keep it all with the attempt.

One `VoiceCapture` per app (`Services.voice`), so the local model is loaded once and reused. The front end
drives it; the rules live here:

- a take is recorded into the data folder's audio/ (`voice.takes.TakeStore`) and stays there until it is
  transcribed and stored with its attempt; a take that could not be transcribed keeps its audio and a
  failure record, is listed by `pending()`, and `retry()` transcribes it again;
- silences are measured in the audio *before* transcription (with `keep_audio = false` the WAV is deleted
  once the transcript is safe), and the delivery is measured from them (core.delivery);
- a user's own file (`interviewer transcribe FILE`, `grade --audio-file`, plain mode's `/voice FILE`) is only
  read: nothing is written beside it, it is never deleted;
- `status()` is cheap and says, when voice cannot work here, exactly what to install or set: typing always
  works, so a missing extra or recorder is a message, never an error.

No Textual, no printing; blocking work (stopping a recorder, reading audio) runs in threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import VoiceConfig
from ..core.delivery import Delivery, measure_takes
from ..core.errors import InterviewerError
from ..core.transcript import SpokenTake, Transcript
from ..locations import Locations
from ..voice.errors import INSTALL_VOICE, RecorderError, TranscriptionError, WavError
from ..voice.factory import make_transcriber
from ..voice.recording import Recording
from ..voice.takes import StoredTake, TakeStore, transcribe_take
from ..voice.transcriber import ProgressHook, Transcriber

if TYPE_CHECKING:
    from ..store.repo import Store
    from ..voice.recorder import Recorder

Which = Callable[[str], str | None]


@dataclass(frozen=True)
class VoiceStatus:
    """Whether answering out loud can work here, and if not, what to do."""

    ready: bool
    recorder: str = ""
    """How takes are recorded (arecord, sounddevice, command, ...); "" when there is no way."""
    transcriber: str = ""
    """e.g. "local:base.en" or "openai:whisper-1"."""
    problem: str = ""
    hint: str = ""

    @property
    def message(self) -> str:
        return f"{self.problem}: {self.hint}" if self.problem else f"voice ready ({self.recorder}, {self.transcriber})"


class VoiceCapture:
    def __init__(self, config: VoiceConfig, locations: Locations, *, transcriber: Transcriber | None = None,
                 which: Which = shutil.which) -> None:
        self.config = config
        self.takes = TakeStore(locations.audio_dir)
        self._transcriber = transcriber
        self._which = which

    # ------------------------------------------------------------------ can it work here?

    def status(self) -> VoiceStatus:
        """Cheap (no model, no import of the engine, no network): the recorder, the extra, the key."""
        cfg = self.config
        label = f"{cfg.backend}:{cfg.effective_model()}"
        try:
            recorder = self._recorder().name
        except RecorderError as e:
            return VoiceStatus(False, "", label, e.message, e.hint)
        if cfg.backend == "local" and self._transcriber is None and importlib.util.find_spec("faster_whisper") is None:
            return VoiceStatus(False, recorder, label, "voice needs the optional extra (faster-whisper)",
                               f"install it with `make voice` or {INSTALL_VOICE}, then restart; or set "
                               "voice.backend = \"openai\"; you can still type your answer")
        if cfg.backend == "openai" and self._transcriber is None:
            t = self.transcriber
            key = t.describe().get("key variable", "")
            if key.endswith("(not set)"):
                var = key.split(" ")[0]
                return VoiceStatus(False, recorder, label, f"voice.backend is openai but {var} is not set",
                                   f"export {var}=<your key> (or set voice.api_key_env), or set voice.backend = "
                                   "\"local\"; you can still type your answer")
        return VoiceStatus(True, recorder, label)

    def _recorder(self) -> Recorder:
        from ..voice.recorder import Recorder

        return Recorder.from_config(self.config, self._which)

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            self._transcriber = make_transcriber(self.config)
        return self._transcriber

    # ------------------------------------------------------------------ one take

    def start(self) -> Recording:
        """Start recording a new take (returns at once). Raises RecorderError saying what to do."""
        return self._recorder().start(self.takes.new_path())

    async def prepare(self, progress: ProgressHook | None = None) -> None:
        """Load (or, on first use, download) the model while the person speaks."""
        await self.transcriber.prepare(progress=progress)

    async def finish(self, rec: Recording, progress: ProgressHook | None = None) -> SpokenTake:
        """Stop the take and transcribe it. On a TranscriptionError the take is kept (see `pending`)."""
        take = await asyncio.to_thread(rec.stop)
        return await self._transcribe_kept(take.path, rec.recorder, progress)

    async def discard(self, rec: Recording) -> None:
        """Esc while recording: stop and delete the take."""
        await asyncio.to_thread(rec.discard)

    async def retry(self, wav: Path, progress: ProgressHook | None = None, recorder: str = "") -> SpokenTake:
        """Transcribe a kept take again (one that failed, or was left by a crash)."""
        return await self._transcribe_kept(Path(wav), recorder, progress)

    def pending(self) -> list[StoredTake]:
        """Takes whose audio has no transcript yet (failed, or never tried)."""
        return self.takes.pending()

    async def _transcribe_kept(self, wav: Path, recorder: str, progress: ProgressHook | None) -> SpokenTake:
        silences = await _silences(wav)  # before transcription: with keep_audio off the WAV goes after it
        transcript = await transcribe_take(self.takes, wav, self.transcriber, progress=progress,
                                           keep_audio=self.config.keep_audio)
        # the path even when the audio is gone (keep_audio off): `keep` finds the sidecar by it, and stores ""
        return SpokenTake(transcript=transcript, audio=str(wav.resolve()), silences=silences, recorder=recorder)

    # ------------------------------------------------------------------ a file of the user's

    async def transcribe_file(self, path: Path, progress: ProgressHook | None = None) -> SpokenTake:
        """Transcribe a WAV the user names. Read only. Raises InterviewerError (missing, not a WAV, failed)."""
        from ..voice.recorder import take_from_file

        path = Path(path).expanduser()
        if not path.is_file():
            raise InterviewerError(f"{path}: no such file", hint="check the path of the audio file")
        try:
            await asyncio.to_thread(take_from_file, path)
        except WavError as e:
            detail = e.message.split(": ", 1)[-1].replace(" yet", "")
            raise InterviewerError(f"{path}: {detail}",
                                   hint="give a 16-bit PCM WAV; convert other audio with sox or ffmpeg, e.g. "
                                        "sox IN.mp3 -r 16000 -c 1 -b 16 OUT.wav") from None
        silences = await _silences(path)
        transcript = await self.transcriber.transcribe(path, progress=progress)
        return SpokenTake(transcript=transcript, audio=str(path.resolve()), silences=silences, recorder="file")

    # ------------------------------------------------------------------ what was said, and how

    def delivery(self, takes: Sequence[SpokenTake]) -> Delivery | None:
        """The delivery of an answer spoken in `takes` (None when there are none)."""
        if not takes:
            return None
        return measure_takes([t.transcript for t in takes], silences=[t.silences for t in takes],
                             long_pause=self.config.long_pause)

    def keep(self, store: Store, attempt_id: int, takes: Sequence[SpokenTake]) -> Delivery | None:
        """Store the takes and their delivery with the attempt. A kept WAV keeps its transcript beside it (so
        the audio folder never lists it as waiting); a transcript whose audio is gone (keep_audio off) is in
        the database now and its file goes. Returns the delivery."""
        from ..store.voice import save_voice

        delivery = self.delivery(takes)
        stored = [t if not t.audio or Path(t.audio).exists() else t.model_copy(update={"audio": ""}) for t in takes]
        save_voice(store, attempt_id, stored, delivery)
        for t in takes:
            self._drop_sidecars(t)
        return delivery

    def forget(self, takes: Sequence[SpokenTake]) -> None:
        """Takes of an answer that was skipped or thrown away: delete their recorded audio and records (never
        a user's own file)."""
        for t in takes:
            if t.audio and t.recorder != "file" and self._ours(Path(t.audio)):
                self.takes.delete(Path(t.audio))  # the WAV and both sidecars

    def delete_audio(self, paths: Sequence[str]) -> int:
        """Delete kept audio of deleted attempts (only files in our audio folder). Returns how many."""
        n = 0
        for p in paths:
            path = Path(p)
            if self._ours(path) and path.exists():
                with contextlib.suppress(OSError):
                    self.takes.delete(path)
                    n += 1
        return n

    def _ours(self, path: Path) -> bool:
        try:
            return path.resolve().parent == self.takes.root.resolve()
        except OSError:
            return False

    def _drop_sidecars(self, t: SpokenTake) -> None:
        if t.recorder == "file" or not t.audio:
            return
        wav = Path(t.audio)
        if self._ours(wav):
            self.takes.failure_path(wav).unlink(missing_ok=True)
            if not wav.exists():
                self.takes.transcript_path(wav).unlink(missing_ok=True)

    async def aclose(self) -> None:
        if self._transcriber is not None:
            await self._transcriber.aclose()


async def _silences(wav: Path) -> list[tuple[float, float]] | None:
    from ..voice.wav import silent_spans

    try:
        return await asyncio.to_thread(silent_spans, wav)
    except (WavError, OSError):
        return None


def joined(text: str, transcript: Transcript | str) -> str:
    """`text` with a take's transcript appended (a space or a new line between, as the text ends)."""
    said = (transcript.text if isinstance(transcript, Transcript) else transcript).strip()
    if not said:
        return text
    if not text.strip():
        return said
    sep = "" if text.endswith((" ", "\n")) else " "
    return text + sep + said


__all__ = ["TranscriptionError", "VoiceCapture", "VoiceStatus", "joined"]
