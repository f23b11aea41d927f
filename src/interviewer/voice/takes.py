"""Takes on disk: nothing said is lost.

This module owns where takes live and what is known about each. Every take is a WAV file in the data
folder's `audio/` directory (`Locations.audio_dir`), written there by the recorder *before* any
transcription is tried, with a sidecar beside it:

- `NAME.json`: the transcript (a `core.transcript.Transcript`), once transcription succeeded;
- `NAME.failed.json`: why the last try failed (message, hint, kind, when), until a later try succeeds.

A take with no transcript is *pending*: `TakeStore.pending()` lists them and `transcribe_take` tries again.
A take left by a crash mid-recording has placeholder sizes in its header; it is repaired before it is sent.
With `keep_audio = false` the WAV is deleted once its transcript is safely written; never before.
Sidecars are written atomically (temp file + fsync + rename). Once the answer is submitted, the path,
duration, transcript and silences are stored with its attempt (store.voice); the sidecars keep takes that
never reached an attempt (the session ended, the app was closed) so nothing said is lost.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..core.errors import InterviewerError
from ..core.transcript import Transcript
from ..fsutil import atomic_write_text
from ..locations import Locations
from .errors import TranscriptionError, WavError
from .transcriber import ProgressHook, Transcriber
from .wav import fix_header, read_info

Status = Literal["transcribed", "failed", "pending"]


@dataclass(frozen=True)
class StoredTake:
    wav: Path
    transcript: Transcript | None = None
    failure: dict[str, Any] | None = None

    @property
    def status(self) -> Status:
        if self.transcript is not None:
            return "transcribed"
        return "failed" if self.failure is not None else "pending"


class TakeStore:
    """The folder of takes. Cheap to build; creates the folder on the first new take."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def from_locations(cls, locations: Locations | None = None) -> TakeStore:
        loc = locations or Locations.from_env()
        return cls(loc.audio_dir)

    def new_path(self) -> Path:
        """A fresh file name for a take: UTC time plus a random tail, so takes sort by time and never clash."""
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        return self.root / f"take-{stamp}-{secrets.token_hex(3)}.wav"

    @staticmethod
    def transcript_path(wav: Path) -> Path:
        return wav.with_suffix(".json")

    @staticmethod
    def failure_path(wav: Path) -> Path:
        return wav.with_suffix(".failed.json")

    def save_transcript(self, wav: Path, transcript: Transcript) -> None:
        atomic_write_text(self.transcript_path(wav), transcript.model_dump_json(indent=1))
        self.failure_path(wav).unlink(missing_ok=True)

    def save_failure(self, wav: Path, error: BaseException) -> None:
        if isinstance(error, InterviewerError):
            record = {"message": error.message, "hint": error.hint, "kind": getattr(error, "kind", "")}
        else:
            record = {"message": f"{type(error).__name__}: {error}", "hint": "", "kind": "unexpected"}
        record["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        atomic_write_text(self.failure_path(wav), json.dumps(record, indent=1))

    def load(self, wav: Path) -> StoredTake:
        wav = Path(wav)
        transcript = failure = None
        tp, fp = self.transcript_path(wav), self.failure_path(wav)
        if tp.is_file():
            try:
                transcript = Transcript.model_validate_json(tp.read_text(encoding="utf-8"))
            except ValueError:  # a damaged sidecar: the take counts as pending, and is transcribed again
                transcript = None
        if fp.is_file():
            try:
                failure = json.loads(fp.read_text(encoding="utf-8"))
            except ValueError:
                failure = {"message": "unknown (the failure record is damaged)"}
        return StoredTake(wav, transcript, failure)

    def takes(self) -> list[StoredTake]:
        """Every take with audio, oldest first."""
        if not self.root.is_dir():
            return []
        return [self.load(p) for p in sorted(self.root.glob("*.wav"))]

    def pending(self) -> list[StoredTake]:
        """Takes whose audio has no transcript yet (never tried, or failed): to transcribe again."""
        return [t for t in self.takes() if t.transcript is None]

    def drop_audio(self, wav: Path) -> None:
        """Delete the audio of a transcribed take (keep_audio = false). Refuses while there is no transcript."""
        if self.load(wav).transcript is None:
            raise InterviewerError(f"{wav.name} has no transcript yet; its audio is kept",
                                   hint="transcribe it first")
        Path(wav).unlink(missing_ok=True)

    def delete(self, wav: Path) -> None:
        """Delete a take and its sidecars (a discarded take; a deleted attempt)."""
        for p in (Path(wav), self.transcript_path(wav), self.failure_path(wav)):
            p.unlink(missing_ok=True)


async def transcribe_take(store: TakeStore, wav: Path, transcriber: Transcriber, *,
                          progress: ProgressHook | None = None, keep_audio: bool = True) -> Transcript:
    """Transcribe a take kept on disk, recording the result or the failure beside it. Re-raises the failure
    (TranscriptionError): the WAV stays, and `pending()` lists it until a try succeeds."""
    wav = Path(wav)
    try:
        if not read_info(wav).header_ok:
            await asyncio.to_thread(fix_header, wav)  # a take left by a crash mid-recording
        transcript = await transcriber.transcribe(wav, progress=progress)
    except asyncio.CancelledError:
        store.save_failure(wav, TranscriptionError("transcription cancelled", kind="cancelled"))
        raise
    except WavError as e:
        store.save_failure(wav, e)
        raise TranscriptionError(e.message, kind="audio", hint=e.hint) from None
    except BaseException as e:
        store.save_failure(wav, e)
        raise
    store.save_transcript(wav, transcript)
    if not keep_audio:
        store.drop_audio(wav)
    return transcript
