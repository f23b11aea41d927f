"""Open the TUI. Imported only when the TUI is wanted (keeps textual out of other commands).

A closed terminal (SIGHUP) or a polite kill (SIGTERM) ends the app: the current draft is saved first when a
question screen is open, then the app exits. Without this, the app lingered after its terminal was gone and
spun a CPU core against the dead tty. A 3-second alarm is the backstop if the event loop cannot respond.

The kernel sends SIGHUP only to the terminal's controlling process, and when that is a parent that outlives it
(`make run`: make catches SIGHUP and waits for its child), the app never hears of it: Textual's input thread then
reads end-of-file from the dead tty in a loop, a core at 100% for as long as make waits. So a watcher thread also
asks the terminal every second whether it is still there (`termios.tcgetattr` fails with EIO once it is gone) and,
when it is not, raises SIGHUP in the app's main thread: the one way out, draft saved, whoever holds the session.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

try:
    import termios
except ImportError:  # not a POSIX terminal: no watcher (SIGHUP itself does not exist there either)
    termios = None  # type: ignore[assignment]

TERMINAL_CHECK_S = 1.0
"""How often the watcher asks whether the terminal is still there: one cheap system call a second."""

if TYPE_CHECKING:
    from ..app.services import Services


def _install_hangup_handlers(app) -> None:
    def on_signal(signum, _frame) -> None:
        signal.alarm(3)  # backstop: SIGALRM's default action ends the process if the loop is stuck
        screen = getattr(app, "screen", None)
        autosave = getattr(screen, "autosave", None)
        if callable(autosave):
            try:
                autosave()
                app.rescue_on_hangup()  # a draft the database would not take goes to a rescue file
            except Exception:  # noqa: BLE001 - the terminal is gone; saving is best effort
                pass
        try:
            app.exit(return_code=128 + signum)
        except Exception:  # noqa: BLE001
            raise SystemExit(128 + signum) from None

    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, on_signal)
    _watch_terminal()


def _watch_terminal() -> None:
    """Start the daemon thread that turns a vanished terminal into SIGHUP for the main thread (the module's note
    says why). Nothing to watch when stdin is no terminal."""
    if termios is None:
        return
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return  # not a terminal to begin with
    main = threading.main_thread().ident

    def watch() -> None:
        while True:
            time.sleep(TERMINAL_CHECK_S)
            try:
                termios.tcgetattr(fd)
            except (termios.error, OSError):
                if main is not None:
                    signal.pthread_kill(main, signal.SIGHUP)
                return

    threading.Thread(target=watch, name="terminal-watch", daemon=True).start()


def run_tui(services: Services | None = None, **kw: Any) -> None:
    """Run the app. With `load_services=callable` instead of services, the home screen is drawn first and the
    services are built after (tui.app); an error building them (a bad config.toml, a damaged database) ends
    the app and is raised here, to be reported like any command-line error. Given services, the same checks
    run first (the bank and its rubrics, the database), before the terminal switches to the app. Whatever
    ended the app later (tui.faults) is raised here too: cli.report says it in one line, never a traceback."""
    if services is not None:
        start = kw.get("start")
        services.check_practice(getattr(start, "bank_id", None) or None)
        services.store  # noqa: B018 - damaged, newer, locked, read-only, full: said before the app starts
    from .app import make_app
    from .paste import install

    install()  # a bracketed paste arrives whole, escapes and all (tui/paste.py), for the editor to clean
    app = make_app(services, **kw)
    _install_hangup_handlers(app)
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    if app.fault is not None:
        raise app.fault
