"""Ctrl-C during grading: a real `interviewer` process gets SIGINT while the fake server hangs on the grading
request. The process exits at once and cleanly (code 130, a one-line message, no traceback), the answer stays
saved as *pending* (not ungraded, not a zero), the database passes `PRAGMA integrity_check`, and the next
`regrade --ungraded` picks the answer up and grades it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakes import FakeLLMServer, Reply
from interviewer.store.repo import Store

KEY = "sk-test-SECRET-123"
ANSWER = "So attention is softmax of Q K transpose over root d k, times V: a weighted sum of the values."


@pytest.fixture
def srv():
    with FakeLLMServer() as s:
        yield s


@pytest.fixture
def env(isolated_home) -> dict[str, str]:
    (isolated_home / "config.toml").write_text("[grader]\ntimeout = 60\ndeadline = 120\n")
    return {**os.environ, "OPENAI_API_KEY": KEY, "INTERVIEWER_HOME": str(isolated_home)}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "interviewer", *args]


def _as_from_a_terminal() -> None:
    """The child starts with Ctrl-C's default action, as from a terminal: a runner started in the background by a
    shell without job control (`(nohup make test &)`) ignores SIGINT, every process it starts inherits that, and
    Python then installs no KeyboardInterrupt at all (both tests hung until their timeout in such a run)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_when_asked(srv: FakeLLMServer, argv: list[str], env: dict[str, str],
                         in_flight: int = 1) -> subprocess.CompletedProcess:
    """Start the command, wait until `in_flight` grading requests reach the (hanging) server, press Ctrl-C."""
    srv.script(*[Reply.hang(60)] * in_flight)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=_as_from_a_terminal)
    try:
        t_end = time.monotonic() + 30
        while len(srv.chat_requests) < in_flight:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < t_end, "the grading request never arrived"
            time.sleep(0.02)
        time.sleep(0.1)  # well inside the request: the server is hanging on it
        t_sigint = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        waited = time.monotonic() - t_sigint
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert waited < 10, f"Ctrl-C took {waited:.1f}s to end the process"
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def db_state(home: Path) -> tuple[list[tuple], str]:
    con = sqlite3.connect(home / "interviewer.db")
    rows = con.execute("SELECT id, status, error, answer FROM attempts ORDER BY id").fetchall()
    grades = con.execute("SELECT COUNT(*) FROM grades").fetchone()[0]
    check = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    return [(*r, grades) for r in rows], check


@pytest.mark.slow
def test_ctrl_c_during_grade_leaves_the_answer_pending(srv, env, isolated_home):
    p = interrupt_when_asked(srv, cli("grade", "-q", "llm-q030", "--answer", ANSWER, "--backend", "openai",
                                      "--model", "fake-model", "--base-url", srv.openai_url), env)
    assert p.returncode == 130
    assert "Traceback" not in p.stderr and "KeyboardInterrupt" not in p.stderr
    assert p.stderr.strip() == "interrupted: your answer is saved (attempt 1, not graded yet)"
    assert KEY not in p.stdout + p.stderr
    rows, check = db_state(isolated_home)
    assert check == "ok"
    assert rows == [(1, "pending", None, ANSWER, 0)]
    assert len(srv.chat_requests) == 1  # interrupted, not retried

    # the next run offers the pending answer and grades it
    done = subprocess.run(cli("regrade", "--ungraded", "--backend", "openai", "--model", "fake-model",
                              "--base-url", srv.openai_url), capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "re-graded 1 of 1" in done.stdout
    rows, check = db_state(isolated_home)
    assert check == "ok" and rows[0][1] == "graded" and rows[0][4] == 1


def test_ctrl_c_during_regrade_keeps_every_answer(srv, env, isolated_home):
    store = Store.open(isolated_home / "interviewer.db")  # three answers saved earlier, none graded
    for i in range(3):
        a = store.add_attempt(bank_id="llm-100", question_id=f"llm-q03{i}", prompt="p", answer=f"{ANSWER} ({i})")
        if i == 2:
            store.mark_ungraded(a.id, "the server was down")
    store.close()
    p = interrupt_when_asked(srv, cli("regrade", "--ungraded", "--backend", "openai", "--model", "fake-model",
                                      "--base-url", srv.openai_url), env, in_flight=2)  # regrade grades two at a time
    assert p.returncode == 130
    assert "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines()[-1] == ("interrupted: answers not re-graded yet are kept as they were; run "
                                                 "`interviewer regrade --ungraded` to grade the rest")
    rows, check = db_state(isolated_home)
    assert check == "ok"
    assert [(r[0], r[1], r[3]) for r in rows] == [(1, "pending", f"{ANSWER} (0)"), (2, "pending", f"{ANSWER} (1)"),
                                                  (3, "ungraded", f"{ANSWER} (2)")]
    assert rows[0][4] == 0
