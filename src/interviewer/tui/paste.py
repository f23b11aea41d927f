"""A bracketed paste arrives whole, escape sequences and all, as one Paste event.

Textual's input parser (8.x) reads an ESC inside a bracketed paste as the start of a key sequence: it takes
the characters after it out of the paste and replays them as key presses (the ESC itself as a "^"), and sends
what was before it as the paste, last. A paste of `A model \\e[31mtrained\\e[0m` typed `^[31mtrained^[0m` at the
cursor and then put `A model ` after it: shown as `^[31m...` and stored reordered (issue 14). Terminals such as
tmux pass a pasted ESC through.

`PasteSafeParser` takes everything between the terminal's paste markers (ESC [200~ ... ESC [201~) as the paste's
text, in order, and hands the rest to Textual's parser unchanged; the answer editor then cleans it by the one
text rule (termsafe.clean_text, through tui.text.clean_editor), so what is shown is what is stored. A read that
ends with the beginning of a marker keeps it back until the next read (or, if none comes, for HOLD seconds:
an Escape key press is not delayed more than Textual delays it anyway). `install()` makes the terminal drivers
use it (tui.run calls it before the app starts); Pilot tests have no terminal and no parser.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

START, END = "\x1b[200~", "\x1b[201~"
HOLD = 0.05


def _partial_suffix(data: str, marker: str) -> int:
    """How many characters at the end of `data` begin `marker` (a marker cut by the end of a read)."""
    for k in range(min(len(marker) - 1, len(data)), 0, -1):
        if data.endswith(marker[:k]):
            return k
    return 0


class PasteSafeParser(XTermParser):
    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._pasting: list[str] | None = None
        self._tail = ""
        self._held_at = 0.0

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input: what was pasted so far is still a paste
            if self._pasting is not None:
                text, self._pasting = "".join(self._pasting) + self._tail, None
                yield events.Paste(text.replace("\x00", ""))
            yield from super().feed(data)
            return
        data, self._tail = self._tail + data, ""
        while data:
            if self._pasting is None:
                i = data.find(START)
                if i < 0:
                    k = _partial_suffix(data, START)  # a marker cut by the end of this read?
                    if len(data) > k:
                        yield from super().feed(data[:len(data) - k])
                    if k:
                        self._tail, self._held_at = data[len(data) - k:], time.monotonic()
                    return
                if i:
                    yield from super().feed(data[:i])
                self._pasting = []
                data = data[i + len(START):]
                continue
            j = data.find(END)
            if j < 0:
                k = _partial_suffix(data, END)
                self._pasting.append(data[:len(data) - k])
                self._tail = data[len(data) - k:]
                return
            self._pasting.append(data[:j])
            text, self._pasting = "".join(self._pasting), None
            data = data[j + len(END):]
            yield events.Paste(text.replace("\x00", ""))

    def tick(self) -> Iterable[Message]:
        if self._tail and self._pasting is None and time.monotonic() - self._held_at >= HOLD:
            data, self._tail = self._tail, ""  # no marker came after all: it was keys (Escape, Alt+[)
            yield from super().feed(data)
        yield from super().tick()


def install() -> None:
    """Make the terminal drivers build PasteSafeParser instead of Textual's parser."""
    names = ["textual.drivers.win32"] if sys.platform == "win32" else ["textual.drivers.linux_driver",
                                                                       "textual.drivers.linux_inline_driver"]
    import importlib

    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a driver this platform does not have
            continue
        if getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = PasteSafeParser  # type: ignore[attr-defined]  # private to Textual, found above
