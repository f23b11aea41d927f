"""Where the TUI's start goes, phase by phase (CPU time of this process), for startup.py. Run in a pseudo terminal:

    python benchmarks/_startup_phases.py OUT.json          # the interviewer app, as `interviewer` starts it
    python benchmarks/_startup_phases.py OUT.json hello    # the minimal Textual app

Each phase is the CPU time since the previous mark; the app exits after its first screen is drawn.
"""

from __future__ import annotations

import json
import sys
import time

MARKS: list[tuple[str, float]] = [("start", time.process_time())]


def mark(name: str) -> None:
    MARKS.append((name, time.process_time()))


def first_paint(app) -> None:
    def done() -> None:
        mark("first screen drawn (compose, styles, layout, render)")
        app.exit()

    app.call_later(lambda: app.call_after_refresh(lambda: app.call_after_refresh(done)))


def interviewer() -> None:
    import typer  # noqa: F401

    mark("typer")
    import interviewer.cli.main  # noqa: F401
    from interviewer.cli.context import services

    mark("the CLI and its commands")
    svc = services()
    mark("Services: config, pydantic and the core models")
    import textual.app  # noqa: F401

    mark("textual")
    from interviewer.tui.app import make_app

    mark("the app's screens and widgets")
    app = make_app(svc)
    first_paint(app)
    app.run()


def hello() -> None:
    import textual.app  # noqa: F401

    mark("textual")
    from textual.app import App
    from textual.widgets import Static

    class Hello(App):
        def compose(self):
            yield Static("Hello, world")

    app = Hello()
    first_paint(app)
    app.run()


if __name__ == "__main__":
    (hello if sys.argv[2:] == ["hello"] else interviewer)()
    out, prev = [], MARKS[0][1]
    for name, t in MARKS[1:]:
        out.append((name, (t - prev) * 1000))
        prev = t
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)
