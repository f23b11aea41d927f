"""Local speech to text with faster-whisper (CTranslate2 on the CPU, int8), the default transcriber.

This module owns running the Whisper model on this machine, settings chosen from measurements on a 2-core
CPU (shared/notes/voice.md):

- beam search 5 at temperature 0 and no temperature fallback: the same audio gives the same transcript
  every time (beam 1 falls back to sampling on hard audio: four runs gave four transcripts) and keeps more
  of the "Um,"/"Uh," fillers;
- word timestamps on (the delivery figures need them); Whisper's sub-word pieces ("self" + "-attention")
  are joined back into the words a person said;
- the VAD filter on by default: stretches with no speech are skipped before decoding, timings mapped back.
  Without it tiny.en was measured turning 30 s of quiet-room noise into "Thank you so much for watching,
  and I'll see you in the next video..." (197 words) and losing a sentence said after it; with it, nothing
  was invented. It costs little: real-time factor 0.054 against 0.051 on clean speech (docs/benchmarks.md);
- all cores but one (`cpu_threads`=0): one thread was measured as fast as two or four here, and the
  interface keeps a core.

faster-whisper is imported lazily, in a thread, the first time a model is needed: without the `voice` extra
this module still imports, and the error says how to install it. The loaded model is kept for the next take;
`prepare()` loads it ahead (when recording starts), so stop-to-transcript is transcription time only.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.transcript import Transcript, Word
from .errors import TranscriptionError
from .local_model import extra_missing_error, is_path, resolve_model, short_error
from .settings import DEFAULT_MODELS, VoiceConfig
from .transcriber import Progress, ProgressHook, Transcriber, on_loop


class LocalTranscriber(Transcriber):
    name = "local"

    def __init__(self, model: str = DEFAULT_MODELS["local"], *, language: str = "en", beam_size: int = 5,
                 cpu_threads: int = 0, vad_filter: bool = True, download_root: str | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(model)
        self.language = language or None
        self.beam_size = beam_size
        self.cpu_threads = cpu_threads
        self.vad_filter = vad_filter
        self.download_root = download_root
        self.env = env
        self._model: Any = None
        self._folder = ""
        self._load_lock = threading.Lock()
        self._decode_lock = threading.Lock()

    @classmethod
    def from_config(cls, cfg: VoiceConfig, env: Mapping[str, str] | None = None) -> LocalTranscriber:
        return cls(cfg.effective_model(), language=cfg.language, beam_size=cfg.beam_size,
                   cpu_threads=cfg.cpu_threads, vad_filter=cfg.vad_filter, env=env)

    @property
    def threads(self) -> int:
        return self.cpu_threads or max(1, (os.cpu_count() or 2) - 1)

    def describe(self) -> dict[str, str]:
        return {"backend": self.name, "model": self.model, "folder": self._folder or "(not loaded yet)",
                "decoding": f"beam {self.beam_size}, temperature 0, int8, {self.threads} thread(s), "
                            f"VAD {'on' if self.vad_filter else 'off'}"}

    @property
    def loaded(self) -> bool:
        return self._model is not None

    async def prepare(self, *, progress: ProgressHook | None = None) -> None:
        await asyncio.to_thread(self._load, on_loop(progress))

    def _load(self, progress: ProgressHook | None) -> Any:
        with self._load_lock:
            if self._model is not None:
                return self._model
            try:
                from faster_whisper import WhisperModel
            except ImportError:
                raise extra_missing_error() from None
            folder = resolve_model(self.model, progress, cache_dir=self.download_root, env=self.env)
            if progress:
                progress(Progress("loading", None, f"loading the voice model {self.model}"))
            try:
                # A folder: nothing is fetched; local_files_only as a second guard against any hub call.
                self._model = WhisperModel(folder, device="cpu", compute_type="int8", cpu_threads=self.threads,
                                           local_files_only=True)
            except (RuntimeError, ValueError, OSError) as e:  # a corrupt model.bin, an unsupported model
                raise TranscriptionError(f"the voice model {self.model} could not be loaded: {short_error(e)}",
                                         kind="model_missing", hint="download it again (delete its folder in the "
                                         "Hugging Face cache) or choose another voice.model") from None
            self._folder = folder
            return self._model

    async def transcribe(self, audio: Path, *, progress: ProgressHook | None = None) -> Transcript:
        cancel = threading.Event()
        try:
            return await asyncio.to_thread(self._run, Path(audio), on_loop(progress), cancel)
        except asyncio.CancelledError:
            cancel.set()  # the engine stops at its next segment; the thread cannot be interrupted sooner
            raise

    def _run(self, audio: Path, progress: ProgressHook | None, cancel: threading.Event) -> Transcript:
        if not audio.is_file():
            raise TranscriptionError(f"the audio file {audio} does not exist", kind="audio",
                                     hint="record again, or check the path")
        model = self._load(progress)
        with self._decode_lock:
            try:
                segments, info = model.transcribe(
                    str(audio), language=self.language, beam_size=self.beam_size, temperature=0.0,
                    word_timestamps=True, vad_filter=self.vad_filter)
            except Exception as e:  # noqa: BLE001 - PyAV's decode errors have no common public base
                raise TranscriptionError(f"cannot read the audio in {audio.name}: {short_error(e)}", kind="audio",
                                         hint="record again, or convert it: sox IN -r 16000 -c 1 -b 16 OUT.wav"
                                         ) from None
            total = float(info.duration or 0.0)
            texts: list[str] = []
            words: list[Word] = []
            if progress:
                progress(Progress("transcribing", 0.0, f"transcribing {total:.0f} s of audio"))
            try:
                for seg in segments:  # a generator: the work happens as it is consumed
                    if cancel.is_set():
                        raise TranscriptionError("transcription cancelled", kind="cancelled",
                                                 hint="the take is kept; transcribe it again later")
                    texts.append(seg.text.strip())
                    _join_pieces(words, seg.words or [])
                    if progress and total:
                        progress(Progress("transcribing", min(1.0, seg.end / total)))
            except TranscriptionError:
                raise
            except Exception as e:  # noqa: BLE001 - CTranslate2 raises RuntimeError, memory errors, ...
                raise TranscriptionError(f"the local voice model failed: {short_error(e)}", kind="reply",
                                         hint="try again; if it keeps failing, try a smaller voice.model") from None
        return Transcript(text=" ".join(t for t in texts if t), words=words, duration=round(total, 3),
                          language=str(info.language or self.language or ""), model=self._label(),
                          backend=self.name, word_timings=True)

    def _label(self) -> str:
        if is_path(self.model):
            p = Path(self.model).expanduser()
            return f"{p.parent.name}/{p.name}" if p.name in ("model", "") else p.name
        return self.model


def _join_pieces(out: list[Word], pieces: list[Any]) -> None:
    """Append Whisper's words to `out`, joining a piece with no leading space to the word before it."""
    for w in pieces:
        raw = str(w.word)
        text = raw.strip()
        if not text:
            continue
        prob = float(w.probability) if w.probability is not None else None
        start, end = float(w.start), max(float(w.start), float(w.end))
        if out and not raw[:1].isspace():
            prev = out[-1]
            p = prev.probability if prob is None else (prob if prev.probability is None else min(prev.probability, prob))
            out[-1] = Word(text=prev.text + text, start=prev.start, end=max(prev.end, end),
                           probability=None if p is None else round(p, 4))
        else:
            out.append(Word(text=text, start=round(start, 3), end=round(end, 3),
                            probability=None if prob is None else round(min(1.0, max(0.0, prob)), 4)))
