"""The flow of a practice session in the app, driven by one worker that awaits each screen in turn: question ->
saved -> grading -> feedback -> follow-up -> next -> summary; and grading the answers kept for later.

A base of InterviewerApp (tui.app), kept apart so the app module stays about start-up, navigation and
commands. The rules of a session live in app.practice.Practice; an answer the database will not take goes
through tui.faults (rescue file, kept in the editor, asked again), never lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import work

from ..core.errors import InterviewerError
from .faults import AppFaults
from .text import shorten

if TYPE_CHECKING:
    from ..app.practice import Answer, Item, Practice
    from ..core.models import Attempt
    from .screens.grading import GradingOutcome


class SessionFlow(AppFaults):
    # ------------------------------------------------------------------ the session flow

    @work(exclusive=True, group="session", exit_on_error=False)
    async def run_session(self, p: Practice, restored: tuple[str, datetime | None, Attempt | None] | None = None
                          ) -> None:
        try:
            await self._session(p, restored)
        except InterviewerError as e:
            self.notify(str(e), severity="error", timeout=10)
        except Exception as e:  # a bug must not take the app down: the answers are already saved
            from ..app.faults import explain, log_bug

            known = explain(e, self.services.locations)
            if known is not None:
                self.notify(str(known), severity="error", timeout=20)
            else:
                log = log_bug(e, self.services.locations, context="the session")
                self.notify(f"The session stopped unexpectedly ({type(e).__name__}: {e}). Your answers so far are "
                            f"saved. The details are in {log}; please report it.", severity="error", timeout=20)
        finally:
            self.practice = None

    async def _session(self, p: Practice, restored) -> None:
        from ..core.models import AttemptKind
        from .screens.question import QuestionScreen
        from .screens.summary import SummaryScreen

        ended = False
        while not p.done and not ended:
            item = p.current
            if item is None:  # not done, so never
                break
            text, started, parent = restored or ("", None, None)
            restored = None
            if parent is not None and item.answer is not None:  # a restored follow-up draft
                choice = await self._follow_up(p, item, item.answer, text, started)
                ended = choice == "end"
                p.advance()
                continue
            res = await self.push_screen_wait(QuestionScreen(p, item, text=text, started_at=started))
            if res.action == "quit":
                self.keep_unsaved_text(p, item.question, res.text)
                break
            ans = self.save_answer(p, item.question, res)
            if ans is None:  # not saved (a rescue file has it): the same question again, with the text
                restored = (res.text, res.started_at, None)
                continue
            if not p.options.mock:
                if ans.attempt.kind is AttemptKind.answer:
                    await self._grade(p, [ans])
                ended = await self._feedback(p, item, ans) == "end"
            p.advance()
        pending = p.needs_grading()
        if p.options.mock and pending:
            await self._grade(p, pending)
        summary = p.finish()
        if summary.answered or any(r.kind != "unanswered" for r in summary.rows):
            await self.push_screen_wait(SummaryScreen(summary, p))
        else:
            self.notify("Session ended. Nothing was answered.")

    async def _feedback(self, p: Practice, item: Item, ans: Answer) -> str:
        from .screens.feedback import FeedbackScreen

        last = p.index + 1 >= len(p.items)
        while True:
            choice = await self.push_screen_wait(FeedbackScreen(item.question, ans, p.rubric_for(item.question),
                                                                is_last=last, position=p.position))
            if choice != "follow_up":
                return choice
            after = await self._follow_up(p, item, ans)
            if after is not None:
                return after

    async def _follow_up(self, p: Practice, item: Item, parent: Answer, text: str = "",
                         started: datetime | None = None) -> str | None:
        """Ask the follow-up; None when the person went back without answering."""
        from .screens.feedback import FeedbackScreen
        from .screens.question import QuestionScreen

        prompt = parent.grade.grade.follow_up if parent.grade else ""
        if not prompt:
            drafts = [d for d in self.services.store.drafts() if d["key"] == f"followup:{parent.attempt.id}"]
            prompt = drafts[0]["prompt"] if drafts else item.question.question
        while True:
            res = await self.push_screen_wait(QuestionScreen(p, item, parent=parent.attempt, prompt=prompt,
                                                             text=text, started_at=started))
            if res.action != "submit":
                self.keep_unsaved_text(p, item.question, res.text, prompt)
                return None
            fa = self.save_answer(p, item.question, res, parent=parent.attempt, prompt=prompt)
            if fa is not None:
                break
            text, started = res.text, res.started_at
        await self._grade(p, [fa])
        return await self.push_screen_wait(FeedbackScreen(
            item.question, fa, p.rubric_for(item.question), follow_up_allowed=False,
            is_last=p.index + 1 >= len(p.items), position=f"{p.position} follow-up"))

    async def _grade(self, p: Practice, answers: list[Answer]) -> GradingOutcome:
        from .screens.grading import GradingScreen

        labels = [(a.attempt.prompt, a) for a in answers]
        outcome = await self.push_screen_wait(GradingScreen(
            labels, p.grade, lambda: p.grader, lambda: self.services.make_grader("offline")))
        self._report(outcome)
        return outcome

    def _report(self, outcome: GradingOutcome) -> None:
        if outcome.kept:
            s = "s" if outcome.kept != 1 else ""
            self.notify(f"{outcome.kept} answer{s} saved without a grade: grade {'them' if s else 'it'} later "
                        "from the home screen (g).", timeout=6)

    # ------------------------------------------------------------------ answers kept for later

    def grade_kept(self) -> None:
        from ..app.practice import ungraded_answers

        attempts = ungraded_answers(self.services)
        if not attempts:
            self.notify("No answers are waiting for a grade.")
            return
        self.run_grade_kept(attempts)

    @work(exclusive=True, group="session", exit_on_error=False)
    async def run_grade_kept(self, attempts: list[Attempt]) -> None:
        from ..app.practice import Answer, grade_saved
        from .screens.grading import GradingScreen

        svc = self.services
        answers = [(shorten(a.prompt, 200), Answer(a)) for a in attempts]

        async def grade(ans: Answer, grader) -> object:
            return await grade_saved(svc, ans, grader)

        outcome = await self.push_screen_wait(GradingScreen(answers, grade, lambda: svc.grader,
                                                            lambda: svc.make_grader("offline")))
        graded = [a.attempt.id for _label, a in answers if a.grade is not None]
        if len(graded) == 1:  # show the grade, as after answering: the answer's full feedback
            from .screens.attempt import AttemptScreen

            self.push_screen(AttemptScreen(graded[0]))
        elif graded:
            self.notify(f"Graded {len(graded)} answers: open them from the history (h on the home screen).")
        self._report(outcome)
