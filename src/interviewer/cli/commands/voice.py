"""`interviewer transcribe FILE.wav [--json]` and `--pending`, and the voice pieces the other commands share:
`grade --audio-file` (spoken_answer / keep_spoken), plain mode's `/voice FILE`, `doctor`'s voice section, and
the delivery as plain lines (delivery_lines).

Everything goes through app.voice_capture (the same rules as the app: a user's file is only read; a kept
take that failed is transcribed again with --pending). Progress (the model loading, or downloading the first
time) goes to stderr, so `--json` output stays clean.
"""

from __future__ import annotations

import json  # asyncio is imported by the commands that run: `interviewer --help` should not pay ~20 ms for it
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ...core.errors import InterviewerError

if TYPE_CHECKING:
    from ...app.services import Services


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe)


def _progress(quiet: bool = False):
    """A progress hook that says what takes time (loading, downloading) on stderr, at most every 2 s."""
    last: dict[str, Any] = {"msg": "", "at": 0.0}

    def hook(p) -> None:
        if quiet or not p.message or (p.stage == "transcribing" and p.fraction is not None):
            return
        now = time.monotonic()
        if p.message != last["msg"] and (now - last["at"] >= 2 or p.stage != "downloading" or p.fraction in (0.0, 1.0)):
            last.update(msg=p.message, at=now)
            print(p.message, file=sys.stderr, flush=True)

    return hook


async def _transcribe_file(svc: Services, path: Path, quiet: bool = False):
    try:
        return await svc.voice.transcribe_file(path, _progress(quiet))
    finally:
        await svc.voice.aclose()


def spoken_answer(svc: Services, audio_file: Path) -> tuple[str, Any]:
    """(the transcript text, the take) of a WAV given to `grade --audio-file`. Raises when nothing was heard."""
    import asyncio

    take = asyncio.run(_transcribe_file(svc, audio_file))
    text = take.transcript.text.strip()
    if not text:
        raise InterviewerError(f"{audio_file}: no speech was heard in it",
                               hint="check the recording (is it silent or very quiet?); nothing was stored")
    return text, take


def keep_spoken(svc: Services, attempt_id: int, take) -> Any:
    """Store a spoken answer's take and delivery with its attempt; returns the delivery."""
    return svc.voice.keep(svc.store, attempt_id, [take])


def transcribe(
    files: Annotated[list[Path] | None, typer.Argument(help="WAV files to transcribe (16-bit PCM; any rate)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the transcript, word timings, silences and "
                                                         "delivery as JSON.")] = False,
    pending: Annotated[bool, typer.Option("--pending", help="Transcribe again the recorded takes kept in the "
                                                            "data folder that have no transcript (a failure, a "
                                                            "crash).")] = False,
) -> None:
    """Transcribe spoken answers with the [voice] settings and measure their delivery (pace, pauses, fillers)."""
    from ..context import services

    if not files and not pending:
        raise InterviewerError("no audio file given", hint="e.g. `interviewer transcribe answer.wav`, or --pending "
                                                           "for the takes kept after a failed transcription")
    svc = services()
    try:
        import asyncio

        results = asyncio.run(_run(svc, list(files or []), pending, quiet=as_json))
    finally:
        svc.close()
    failed = [r for r in results if "error" in r]
    if as_json:
        typer.echo(json.dumps(results if len(results) != 1 else results[0], indent=2, ensure_ascii=False))
    else:
        _print_results(results)
    if failed:
        raise typer.Exit(1)


async def _run(svc: Services, files: list[Path], pending: bool, quiet: bool) -> list[dict[str, Any]]:
    voice = svc.voice
    jobs: list[tuple[Path, bool]] = [(f, False) for f in files]
    if pending:
        jobs += [(t.wav, True) for t in voice.pending()]
        if not jobs:
            print(f"no takes waiting for a transcript in {voice.takes.root}", file=sys.stderr)
    out: list[dict[str, Any]] = []
    try:
        for path, kept in jobs:
            t0 = time.perf_counter()
            try:
                take = await (voice.retry(path, _progress(quiet)) if kept else voice.transcribe_file(path,
                                                                                                       _progress(quiet)))
            except InterviewerError as e:
                out.append({"file": str(path), "error": e.message, "hint": e.hint})
                continue
            d = voice.delivery([take])
            out.append({"file": str(path), "seconds_to_transcribe": round(time.perf_counter() - t0, 2),
                        "transcript": take.transcript.model_dump(mode="json"), "silences": take.silences,
                        "delivery": d.model_dump(mode="json") if d else None})
    finally:
        await voice.aclose()
    return out


