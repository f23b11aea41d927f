"""End to end in a real terminal: the real `interviewer` command runs in tmux (80x24) on the real offline
grader; keys go in with send-keys and the screen is read back with capture-pane, as a person would see it.

One session: home -> setup -> three answers, each with graded feedback -> summary -> home -> quit; then a
restart finds the attempts on the home screen (the README's 'done when'). tmux is installed by .ci/run; on a machine without it this test cannot run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("interviewer")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]


class Tmux:
    def __init__(self, home: Path) -> None:
        self.sock = f"iv-e2e-{os.getpid()}"
        self.home = home

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True, timeout=20).stdout

    @property
    def cmd(self) -> str:
        return (f"env INTERVIEWER_HOME={self.home} TERM=xterm-256color {BIN} --grader offline; "
                "echo INTERVIEWER-EXITED $?; sleep 60")

    def start(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "new-session", "-d", "-s", "iv", "-x", "80", "-y", "24", self.cmd],
                       check=True, timeout=20)

    def restart(self) -> None:
        self.tmux("respawn-pane", "-k", "-t", "iv", self.cmd)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "iv", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "iv", "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "iv", "-p")

    def wait_for(self, *needles: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while True:
            s = self.screen()
            if all(n in s for n in needles):
                return s
            if time.monotonic() > end:
                raise AssertionError(f"never saw {needles!r} on the screen:\n{s}")
            time.sleep(0.2)

    def kill(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def term(isolated_home):
    t = Tmux(isolated_home)
    yield t
    t.kill()


def test_practice_in_a_real_terminal(term):
    term.start()
    home = term.wait_for("Your bank", "Practised 0 of 100", "offline")
    assert len(home.splitlines()) <= 24 and max(len(line) for line in home.splitlines()) <= 80
    term.keys("p")
    term.wait_for("Choose what to practise")
    term.keys("C-s")
    answers = [
        "A transformer uses self-attention so every token can attend to every other token, with queries, keys "
        "and values, um, scaled by the square root of the key dimension.",
        "It is trained on huge amounts of text to predict the next token, then fine-tuned with human feedback.",
        "Tokens are subword units from a tokenizer like BPE; each maps to an id and an embedding vector.",
    ]
    for i, answer in enumerate(answers, 1):
        term.wait_for(f"Question {i}/5", "0 words")
        term.type(answer)
        term.wait_for("words ·", f"Question {i}/5")
        term.keys("C-s")
        fb = term.wait_for("/ 100", "Graded by offline", f"feedback {i}/5", timeout=30)
        assert any(v in fb for v in ("interview-ready", "solid", "partial", "needs work"))
        assert "Criteria" in fb
        term.keys("Escape" if i == len(answers) else "n")  # next question, or end the session after the third
    summary = term.wait_for("Session complete", "3 answered")
    assert "not reached" in summary
    term.keys("Escape")
    term.wait_for("Practised 3 of 100 (3 answers)")
    term.keys("q")
    term.wait_for("INTERVIEWER-EXITED 0")

    # restart: the attempt is on the home screen
    term.restart()
    term.wait_for("Practised 3 of 100 (3 answers)", "average")
    term.keys("q")
    term.wait_for("INTERVIEWER-EXITED 0")
    from interviewer.app.services import Services

    svc = Services.create()
    atts = svc.store.attempts()
    assert len(atts) == 3 and all(a.status.value == "graded" for a in atts)
    assert {svc.store.latest_grade(a.id).grade.grader.backend for a in atts} == {"offline"}
    svc.close()
