"""Home: the bank at a glance with the active grader (and a warning when its server is unreachable), the topics,
and the ways in: practise, weakest first, due for review, grade the answers kept for later, review, history,
settings.

Drawn before anything is loaded: when the app starts without its services (`interviewer`), the bank panel says
"Reading your bank and history…" until the app posts ServicesReady, then the figures fill in. The backend check runs in a
worker after that, so a slow or dead server never delays the start. Nothing here imports pydantic at import time.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header

from ...core.weak import WEAK_BELOW
from ..messages import BackendChecked, Destination, Navigate, StartSession
from ..text import plain
from ..widgets.footer import Footer
from ..widgets.overview import BankOverview, TopicsTable, grader_line
from .base import InterviewerScreen


class ServicesReady(Message):
    """The app's services (config, bank, database) are loaded: screens drawn before them can fill in."""


class HomeScreen(InterviewerScreen[None]):
    BINDINGS = [
        Binding("p", "practice", "Practise", tooltip="Choose topics, how many questions, the order, difficulty, a "
                "timer and mock-interview mode, then start."),
        Binding("w", "weakest", "Weakest first", tooltip="Start a session of your weakest questions at once."),
        Binding("d", "due", "Due", tooltip="Start a session of the questions due for review (spaced repetition)."),
        Binding("g", "grade_pending", "Grade kept", tooltip="Grade the answers saved without a grade (grading "
                "was stopped, failed or kept for later)."),
        Binding("r", "go('review')", "Review", tooltip="Your progress: topics weakest first, the score trend, "
                "what you often leave out, what is due."),
        Binding("h", "go('history')", "History", tooltip="Every answer you gave, with its feedback; re-grade, "
                "dispute or delete."),
        Binding("s", "settings", "Settings", tooltip="The grader (offline or a model), model, server, key "
                "variable, timer and rubric."),
        Binding("q", "app.quit", "Quit", tooltip="Leave the app. Everything is already saved."),
    ]
    HELP = ("The home screen: your bank at a glance and the ways in. Scores and mastery are out of 100; a topic "
            f"is weak when you have practised it and its mastery is below {WEAK_BELOW:g}.")

    backend_status: Text | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home-body"):
            yield BankOverview(Text("Reading your bank and history…", "dim"), id="overview", classes="panel")
            yield TopicsTable(id="topics", classes="panel")
        with Horizontal(id="home-actions", classes="actions"):
            yield Button("Practise", id="practice", variant="primary", compact=True)
            yield Button("Weakest first", id="weakest", compact=True)
            yield Button("Due", id="due", compact=True)
            yield Button("Grade kept", id="grade_pending", compact=True)
            yield Button("Review", id="review", compact=True)
            yield Button("History", id="history", compact=True)
            yield Button("Settings", id="settings", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#overview").border_title = "Your bank"
        self.query_one("#topics").border_title = "Topics"
        if self.app.services_ready:
            self.on_services_ready()
        else:
            self.query_one("#topics").display = False
            self.query_one("#grade_pending", Button).display = False

    def on_services_ready(self, _message: ServicesReady | None = None) -> None:
        self.refresh_figures()
        self.call_after_refresh(self.check_backend)

    def on_screen_resume(self) -> None:
        if self.app.services_ready:
            self.refresh_figures()

    def refresh_figures(self, sync: bool | None = None) -> None:
        """Redraw the figures. The due count comes from the FSRS schedule brought up to date first; when cards
        must be replayed (answers graded elsewhere since), the first paint shows the stored schedule and a
        worker imports fsrs off the UI thread, syncs, and redraws."""
        from ...app.practice import bank_overview
        from ...app.practice_schedule import schedule_is_current
        from ...app.reviewing import ungraded_count

        svc = self.app.services
        self.pending = ungraded_count(svc)  # counted in SQL: building every kept answer cost 0.35 s at 100k
        if sync is None:
            sync = schedule_is_current(svc)
            if not sync:
                self.sync_schedule()
        self.overview = bank_overview(svc, None, self.app.clock(), sync=sync)
        self.show_overview()
        topics = self.query_one(TopicsTable)
        topics.show(self.overview)
        topics.display = True
        self.query_one("#grade_pending", Button).display = self.pending > 0
        self.refresh_bindings()

    def show_overview(self) -> None:
        grader = grader_line(self.app.services.config.grader, self.backend_status)
        self.query_one(BankOverview).show(self.overview, self.pending, grader)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "grade_pending":
            return getattr(self, "pending", 0) > 0
        return True

    @work(exclusive=True, group="schedule-sync", exit_on_error=False)
    async def sync_schedule(self) -> None:
        from ...app.practice_schedule import sync_schedule_off_thread

        await sync_schedule_off_thread(self.app.services, self.app.clock())
        self.refresh_figures(sync=True)

    @work(exclusive=True, group="backend-check", exit_on_error=False)
    async def check_backend(self) -> None:
        """Build the grader (imports LLM clients off the UI thread) and run its health checks."""
        svc = self.app.services
        if svc.config.grader.backend == "offline" or not self.app.check_backend_on_start:
            self.set_backend_status(None)
            return
        self.set_backend_status(Text("checking the server…", "dim"))
        try:
            grader = await asyncio.to_thread(lambda: svc.grader)
            checks = await grader.check()
        except Exception as e:  # any failure here is a warning, never a crash
            msg = getattr(e, "message", None) or f"{type(e).__name__}: {e}"
            checks = [("grader", False, msg)]
        failed = [(name, detail) for name, ok, detail in checks if not ok]
        if failed:
            t = Text()
            t.append("⚠ The grader's server is not ready: ", "bold yellow")
            t.append(plain("; ".join(f"{name}: {detail}" for name, detail in failed[:2]), "yellow"))
            t.append("\nGrading will fail until this is fixed: press s for settings.", "dim")
            self.set_backend_status(t)
            self.post_message(BackendChecked(False))
        else:
            self.set_backend_status(Text("✓ server ready", "green"))
            self.post_message(BackendChecked(True))

    def set_backend_status(self, status: Text | None) -> None:
        self.backend_status = status
        if getattr(self, "overview", None) is not None:
            self.show_overview()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        await self.run_action(f"go('{bid}')" if bid in ("review", "history") else bid)

    def action_go(self, to: Destination) -> None:
        self.post_message(Navigate(to))

    def action_practice(self) -> None:
        self.post_message(Navigate("setup"))

    def action_weakest(self) -> None:
        from ...core.selection import Order

        self.post_message(StartSession(Order.weakest))

    def action_due(self) -> None:
        from ...core.selection import Order

        self.post_message(StartSession(Order.due))

    def action_grade_pending(self) -> None:
        self.post_message(Navigate("grade_kept"))

    def action_settings(self) -> None:
        self.post_message(Navigate("settings"))
