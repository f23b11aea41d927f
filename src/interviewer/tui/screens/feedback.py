"""Feedback for one answer: everything in the grade (see widgets.feedback_view), then next question, answer
the follow-up (saved as a linked attempt and graded the same way), or end the session.

Dismisses with "next", "follow_up", "end" or "back" (when opened from the summary to review an answer).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header

from ...app.practice import Answer
from ...core.models import Question
from ..keys import SCROLL_BINDINGS
from ..widgets.feedback_view import FeedbackView
from ..widgets.footer import Footer
from .base import InterviewerScreen


class FeedbackScreen(InterviewerScreen[str]):
    BINDINGS = [
        Binding("n,enter", "next", "Next", tooltip="The next question (or the summary after the last)."),
        Binding("f", "follow_up", "Answer follow-up", tooltip="Answer the follow-up question: saved and graded "
                "as a follow-up to this answer."),
        Binding("escape", "end", "End session", tooltip="End the session and see its summary."),
        *SCROLL_BINDINGS,
    ]
    HELP = ("The grade of your answer: the score out of 100 and its verdict, each criterion with its level "
            "(or 'not assessed' where this grader cannot judge it), the key points with the words of your answer "
            "that show them, misconceptions, wording, a stronger answer, the reference and a follow-up question. "
            "F1 then g: how grading works.")

    def __init__(self, question: Question, answer: Answer, rubric, *, follow_up_allowed: bool = True,
                 review: bool = False, is_last: bool = False, position: str = "") -> None:
        super().__init__()
        self.question = question
        self.answer = answer
        self.rubric = rubric
        self.follow_up_allowed = follow_up_allowed
        self.review = review
        self.is_last = is_last
        self.position = position

    @property
    def has_follow_up(self) -> bool:
        g = self.answer.grade
        return bool(self.follow_up_allowed and g is not None and g.grade.follow_up)

    def compose(self) -> ComposeResult:
        g = self.answer.grade
        yield Header()
        with VerticalScroll(id="feedback-body"):
            yield FeedbackView(self.question, self.answer.attempt, g.grade if g else None, self.rubric,
                               error=self.answer.error or self.answer.attempt.error,
                               follow_up_allowed=self.follow_up_allowed, delivery=self.answer.delivery,
                               id="feedback")
        with Horizontal(classes="actions"):
            if self.review:
                yield Button("Back", id="next", variant="primary", compact=True)
            else:
                yield Button("Summary" if self.is_last else "Next question", id="next", variant="primary",
                             compact=True)
            if self.has_follow_up:
                yield Button("Answer follow-up", id="follow_up", compact=True)
            if not self.review:
                yield Button("End session", id="end", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"feedback {self.position}".strip()
        self.query_one("#feedback-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "follow_up":
            return self.has_follow_up
        if action == "end":
            return not self.review
        return True

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#feedback-body", VerticalScroll)
        getattr(body, f"scroll_{how}")()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def action_next(self) -> None:
        self.dismiss("back" if self.review else "next")

    def action_follow_up(self) -> None:
        if self.has_follow_up:
            self.dismiss("follow_up")

    def action_end(self) -> None:
        self.dismiss("back" if self.review else "end")


class ReviewFeedbackScreen(FeedbackScreen):
    """The same feedback opened from the summary: Esc / Enter go back to the summary."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the summary."),
        Binding("n,enter", "back", "Back", show=False),
    ]

    def __init__(self, question: Question, answer: Answer, rubric, *, position: str = "") -> None:
        super().__init__(question, answer, rubric, follow_up_allowed=False, review=True, position=position)

    def action_back(self) -> None:
        self.dismiss("back")
