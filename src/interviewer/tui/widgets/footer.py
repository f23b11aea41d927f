"""The footer every screen shows: Textual's own, rebuilt only when the keys it shows change.

Textual's Footer throws away and rebuilds all of its key widgets on every bindings signal (a focus move, a
`refresh_bindings()`, a screen switch: about five each time a screen is shown), and each rebuilt key restyles
itself. That was about a third of the CPU of moving between screens: opening the review dashboard, or going
from an answer to its feedback to the next question (benchmarks/scale.py, docs/benchmarks.md). This footer looks
and works the same; it skips a rebuild when the active bindings (key, description, action, enabled, tooltip) and
its own settings are what it already shows (bindings it does not show, e.g. a focused button's Enter, do not
count).
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _shown: tuple | None = None

    def _showing(self) -> tuple:
        try:
            bindings = self.screen.active_bindings
        except Exception:  # noqa: BLE001 - not on a screen yet: always rebuild
            return (object(),)
        palette = self.app.COMMAND_PALETTE_BINDING
        return (self.compact, self.show_command_palette, self.combine_groups,
                tuple((key, b.key, b.description, b.action, getattr(b, "group", None), enabled, tooltip)
                      for key, (_node, b, enabled, tooltip) in bindings.items() if b.show or key == palette))

    async def recompose(self) -> None:
        showing = self._showing()
        if showing == self._shown and self.children:
            return
        self._shown = showing
        await super().recompose()
