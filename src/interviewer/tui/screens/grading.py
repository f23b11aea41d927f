"""Grading in progress: one or more saved answers graded one by one in a worker, never on the UI loop.

Shows progress and elapsed time; Esc stops (the answer stays saved, status pending, gradable later). A failure
shows the reason in plain words and offers: retry, grade offline, or keep for later. Dismisses with a
GradingOutcome. The answers were committed before this screen opened: nothing here can lose one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Header, LoadingIndicator, ProgressBar, Static
from textual.worker import Worker, WorkerState

from ...app.practice import Answer
from ...grading.base import Grader
from ..text import plain, shorten
from ..widgets.footer import Footer
from .base import InterviewerScreen

GradeFn = Callable[[Answer, Grader | None], Awaitable[object]]
GraderFactory = Callable[[], Grader]


@dataclass
class GradingOutcome:
    graded: int = 0
    kept: int = 0
    """Answers left for later (failed and kept, or not reached because grading was stopped)."""
    cancelled: bool = False


def error_text(err: BaseException) -> str:
    msg = getattr(err, "message", None) or str(err) or type(err).__name__
    hint = getattr(err, "hint", "")
    if not getattr(err, "message", None):
        msg = f"{type(err).__name__}: {msg}"
    return msg + (f"\n→ {hint}" if hint else "")


class GradingScreen(InterviewerScreen[GradingOutcome]):
    BINDINGS = [
        Binding("escape", "stop", "Stop (keep for later)", tooltip="Stop grading; the answer stays saved, "
                "ungraded, and can be graded later (g on the home screen)."),
        Binding("r", "retry", "Retry", show=True, tooltip="Ask the same grader again."),
        Binding("o", "offline", "Grade offline", tooltip="Grade this answer with the offline grader now (no "
                "model: key points and known misconceptions)."),
        Binding("k", "keep", "Keep for later", tooltip="Leave this answer ungraded and go on; grade it later "
                "from the home screen (g)."),
    ]
    HELP = ("Your answer is saved before any grader sees it, so nothing here can lose it. A model may take a "
            "while; when grading fails, the reason is shown with what you can do next.")

    def __init__(self, answers: list[tuple[str, Answer]], grade_fn: GradeFn, get_grader: GraderFactory,
                 get_offline: GraderFactory) -> None:
        super().__init__()
        self.answers = answers
        self.grade_fn = grade_fn
        self.get_grader = get_grader
        self.get_offline = get_offline
        self.i = 0
        self.outcome = GradingOutcome()
        self.failed = False
        self.started = time.monotonic()
        self.grader_name = ""
        self._finished = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="grading-box", classes="panel"):
            yield Static(id="grading-title", classes="headline")
            yield Static(id="grading-question")
            yield LoadingIndicator(id="spinner")
            with Center():
                yield ProgressBar(total=len(self.answers), show_eta=False, id="grading-progress")
            yield Static(id="elapsed")
            yield Static(id="grading-error", classes="error")
            with Horizontal(id="failure-actions", classes="actions"):
                yield Button("Retry", id="retry", variant="primary", compact=True)
                yield Button("Grade offline", id="offline", compact=True)
                yield Button("Keep for later", id="keep", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#grading-box").border_title = "Grading"
        self.query_one("#grading-progress").display = len(self.answers) > 1
        self.set_interval(0.1, self.tick)
        self.start_current(None)

    # ------------------------------------------------------------------ progress

    def show_current(self) -> None:
        label, _ = self.answers[self.i]
        n = len(self.answers)
        t = Text("Grading your answer" if n == 1 else f"Grading answer {self.i + 1} of {n}", "bold")
        if self.grader_name:
            t.append(" with ")
            t.append(plain(self.grader_name))
        self.query_one("#grading-title", Static).update(t)
        self.query_one("#grading-question", Static).update(plain(shorten(label, 200), "italic"))
        self.query_one(ProgressBar).update(progress=self.i)

    def on_screen_suspend(self) -> None:
        """Another screen is on top (the command palette, help): stop animating underneath it, so keys typed
        there are not slowed by redraws nobody sees."""
        self.query_one("#spinner").auto_refresh = None

    def on_screen_resume(self) -> None:
        self.query_one("#spinner").auto_refresh = 1 / 16  # LoadingIndicator's own rate

    def tick(self) -> None:
        if self.failed or not self.is_active:
            return
        self.query_one("#elapsed", Static).update(  # one fixed row: repaint it, do not re-lay out the screen
            Text(f"{time.monotonic() - self.started:.1f} s · Esc stops; your answer stays saved", "dim"),
            layout=False)

    def set_failed(self, failed: bool, message: str = "") -> None:
        self.failed = failed
        self.query_one("#spinner").display = not failed
        self.query_one("#failure-actions").display = failed
        self.query_one("#offline").display = failed and self.grader_name != "offline"
        err = self.query_one("#grading-error", Static)
        if failed:
            t = Text()
            t.append("Grading failed: ", "bold red")
            t.append(plain(message))
            t.append("\nYour answer is saved. Retry, grade it offline now, or keep it for later.", "dim")
            err.update(t)
            # The elapsed line stops with the work: a frozen "0.2 s · Esc stops" under the failure is stale
            # (and made the failure's look depend on how long the failing call took).
            self.query_one("#elapsed", Static).update("")
            self.query_one("#retry", Button).focus()
        else:
            err.update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "keep"):
            return self.failed
        if action == "offline":
            return self.failed and self.grader_name != "offline"
        return True

    # ------------------------------------------------------------------ the work

    def start_current(self, grader_factory: GraderFactory | None) -> None:
        self.set_failed(False)
        self.started = time.monotonic()
        self.show_current()
        self.grade_one(grader_factory or self.get_grader)

    @work(exclusive=True, exit_on_error=False, group="grading")
    async def grade_one(self, grader_factory: GraderFactory) -> object:
        grader = await asyncio.to_thread(grader_factory)  # may import an LLM client: off the UI thread
        self.grader_name = grader.name or "grader"
        self.show_current()
        return await self.grade_fn(self.answers[self.i][1], grader)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "grading" or self._finished:
            return
        if event.state is WorkerState.SUCCESS:
            self.outcome.graded += 1
            self.next()
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            self.set_failed(True, error_text(error) if error is not None else "grading stopped with an error")

    def next(self) -> None:
        self.i += 1
        if self.i >= len(self.answers):
            self.close()
        else:
            self.start_current(None)

    def close(self) -> None:
        self._finished = True
        self.dismiss(self.outcome)

    # ------------------------------------------------------------------ actions

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def action_stop(self) -> None:
        self.workers.cancel_group(self, "grading")
        self.outcome.cancelled = True
        self.outcome.kept += len(self.answers) - self.i
        self.close()

    def action_retry(self) -> None:
        if self.failed:
            self.start_current(None)

    def action_offline(self) -> None:
        if self.failed:
            self.start_current(self.get_offline)

    def action_keep(self) -> None:
        if self.failed:
            self.outcome.kept += 1
            self.next()
