"""Answering out loud in a real terminal: the real `interviewer` command in tmux (80x24), config.toml naming
the tiny.en model folder and the stand-in recording command (no sound card here). Keys go in with send-keys
and the screen is read back with capture-pane, as a person sees it: Ctrl+T, the listening line, Ctrl+T, the
transcript in the editor, an edit, Ctrl+S, and the delivery beside the grade."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interviewer.app.services import Services
from interviewer.store import voice as spoken

BIN = Path(sys.executable).with_name("interviewer")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]


class Tmux:
    def __init__(self, home: Path) -> None:
        self.sock = f"iv-voice-{os.getpid()}"
        self.home = home

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True, timeout=20).stdout

    def start(self, *argv: str) -> None:
        cmd = (f"env INTERVIEWER_HOME={self.home} HF_HUB_OFFLINE=1 TERM=xterm-256color {BIN} {' '.join(argv)}; "
               "echo INTERVIEWER-EXITED $?; sleep 60")
        subprocess.run(["tmux", "-L", self.sock, "new-session", "-d", "-s", "iv", "-x", "80", "-y", "24", cmd],
                       check=True, timeout=20)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "iv", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "iv", "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "iv", "-p")

    def wait_for(self, *needles: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while True:
            s = self.screen()
            if all(n in s for n in needles):
                return s
            if time.monotonic() > end:
                raise AssertionError(f"never saw {needles!r} on the screen:\n{s}")
            time.sleep(0.2)


@pytest.fixture
def term(isolated_home):
    t = Tmux(isolated_home)
    yield t
    t.tmux("kill-server")


def test_answer_out_loud_in_a_real_terminal(term, isolated_home, tiny_model_dir, stand_in, paused_wav):
    (isolated_home / "config.toml").write_text(
        f"[voice]\nmodel = {json.dumps(str(tiny_model_dir))}\ncpu_threads = 1\n"
        f"record_command = {json.dumps(stand_in(paused_wav, '--speed', '6'))}\n")
    term.start("--grader", "offline", "practice", "-n", "1", "--order", "in-order")
    q = term.wait_for("Question 1/1", "^t Speak")
    assert max(len(line) for line in q.splitlines()) <= 80
    term.keys("C-t")
    term.wait_for("Listening (take 1)", "Ctrl+T stops")
    time.sleep(3)  # the stand-in says the whole answer in ~2.2 s at 6x
    term.keys("C-t")
    # the delivery line and the transcript can reach the screen in separate frames (seen under pytest-xdist)
    s = term.wait_for("Spoken: 1 take", "token", timeout=60)
    assert "token" in s.lower()  # the transcript is in the editor
    term.keys("End")
    term.type(" Edited in the terminal.")
    term.wait_for("Edited in the terminal.")
    term.keys("C-s")
    fb = term.wait_for("Delivery, measured from your recording", "words a minute", timeout=60)
    assert "/ 100" in fb  # the content grade, beside the delivery
    term.keys("n")
    term.wait_for("summary", timeout=20)
    svc = Services.create()
    try:
        (a,) = svc.store.attempts()
        assert a.answer.endswith("Edited in the terminal.")
        d = spoken.delivery_for(svc.store, a.id)
        assert d is not None and d.long_pause_count == 2 and d.pauses_from == "audio"
    finally:
        svc.close()
