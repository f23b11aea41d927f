"""Push-to-talk on the question screen: Ctrl+T starts a take, Ctrl+T stops it; the transcript is appended to
the answer editor, where it can be edited before submitting. Several takes can be recorded. Esc while
recording throws the take away; Esc while transcribing stops (the take is kept and Ctrl+G transcribes it
again). A mixin of QuestionScreen, kept apart so the screen stays about answering.

The rules live in app.voice_capture (shared with plain mode and the CLI); this module only drives it and the
VoiceBar: a 100 ms tick shows the elapsed time and the input level and notices a recorder that died; the
model is loaded (or downloaded, the first time) while the person speaks, so stopping waits only for the
transcription. When voice cannot work here (no extra, no recorder, no key) the key says what to do, and
typing is untouched.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.widgets import TextArea

from ...app.voice_capture import TranscriptionError, joined
from ...core.errors import InterviewerError
from ..widgets.voice_bar import VoiceBar
from .base import InterviewerScreen, ResultType

if TYPE_CHECKING:
    from ...app.practice import Item, Practice
    from ...core.models import Attempt
    from ...core.transcript import SpokenTake
    from ...voice.recording import Recording
    from ...voice.transcriber import Progress

VOICE_BINDINGS = [
    Binding("ctrl+t", "voice", "Speak", priority=True,
            tooltip="Start or stop recording your answer out loud; the transcript is added to the editor for you "
                    "to check and edit. Several takes add up; Esc while recording throws the take away."),
    Binding("ctrl+g", "retry_take", "Transcribe again", priority=True,
            tooltip="Transcribe again the take that could not be transcribed (it is kept in the data folder)."),
]


class VoiceInput(InterviewerScreen[ResultType]):
    """State: `takes` (this answer's transcribed takes), the take being recorded, the take that failed."""

    takes: list[SpokenTake]
    practice: Practice
    item: Item
    parent_attempt: Attempt | None
    """The host screen's (QuestionScreen sets them)."""
    _rec: Recording | None = None
    _failed: tuple[Path, str] | None = None
    _working = False
    _prep_note = ""

    def voice_setup(self) -> None:
        self.takes = self.practice.staged_voice(self.item.question, self.parent_attempt)
        self._show_summary()

    @property
    def recording(self) -> bool:
        return self._rec is not None

    @property
    def voice_busy(self) -> bool:
        return self._rec is not None or self._working

    @property
    def _bar(self) -> VoiceBar:
        return self.query_one(VoiceBar)

    @property
    def _voice(self):
        return self.app.services.voice

    def voice_check_action(self, action: str) -> bool | None:
        if action == "retry_take":
            return self._failed is not None and not self.voice_busy
        return None

    # ------------------------------------------------------------------ the key

    def action_voice(self) -> None:
        if self._rec is not None:
            self._stop()
        elif self._working:
            self.notify("Still transcribing the last take; Esc stops it.", timeout=4)
        else:
            self._start()

    def _start(self) -> None:
        voice = self._voice
        status = voice.status()
        if not status.ready:
            self._bar.problem(f"Voice is not available: {status.problem}", status.hint)
            self.notify(f"{status.problem}.\n→ {status.hint}", title="Voice", severity="warning",
                        timeout=12)
            return
        try:
            rec = voice.start()
        except InterviewerError as e:
            self._bar.problem(e.message, e.hint)
            return
        self._rec, self._prep_note = rec, ""
        self._tick()
        self._meter = self.set_interval(0.1, self._tick)
        self._watch_start(rec)
        self._prepare()
        self.refresh_bindings()

    def _tick(self) -> None:
        rec = self._rec
        if rec is None:
            return
        try:
            rec.check()
        except InterviewerError:
            self._stop()  # keeps what was recorded, or says why there is nothing
            return
        if rec.over_limit:
            self.notify(f"A take can be at most {rec.max_seconds // 60} minutes (voice.max_seconds): stopped.")
            self._stop()
            return
        self._bar.listening(rec.elapsed(), rec.level().meter, len(self.takes) + 1, self._prep_note)

    @work(thread=True, group="voice-start", exit_on_error=False)
    def _watch_start(self, rec: Recording) -> None:
        """A recorder that fails at once (no microphone) is noticed within half a second."""
        try:
            rec.wait_ready(0.5)
        except InterviewerError:
            self.app.call_from_thread(self._failed_at_start, rec)

    def _failed_at_start(self, rec: Recording) -> None:
        if self._rec is rec:
            self._stop()

    @work(group="voice-prepare", exit_on_error=False)
    async def _prepare(self) -> None:
        def progress(p: Progress) -> None:
            if p.stage == "downloading":
                self._prep_note = p.message
            elif p.stage == "loading":
                self._prep_note = p.message + "…"
            if self._working and self._rec is None and p.stage in ("downloading", "loading"):
                self._bar.working(f"{self._prep_note} (then transcribing)", p.fraction)  # stopped before it was ready

        try:
            await self._voice.prepare(progress)
            self._prep_note = ""
        except InterviewerError as e:  # said again, with the take kept, if transcription fails the same way
            self._prep_note = f"{e.message} ({e.hint})" if e.hint else e.message

    # ------------------------------------------------------------------ stopping, transcribing

    def _stop(self) -> None:
        rec, self._rec = self._rec, None
        if rec is None:
            return
        self._meter.stop()
        self._working = True
        self._bar.working("Finishing the take…")
        self._transcribe(rec)

    @work(group="voice", exit_on_error=False)
    async def _transcribe(self, rec: Recording | None, retry: tuple[Path, str] | None = None) -> None:
        voice = self._voice

        def progress(p: Progress) -> None:
            if self._working:
                self._bar.working(p.message or "Transcribing…", p.fraction)

        self._failed = None
        try:
            if rec is not None:
                take = await voice.finish(rec, progress)
            else:
                assert retry is not None
                take = await voice.retry(retry[0], progress, recorder=retry[1])
        except asyncio.CancelledError:
            if retry is not None:
                self._failed = retry
            elif rec is not None:
                self._failed = (rec.path, rec.recorder)
            self._done_working()
            raise
        except InterviewerError as e:
            kept = rec.path if rec is not None else retry[0] if retry else None
            if isinstance(e, TranscriptionError) and kept is not None and kept.exists():
                self._failed = (kept, rec.recorder if rec is not None else retry[1] if retry else "")
                self._bar.problem(f"Could not transcribe the take: {e.message}",
                                  f"{e.hint}. The recording is kept ({kept.name}): Ctrl+G transcribes it again, "
                                  "or type your answer")
            else:
                self._bar.problem(e.message, e.hint)
            self._done_working(summary=False)
            return
        self._done_working(summary=False)
        self._add(take)

    def _done_working(self, summary: bool = True) -> None:
        self._working = False
        if summary:
            self._show_summary("Transcription stopped: the take is kept, Ctrl+G transcribes it again."
                               if self._failed else "")
        self.refresh_bindings()

    def _add(self, take: SpokenTake) -> None:
        self.takes.append(take)
        said = take.transcript.text.strip()
        ta = self.query_one("#answer", TextArea)
        if said:
            new = joined(ta.text, said)
            ta.insert(new[len(ta.text):], ta.document.end)
            ta.move_cursor(ta.document.end)
        ta.focus()
        self._show_summary("" if said else "Nothing was heard in that take: check the microphone and its level.")

    def _show_summary(self, note: str = "") -> None:
        self._bar.summary(len(self.takes), sum(t.transcript.duration for t in self.takes), note)

    def action_retry_take(self) -> None:
        if self._failed is None or self.voice_busy:
            return
        self._working = True
        self._bar.working("Transcribing the kept take again…")
        self._transcribe(None, self._failed)
        self.refresh_bindings()

    # ------------------------------------------------------------------ Esc, leaving

    def voice_escape(self) -> bool:
        """Esc: throw away the take being recorded, or stop the transcription. True when it did either."""
        if self._rec is not None:
            rec, self._rec = self._rec, None
            self._meter.stop()
            self._discard(rec)
            self._show_summary("Take discarded.")
            self.refresh_bindings()
            return True
        if self._working:
            self.workers.cancel_group(self, "voice")
            return True
        return False

    @work(thread=True, group="voice-discard", exit_on_error=False)
    def _discard(self, rec: Recording) -> None:
        rec.discard()

    def voice_blocks(self, what: str) -> bool:
        """Submitting or leaving while a take is recorded or transcribed: say so instead (True when blocked)."""
        if self._rec is not None:
            self.notify(f"Still recording: Ctrl+T stops (the transcript lands in the editor to check), then {what}; "
                        "Esc throws the take away.", severity="warning", timeout=6)
            return True
        if self._working:
            self.notify(f"Transcribing the take: {what} when the text is in the editor (Esc stops it).",
                        severity="warning", timeout=6)
            return True
        return False

    def voice_leaving(self) -> None:
        """The screen is going away with a take still recording (the app is closing): keep what was said."""
        rec, self._rec = self._rec, None
        if rec is not None:
            try:
                rec.stop(timeout=1.0)  # the WAV stays in the audio folder, listed as pending
            except InterviewerError:
                pass
