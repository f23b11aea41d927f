"""One question: the prompt, a multi-line answer editor, a timer, live word count / speaking time / fillers,
and submit, skip, "I don't know", read aloud (only where a TTS program exists), answer out loud (push-to-talk,
tui.screens.question_voice) and end session.

The draft is autosaved to the database every `app.autosave_interval` seconds while it changes, so a crash
loses at most that much typing; it keeps the takes recorded for it, so a restored draft keeps its recording.
Dismisses with a QuestionResult; the caller saves and grades.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Header, Static, TextArea

from ...app.practice import Item, Practice
from ...app.wording import tidy
from ...core.models import Attempt, AttemptKind
from ..text import clean_editor, plain, safe
from ..tts import speak
from ..widgets.answer_stats import AnswerStats
from ..widgets.footer import Footer
from ..widgets.timer import AnswerTimer
from ..widgets.voice_bar import VoiceBar
from .question_voice import VOICE_BINDINGS, VoiceInput


@dataclass
class QuestionResult:
    action: str
    """submit | skip | dont_know | quit"""
    text: str
    started_at: datetime

    @property
    def kind(self) -> AttemptKind:
        return {"skip": AttemptKind.skipped, "dont_know": AttemptKind.dont_know}.get(self.action,
                                                                                   AttemptKind.answer)


class QuestionScreen(VoiceInput[QuestionResult]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", priority=True, tooltip="Save the answer and grade it (the answer "
                "is saved before any grader sees it)."),
        *VOICE_BINDINGS,
        Binding("ctrl+n", "skip", "Skip", priority=True, tooltip="Skip this question; it is recorded as "
                "skipped and its reference answer is shown."),
        Binding("ctrl+d", "dont_know", "I don't know", priority=True, tooltip="Say so honestly: recorded as "
                "“I don't know”, and the reference answer is shown."),
        Binding("ctrl+r", "read_aloud", "Read aloud", priority=True, tooltip="Read the question aloud (with "
                "espeak-ng, espeak or say)."),
        Binding("escape", "quit_session", "End session", tooltip="End the session here; what you typed is kept "
                "as a draft the next start offers back."),
    ]
    HELP = ("Answer as you would say it in an interview. The line under the editor counts words, the speaking "
            "time (about 150 words a minute) and filler words; the timer shows the time, it never stops you. "
            "Your draft is saved every few seconds.")

    def __init__(self, practice: Practice, item: Item, *, parent: Attempt | None = None, prompt: str | None = None,
                 text: str = "", started_at: datetime | None = None) -> None:
        super().__init__()
        self.practice = practice
        self.item = item
        self.parent_attempt = parent
        self.prompt = prompt or item.question.question
        self.initial_text = text
        self.started_at = started_at or practice.clock()
        self._saved_text = text
        self._saved_takes = 0
        self._done = False
        self.draft_saves = 0

    @property
    def is_follow_up(self) -> bool:
        return self.parent_attempt is not None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="question-box", classes="panel"):
            yield Static(plain(tidy(self.prompt), "bold"), id="question-text")
        yield TextArea(self.initial_text, soft_wrap=True, tab_behavior="focus", id="answer",
                       placeholder="Type your answer as you would say it, or press Ctrl+T and say it. "
                                   "Ctrl+S submits.")
        yield VoiceBar(id="voice-bar")
        with Horizontal(id="answer-status"):
            yield AnswerStats(self.initial_text, id="stats")
            yield AnswerTimer(self.started_at, self.practice.options.timer_s, self.practice.clock, id="timer")
        with Horizontal(classes="actions"):
            yield Button("Submit", id="submit", variant="primary", compact=True)
            if not self.is_follow_up:
                yield Button("Skip", id="skip", compact=True)
                yield Button("I don't know", id="dont_know", compact=True)
            if self.app.tts_program:
                yield Button("Read aloud", id="read_aloud", compact=True)
            yield Button("Back to feedback" if self.is_follow_up else "End session", id="quit_session",
                         compact=True)
        yield Footer()

    def on_mount(self) -> None:
        q = self.item.question
        box = self.query_one("#question-box")
        where = f"Follow-up · {q.topic}" if self.is_follow_up else (
            f"Question {self.practice.position} · {q.topic} · {q.difficulty.value}")
        box.border_title = Content(safe(where))
        self.title = "interviewer"
        self.sub_title = "follow-up" if self.is_follow_up else f"question {self.practice.position}"
        ta = self.query_one("#answer", TextArea)
        ta.focus()
        ta.move_cursor(ta.document.end)
        self.set_interval(self.app.autosave_interval, self.autosave)
        self.voice_setup()
        self._saved_takes = len(self.takes)  # a restored draft's takes are its own: nothing new to save

    def on_unmount(self) -> None:
        self.voice_leaving()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (voice := self.voice_check_action(action)) is not None:
            return voice
        if action == "read_aloud":
            return bool(self.app.tts_program)
        if action in ("skip", "dont_know"):
            return not self.is_follow_up
        return True

    @property
    def text(self) -> str:
        return self.query_one("#answer", TextArea).text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if clean_editor(event.text_area):  # a paste with escape sequences: show what will be stored
            return  # the cleaned text arrives as its own Changed event
        self.query_one(AnswerStats).show_for(event.text_area.text)

    def autosave(self) -> None:
        """Write the draft if it changed since the last save."""
        text = self.text
        if text == self._saved_text and len(self.takes) == self._saved_takes:
            return
        self.practice.save_draft(self.item.question, text, started_at=self.started_at, parent=self.parent_attempt,
                                 prompt=self.prompt, takes=self.takes)
        self._saved_text, self._saved_takes = text, len(self.takes)
        self.draft_saves += 1

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def _after_typing(self, callback) -> None:
        """Run `callback` after the editor has handled every key that arrived before this one.

        Ctrl+S is a priority binding, handled as soon as it arrives, while the keys typed (or pasted) just
        before it may still be waiting in the editor's queue: acting at once would see a partial answer."""
        self.query_one("#answer", TextArea).call_later(callback)

    def _finish(self, action: str) -> None:
        if not self.is_attached or self._done:
            return
        self._done = True
        if action != "quit":  # submit stores the takes with the answer (or, for a skip, deletes them)
            self.practice.stage_voice(self.item.question, self.takes, parent=self.parent_attempt)
        self.dismiss(QuestionResult(action, self.text, self.started_at))

    def action_submit(self) -> None:
        if not self.voice_blocks("Ctrl+S submits"):
            self._after_typing(self._submit_now)

    def _submit_now(self) -> None:
        if not self.text.strip():
            self.notify("Type an answer first, or use Skip / I don't know.", severity="warning")
            return
        self._finish("submit")

    def action_skip(self) -> None:
        if not self.voice_blocks("skip"):
            self._after_typing(lambda: self._finish("skip"))

    def action_dont_know(self) -> None:
        if not self.voice_blocks("choose I don't know"):
            self._after_typing(lambda: self._finish("dont_know"))

    def action_quit_session(self) -> None:
        if not self.voice_escape():  # Esc first throws away the take being recorded, or stops transcribing
            self._after_typing(self._quit_now)

    def _quit_now(self) -> None:
        if self.text.strip():
            self.autosave()  # kept as a draft: the next start offers it back
        elif self.is_follow_up:
            self.practice.discard_draft(self.item.question, self.parent_attempt)
        self._finish("quit")

    def action_read_aloud(self) -> None:
        prog = self.app.tts_program
        if prog and speak(prog, self.prompt) is None:
            self.notify("Could not start the speech program.", severity="warning")
