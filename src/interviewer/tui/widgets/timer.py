"""The per-answer timer: elapsed time, and with a target (countdown mode) the time left, turning red when over.

It never submits for the person: running over is shown, not punished. Time comes from the app's injected
clock so tests and snapshots can freeze it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from ..text import clock


class AnswerTimer(Static):
    DEFAULT_CLASSES = "answer-timer"

    def __init__(self, started_at: datetime, target_s: int, now: Callable[[], datetime], **kw) -> None:
        super().__init__(**kw)
        self.started_at = started_at
        self.target_s = target_s
        self.now = now

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(0.5, self.tick)

    @property
    def elapsed(self) -> float:
        return max(0.0, (self.now() - self.started_at).total_seconds())

    def show(self, text: Text) -> None:
        """Repaint; lay the screen out again only when the text's width changes (the timer is `width: auto`)."""
        width = text.cell_len
        self.update(text, layout=width != getattr(self, "_width", None))
        self._width = width

    def tick(self) -> None:
        e = self.elapsed
        if not self.target_s:
            self.show(Text(f"time {clock(e)}"))
            return
        left = self.target_s - e
        over = left < 0
        self.set_class(over, "over")
        self.set_class(not over and left <= 15, "nearly")
        if over:
            self.show(Text(f"time {clock(e)} · over by {clock(-left)}", "bold red"))
        else:
            self.show(Text(f"time {clock(e)} · {clock(left)} left of {clock(self.target_s)}"))