def _print_results(results: list[dict[str, Any]]) -> None:
    from ...core.delivery import Delivery
    from ...termsafe import safe

    shown = 0
    for r in results:
        if "error" in r:
            msg = r["error"] if r["file"] in r["error"] else f"{r['file']}: {r['error']}"
            typer.echo(f"error: could not transcribe {safe(msg)}", err=True)
            if r["hint"]:
                typer.echo(f"  -> {safe(r['hint'])}", err=True)
            continue
        tr = r["transcript"]
        if shown:
            typer.echo()
        shown += 1
        typer.echo(f"{safe(r['file'])} ({tr['duration']:.1f} s of audio, {tr['backend']}:{safe(tr['model'])}, "
                   f"transcribed in {r['seconds_to_transcribe']:.1f} s)")
        typer.echo(safe(tr["text"]) if tr["text"].strip() else "(no speech heard)")
        if r["delivery"]:
            typer.echo()
            for line in delivery_lines(Delivery.model_validate(r["delivery"])):
                typer.echo(line)


def delivery_lines(d) -> list[str]:
    """The delivery as plain text lines (transcribe, grade --audio-file, plain mode)."""
    from ...core.delivery import FAST_WPM, SLOW_WPM
    from ...termsafe import safe

    lines = ["Delivery (measured from the recording):"]
    if d.pace == "unknown":
        lines.append(f"  pace     not measured (too little speech: {d.speech_seconds:.1f} s)")
    else:
        band = f"{SLOW_WPM:.0f}-{FAST_WPM:.0f}"
        lines.append(f"  pace     {d.words_per_minute:.0f} words a minute, {d.pace} ("
                     + (band if d.pace == "conversational" else f"conversational is {band}")
                     + f"), over {d.speech_seconds - d.unheard_seconds:.0f} s of speech")
    if d.long_pause_count:
        where = "; ".join((f"{p.seconds:.1f} s after \"{safe(p.context)}\"" if p.after_word
                           else f"{p.seconds:.1f} s before \"{safe(p.before_word)}\"") for p in d.pauses[:3])
        lines.append(f"  pauses   {d.long_pause_count} of {d.long_pause_threshold:g} s or more, longest "
                     f"{d.longest_pause_seconds:.1f} s: {where}")
    else:
        lines.append(f"  pauses   none of {d.long_pause_threshold:g} s or more")
    lines.append(f"  speech   {d.speech_ratio * 100:.0f}% of the time speaking ({d.span_seconds:.0f} s from the "
                 "first word to the last)")
    fillers = ", ".join(f"{k} x{v}" for k, v in sorted(d.fillers.items(), key=lambda kv: -kv[1]))
    lines.append(f"  fillers  {d.filler_count}" + (f" ({fillers})" if fillers else "")
                 + "; the speech model often drops \"um\" and \"uh\", so this is a lower bound")
    if d.unheard_seconds:
        lines.append(f"  note     about {d.unheard_seconds:.1f} s of speech has no words in the transcript (the model "
                     "skipped it); the pace counts only what was transcribed")
    return lines


# --------------------------------------------------------------------------- doctor


def doctor_section(svc: Services, out=typer.echo) -> None:
    """`doctor`'s voice lines: what is set, what is installed, what would happen on the first take. Nothing is
    downloaded, loaded or recorded; voice is optional, so this never fails the doctor."""
    import importlib.metadata

    cfg = svc.config.voice
    voice = svc.voice
    out("\nVoice (optional: answer out loud)")
    out(f"  backend       {cfg.backend}, model {cfg.effective_model()}{'' if cfg.model else ' (default)'}")
    st = voice.status()
    out(f"  recorder      {st.recorder or 'none found'}"
        + (f" ({cfg.record_command})" if st.recorder == "command" else ""))
    mic = _microphone(voice) if st.recorder else None
    if mic is not None:
        out(f"  microphone    {mic[1]}")
    if cfg.backend == "local":
        try:
            out(f"  extra         faster-whisper {importlib.metadata.version('faster-whisper')} installed")
            out(f"  model         {_model_state(cfg.effective_model())}")
        except importlib.metadata.PackageNotFoundError:
            out("  extra         faster-whisper not installed")
    else:
        d = voice.transcriber.describe()
        out(f"  server        {d.get('base_url')}; API key {d.get('key variable', 'none needed')}")
    takes = voice.takes
    kept = takes.takes()
    waiting = [t for t in kept if t.transcript is None]
    out(f"  audio folder  {takes.root} ({len(kept)} take{'s' if len(kept) != 1 else ''} kept"
        + (f", {len(waiting)} waiting for a transcript: `interviewer transcribe --pending`" if waiting else "")
        + f"; keep_audio = {'true' if cfg.keep_audio else 'false'})")
    if st.ready and mic is not None and not mic[0]:
        out("  voice: not available: no working microphone (see above); you can still type your answers")
    else:
        out(f"  voice: {'ready' if st.ready else 'not available'}"
            + ("" if st.ready else f": {st.problem}; {st.hint}"))


