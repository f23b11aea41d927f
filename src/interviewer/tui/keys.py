"""Key bindings shared by several screens."""

from __future__ import annotations

from textual.binding import Binding

SCROLL_BINDINGS = [
    Binding("j,down", "scroll('down')", "Scroll", show=False),
    Binding("k,up", "scroll('up')", "Scroll", show=False),
    Binding("pagedown,space", "scroll('page_down')", "Scroll", show=False),
    Binding("pageup", "scroll('page_up')", "Scroll", show=False),
]
"""Vim-style and page keys for a screen whose body scrolls (its `action_scroll` does the scrolling)."""

TOP_END_BINDINGS = [
    Binding("home", "scroll('home')", "Top", show=False),
    Binding("end", "scroll('end')", "End", show=False),
]
