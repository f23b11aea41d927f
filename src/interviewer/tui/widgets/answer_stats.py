"""The live line under the answer editor: words, estimated speaking time (labelled as an estimate: 150 words a
minute; a spoken answer's real figures are measured from the recording, see core.delivery), filler words.

Cheap enough to run on every keystroke (core.insights.live_counts is a couple of regex passes).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...core.insights import live_counts
from ..text import clock


class AnswerStats(Static):
    DEFAULT_CLASSES = "answer-stats"

    def __init__(self, text: str = "", **kw) -> None:
        super().__init__(**kw)
        self.words = self.fillers = 0
        self.seconds = 0.0
        self.show_for(text)

    def show_for(self, text: str) -> None:
        self.words, seconds, self.fillers = live_counts(text)
        self.seconds = seconds
        t = Text()
        t.append(f"{self.words} word{'s' if self.words != 1 else ''}", "bold")
        t.append(f" · ~{clock(seconds)} to say (est.) · ")
        t.append(f"{self.fillers} filler{'s' if self.fillers != 1 else ''}",
                 "yellow" if self.fillers >= 3 else "")
        # The line's size is fixed by the stylesheet (one row, 1fr wide): repaint it without re-laying out the
        # whole screen on every keystroke.
        self.update(t, layout=False)
