"""The history's dialogs and its re-grade runner.

- ConfirmDialog: yes/no before anything is deleted (Cancel has the focus; y or the red button confirms).
- OverrideDialog: dispute a grade: your score (0-100) and a reason, checked by reviewing.override itself (the
  dialog stays open with the message when it refuses).
- RegradeDialog: re-grade with another backend, model or rubric (or as configured).
- start_regrade: runs reviewing.regrade in an app-level worker (it outlives the screen that started it), with
  the grader built off the UI thread; reports progress and the end through callbacks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from ...app import reviewing
from ...core.errors import InterviewerError
from ..text import plain
from .base import InterviewerModal
from .setup import BACKENDS, row


class ConfirmDialog(InterviewerModal[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, delete", tooltip="Delete it, with every grade and override."),
        Binding("n,escape", "answer(False)", "Cancel", tooltip="Keep it."),
    ]

    def __init__(self, title: str, body: str, confirm: str = "Delete") -> None:
        super().__init__()
        self.title_text, self.body, self.confirm = title, body, confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(plain(self.body), id="confirm-text")
            yield Static(Text("This cannot be undone.", "bold"), classes="confirm-warning")
            with Horizontal(classes="actions"):
                yield Button(f"{self.confirm} (y)", id="yes", variant="error", compact=True)
                yield Button("Cancel (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-box").border_title = self.title_text
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class OverrideDialog(InterviewerModal[bool]):
    """Your own score and why. `submit(score, reason)` stores it (raising InterviewerError when it refuses)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Keep your score and reason."),
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything."),
    ]
    HELP = ("Your own score for this answer (0-100) and why. It counts instead of the grader's for your mastery "
            "and the review schedule, and is exported, so the grader's calibration can be checked later. "
            "The grade itself is kept.")

    def __init__(self, what: str, model_score: float | None, submit: Callable[[float, str], object],
                 current: tuple[float, str] | None = None) -> None:
        super().__init__()
        self.what, self.model_score, self.submit, self.current = what, model_score, submit, current

    def compose(self) -> ComposeResult:
        t = plain(self.what)
        if self.model_score is not None:
            t.append(f"\nThe grader gave {self.model_score:.0f}. ", "dim")
        t.append("\nYour score is kept beside the grade and counts instead of it for your mastery and the "
                 "review schedule. It is exported too, so the grader's calibration can be checked later.", "dim")
        score, reason = (f"{self.current[0]:g}", self.current[1]) if self.current else ("", "")
        with Vertical(id="override-box", classes="dialog"):
            yield Static(t)
            yield row("Your score", Input(score, placeholder="0-100", type="number", compact=True, id="score"))
            yield row("Reason", Input(reason, placeholder="why the grade was wrong", compact=True, id="reason"))
            yield Static(id="override-error", classes="error")
            with Horizontal(classes="actions"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#override-box").border_title = "Dispute this grade"
        self.query_one("#score", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "score":
            self.query_one("#reason", Input).focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        err = self.query_one("#override-error", Static)
        raw = self.query_one("#score", Input).value.strip()
        try:
            score = float(raw)
        except ValueError:
            err.update(plain("Your score: a number from 0 to 100."))
            self.query_one("#score", Input).focus()
            return
        try:
            self.submit(score, self.query_one("#reason", Input).value)
        except InterviewerError as e:
            err.update(plain(e.message + (f" ({e.hint})" if getattr(e, "hint", "") else "")))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


@dataclass(frozen=True)
class RegradeChoice:
    backend: str | None = None
    """None = the configured grader."""
    model: str | None = None
    rubric: str | None = None
    """None = each question's own rubric (or the configured override)."""


class RegradeDialog(InterviewerModal[RegradeChoice | None]):
    BINDINGS = [
        Binding("ctrl+s", "go", "Re-grade", priority=True, tooltip="Grade again with these choices."),
        Binding("escape", "cancel", "Cancel", tooltip="Close without grading."),
    ]
    HELP = ("Grade again, with the configured grader or another backend, model or rubric. Every grade is "
            "kept: the newest is shown, and [ / ] on the answer's screen step through the older ones.")

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        svc = self.app.services
        g = svc.config.grader
        configured = g.backend + (f" · {g.model}" if g.model else "")
        backends = [(f"as configured ({configured})", "")] + [(b, b) for b in BACKENDS]
        rubrics = [("each question's own", "")] + [(r, r) for r in sorted(svc.rubrics)]
        with Vertical(id="regrade-box", classes="dialog"):
            yield Static(plain(self.what))
            yield row("Grader", Select(backends, value="", allow_blank=False, compact=True, id="backend"))
            yield row("Model", Input("", placeholder="empty = the grader's configured model", compact=True,
                                     id="model"))
            yield row("Rubric", Select(rubrics, value="", allow_blank=False, compact=True, id="rubric"))
            yield Static(Text("Every grade is kept; the newest is shown, the older ones stay one key away.",
                              "dim"))
            with Horizontal(classes="actions"):
                yield Button("Re-grade (ctrl+s)", id="go", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#regrade-box").border_title = "Re-grade"
        self.query_one("#go", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "go":
            self.action_go()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_go()

    def action_go(self) -> None:
        backend = self.query_one("#backend", Select).value or None
        model = self.query_one("#model", Input).value.strip() or None
        rubric = self.query_one("#rubric", Select).value or None
        self.dismiss(RegradeChoice(backend=backend if isinstance(backend, str) else None, model=model,
                                   rubric=rubric if isinstance(rubric, str) else None))

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_regrade(app, attempts, choice: RegradeChoice, *,
                  on_progress: Callable[[reviewing.RegradeResult, int, int], None],
                  on_done: Callable[[list[reviewing.RegradeResult] | None, str | None], None]):
    """Re-grade `attempts` in an app worker: build the grader in a thread (LLM clients import there), then
    reviewing.regrade (every grade kept, the schedule synced). `on_done(results, error)` runs at the end:
    results None and an error message when the grader could not be built or the re-grade was stopped."""
    svc = app.services
    total = len(attempts)

    async def run() -> None:
        done = 0

        def progress(res: reviewing.RegradeResult) -> None:
            nonlocal done
            done += 1
            on_progress(res, done, total)

        own = bool(choice.backend or choice.model)
        try:
            if own:
                grader = await asyncio.to_thread(svc.make_grader, choice.backend, choice.model)
            else:
                grader = await asyncio.to_thread(lambda: svc.grader)
            if choice.rubric:
                svc.rubric(choice.rubric)
        except InterviewerError as e:
            on_done(None, e.message)
            return
        import importlib
        import sys

        if "fsrs" not in sys.modules:
            await asyncio.to_thread(importlib.import_module, "fsrs")
        try:
            results = await reviewing.regrade(svc, attempts, grader=grader, rubric_id=choice.rubric,
                                              on_result=progress, now=app.clock())
        except asyncio.CancelledError:
            on_done(None, f"stopped after {done} of {total}: the others are kept as they were")
            raise
        finally:
            if own:
                await grader.aclose()
        on_done(results, None)

    return app.run_worker(run(), group="regrade", exclusive=True, exit_on_error=False)
