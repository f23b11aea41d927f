"""Where the TUI's start goes, phase by phase (CPU time of this process), for startup.py. Run in a terminal:

    python benchmarks/_startup_phases.py OUT.json          # the interviewer app, as `interviewer` starts it
    python benchmarks/_startup_phases.py OUT.json hello    # the minimal Textual app

Each phase is the CPU time since the previous mark. The interviewer app starts as cli.entry starts it (no typer,
services loaded after the first paint); here the loading thread waits for the first-paint mark, so the phases do
not overlap. The app exits once its figures are drawn.
"""

from __future__ import annotations

import json
import sys
import threading
import time

MARKS: list[tuple[str, float]] = [("start", time.process_time())]


def mark(name: str) -> None:
    MARKS.append((name, time.process_time()))


def after_paint(app, then) -> None:
    app.call_later(lambda: app.call_after_refresh(lambda: app.call_after_refresh(then)))


def interviewer() -> None:
    import textual.app  # noqa: F401

    mark("textual")
    from interviewer.tui.app import make_app

    mark("the app's modules (tui.app, the home screen, the footer)")
    painted = threading.Event()

    def load():
        painted.wait()
        from interviewer.cli.context import services

        svc = services()
        return svc

    app = make_app(None, load_services=load)

    def first() -> None:
        mark("home screen drawn (compose, styles, layout, render)")
        painted.set()

        def poll() -> None:
            if app.services_ready and hasattr(app.screen, "overview"):
                mark("services (a thread: config, pydantic and the core models, the bank, the database) and the home figures")
                timer.stop()
                after_paint(app, figures)

        timer = app.set_interval(0.002, poll)

    def figures() -> None:
        mark("figures filled in and drawn")
        app.exit()

    after_paint(app, first)
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

    def done() -> None:
        mark("home screen drawn (compose, styles, layout, render)")
        app.exit()

    after_paint(app, done)
    app.run()


if __name__ == "__main__":
    (hello if sys.argv[2:] == ["hello"] else interviewer)()
    out, prev = [], MARKS[0][1]
    for name, t in MARKS[1:]:
        out.append((name, (t - prev) * 1000))
        prev = t
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)
