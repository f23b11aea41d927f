"""`RenderOnce(renderable)`: a Rich renderable drawn once per width.

Textual draws a Static's Rich content twice on every layout: once to measure its height (no height given), once
to paint it (the measured height given). For the dashboards' Rich tables that was a third of opening the review
screen. Wrapped in RenderOnce, the content is rendered once per width (and per console, so a theme change draws
it again) and the lines are replayed: for the paint, cut or padded to the height asked for, as
Console.render_lines does. So the content must lay itself out by width alone (Tables, Groups, Text, the
sparkline: none reads options.height), and must not change after wrapping: wrap a new one to show new figures.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment


class RenderOnce:
    def __init__(self, renderable) -> None:
        self.renderable = renderable
        self._lines: dict[tuple, list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (id(console), options.max_width, options.min_width, options.justify, options.overflow,
               options.no_wrap)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = console.render_lines(self.renderable, options.reset_height(), pad=False,
                                                            new_lines=False)
        height = options.height
        if height is not None:  # what render_lines does with a height: cut, or pad with blank lines
            height = max(0, height)
            lines = lines[:height] + [[Segment(" " * options.max_width)]] * (height - len(lines))
        newline = Segment.line()
        for line in lines:
            yield from line
            yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)
