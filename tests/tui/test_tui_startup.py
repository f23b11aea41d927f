"""The app paints first: started without its services (as `interviewer` starts it), the home screen is drawn
before the config, pydantic, the bank or the database are loaded, then fills in; keys pressed meanwhile wait for
the services; a startup error (a bad config.toml) ends the app and is raised to be reported like a CLI error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tui_helpers import until


def test_first_paint_loads_no_pydantic_then_fills_in(isolated_home):
    """In a fresh interpreter: what is imported when the home screen is first drawn, and what it shows after."""
    code = textwrap.dedent("""
        import sys, threading
        from interviewer.tui.app import make_app
        gate = threading.Event()
        def load():
            gate.wait()
            from interviewer.cli.context import services
            return services()
        app = make_app(None, load_services=load, check_backend=False, offer_drafts=False, tts_program=None)
        seen = {}
        def painted():
            seen["mods"] = sorted({m.split(".")[0] for m in sys.modules} & {"pydantic", "typer", "sqlite3"})
            seen["placeholder"] = str(app.screen.query_one("#overview").render())
            gate.set()
            def check():
                if app.services_ready and "LLM" in str(app.screen.query_one("#overview").render()):
                    app.exit(str(app.screen.query_one("#overview").render()))
            app.set_interval(0.05, check)
        app.call_later(lambda: app.call_after_refresh(painted))
        filled = app.run(headless=True, size=(100, 30))
        print(seen["mods"]); print(seen["placeholder"]); print(filled.splitlines()[0])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ})
    lines = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr
    assert lines[0] == "[]", "the first paint imported " + lines[0]
    assert "Reading your bank" in lines[1]
    assert lines[2].startswith("100 LLM Interview Questions")


async def test_keys_before_the_services_are_loaded_wait_for_them(isolated_home):
    import threading

    from interviewer.cli.context import services
    from interviewer.tui.app import make_app

    gate = threading.Event()

    def load():
        gate.wait(10)
        return services()

    app = make_app(None, load_services=load, check_backend=False, offer_drafts=False, tts_program=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.services_ready
        threading.Timer(0.3, gate.set).start()
        await pilot.press("p")  # the setup screen needs the bank: it waits for the loading thread
        await until(pilot, lambda: type(app.screen).__name__ == "SetupScreen")
        assert app.services_ready


async def test_a_bad_config_ends_the_app_with_the_error(isolated_home):
    from interviewer.cli.context import services
    from interviewer.core.errors import ConfigError
    from interviewer.tui.app import make_app

    (isolated_home / "config.toml").write_text("[grader\nbackend = 'offline'\n")
    app = make_app(None, load_services=services, check_backend=False, offer_drafts=False, tts_program=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.startup_error is not None, timeout=10)
    assert isinstance(app.startup_error, ConfigError) and app.return_code == 2


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_interviewer_in_a_terminal_reports_a_bad_config_like_the_cli(isolated_home):
    """The real command in tmux: the error is printed after the app closes, one line, exit code 2."""
    (isolated_home / "config.toml").write_text("[grader\nbackend = 'offline'\n")
    sock = f"iv-startup-{os.getpid()}"
    binary = Path(sys.executable).with_name("interviewer")
    cmd = f"env INTERVIEWER_HOME={isolated_home} TERM=xterm-256color {binary}; echo EXITED $?; sleep 30"
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-s", "iv", "-x", "80", "-y", "24", cmd], check=True)
    try:
        end = time.monotonic() + 20
        screen = ""
        while "EXITED" not in screen and time.monotonic() < end:
            time.sleep(0.2)
            screen = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "iv"], capture_output=True,
                                    text=True).stdout
        assert "EXITED 2" in screen, screen
        assert "error: " in screen and "config.toml" in screen and "Traceback" not in screen
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
