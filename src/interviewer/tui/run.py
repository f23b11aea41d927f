"""Open the TUI. Imported only when the TUI is wanted (keeps textual out of other commands)."""

from __future__ import annotations


def run_tui(services, **kw) -> None:
    from .app import make_app

    make_app(services, **kw).run()
