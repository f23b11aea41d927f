"""Closing the terminal (SIGHUP) ends the app promptly and keeps what was typed: the draft is saved on the
way out. Before this, the app outlived its terminal and spun a CPU core against the dead tty. The same when the
app runs under a parent that holds the terminal and outlives it (the README's `make run`: make catches SIGHUP and
waits), so the app itself is never sent SIGHUP."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from test_e2e_tmux import BIN

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def _type_a_draft_then_close_the_terminal(cmd: str, pidfile: Path, *, child: bool = False) -> int:
    """Open the app in tmux with `cmd` (which writes its shell's pid to `pidfile`), start a session, type half an
    answer, close the terminal; the app's pid (the pidfile's, or that process's one child)."""
    sock = f"iv-hup-{os.getpid()}"
    tm = lambda *a: subprocess.run(["tmux", "-L", sock, *a], capture_output=True, text=True, timeout=20).stdout  # noqa: E731
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-s", "iv", "-x", "80", "-y", "24", cmd], check=True)
    try:
        deadline = time.monotonic() + 20
        while "Practise" not in tm("capture-pane", "-t", "iv", "-p"):
            assert time.monotonic() < deadline, tm("capture-pane", "-t", "iv", "-p")
            time.sleep(0.2)
        tm("send-keys", "-t", "iv", "p")
        while "Start" not in tm("capture-pane", "-t", "iv", "-p"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        tm("send-keys", "-t", "iv", "C-s")
        while "Type your answer" not in tm("capture-pane", "-t", "iv", "-p"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        tm("send-keys", "-t", "iv", "-l", "half typed answer about attention")
        time.sleep(0.5)  # well inside the 3 s autosave interval: only the hangup path can save this
        pid = int(pidfile.read_text())
        if child:
            pid = int(Path(f"/proc/{pid}/task/{pid}/children").read_text().split()[0])
        tm("kill-server")
    finally:
        tm("kill-server")
    return pid


def _ends_and_keeps_the_draft(pid: int, home: Path) -> None:
    end = time.monotonic() + 8
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.1)
    alive = _alive(pid)
    if alive:
        os.kill(pid, 9)
    assert not alive, "the app kept running after its terminal closed"
    rows = sqlite3.connect(home / "interviewer.db").execute("SELECT text FROM drafts").fetchall()
    assert rows == [("half typed answer about attention",)]


def test_closing_the_terminal_ends_the_app_and_keeps_the_draft(tmp_path, isolated_home):
    pidfile = tmp_path / "pid"
    cmd = f"echo $$ > {pidfile}; exec env INTERVIEWER_HOME={isolated_home} TERM=xterm-256color {BIN} --grader offline"
    _ends_and_keeps_the_draft(_type_a_draft_then_close_the_terminal(cmd, pidfile), isolated_home)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_closing_the_terminal_ends_the_app_under_make_run_too(tmp_path, isolated_home):
    """Under make the app never gets SIGHUP (make is the terminal's controlling process, catches it and waits for
    its child): the app must notice the terminal is gone by itself."""
    pidfile = tmp_path / "pid"
    (tmp_path / "Makefile").write_text(f"run:\n\t{BIN} --grader offline\n")
    cmd = (f"echo $$ > {pidfile}; exec env INTERVIEWER_HOME={isolated_home} TERM=xterm-256color "
           f"make -s -f {tmp_path / 'Makefile'} run")
    _ends_and_keeps_the_draft(_type_a_draft_then_close_the_terminal(cmd, pidfile, child=True), isolated_home)
