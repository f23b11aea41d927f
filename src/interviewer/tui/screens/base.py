"""The base of every screen of the app: Textual's Screen and ModalScreen, with `self.app` typed as the app
(tui.app_base.InterviewerAppBase, which InterviewerApp is built on), so the type checker knows what screens
read from it (services, clock, seed, tts_program...).

Nothing changes at run time: `app` is still Textual's own property (the active app); only its declared type
is narrowed, with Textual's `getters.app` as Textual declares its own. Screens read the app's attributes and
post messages to it; they never call its methods (docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from ..app_base import InterviewerAppBase

ResultType = TypeVar("ResultType")


class InterviewerScreen(Screen[ResultType]):
    if TYPE_CHECKING:
        app = getters.app(InterviewerAppBase)


class InterviewerModal(ModalScreen[ResultType]):
    if TYPE_CHECKING:
        app = getters.app(InterviewerAppBase)
