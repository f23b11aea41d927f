"""What every part of the app may read from it, declared once: InterviewerApp (tui.app) is built on this class,
and screens see `self.app` as it (tui.screens.base). Kept apart from tui.app so a screen can name the app's type
without importing the module that imports the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from ..app.practice import Practice
    from ..app.services import Services


class InterviewerAppBase(App[None]):
    clock: Callable[[], datetime]
    autosave_interval: float
    tts_program: str | None
    seed: int | None
    check_backend_on_start: bool
    practice: Practice | None
    """The session in progress (None on the home screen)."""

    if TYPE_CHECKING:  # InterviewerApp's, loaded after the first paint

        @property
        def services(self) -> Services: ...

        @property
        def services_ready(self) -> bool: ...
