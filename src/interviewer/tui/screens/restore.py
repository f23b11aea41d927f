"""Offered at start when an unfinished answer was left behind (the app was closed or killed mid-answer):
restore it, discard it, or decide later. Dismisses with "restore", "discard" or "later"."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ...app.practice import draft_takes
from ...core.insights import live_counts
from ..text import plain, shorten
from .base import InterviewerModal


def saved_at(value: object) -> str:
    """When the draft was last saved, in local time like every other date on screen."""
    from datetime import datetime

    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


class RestoreDraftScreen(InterviewerModal[str]):
    BINDINGS = [
        Binding("r,enter", "choose('restore')", "Restore", tooltip="Open this question with what you had typed, "
                "and carry on."),
        Binding("d", "choose('discard')", "Discard", tooltip="Delete the unfinished answer (and its recording)."),
        Binding("escape,l", "choose('later')", "Later", tooltip="Keep it; the app offers it again next time."),
    ]
    HELP = "An answer you were typing when the app closed, saved as you typed. Nothing is lost until you discard it."

    def __init__(self, draft: dict[str, Any], more: int = 0) -> None:
        super().__init__()
        self.draft = draft
        self.more = more

    def compose(self) -> ComposeResult:
        d = self.draft
        words = live_counts(d["text"])[0]
        takes = len(draft_takes(d))
        spoken = f" and its recording ({takes} take{'s' if takes != 1 else ''})" if takes else ""
        t = Text()
        t.append("You have an unfinished answer", "bold")
        t.append(f" ({words} word{'s' if words != 1 else ''}{spoken}, last saved {saved_at(d['updated_at'])})")
        t.append("\n\n")
        t.append(plain(shorten(d.get("prompt") or d["question_id"], 160), "italic"))
        t.append("\n\n")
        t.append(plain(shorten(d["text"], 240)))
        if self.more:
            t.append(f"\n\n{self.more} more unfinished answer{'s' if self.more != 1 else ''} after this one.",
                     "dim")
        with Vertical(id="restore-box", classes="dialog"):
            yield Static(t, id="restore-text")
            with Horizontal(classes="actions"):
                yield Button("Restore", id="restore", variant="primary", compact=True)
                yield Button("Discard", id="discard", variant="error", compact=True)
                yield Button("Later", id="later", compact=True)

    def on_mount(self) -> None:
        for box in self.query("#restore-box"):
            box.border_title = "Restore draft?"
        for button in self.query("#restore"):
            button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")

    def action_choose(self, what: str) -> None:
        self.dismiss(what)
