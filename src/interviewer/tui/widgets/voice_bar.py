"""The line under the answer editor that says what the microphone is doing: listening (a red dot, the
elapsed time, the input level as a bar), transcribing (with progress, or the model loading / downloading
on first use), what went wrong and what to do, or how many takes the answer has so far.

Rendering only: the question screen (tui.screens.question_voice) drives it. Hidden while there is nothing to
say, so a typed answer's screen looks as it always did.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..text import bar, clock, plain

METER_WIDTH = 12


class VoiceBar(Static):
    DEFAULT_CSS = """
    VoiceBar { height: auto; padding: 0 1; display: none; }
    VoiceBar.-shown { display: block; }
    VoiceBar.-listening { color: $text; background: $error 15%; }
    VoiceBar.-problem { color: $warning; }
    """

    state: str = "idle"

    def _show(self, text: Text, state: str) -> None:
        self.state = state
        for s in ("listening", "problem"):
            self.set_class(state == s, f"-{s}")
        self.set_class(bool(text.plain), "-shown")
        self.update(text)

    def listening(self, seconds: float, meter: float, take: int, note: str = "") -> None:
        t = Text()
        t.append("● ", "bold red")
        t.append(f"Listening (take {take}) ", "bold")
        t.append(clock(seconds), "bold")
        t.append("  ")
        t.append(bar(meter, METER_WIDTH), "green" if meter < 0.85 else "red")
        t.append("  Ctrl+T stops · Esc discards this take", "dim")
        if note:
            t.append("\n")
            t.append(plain(note, "dim"))
        self._show(t, "listening")

    def working(self, message: str, fraction: float | None = None) -> None:
        t = Text("◌ ", "bold")
        t.append(plain(message))
        if fraction is not None:
            t.append(f"  {bar(fraction, METER_WIDTH)} {fraction * 100:.0f}%")
        t.append("  (Esc stops; the take is kept)", "dim")
        self._show(t, "working")

    def problem(self, message: str, hint: str = "") -> None:
        t = Text("! ", "bold")
        t.append(plain(message))
        if hint:
            t.append("\n→ ", "dim")
            t.append(plain(hint, "dim"))
        self._show(t, "problem")

    def summary(self, takes: int, seconds: float, note: str = "") -> None:
        if not takes and not note:
            self._show(Text(""), "idle")
            return
        t = Text()
        if takes:
            t.append(f"Spoken: {takes} take{'s' if takes != 1 else ''}, {clock(seconds)}", "bold")
            t.append(" · edit the text freely · Ctrl+T adds a take", "dim")
        if note:
            if takes:
                t.append("\n")
            t.append(plain(note, "dim"))
        self._show(t, "idle")
