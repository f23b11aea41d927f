"""Messages screens send up to the app. Attributes down, messages up: a screen never calls the app's methods;
it posts one of these and the app, which owns navigation and the session flow, decides what happens.

A change every open screen must show (answers re-graded or deleted, a re-grade's progress) goes up as one
message and comes back down from the app to each screen in the stack as another (`RedrawAttempts`,
`RegradeStatus`): a screen handles the ones it shows, and ignores the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.message import Message

if TYPE_CHECKING:  # the home screen is drawn before pydantic and the core models are imported
    from ..app.practice import SessionOptions
    from ..core.selection import Order

Destination = Literal["setup", "settings", "review", "history", "grade_kept"]


class Navigate(Message):
    """Open a screen or start a flow: the setup screen, settings, the review dashboard, the history, or grading
    of the answers kept for later."""

    def __init__(self, to: Destination) -> None:
        super().__init__()
        self.to: Destination = to


class StartSession(Message):
    """Start a practice session: a quick one in the given order (weakest first, due), or with full options."""

    def __init__(self, order: Order | None = None, options: SessionOptions | None = None) -> None:
        super().__init__()
        self.order = order
        self.options = options


class BackendChecked(Message):
    """The configured backend was checked (True/False), or its settings changed and it is unknown again (None)."""

    def __init__(self, ok: bool | None) -> None:
        super().__init__()
        self.ok = ok


class ShowAttempt(Message):
    """Open one attempt with its full feedback and every grade."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__()
        self.attempt_id = attempt_id


class CompareAttempts(Message):
    """Open the newest attempts at one question side by side, this one among them."""

    def __init__(self, question_id: str, attempt_id: int) -> None:
        super().__init__()
        self.question_id = question_id
        self.attempt_id = attempt_id


class AttemptsChanged(Message):
    """Up: answers were re-graded, given your own score, or deleted. The app tells every open screen
    (`RedrawAttempts`)."""


class RegradeProgress(Message):
    """Up: how a re-grade is going, in one line. The app passes it to every open screen (`RegradeStatus`)."""

    def __init__(self, text: Text | str) -> None:
        super().__init__()
        self.text = text


class RedrawAttempts(Message, bubble=False):
    """Down, from the app to each open screen: answers changed; a screen showing them reads them again."""


class RegradeStatus(Message, bubble=False):
    """Down, from the app to each open screen: a re-grade's progress line, for a screen with a status line."""

    def __init__(self, text: Text | str) -> None:
        super().__init__()
        self.text = text
