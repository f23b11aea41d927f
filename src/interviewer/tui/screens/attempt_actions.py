"""What the history list and the attempt screen share: the score cell, the time label, and the actions on one
attempt or session (re-grade, override, delete, compare)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from rich.text import Text

from ...app import reviewing, wording
from ...core.models import AttemptKind
from ...store.history import HistoryRow
from ..messages import AttemptsChanged, CompareAttempts, RedrawAttempts, RegradeProgress
from ..text import plain, score_style, shorten
from .base import InterviewerScreen
from .history_dialogs import ConfirmDialog, OverrideDialog, RegradeChoice, RegradeDialog, start_regrade


class Selected(Protocol):
    """What the actions need to know of the attempt they act on: a history row, or the open attempt."""

    @property
    def attempt_id(self) -> int: ...
    @property
    def session_id(self) -> int | None: ...
    @property
    def question_id(self) -> str: ...
    @property
    def kind(self) -> AttemptKind: ...
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def parent_id(self) -> int | None: ...


def score_cell(r: HistoryRow | reviewing.AttemptDetail) -> Text:
    """The score that counts (your own score marked *), or the word for why there is none (app.wording)."""
    if isinstance(r, reviewing.AttemptDetail):
        score, overridden, a = r.score, bool(r.overrides), r.attempt
        kind, status = a.kind, a.status
    else:
        score, overridden, kind, status = r.score, r.override_score is not None, r.kind, r.status
    return Text(wording.score_label(score, kind, status, overridden=overridden),
                "dim" if score is None else score_style(score))


def when(dt, *, short: bool = False) -> str:
    local = dt.astimezone()
    return f"{local:%b} {local:%d %H:%M}" if short else local.strftime("%Y-%m-%d %H:%M")


class AttemptActions(InterviewerScreen[None]):
    """Re-grade, override, delete and compare, shared by the history list and the attempt screen. The host
    says which attempt is meant (`target()`) and redraws itself in `reload()`. A change is posted to the app
    (AttemptsChanged, RegradeProgress), which tells every open screen."""

    def target(self) -> Selected | None:  # pragma: no cover - every host overrides it
        raise NotImplementedError

    def session_target(self) -> Selected | None:
        """The selected attempt when it belongs to a session; otherwise None, with a notice saying why."""
        r = self.target()
        if r is not None and r.session_id is None:
            self.notify("This attempt is not part of a session.", severity="warning")
            return None
        return r

    def _svc(self):
        return self.app.services

    def reload(self) -> None:  # pragma: no cover - every host overrides it
        raise NotImplementedError

    def on_redraw_attempts(self, _message: RedrawAttempts) -> None:
        self.reload()

    def _reload_all(self) -> None:
        self.app.post_message(AttemptsChanged())  # to the app: this screen may be closing (a delete)

    def _status(self, text: Text | str) -> None:
        self.app.post_message(RegradeProgress(text))

    # ------------------------------------------------------------------ re-grade

    def action_regrade(self) -> None:
        r = self.target()
        if r is None:
            return
        if r.kind is not AttemptKind.answer:
            self.notify("A skipped or “don't know” attempt has no answer to grade.", severity="warning")
            return
        self._regrade(reviewing.regrade_targets(self._svc(), attempt_ids=[r.attempt_id]),
                      f"Re-grade answer #{r.attempt_id}?")

    def action_regrade_ungraded(self) -> None:
        targets = reviewing.regrade_targets(self._svc(), ungraded=True)
        if not targets:
            self.notify("No answers are waiting for a grade.")
            return
        n = len(targets)
        self._regrade(targets, f"Grade the {n} answer{'s' if n != 1 else ''} saved without a grade?")

    def action_regrade_session(self) -> None:
        r = self.session_target()
        if r is None:
            return
        targets = reviewing.regrade_targets(self._svc(), session_id=r.session_id)
        if not targets:
            self.notify(f"Session {r.session_id} has no typed answers to grade.")
            return
        n = len(targets)
        self._regrade(targets, f"Re-grade the {n} answer{'s' if n != 1 else ''} of session {r.session_id}?")

    def _regrade(self, targets, what: str) -> None:
        if any(w.group == "regrade" and w.is_running for w in self.app.workers):
            self.notify("A re-grade is already running: wait for it, or press esc on the history to stop it.",
                        severity="warning")
            return

        def chosen(choice: RegradeChoice | None) -> None:
            if choice is None:
                return
            self._status(Text(f"Re-grading 0 of {len(targets)}… (esc on the history stops it)", "yellow"))
            start_regrade(self.app, targets, choice, on_progress=self._regrade_progress,
                          on_done=self._regrade_done)

        self.app.push_screen(RegradeDialog(what), chosen)

    def _regrade_progress(self, res: reviewing.RegradeResult, done: int, total: int) -> None:
        self._status(Text(f"Re-grading {done} of {total}… (esc on the history stops it)", "yellow"))

    def _regrade_done(self, results, error: str | None) -> None:
        if results is None:
            self._status(plain(f"Re-grade: {error}", "red"))
            self.app.notify(f"Re-grade: {error}", severity="error", timeout=8)
        else:
            ok = [r for r in results if r.ok]
            failed = [r for r in results if not r.ok]
            msg = f"Re-graded {len(ok)} of {len(results)}."
            if failed:
                msg += f" Not graded: {failed[0].error}" + (f" (+{len(failed) - 1} more)" if len(failed) > 1 else "")
            self._status(plain(msg, "green" if not failed else "yellow"))
            self.app.notify(msg, severity="information" if not failed else "warning", timeout=6)
        self._reload_all()

    # ------------------------------------------------------------------ override

    def action_override(self) -> None:
        r = self.target()
        if r is None:
            return
        svc = self._svc()
        d = reviewing.attempt_detail(svc, r.attempt_id, with_previous=False)
        q = d.question.question if d.question else d.attempt.prompt
        current = (d.overrides[0].score, d.overrides[0].reason) if d.overrides else None

        def submit(score: float, reason: str) -> None:
            reviewing.override(svc, r.attempt_id, score, reason, now=self.app.clock())

        def done(saved: bool | None) -> None:
            if saved:
                self.notify(f"Your score is saved for answer #{r.attempt_id}; it counts from now on.")
                self._reload_all()

        self.app.push_screen(OverrideDialog(f"Answer #{r.attempt_id}: {shorten(q, 120)}",
                                            d.grade.grade.score if d.grade else None, submit, current), done)

    # ------------------------------------------------------------------ delete

    def action_delete(self) -> None:
        r = self.target()
        if r is None:
            return
        svc = self._svc()
        fus = sum(1 for x in reviewing.history_rows(svc, limit=None, question_id=r.question_id)
                  if x.parent_id == r.attempt_id)
        extra = f" and its {fus} follow-up answer{'s' if fus != 1 else ''}" if fus else ""

        def done(yes: bool | None) -> None:
            if not yes:
                return
            reviewing.delete_attempt(svc, r.attempt_id, now=self.app.clock())
            self.notify(f"Deleted answer #{r.attempt_id}{extra}.")
            self.deleted(r.attempt_id)
            self._reload_all()

        q = reviewing.question_index(svc).get(r.question_id)
        what = f"“{shorten(q.question, 60)}”" if q else r.question_id
        self.app.push_screen(ConfirmDialog("Delete this answer?", f"Answer #{r.attempt_id} to {what}, given "
                                           f"{when(r.submitted_at)}{extra}, with every grade and override."),
                             done)

    def action_delete_session(self) -> None:
        r = self.session_target()
        if r is None:
            return
        svc = self._svc()
        sid = r.session_id
        if sid is None:  # session_target said why
            return
        n = len(reviewing.history_rows(svc, limit=None, session_id=sid))

        def done(yes: bool | None) -> None:
            if not yes:
                return
            deleted = reviewing.delete_session(svc, sid, now=self.app.clock())
            self.notify(f"Deleted session {sid} ({deleted} answer{'s' if deleted != 1 else ''}).")
            self.deleted(None, session_id=sid)
            self._reload_all()

        self.app.push_screen(ConfirmDialog("Delete this session?", f"Session {sid}: all {n} of its answers, with "
                                           "every grade and override."), done)

    def deleted(self, attempt_id: int | None, session_id: int | None = None) -> None:
        """Hook: an attempt (or a session) is gone."""

    # ------------------------------------------------------------------ compare

    def action_compare(self) -> None:
        r = self.target()
        if r is None:
            return
        self.post_message(CompareAttempts(r.question_id, r.attempt_id))