def _microphone(voice) -> tuple[bool, str]:
    """Record for about a second into a file that is then deleted: does the recorder find a microphone?"""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        try:
            rec = voice._recorder().start(Path(d) / "check.wav")
        except InterviewerError as e:
            return False, f"{e.message} -> {e.hint}"
        try:
            rec.wait_ready(1.0)
            time.sleep(0.5)
            rec.check()
            level = rec.level()
        except InterviewerError as e:
            rec.discard()
            return False, f"{e.message} -> {e.hint}"
        rec.discard()
    heard = "silence: is it muted?" if level.meter <= 0.02 else f"input level {level.rms_db:.0f} dB"
    return True, f"recording works (a 1 s test, not kept; {heard})"


def _model_state(model: str) -> str:
    from ...voice.local_model import check_folder, downloads_off, is_path

    if is_path(model):
        try:
            return f"folder {check_folder(Path(model).expanduser(), model)}"
        except InterviewerError as e:
            return f"{e.message} -> {e.hint}"
    try:
        from faster_whisper.utils import download_model

        return f"{model}, downloaded ({download_model(model, local_files_only=True)})"
    except Exception:  # noqa: BLE001 - not in the cache (LocalEntryNotFoundError), or an unknown name
        if downloads_off():
            return f"{model} is not downloaded and HF_HUB_OFFLINE is set: set voice.model to a model folder"
        return f"{model}, not downloaded yet: it downloads once, with progress, on the first take"


# --------------------------------------------------------------------------- plain mode


class PlainVoice:
    """Plain mode's `/voice FILE.wav`: the recording's transcript joins the answer being typed, and its take is
    kept with the answer when it is submitted (the delivery is printed with the feedback)."""

    def __init__(self, svc: Services, say) -> None:
        self.svc, self.say = svc, say
        self.takes: list[Any] = []

    def take(self, arg: str) -> str | None:
        """The transcript of the file named by `arg` (said on the way), or None after saying what went wrong."""
        import shlex

        try:
            parts = shlex.split(arg)
        except ValueError:
            parts = [arg]
        if len(parts) != 1:
            self.say("Give one audio file: /voice FILE.wav (quote a path with spaces). Nothing was added.")
            return None
        try:
            import asyncio

            take = asyncio.run(_transcribe_file(self.svc, Path(parts[0]), quiet=True))
        except InterviewerError as e:
            self.say(f"Could not use that recording: {e.message}" + (f" ({e.hint})" if e.hint else "")
                     + ". Nothing was added; type your answer, or try /voice again.")
            return None
        text = take.transcript.text.strip()
        if not text:
            self.say("No speech was heard in that recording; nothing was added.")
            return None
        self.takes.append(take)
        self.say(f"Heard ({take.transcript.duration:.0f} s, take {len(self.takes)}), added to your answer: {text}")
        return text

    def stage(self, practice, question, parent=None) -> None:
        """Hand this answer's takes to the session (Practice.submit stores them with the answer)."""
        practice.stage_voice(question, self.takes, parent=parent)
        self.takes = []


def say_wording(say, ans) -> None:
    """After the grade: a spoken answer's delivery as measured, or a typed one's time as an estimate."""
    if ans.delivery is not None:
        for line in delivery_lines(ans.delivery):
            say(line)
        return
    w = ans.grade.grade.insights if ans.grade else None
    if w is not None:
        say(f"Wording: {w.word_count} words, about {w.speaking_seconds:.0f} s if spoken (an estimate at 150 words a "
            f"minute), {w.filler_count} filler{'s' if w.filler_count != 1 else ''}"
            + (f" ({', '.join(w.fillers)})" if w.fillers else ""))
