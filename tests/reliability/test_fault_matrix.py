"""The fault matrix (issue 14's "done when"): every fault x every CLI command, plain mode and the app in a real
terminal (tmux). For each cell: no traceback; a command that could not do its job exits non-zero with one
message that names the fault (and says what to do, after "->"); one that could, exits 0; and no answer is lost
(the seeded answers are all there afterwards, byte for byte, unless the command was asked to delete one; an
answer typed into a session that refused to start was never taken: no prompt was shown).

The faults are real (faultkit.py): a damaged file, a newer version's migration, another process holding the
write lock, a read-only home used by an unprivileged user, a tmpfs filled to the last byte, a missing bank, a
bank file that does not parse, an invalid config.toml, a missing rubric. And faults that come in the middle of
a session: the disk fills up, or another program takes the lock, after a question is on the screen; the answer
is then kept (on screen, in a rescue file) and saved once the fault is gone.

Everything runs once, in parallel (the lock cells mostly wait), each cell on its own copy of the seeded home;
the tests below read the results.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import faultkit as fk
import pytest
from faultkit import FAULTS, SEEDED, Result

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="the faults are made with Linux tools (unshare, tmpfs)"),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
]
APP = {"app: interviewer": [], "app: interviewer practice": ["practice", "-n", "1"],
       "app: interviewer review": ["review"]}
ANSWER = "A transformer weighs every token against every other with attention."


def _make_writable(p: Path) -> None:
    for root, _dirs, files in os.walk(p):
        os.chmod(root, 0o755)
        for n in files:
            try:
                os.chmod(os.path.join(root, n), 0o644)
            except OSError:
                pass


def _cell_home(base: Path, name: str, fault: str | None) -> tuple[Path, Path, Path]:
    cell = base / re.sub(r"\W+", "-", name)
    shutil.copytree(base / "template", cell)
    writable = cell / "user-home"
    writable.mkdir()
    writable.chmod(0o777)
    cell.chmod(0o755)
    if fault:
        FAULTS[fault].prepare(cell / "home")
    return cell / "home", cell / "report.json", writable


# --------------------------------------------------------------------------- faults in the middle of a session


def _quit(term) -> None:
    """From the feedback screen: end the session, leave the summary, quit from home."""
    term.keys("Escape")
    term.wait_for("Session")
    term.keys("Escape")
    term.wait_for("Your bank")
    term.keys("q")


def _app_disk_fills_mid_session(base: Path) -> dict:
    """The app is on a question; the disk fills; Ctrl+S: the answer is not saved, says so, stays in the editor
    and is in a rescue file; space is freed; Ctrl+S saves it."""
    home, report, writable = _cell_home(base, "mid-app-full", None)
    fill, free = home.parent / "fill-now", home.parent / "free-now"
    argv = [*fk.mount_namespace(), sys.executable, str(fk.FULLFS), str(home), str(report), "--fill-on", str(fill),
            "--free-on", str(free), "--", str(fk.BIN), "practice", "-n", "1", "--order", "in-order"]
    term = fk.Terminal(argv, fk.cell_env(home, writable))
    out: dict = {}
    try:
        term.wait_for("Question 1/1", "Ctrl+S")
        fill.touch()
        time.sleep(0.5)
        term.type(ANSWER)
        term.wait_for("every other with attention")
        term.keys("C-s")
        out["refused"] = term.wait_for("NOT saved", timeout=20)
        out["rescued"] = [p.read_text() for p in writable.glob("interviewer-rescued-*.txt")]
        free.touch()
        time.sleep(0.5)
        term.keys("C-s")
        out["saved"] = term.wait_for("/ 100", timeout=30)
        _quit(term)
        out["code"], out["screen"] = term.exit_code()
    except AssertionError as e:
        out["error"] = str(e)
    finally:
        term.close()
    out["answers"] = fk.Full("x", "x").after(home, report) if report.exists() else None
    return out


def _app_locked_mid_session(base: Path) -> dict:
    """The app is on a question; another program takes the write lock and keeps it; Ctrl+S waits the busy
    timeout, then says the database is locked and keeps the answer; the lock goes; Ctrl+S saves it."""
    home, report, writable = _cell_home(base, "mid-app-locked", None)
    term = fk.Terminal([str(fk.BIN), "practice", "-n", "1", "--order", "in-order"], fk.cell_env(home, writable))
    lock = fk.Locked("locked", "", set())
    out: dict = {}
    try:
        term.wait_for("Question 1/1", "Ctrl+S")
        lock.start(home)
        term.type(ANSWER)
        term.wait_for("every other with attention")
        term.keys("C-s")
        out["refused"] = term.wait_for("NOT saved", timeout=40)
        out["rescued"] = [p.read_text() for p in (home / "rescued").glob("interviewer-rescued-*.txt")]
        lock.stop()
        term.keys("C-s")
        out["saved"] = term.wait_for("/ 100", timeout=30)
        _quit(term)
        out["code"], out["screen"] = term.exit_code()
    except AssertionError as e:
        out["error"] = str(e)
    finally:
        lock.stop()
        term.close()
    out["answers"] = fk.answers_in(home / "interviewer.db")
    return out


def _plain_disk_fills_mid_session(base: Path) -> dict:
    """Plain mode through pipes: the first answer is saved; the disk fills; the second answer is refused, goes
    to a rescue file, and the session ends with the fault's message and exit code 2."""
    home, report, writable = _cell_home(base, "mid-plain-full", None)
    fill = home.parent / "fill-now"
    argv = [*fk.mount_namespace(), sys.executable, str(fk.FULLFS), str(home), str(report), "--fill-on", str(fill),
            "--", str(fk.BIN), "practice", "--plain", "-n", "2", "--order", "in-order"]
    env = {**os.environ, **fk.cell_env(home, writable), "INTERVIEWER_GRADER": "offline"}
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    buf = io.StringIO()

    def read_until(needle: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while needle not in buf.getvalue():
            ch = proc.stdout.read(1)
            if not ch or time.monotonic() > end:
                raise AssertionError(f"never saw {needle!r}:\n{buf.getvalue()}")
            buf.write(ch)

    out: dict = {}
    try:
        read_until("Question 1/2")
        read_until("answer> ")
        proc.stdin.write("first answer: attention mixes the tokens\n\n")
        proc.stdin.flush()
        read_until("follow-up> ")
        proc.stdin.write("\n")
        proc.stdin.flush()
        read_until("Question 2/2")
        read_until("answer> ")
        fill.touch()
        time.sleep(0.5)
        proc.stdin.write("second answer, typed when the disk was full\n\n")
        proc.stdin.close()
        rest = proc.stdout.read()
        buf.write(rest)
        proc.wait(timeout=60)
    except AssertionError as e:
        out["error"] = str(e)
        proc.kill()
        proc.wait()
    out.update(code=proc.returncode, out=buf.getvalue(), err=proc.stderr.read(),
               rescued=[p.read_text() for p in (list(writable.glob("interviewer-rescued-*.txt")))],
               answers=fk.Full("x", "x").after(home, report) if report.exists() else None)
    return out


# --------------------------------------------------------------------------- everything, once


@pytest.fixture(scope="module")
def matrix():
    fk.unprivileged()  # fails here, with what to do, if the read-only cells cannot run as another user
    base = Path(tempfile.mkdtemp(prefix="iv-faults-", dir="/tmp"))
    base.chmod(0o755)
    old = os.environ.get("INTERVIEWER_HOME")
    os.environ["INTERVIEWER_HOME"] = str(base / "template" / "home")
    try:
        fk.seed(base / "template" / "home")
    finally:
        if old is None:
            os.environ.pop("INTERVIEWER_HOME", None)
        else:
            os.environ["INTERVIEWER_HOME"] = old
    backup = next((base / "template" / "home" / "backups").glob("*.db")).name
    cmds = fk.commands(base / "template" / "files", backup)
    cells = [(f, c) for f in FAULTS for c in [*cmds, *APP]]
    t_homes = time.monotonic()
    homes = {cell: _cell_home(base, f"{cell[0]}--{cell[1]}", cell[0]) for cell in cells}
    t_homes = time.monotonic() - t_homes

    def one(cell):
        fault_name, command = cell
        fault = FAULTS[fault_name]
        if fault_name == "locked":
            fault = fk.Locked(fault.name, fault.phrase, fault.works)  # one lock holder per cell
        home, report, writable = homes[cell]
        fault.start(home)
        try:
            if command in APP:
                return cell, fk.run_in_terminal(fault, home, command, APP[command], report, writable)
            args, stdin = cmds[command]
            return cell, fk.run(fault, home, command, args, stdin, report, writable)
        finally:
            fault.stop()

    mid: dict[str, dict] = {}
    flows = [threading.Thread(target=lambda n=name, f=fn: mid.__setitem__(n, f(base))) for name, fn in (
        ("app locked", _app_locked_mid_session), ("app full", _app_disk_fills_mid_session),
        ("plain full", _plain_disk_fills_mid_session))]
    t0 = time.monotonic()
    for t in flows:
        t.start()
    waiting = [c for c in cells if c[0] == "locked"]  # these mostly wait out the busy timeout: all at once
    with ThreadPoolExecutor(max_workers=len(waiting)) as waits, ThreadPoolExecutor(max_workers=4) as pool:
        slow = waits.map(one, waiting)
        results = dict(pool.map(one, [c for c in cells if c[0] != "locked"]))
        results.update(slow)
    for t in flows:
        t.join()
    slow = sorted(((r.seconds, c) for c, r in results.items()), reverse=True)[:8]
    print(f"\nfault matrix: homes {t_homes:.1f} s; {len(results)} cells in {time.monotonic() - t0:.0f} s "
          f"(sum {sum(r.seconds for r in results.values()):.0f} s); slowest: "
          + ", ".join(f"{c[0]} x {c[1]} {s:.1f} s" for s, c in slow))
    yield {"results": results, "homes": homes, "cmds": cmds, "mid": mid, "seconds": time.monotonic() - t0}
    _make_writable(base)
    shutil.rmtree(base, ignore_errors=True)


def _problems(fault_name: str, res: Result, home: Path) -> list[str]:
    fault = FAULTS[fault_name]
    out = res.out + res.err
    probs = []
    if fk.traceback_in(out):
        probs.append("a traceback reached the user")
    want_ok = res.command in fault.works
    if want_ok and res.code != 0:
        probs.append(f"exit {res.code}, but the command could do its job")
    if not want_ok:
        if res.code == 0:
            probs.append("exit 0, but the command could not do its job")
        if not re.search(fault.phrase, out):
            probs.append(f"the message does not name the fault ({fault.phrase!r})")
        if "->" not in out and res.code == 2:
            probs.append("the message does not say what to do (no '->' line)")
        if len(res.err.strip().splitlines()) > 12:
            probs.append(f"{len(res.err.splitlines())} lines on stderr: not one clear message")
    answers = res.answers
    if fault_name == "damaged" and res.command != "db restore":
        if (home / "interviewer.db").read_bytes()[:16] == b"SQLite format 3\x00":
            probs.append("the damaged file was written to")
    elif answers is None:
        probs.append("the database could not be read afterwards")
    else:
        deleted = {"delete attempt": {3}, "delete session": {1, 2, 3}}.get(res.command, set()) if res.code == 0 \
            else set()
        for i, text in SEEDED.items():
            if i not in deleted and answers.get(i) != text:
                probs.append(f"answer {i} lost or changed ({answers.get(i)!r})")
        if res.command == "grade" and res.code == 0 and not any("every other token" in a for a in answers.values()):
            probs.append("grade said it worked but its answer is not stored")
    if res.command == "practice --plain" and "answer> " in res.out:
        kept = (answers is not None and fk.TYPED in answers.values()) or "kept as a draft" in res.out
        if not kept:
            probs.append("plain mode read the typed answer but neither stored nor kept it")
    return probs


def _report(matrix, cells) -> list[str]:
    failures = []
    for cell in cells:
        res = matrix["results"][cell]
        for p in _problems(cell[0], res, matrix["homes"][cell][0]):
            failures.append(f"[{cell[0]} x {cell[1]}] {p} (exit {res.code})\n    stderr: {res.err.strip()[:300]!r}"
                            f"\n    stdout: {res.out.strip()[-400:]!r}")
    return failures


def test_every_fault_in_every_command_and_plain_mode(matrix):
    cells = [c for c in matrix["results"] if c[1] not in APP]
    failures = _report(matrix, cells)
    assert not failures, f"{len(failures)} of {len(cells)} cells failed:\n" + "\n".join(failures)
    assert {f for f, _ in cells} == set(FAULTS) and {c for _, c in cells} == set(matrix["cmds"])
    # A lock is waited for (the busy timeout) before it is reported; `db restore` alone refuses at once: it must
    # be the only connection to replace the file, and waiting would not make another open app let go.
    waited = {c: round(r.seconds, 1) for (f, c), r in matrix["results"].items()
              if f == "locked" and r.code != 0 and c != "db restore"}
    assert waited and min(waited.values()) >= 5, waited
    assert matrix["results"][("locked", "db restore")].code != 0


def test_every_fault_in_the_app_in_a_real_terminal(matrix):
    """The app's three ways in (`interviewer`, `practice`, `review`), in tmux: one message on the terminal after
    the app, exit code 2, no traceback (the issue: a damaged database printed 116 lines and exited 0)."""
    cells = [c for c in matrix["results"] if c[1] in APP]
    failures = _report(matrix, cells)
    for cell in cells:
        res = matrix["results"][cell]
        if res.code != 2:
            failures.append(f"[{cell[0]} x {cell[1]}] exit {res.code}, not 2")
    assert not failures, f"{len(failures)} of {len(cells)} cells failed:\n" + "\n".join(failures)
    assert len(cells) == len(FAULTS) * len(APP)


def _flat(screen: str) -> str:
    """The screen's words in one line (a notification wraps inside its border)."""
    return " ".join(re.sub(r"[▌▐│╭╮╰╯─▁▔▊▎]", " ", screen).split())


def test_the_disk_filling_up_mid_session_loses_no_answer_in_the_app(matrix):
    r = matrix["mid"]["app full"]
    assert "error" not in r, r.get("error")
    refused = _flat(r["refused"])
    assert "is full" in refused and "It is still in the editor" in refused and "A copy is in" in refused
    assert "A transformer weighs every token" in refused  # kept on screen
    assert len(r["rescued"]) == 1 and ANSWER in r["rescued"][0]
    assert "Traceback" not in r["screen"] and r["code"] == 0
    assert ANSWER in r["answers"].values() and all(r["answers"][i] == t for i, t in SEEDED.items())


def test_a_lock_taken_mid_session_loses_no_answer_in_the_app(matrix):
    r = matrix["mid"]["app locked"]
    assert "error" not in r, r.get("error")
    refused = _flat(r["refused"])
    assert "locked by another program" in refused and "It is still in the editor" in refused
    assert "A transformer weighs every token" in refused  # kept on screen
    assert len(r["rescued"]) == 1 and ANSWER in r["rescued"][0]
    assert "Traceback" not in r["screen"] and r["code"] == 0
    assert ANSWER in r["answers"].values()


def test_the_disk_filling_up_mid_session_loses_no_answer_in_plain_mode(matrix):
    r = matrix["mid"]["plain full"]
    assert "error" not in r, r.get("error")
    assert r["code"] == 2 and "Traceback" not in r["out"] + r["err"]
    assert "Your answer was NOT saved" in r["out"] and "The session stopped: the disk holding" in r["out"]
    assert len(r["rescued"]) == 1 and "second answer, typed when the disk was full" in r["rescued"][0]
    stored = r["answers"]
    assert "first answer: attention mixes the tokens" in stored.values()
    assert all(stored[i] == t for i, t in SEEDED.items())
