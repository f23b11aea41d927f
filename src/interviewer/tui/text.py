"""Safe text for the screen: answers, model output and bank text are shown as plain text, never parsed as
Textual/Rich markup and never allowed to send terminal control sequences.

Everything dynamic on screen goes through `safe()` / `plain()`: markup like "[bold]" stays literal (rich Text
is not parsed), and control characters (ESC, C1 codes, bidi overrides) are replaced by a visible mark.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab/newline, DEL, C1 controls, and the bidi/isolate overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(value: object) -> str:
    """The string with terminal control characters made visible (as '\ufffd')."""
    return _UNSAFE.sub("\ufffd", str(value))


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


def score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    if score >= 80:
        return "bold green"
    if score >= 60:
        return "bold cyan"
    if score >= 40:
        return "bold yellow"
    return "bold red"


def bar(fraction: float, width: int = 10) -> str:
    fraction = min(1.0, max(0.0, fraction))
    full = int(round(fraction * width))
    return "█" * full + "░" * (width - full)


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
