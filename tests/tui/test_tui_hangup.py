"""Closing the terminal (SIGHUP) ends the app promptly and keeps what was typed: the draft is saved on the
way out. Before this, the app outlived its terminal and spun a CPU core against the dead tty."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time

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


def test_closing_the_terminal_ends_the_app_and_keeps_the_draft(tmp_path, isolated_home):
    home = isolated_home
    pidfile = tmp_path / "pid"
    sock = f"iv-hup-{os.getpid()}"
    tm = lambda *a: subprocess.run(["tmux", "-L", sock, *a], capture_output=True, text=True, timeout=20).stdout  # noqa: E731
    cmd = f"echo $$ > {pidfile}; exec env INTERVIEWER_HOME={home} TERM=xterm-256color {BIN} --grader offline"
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
        time.sleep(0.5)  # well inside the 3 s autosave interval: only the hangup handler can save this
        pid = int(pidfile.read_text())
        tm("kill-server")
    finally:
        tm("kill-server")
    end = time.monotonic() + 8
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.1)
    alive = _alive(pid)
    if alive:
        os.kill(pid, 9)
    assert not alive, "the app kept running after its terminal closed"
    rows = sqlite3.connect(home / "interviewer.db").execute("SELECT text FROM drafts").fetchall()
    assert rows == [("half typed answer about attention",)]
