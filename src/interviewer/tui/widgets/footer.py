"""The footer every screen shows: this screen's keys on one line, drawn as one widget.

Why not Textual's Footer: it builds a widget per key and rebuilds them all on every bindings signal (a focus
move, a `refresh_bindings()`, each screen switch), which was about 40 ms of every screen switch (the review
screen's open among them, benchmarks/scale.py); and at 80 columns it cut off whatever came last, which on most
screens was "q Quit" and "f1 Help". This footer is one line of text, redrawn only when the keys it shows change,
and it fits the width: it first drops the spacing around keys, then the keys at the end, but never the way out
(esc, q) or help (f1); a dim "…" says more keys exist (F1 lists them all). A click on a key presses it.

It uses Textual's footer colours ($footer-key-foreground and friends), so every theme styles it as it would
Textual's own. The command palette key sits at the right, as in Textual's footer, when there is room.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

ESSENTIAL_KEYS = frozenset({"escape", "q", "f1"})
"""Keys that stay in the footer at any width: the way out, and help."""


class Key(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool
    essential: bool


class Footer(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--more"}
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    Footer > .footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    Footer > .footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    Footer > .footer--more {
        color: $footer-description-foreground 60%;
    }
    """

    def __init__(self, *, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self._keys: tuple[Key, ...] = ()
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []
        """Where each key was drawn last (start, end column), for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        if self._read_keys():
            self.refresh()

    def _read_keys(self) -> bool:
        """Read the screen's keys; True when they differ from what is shown."""
        try:
            bindings = self.screen.active_bindings
        except Exception:  # noqa: BLE001 - not on a screen yet
            return False
        palette_key = self.app.COMMAND_PALETTE_BINDING
        seen_actions: set[str] = set()
        keys, palette = [], None
        for key, (_node, binding, enabled, _tooltip) in bindings.items():
            if key == palette_key:
                if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
                    palette = Key(key, self.app.get_key_display(binding), binding.description, enabled, False)
                continue
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            keys.append(Key(key, self.app.get_key_display(binding), binding.description, enabled,
                            binding.key.split(",")[0] in ESSENTIAL_KEYS or key in ESSENTIAL_KEYS))
        changed = (tuple(keys), palette) != (self._keys, self._palette)
        self._keys, self._palette = tuple(keys), palette
        return changed

    @property
    def keys(self) -> tuple[Key, ...]:
        """The keys this footer offers (before fitting them to the width)."""
        return self._keys

    def shown(self, width: int) -> tuple[list[Key], bool, bool]:
        """(the keys drawn, compact spacing?, palette drawn?) for a line `width` cells wide."""
        keys, palette = list(self._keys), self._palette

        def need(ks: list[Key], compact: bool, with_palette: bool) -> int:
            total = sum(len(k.display) + len(k.description) + 2 + (0 if compact else 1) for k in ks)
            if with_palette and palette is not None:
                total += len(palette.display) + len(palette.description) + 4
            if len(ks) < len(self._keys):
                total += 2  # the "…"
            return total

        for compact in (False, True):
            if need(keys, compact, True) <= width:
                return keys, compact, palette is not None
        if need(keys, True, False) <= width:
            return keys, True, False
        while keys and need(keys, True, False) > width:
            droppable = [i for i, k in enumerate(keys) if not k.essential]
            if not droppable:
                break
            del keys[droppable[-1]]
        return keys, True, False

    def render(self) -> Text:
        width = self.size.width
        keys, compact, with_palette = self.shown(width)
        key_style = self.get_component_rich_style("footer--key")
        desc_style = self.get_component_rich_style("footer--description")
        more_style = self.get_component_rich_style("footer--more")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Key]] = []

        def add(k: Key) -> None:
            start = line.cell_len
            dim = Style(dim=not k.enabled)
            if compact:
                line.append(k.display, key_style + dim)
                if k.description:
                    line.append(f" {k.description}", desc_style + dim)
                spans.append((start, line.cell_len, k))
                line.append(" ")
            else:  # as Textual's footer: " key " then "description "
                line.append(f" {k.display} ", key_style + dim)
                if k.description:
                    line.append(f"{k.description} ", desc_style + dim)
                spans.append((start, line.cell_len, k))

        for k in keys:
            add(k)
        if len(keys) < len(self._keys):
            line.append("… ", more_style)
        if with_palette and self._palette is not None:
            p = self._palette
            tail = Text.assemble(("▏", more_style), (f"{p.display}", key_style), (f" {p.description} ", desc_style))
            gap = width - line.cell_len - tail.cell_len
            if gap > 0:
                line.append(" " * gap)
                start = line.cell_len
                line.append_text(tail)
                spans.append((start, line.cell_len, p))
        self._spans = spans
        return line

    def on_resize(self, _event: events.Resize) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for start, end, k in self._spans:
            if start <= event.x < end:
                event.stop()
                if k.enabled:
                    self.app.simulate_key(k.key)
                else:
                    self.app.bell()
                return
