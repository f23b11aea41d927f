"""The Textual app. `make_app(services, **kw)` is the one factory used by the CLI and the tests.

The app owns the *flow* of a practice session (question -> saved -> grading -> feedback -> follow-up -> next ->
summary), driven by one worker that awaits each screen in turn; the rules of a session live in
`interviewer.app.practice.Practice`, the figures in the core, the SQL in the store. Screens only show and ask.

Startup paints first. Given a `load_services` callable instead of services (what `interviewer` does), the app
draws the home screen before the config, pydantic, the bank or the database are touched, then builds the
services in a thread (config, bank, the database's integrity check, backup and migrations) and the home screen
fills in its figures. Anything that needs the services before then waits for them (`services` blocks until the
thread is done). Nothing here imports a grader or an LLM client; the configured backend is built and checked in
a worker after the home screen is drawn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..core.errors import InterviewerError
from .messages import (
    AttemptsChanged,
    BackendChecked,
    CompareAttempts,
    Navigate,
    RedrawAttempts,
    RegradeProgress,
    RegradeStatus,
    ShowAttempt,
    StartSession,
)
from .screens.home import HomeScreen, ServicesReady
from .session_flow import SessionFlow

if TYPE_CHECKING:
    from ..app.practice import Practice, SessionOptions
    from ..app.services import Services
    from ..core.selection import Order

# The other screens, and everything that needs pydantic (the core models, the practice controller), are imported
# when first needed: the home screen is drawn without them.


def utcnow() -> datetime:
    return datetime.now(UTC)


class InterviewerApp(SessionFlow):
    TITLE = "interviewer"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "toggle_help", "Help", tooltip="The keys of this screen and what each does; g there: how "
                "grading works."),
        Binding("question_mark", "toggle_help", "Help", show=False),
    ]

    def __init__(self, services: Services | None = None, *, load_services: Callable[[], Services] | None = None,
                 clock: Callable[[], datetime] = utcnow, autosave_interval: float = 3.0,
                 tts_program: str | None = "auto", start: SessionOptions | str | None = None,
                 check_backend: bool = True, offer_drafts: bool = True, seed: int | None = None,
                 theme: str | None = None) -> None:
        super().__init__()
        self._start_theme = theme if theme is not None else (services.config.ui.theme if services else "")
        """The colour theme to start with (config.toml's [ui] theme; tui.theme); a change is saved there."""
        self._theme_ready = False
        if services is None and load_services is None:
            raise ValueError("give services or load_services")
        self._services = services
        self._load_services = load_services
        self._services_lock = threading.Lock()
        self._heap_lock = threading.Lock()
        self._unmounted = False
        self.startup_error: BaseException | None = None
        """What stopped the services from loading (a bad config.toml, a damaged database): the app exits and
        tui.run raises it, so it is reported like any command-line error."""
        self.clock = clock
        self.autosave_interval = autosave_interval
        if tts_program == "auto":
            from .tts import find_tts

            tts_program = find_tts()
        self.tts_program = tts_program
        self.start_options = start
        self.check_backend_on_start = check_backend
        self.offer_drafts_on_start = offer_drafts
        self.seed = seed
        self.backend_ok: bool | None = None
        self.practice: Practice | None = None

    # ------------------------------------------------------------------ services, loaded after the first paint

    @property
    def services(self) -> Services:
        """The services (config, banks, store, grader). When the app was started with `load_services` and they
        are not loaded yet, this waits for the loading thread (or loads them here if it has not started)."""
        return self._services or self._build_services()

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value

    @property
    def services_ready(self) -> bool:
        return self._services is not None

    def _build_services(self) -> Services:
        """Build the services and open what the home screen needs (the bank, the database with its start-up
        checks), once, whichever thread asks first."""
        with self._services_lock:
            if self._services is not None:
                return self._services
            assert self._load_services is not None  # __init__ was given services or load_services
            svc = self._load_services()
            svc.check_practice()  # the bank and its rubrics: a missing one ends the start with one message
            svc.store  # noqa: B018 - integrity check, daily backup, migrations; locked, read-only, full: said here
            from ..app import practice, reviewing  # noqa: F401 - the home figures' modules, imported here too

            self._services = svc
            return svc

    @work(thread=True, exclusive=True, group="load-services", exit_on_error=False)
    def load_services_in_thread(self) -> None:
        try:
            self._build_services()
        except BaseException as e:  # noqa: BLE001 - reported on the UI thread, then the app exits
            self.call_from_thread(self._services_failed, e)
            return
        self.call_from_thread(self._services_loaded)

    def _services_failed(self, error: BaseException) -> None:
        self.startup_error = error
        self.exit(return_code=2 if isinstance(error, InterviewerError) else 1)

    def _services_loaded(self) -> None:
        for screen in self.screen_stack:
            screen.post_message(ServicesReady())
        self._after_start()

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        if self._start_theme in self.available_themes:
            self.theme = self._start_theme
        self._theme_ready = True
        self.push_screen(HomeScreen())
        if not self.services_ready:
            self.call_after_refresh(self.load_services_in_thread)  # paint the home screen first
            return
        self._after_start()

    def _after_start(self) -> None:
        if isinstance(self.start_options, str):
            self.navigate(self.start_options)
        elif self.start_options is not None:
            self.start_session(self.start_options)
        elif self.offer_drafts_on_start:
            self.call_after_refresh(self.offer_drafts)
        self.call_after_refresh(self.import_screens)

    @work(thread=True, group="import-screens", exit_on_error=False)
    def import_screens(self) -> None:
        """Import the screens a person opens next while they read the home screen, so the first open of each
        (the review dashboard above all) does not pay for its modules. Imports are thread-safe; nothing here
        touches the app."""
        from .screens import attempt, feedback, history, question, review, setup, summary  # noqa: F401
        from .screens import help as help_screen  # noqa: F401

        self.freeze_heap()

    def freeze_heap(self) -> None:
        """Move what the start-up built (modules, the bank, the services, the home screen) out of the garbage
        collector's sight, once, after a full collection (gc.freeze). A full collection walks every tracked
        object: ~90,000 here, 40-75 ms on a 2-core machine, and one landed in about every other opening of the
        review dashboard. Frozen objects are not walked; those still alive at exit are handed back (unfreeze)."""
        import gc

        with self._heap_lock:  # called from the import thread: never after on_unmount's unfreeze
            if self._unmounted:
                return
            gc.collect()
            gc.freeze()

    def on_unmount(self) -> None:
        import gc

        with self._heap_lock:
            self._unmounted = True
            gc.unfreeze()  # another app in this process (the tests) collects this one's start-up objects normally

    def offer_drafts(self) -> None:
        from ..app.practice import discard_stored_draft, restorable_drafts

        drafts = restorable_drafts(self.services)
        if not drafts or self.practice is not None:
            return
        draft = drafts[0]

        def chosen(what: str | None) -> None:
            if what == "restore":
                self.restore_draft(draft)
            elif what == "discard":
                takes = discard_stored_draft(self.services, draft)
                self.notify("Draft discarded" + (f", with its recording ({takes} take{'s' if takes != 1 else ''})."
                                                 if takes else "."))
                self.call_after_refresh(self.offer_drafts)

        from .screens.restore import RestoreDraftScreen

        self.push_screen(RestoreDraftScreen(draft, more=len(drafts) - 1), chosen)

    def restore_draft(self, draft: dict[str, Any]) -> None:
        from ..app.practice import SessionOptions, resume_draft
        from ..core.selection import Order

        opts = SessionOptions(count=1, order=Order.in_order, timer_s=self.services.config.practice.timer)
        try:
            practice, parent = resume_draft(self.services, draft, clock=self.clock, options=opts)
        except InterviewerError as e:
            self.notify(e.message, severity="error")
            return
        started = datetime.fromisoformat(draft["started_at"]) if draft.get("started_at") else None
        self.practice = practice
        self.run_session(practice, restored=(draft["text"], started, parent))

    # ------------------------------------------------------------------ commands

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("How grading works", "The score, the verdicts and what each grader judges",
                            self.show_grading_help)
        if self.practice is None:
            from ..core.selection import Order

            yield SystemCommand("Start practice", "Choose topics, order and timer, then practise", self.open_setup)
            yield SystemCommand("Weakest first", "A session of your weakest questions",
                                lambda: self.quick_session(Order.weakest))
            yield SystemCommand("Due for review", "A session of the questions due for review",
                                lambda: self.quick_session(Order.due))
            yield SystemCommand("Grade answers kept for later", "Grade saved answers that have no grade yet",
                                self.grade_kept)
            yield SystemCommand("Settings", "Grader, model, base URL, key variable, timer, rubric",
                                self.open_settings)
            yield SystemCommand("Review", "Open the review dashboard", lambda: self.navigate("review"))
            yield SystemCommand("History", "Open the history of your answers", lambda: self.navigate("history"))

    def watch_theme(self, name: str) -> None:
        """A theme chosen in the command palette is kept for the next start (tui.theme)."""
        if self._theme_ready and self.services_ready:
            from .theme import remember

            remember(self, name)

    def action_toggle_help(self) -> None:
        """F1: this screen's keys and what each does (tui.screens.help); F1 again closes it."""
        from .screens.help import GradingHelpScreen, HelpScreen

        if isinstance(self.screen, HelpScreen | GradingHelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.screen))

    def show_grading_help(self) -> None:
        from .screens.help import GradingHelpScreen

        self.push_screen(GradingHelpScreen())

    def open_setup(self) -> None:
        from ..app.practice import SessionOptions

        def chosen(opts: SessionOptions | None) -> None:
            if opts is not None:
                self.start_session(opts)

        from .screens.setup import SetupScreen

        self.push_screen(SetupScreen(SessionOptions(count=self.services.config.practice.questions,
                                                    timer_s=self.services.config.practice.timer,
                                                    seed=self.seed)), chosen)

    def navigate(self, to: str) -> None:
        """Open what a screen asked for (see tui.messages.Navigate); the app owns navigation."""
        if to == "setup":
            self.open_setup()
        elif to == "settings":
            self.open_settings()
        elif to == "grade_kept":
            self.grade_kept()
        elif to == "review":
            from .screens.review import ReviewScreen

            self.push_screen(ReviewScreen())
        elif to == "history":
            from .screens.history import HistoryScreen

            self.push_screen(HistoryScreen())
        else:
            raise ValueError(f"no screen called {to!r}")

    def on_navigate(self, message: Navigate) -> None:
        self.navigate(message.to)

    def on_start_session(self, message: StartSession) -> None:
        if message.options is not None:
            self.start_session(message.options)
        elif message.order is not None:
            self.quick_session(message.order)

    def on_show_attempt(self, message: ShowAttempt) -> None:
        from .screens.attempt import AttemptScreen

        self.push_screen(AttemptScreen(message.attempt_id))

    def on_compare_attempts(self, message: CompareAttempts) -> None:
        from .screens.attempt import CompareScreen

        self.push_screen(CompareScreen(message.question_id, message.attempt_id))

    def on_backend_checked(self, message: BackendChecked) -> None:
        self.backend_ok = message.ok

    def on_attempts_changed(self, _message: AttemptsChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(RedrawAttempts())

    def on_regrade_progress(self, message: RegradeProgress) -> None:
        for screen in self.screen_stack:
            screen.post_message(RegradeStatus(message.text))

    def open_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def quick_session(self, order: Order) -> None:
        from ..app.practice import SessionOptions

        p = self.services.config.practice
        self.start_session(SessionOptions(count=p.questions, order=order, timer_s=p.timer, seed=self.seed))

    def start_session(self, options: SessionOptions) -> None:
        if self.practice is not None:
            return
        if options.seed is None:
            options.seed = self.seed
        from ..app.practice import Practice

        try:
            practice = Practice.start(self.services, options, clock=self.clock)
        except InterviewerError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        if practice.note:
            self.notify(practice.note, timeout=8)
        self.practice = practice
        self.run_session(practice)

def make_app(services: Services | None, **kw: Any) -> InterviewerApp:
    return InterviewerApp(services, **kw)
