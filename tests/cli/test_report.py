"""The one reporter every entry point ends in (cli/report.py, app/faults.py, crashlog.py): a fault in one message
with what to do (exit 2), a raw storage error in the same words, a bug as one line naming the log that holds
its traceback (exit 1, no API key in the log), and the log still written when the data folder cannot be."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from interviewer import crashlog
from interviewer.cli import report as rp
from interviewer.core.errors import DatabaseError, InterviewerError


def test_a_fault_is_one_message_with_what_to_do(capsys):
    code = rp.report(DatabaseError("the database /h/interviewer.db is locked by another program",
                                   hint="close it and try again", kind="locked"))
    err = capsys.readouterr().err
    assert code == 2 and err == ("error: the database /h/interviewer.db is locked by another program\n"
                                 "  -> close it and try again\n")


def test_a_raw_storage_error_reads_like_the_fault_it_is(capsys, isolated_home):
    code = rp.report(sqlite3.OperationalError("database is locked"))
    err = capsys.readouterr().err
    assert code == 2 and "is locked by another program" in err and str(isolated_home) in err
    code = rp.report(PermissionError(13, "Permission denied", str(isolated_home / "banks")))
    err = capsys.readouterr().err
    assert code == 2 and "read-only" in err and "-> make it writable" in err


def test_a_bug_is_one_line_naming_the_log(capsys, isolated_home, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-0123456789")

    def inner():
        raise KeyError("the key sk-test-SECRET-0123456789 in a bug's message")

    try:
        inner()
    except KeyError as e:
        code = rp.report(e)
    err = capsys.readouterr().err
    log = isolated_home / "interviewer.log"
    assert code == 1 and len(err.strip().splitlines()) == 2 and str(log) in err and "Traceback" not in err
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "in inner" in text
    assert "sk-test-SECRET" not in text and "sk-test-SECRET" not in err  # redacted in both


def test_debug_shows_the_traceback_instead(monkeypatch):
    monkeypatch.setenv("INTERVIEWER_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        rp.report(ZeroDivisionError("x"))
    with pytest.raises(InterviewerError):
        rp.report(InterviewerError("y"))


def test_interrupt_is_130(capsys):
    assert rp.report(KeyboardInterrupt()) == 130 and capsys.readouterr().err == "interrupted\n"


def test_the_log_goes_elsewhere_when_the_data_folder_cannot_take_it(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    try:
        raise ValueError("boom")
    except ValueError as e:
        path = crashlog.record(e, blocked, context="test")
    assert path is not None and path.parent != blocked and "boom" in path.read_text()


def test_the_log_stays_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(crashlog, "MAX_BYTES", 2000)
    for i in range(40):
        try:
            raise ValueError(f"error number {i}")
        except ValueError as e:
            path = crashlog.record(e, tmp_path, context="test")
    assert path.stat().st_size < 4000 and path.with_name(path.name + ".1").exists()
    assert "error number 39" in path.read_text()


def test_a_real_process_with_a_bug_prints_one_line(isolated_home):
    """The whole path in a real process: an unexpected error in a command (here sqlite3 itself refusing in a
    way that is no storage fault) is one line naming the log, exit 1, the traceback in the log."""
    code = ("import sys, sqlite3\nfrom interviewer.store import history\n"
            "def broken(*a, **k):\n    raise RuntimeError('history query exploded')\n"
            "history.history = broken\nfrom interviewer.cli.entry import main\nsys.exit(main(['history']))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "INTERVIEWER_HOME": str(isolated_home)})
    assert r.returncode == 1
    assert r.stderr.startswith("error: unexpected RuntimeError: history query exploded")
    assert "Traceback" not in r.stderr and str(isolated_home / "interviewer.log") in r.stderr
    assert "history query exploded" in (isolated_home / "interviewer.log").read_text()


@pytest.mark.slow
def test_grade_from_stdin_that_cannot_be_saved_is_rescued_and_can_be_put_back(isolated_home, tmp_path):
    """`grade --answer-file -` on a database another program holds locked: the answer typed into stdin is not
    lost. It goes to a rescue file the message names; once the lock is gone, grading that file stores exactly the
    answer (the file's header is not part of it)."""
    from interviewer.app.services import Services

    svc = Services.create()
    svc.store  # noqa: B018 - create the database
    svc.close()
    db = isolated_home / "interviewer.db"
    hold = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], "
                             "isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nc.execute(\"INSERT INTO sessions"
                             "(bank_id, started_at) VALUES ('x', 'y')\")\nprint('locked', flush=True)\nsys.stdin.read()",
                             str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    env = {**os.environ, "INTERVIEWER_HOME": str(isolated_home), "HOME": str(tmp_path)}
    answer = "Attention weighs each token by query-key similarity,\nthen mixes the values."
    try:
        assert hold.stdout.readline().strip() == "locked"
        r = subprocess.run([sys.executable, "-m", "interviewer", "grade", "-q", "llm-q021", "--answer-file", "-"],
                           input=answer, capture_output=True, text=True, env=env, timeout=60)
    finally:
        hold.communicate("")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "your answer was NOT saved" in r.stderr and "locked by another program" in r.stderr
    (rescued,) = (isolated_home / "rescued").glob("interviewer-rescued-*.txt")
    assert str(rescued) in r.stderr
    r = subprocess.run([sys.executable, "-m", "interviewer", "grade", "-q", "llm-q021", "--answer-file",
                        str(rescued)], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    svc = Services.create()
    assert [a.answer for a in svc.store.attempts()] == [answer]
    svc.close()
