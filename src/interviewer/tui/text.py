"""Safe text for the screen: answers, model output and bank text are shown as plain text, never parsed as
Textual/Rich markup and never allowed to send terminal control sequences.

Everything dynamic on screen goes through `safe()` / `plain()`: markup like "[bold]" stays literal (rich Text
is not parsed), and control characters (ESC, C1 codes, bidi overrides) are replaced by a visible mark. What a
person types or pastes into the answer editor is cleaned on the way in (`clean_editor`). Both are the one rule
in interviewer.termsafe, shared with plain mode and the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..app.wording import bar
from ..core.scoring import verdict_for
from ..termsafe import clean_text, safe

if TYPE_CHECKING:
    from textual.widgets import TextArea

__all__ = ["bar", "clean_editor", "clock", "plain", "safe", "score_style", "shorten"]


def clean_editor(editor: TextArea) -> bool:
    """Remove from the editor what termsafe.clean_text removes (a paste with escape sequences or bidi
    overrides), keeping the cursor where it was relative to the text around it. True when it changed anything:
    the editor then shows exactly the text that will be stored."""
    text = editor.text
    cleaned = clean_text(text)
    if cleaned == text:
        return False
    row, col = editor.cursor_location
    lines = text.split("\n")
    before = clean_text("\n".join([*lines[:row], lines[row][:col] if row < len(lines) else ""]))
    editor.replace(cleaned, (0, 0), editor.document.end)
    new_row = before.count("\n")
    editor.move_cursor((new_row, len(before) - (before.rfind("\n") + 1)))
    return True


def plain(value: object, style: str = "") -> Text:
    """A rich Text holding the value literally (no markup), with control characters neutralised."""
    return Text(safe(value), style=style)


def clock(seconds: float | None) -> str:
    """0:42, 3:05, 1:02:03."""
    if seconds is None:
        return "-"
    s = int(round(max(0.0, seconds)))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


VERDICT_STYLE = {"interview-ready": "bold green", "solid": "bold cyan", "partial": "bold yellow",
                 "needs work": "bold red"}
"""A score's colour is its band's (core.scoring's bands, under their own names). An average shows its band by
colour only, with no verdict word: it is not an answer, and the grades in it may come from graders that name the
top band differently (core.scoring.OFFLINE_NAMES)."""


def score_style(score: float | None) -> str:
    return "dim" if score is None else VERDICT_STYLE[verdict_for(score)]


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
