"""What the app does when something fails under it: no traceback, no lost answer, a message that says where.

The app's side of the one fault model (app.faults names a fault or logs a bug; cli.report prints what ended
the app). `AppFaults` is the base of InterviewerApp (through tui.session_flow):

- `_handle_exception`: the last resort, for an error nothing caught (a handler, a screen, a worker that exits
  on error). Textual stops the message loop that raised, so the app ends, but without Textual's traceback:
  the error is kept in `fault` (a bug's traceback goes to the log) and tui.run raises it, so it is reported
  like any command-line error: the fault in one line (exit 2), or a bug with the log file's path (exit 1).
- `worker_failed`: a background job that failed without saying so (the home figures, a schedule sync, the
  backend check: Textual drops the errors of workers started with exit_on_error=False) becomes a notification
  with the fault's own words, or for a bug the log's path. The app's worker manager reports every worker that
  ends in an error (`_ReportingWorkers`); the grading screen's own worker is left to it (retry/offline/keep).
- `save_answer`: an answer the database will not take (disk full, read-only, locked, damaged) is written to a
  rescue file (app.rescue) and stays in the editor; the person is told both, and what to fix.
- `keep_unsaved_text`: text left in the editor when a session ends, whose draft could not be saved, goes to a
  rescue file too; `rescue_on_hangup` does the same when the terminal goes away (tui.run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState
from textual.worker_manager import WorkerManager

from ..app.faults import explain, log_bug
from ..core.errors import InterviewerError
from .app_base import InterviewerAppBase

if TYPE_CHECKING:
    from ..app.practice import Answer, Practice
    from ..core.models import Attempt, Question
    from ..locations import Locations
    from .screens.question import QuestionResult

SELF_REPORTING = {"grading", "load-services"}
"""Worker groups that report their own failures (the grading screen; the start-up loader ends the app)."""


class _ReportingWorkers(WorkerManager):
    """Textual's worker manager, telling the app about every worker that ends in an error (it hears of each
    finished worker here: `_remove_worker` is the manager's done callback)."""

    def _remove_worker(self, worker: Worker) -> None:
        super()._remove_worker(worker)
        if worker.state is WorkerState.ERROR and not worker.exit_on_error:
            report = getattr(self._app, "worker_failed", None)
            if report is not None:
                report(worker)


class AppFaults(InterviewerAppBase):
    fault: BaseException | None = None
    """The error that ended the app (tui.run raises it after the app has closed)."""

    def _locations(self) -> Locations | None:
        svc = getattr(self, "_services", None)
        return getattr(svc, "locations", None)

    # ------------------------------------------------------------------ the last resort

    def _handle_exception(self, error: Exception) -> None:
        # Textual stops the message loop that raised: the app cannot go on, so it ends cleanly. Faults that can
        # be met mid-session (an answer the database refuses, an autosave) are caught where they happen.
        if self.fault is None:
            known = explain(error, self._locations())
            if known is None:
                log_bug(error, self._locations(), context="the app")
            self.fault = known if known is not None else error
        super()._handle_exception(error)  # ends the app (and lets Pilot tests see it)
        # no traceback over the terminal: tui.run raises the fault and cli.report says it in one line
        getattr(self, "_exit_renderables", []).clear()
        self._return_code = 1 if self.fault is error and not isinstance(error, InterviewerError) else 2

    # ------------------------------------------------------------------ background jobs

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._workers = _ReportingWorkers(self)  # App.workers reads this

    def worker_failed(self, worker: Worker) -> None:
        """A background job ended in an error that nobody reported (workers started with exit_on_error=False
        drop their errors silently): say what happened, with the log's path for a bug."""
        err = worker.error
        if worker.group in SELF_REPORTING or err is None or not getattr(self, "is_running", False):
            return
        known = explain(err, self._locations())
        if known is not None:
            self.notify(known.message + (f"\n→ {known.hint}" if known.hint else ""), severity="error",
                        timeout=20)
            return
        log = log_bug(err, self._locations(), context=f"worker {worker.name or worker.group}")
        self.notify(f"Something went wrong in the background ({type(err).__name__}: {err}). Your answers are "
                    f"saved. The details are in {log}; please report it.", severity="error", timeout=20)

    # ------------------------------------------------------------------ answers the database will not take

    def save_answer(self, practice: Practice, question: Question, res: QuestionResult, *,
                    parent: Attempt | None = None, prompt: str | None = None) -> Answer | None:
        """Submit the answer (Practice.submit); None when the database would not take it: it is then in a
        rescue file and the caller shows it in the editor again."""
        from ..core.errors import DatabaseError

        try:
            return practice.submit(question, res.text, kind=res.kind, started_at=res.started_at, parent=parent,
                                   prompt=prompt)
        except DatabaseError as e:
            where = self._rescue(practice, question, res.text, e, prompt)
            fix = e.hint[:1].upper() + e.hint[1:] if e.hint else "Fix it"
            self.notify(f"Your answer was NOT saved: {e.message}.\n{where} It is still in the editor. {fix}; "
                        "then Ctrl+S saves it (Esc ends the session).", title="Not saved", severity="error",
                        timeout=60)
            return None

    def keep_unsaved_text(self, practice: Practice, question: Question, text: str,
                          prompt: str | None = None) -> None:
        """The session ends with text in the editor that could not be saved as a draft: rescue it."""
        err = practice.draft_error
        if err is None or not text.strip():
            return
        where = self._rescue(practice, question, text, err, prompt)
        self.notify(f"Your unfinished answer could not be kept as a draft ({err.message}). {where}",
                    severity="error", timeout=60)

    def rescue_on_hangup(self) -> None:
        """The terminal went away (tui.run): if the open question's draft could not be saved, rescue its text."""
        screen = getattr(self, "screen", None)
        practice = getattr(screen, "practice", None)
        item = getattr(screen, "item", None)
        if practice is None or item is None or getattr(practice, "draft_error", None) is None:
            return
        try:
            text = screen.text  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the screen may be half torn down
            return
        from ..app.rescue import rescue_answer

        rescue_answer(getattr(self._locations(), "data_dir", None), text, question_id=item.question.id,
                      prompt=getattr(screen, "prompt", ""), reason=practice.draft_error.message)

    def _rescue(self, practice: Practice, question: Question, text: str, err: InterviewerError,
                prompt: str | None) -> str:
        from ..app.rescue import rescue_answer

        if not text.strip():
            return ""
        loc = self._locations()
        path = rescue_answer(getattr(loc, "data_dir", None), text, question_id=question.id,
                             prompt=prompt or question.question, reason=err.message)
        return f"A copy is in {path}." if path else "No folder could take a copy either."

