"""Crash loop: nothing typed is lost when the app is killed at any moment.

A child process (the `--child` mode of this script) does what the app does for every answer: autosaves a
draft, commits the answer (status pending) and prints its id *after the commit returns* (flushed), then
grades it through `grading.service.grade_attempt` against a slow fake LLM server on 127.0.0.1 (Ollama
protocol, 5-60 ms per reply, one reply in ten a 500 so some answers end ungraded), with the grade cache on.
The parent SIGKILLs the child at a random moment - sometimes while it is still starting (opening, migrating,
making its daily backup), mostly while it saves and grades (after waiting for 0-2 answers saved, drawn per kill,
then a random delay: a count, not a time, so a loaded machine still kills mid-loop) - then, before starting the
next child, checks:

- `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
- every attempt the child reported as saved is present, with exactly the answer it wrote;
- every attempt it reported as graded is graded, with a stored grade that parses;
- no attempt is half-written: every answer in the database is byte-for-byte one the child wrote, `graded`
  means a grade row exists (and a grade row means `graded`), `ungraded` has a reason, `pending` has neither;
- drafts hold a prefix of the answer being typed; every finished backup passes its own integrity check.

At the end, the "next start": `interviewer stats` must say how many answers are waiting and how to grade them,
and `interviewer regrade --ungraded --backend offline` must grade every one of them.

Run: `python benchmarks/crash_loop.py [--iterations 200] [--seed 1]` (writes its section of docs/benchmarks.md).
tests/reliability/test_crash_loop.py runs the same loop with 25 iterations.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_HEADER = re.compile(r"^\[crash-loop (\d+)-(\d+)\] ")
WORDS = ("attention softmax query key value scaled dot product so um like the weights heads gradient loss "
         "token embedding layer norm residual decoder encoder cache").split()


def answer_text(it: int, i: int) -> str:
    """The exact answer child `it` writes as its i-th answer: 100 B to 40 kB, so commits span many pages."""
    rng = random.Random(it * 100_003 + i)
    n = rng.choice((20, 60, 200, 1500, 6000))
    return f"[crash-loop {it}-{i}] " + " ".join(rng.choice(WORDS) for _ in range(n))


# --------------------------------------------------------------------------------------------- the child


def child(home: str, url: str, it: int) -> None:
    """What the app does per answer, forever, until killed. Prints 'saved ID IT I' after each commit."""
    os.environ["INTERVIEWER_HOME"] = home
    from interviewer.app.services import Services
    from interviewer.backends.registry import make_backend
    from interviewer.config import GraderConfig
    from interviewer.grading.base import GradingError
    from interviewer.grading.llm.cache import GradeCache
    from interviewer.grading.llm.grader import LLMGrader
    from interviewer.grading.service import grade_attempt

    svc = Services.create()
    store = svc.store  # open: integrity check, migrations, the daily backup
    cfg = GraderConfig(backend="ollama", model="llama3.1:8b", base_url=url, timeout=5, deadline=10, max_retries=0)
    grader = LLMGrader(make_backend(cfg), cfg, cache=GradeCache(store))
    bank = svc.bank("llm-100")

    async def loop() -> None:
        await grader.backend.prepare()  # client imports: the app does this once, before the first grading
        print("ready", flush=True)
        for i in range(10_000):
            q = bank.questions[(it * 7 + i) % len(bank.questions)]
            text = answer_text(it, i)
            key = f"draft-{it}"
            for cut in (len(text) // 3, 2 * len(text) // 3):  # autosaves while "typing"
                store.save_draft(key, bank_id=bank.id, question_id=q.id, text=text[:cut], prompt=q.question)
            a = store.add_attempt(bank_id=bank.id, question_id=q.id, prompt=q.question, answer=text, draft_key=key)
            print(f"saved {a.id} {it} {i}", flush=True)
            try:
                await grade_attempt(svc, a, grader)
                print(f"graded {a.id}", flush=True)
            except GradingError:
                print(f"ungraded {a.id}", flush=True)

    asyncio.run(loop())


# --------------------------------------------------------------------------------------------- the parent


@dataclass
class Report:
    iterations: int = 0
    survived: int = 0
    saved: int = 0
    graded: int = 0
    ungraded: int = 0
    phases: Counter = field(default_factory=Counter)
    """Where each kill landed: starting, before the first answer, answer pending (grading), between answers."""
    problems: list[str] = field(default_factory=list)
    pending_at_end: int = 0
    offered: str = ""
    regraded: str = ""
    tmp_backups_left: int = 0
    backups_checked: int = 0
    seconds: float = 0.0
    kill_delays: list[float] = field(default_factory=list)
    awaited: int = 0
    """Saves the parent waited for before starting a kill's random delay (so at least this many are saved)."""

    @property
    def ok(self) -> bool:
        return not self.problems and self.survived == self.iterations


def _responder_factory(seed: int):
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import Reply, auto_grade

    rng = random.Random(seed)
    lock = threading.Lock()

    def respond(rec):
        with lock:
            fail, delay = rng.random() < 0.1, rng.uniform(0.005, 0.06)
        reply = Reply.error(500, "fake overload") if fail else auto_grade(rec)
        reply.delay = delay
        return reply

    return respond


class _Reader(threading.Thread):
    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream, self.lines, self.ready = stream, [], threading.Event()
        self.saves, self.ended, self._changed = 0, False, threading.Condition()

    def run(self) -> None:
        for line in self.stream:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("ready"):
                self.ready.set()
            if line.startswith("saved "):
                with self._changed:
                    self.saves += 1
                    self._changed.notify_all()
        self.ready.set()
        with self._changed:
            self.ended = True  # wake the waiter
            self._changed.notify_all()

    def wait_saves(self, n: int, timeout: float) -> bool:
        """Until the child has reported `n` answers saved (False if it ended or the timeout passed first)."""
        with self._changed:
            self._changed.wait_for(lambda: self.saves >= n or self.ended, timeout)
            return self.saves >= n


def _connect_ro(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db, timeout=10)
    con.row_factory = sqlite3.Row
    return con


def check_db(home: Path, lines: list[str], state: dict) -> list[str]:
    """Every invariant after a kill; returns what is wrong (empty = fine). `state` carries what all earlier
    children reported (saved ids with their answers, graded ids) and the grades already validated."""
    from interviewer.core.models import Grade

    problems: list[str] = []
    for line in lines:
        parts = line.split()
        if parts[:1] == ["saved"]:
            state["saved"][int(parts[1])] = (int(parts[2]), int(parts[3]))
        elif parts[:1] == ["graded"]:
            state["graded"].add(int(parts[1]))
        elif parts[:1] == ["ungraded"]:
            state["ungraded"].add(int(parts[1]))
    db = home / "interviewer.db"
    if not db.exists():
        return [f"reported saved but there is no database: {sorted(state['saved'])}"] if state["saved"] else []
    con = _connect_ro(db)
    try:
        ic = con.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in ic] != ["ok"]:
            return [f"integrity_check: {[r[0] for r in ic][:3]}"]
        if con.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check found dangling references")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "attempts" not in tables:
            return problems + ([f"attempts table missing but ids {sorted(state['saved'])} were reported saved"]
                               if state["saved"] else [])
        rows = {r["id"]: r for r in con.execute("SELECT id, answer, status, error FROM attempts")}
        n_grades = dict(con.execute("SELECT attempt_id, COUNT(*) FROM grades GROUP BY attempt_id").fetchall())
        for aid, (it, i) in state["saved"].items():
            r = rows.get(aid)
            if r is None:
                problems.append(f"attempt {aid} was reported saved and is gone")
            elif r["answer"] != answer_text(it, i):
                problems.append(f"attempt {aid}: the answer differs from what was saved")
        for aid in state["graded"]:
            if aid in rows and (rows[aid]["status"] != "graded" or not n_grades.get(aid)):
                problems.append(f"attempt {aid} was reported graded but is {rows[aid]['status']} with "
                                f"{n_grades.get(aid, 0)} grade(s)")
        for aid, r in rows.items():
            m = _HEADER.match(r["answer"])
            if not m or r["answer"] != answer_text(int(m[1]), int(m[2])):
                problems.append(f"attempt {aid}: half-written answer ({len(r['answer'])} chars)")
            st, g = r["status"], n_grades.get(aid, 0)
            if (st == "graded") != (g > 0):
                problems.append(f"attempt {aid}: status {st} with {g} grade(s)")
            if st == "ungraded" and not r["error"]:
                problems.append(f"attempt {aid}: ungraded without a reason")
            if st == "pending" and r["error"]:
                problems.append(f"attempt {aid}: pending with an error recorded")
        for g in con.execute("SELECT id, score, result FROM grades WHERE id > ?", (state["grade_seen"],)):
            try:
                if Grade.model_validate_json(g["result"]).score != g["score"]:
                    problems.append(f"grade {g['id']}: stored score differs from the grade")
            except ValueError:
                problems.append(f"grade {g['id']}: half-written grade JSON")
            state["grade_seen"] = max(state["grade_seen"], g["id"])
        for d in con.execute("SELECT key, text FROM drafts"):
            m = _HEADER.match(d["text"]) if d["text"] else None
            if d["text"] and (not m or not answer_text(int(m[1]), int(m[2])).startswith(d["text"])):
                problems.append(f"draft {d['key']}: text is not what was typed")
    finally:
        con.close()
    return problems


def _check_backups(home: Path, rep: Report) -> None:
    bdir = home / "backups"
    for p in sorted(bdir.glob("*")) if bdir.exists() else []:
        if p.name.endswith(".tmp"):
            rep.tmp_backups_left += 1
            continue
        con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                rep.problems.append(f"backup {p.name} fails its integrity check")
            rep.backups_checked += 1
        finally:
            con.close()


def _interviewer(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "INTERVIEWER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "interviewer", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def run(iterations: int, *, seed: int = 1, home: Path | None = None, window: float = 0.5,
        early: float = 0.15, log=None) -> Report:
    """The loop: `iterations` children, each SIGKILLed at a random moment, checked after every kill."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import FakeLLMServer

    rng = random.Random(seed)
    rep = Report()
    own_tmp = home is None
    tmpdir = tempfile.TemporaryDirectory(prefix="crash-loop-") if own_tmp else None
    home = Path(tmpdir.name) if tmpdir else Path(home)
    home.mkdir(parents=True, exist_ok=True)
    state: dict = {"saved": {}, "graded": set(), "ungraded": set(), "grade_seen": 0}
    t0 = time.perf_counter()
    try:
        with FakeLLMServer(responder=_responder_factory(seed)) as srv:
            for it in range(iterations):
                rep.iterations += 1
                proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(home),
                                         srv.url, str(it)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "INTERVIEWER_HOME": str(home)})
                out, err = _Reader(proc.stdout), _Reader(proc.stderr)
                out.start()
                err.start()
                if rng.random() < early:  # while starting: opening, integrity check, migrations, daily backup
                    delay = rng.uniform(0.0, 0.4)
                    time.sleep(delay)
                else:
                    # Wait for a number of saves, not a time, before the random delay: on a loaded machine
                    # a fixed time buys fewer answers, and the kills would land ever earlier in the loop.
                    want = rng.randint(0, 2)
                    out.ready.wait(30)
                    if want and not out.wait_saves(want, 30):
                        rep.problems.append(f"child {it} did not save {want} answers within 30 s")
                    rep.awaited += want
                    delay = rng.uniform(0.0, window)
                    time.sleep(delay)
                rep.kill_delays.append(delay)
                exited_early = proc.poll() is not None
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                out.join(10)
                err.join(10)
                if exited_early and proc.returncode != -signal.SIGKILL:
                    tail = " | ".join(err.lines[-3:])
                    rep.problems.append(f"child {it} exited by itself (code {proc.returncode}): {tail}")
                last = next((ln.split()[0] for ln in reversed(out.lines) if ln.strip()), "")
                rep.phases[{"": "starting", "ready": "before the first answer", "saved": "answer pending (grading)",
                            "graded": "between answers", "ungraded": "between answers"}[last]] += 1
                problems = check_db(home, out.lines, state)
                if problems:
                    rep.problems.extend(f"after kill {it}: {p}" for p in problems)
                else:
                    rep.survived += 1
                if log and (it + 1) % 25 == 0:
                    log(f"  {it + 1}/{iterations} kills, {len(state['saved'])} answers saved, "
                        f"{len(rep.problems)} problems")
            rep.saved, rep.graded, rep.ungraded = len(state["saved"]), len(state["graded"]), len(state["ungraded"])
        _check_backups(home, rep)
        con = _connect_ro(home / "interviewer.db")
        waiting = con.execute("SELECT COUNT(*) FROM attempts WHERE status != 'graded' AND kind = 'answer'").fetchone()[0]
        rep.pending_at_end = con.execute("SELECT COUNT(*) FROM attempts WHERE status = 'pending'").fetchone()[0]
        con.close()
        # The next start: told what is waiting, and one command grades it all.
        stats = _interviewer(home, "stats")
        rep.offered = stats.stderr.strip()
        want = f"{waiting} answer{'s are' if waiting != 1 else ' is'} ungraded: grade"
        if stats.returncode != 0 or (waiting and want not in stats.stderr):
            rep.problems.append(f"`interviewer stats` did not offer the {waiting} waiting answers: {stats.stderr!r}")
        regrade = _interviewer(home, "regrade", "--ungraded", "--backend", "offline")
        rep.regraded = (regrade.stdout.strip().splitlines() or [""])[-1]
        con = _connect_ro(home / "interviewer.db")
        left = con.execute("SELECT COUNT(*) FROM attempts WHERE status != 'graded' AND kind = 'answer'").fetchone()[0]
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        if regrade.returncode != 0 or left or ok != "ok":
            rep.problems.append(f"regrade --ungraded left {left} answers ungraded (exit {regrade.returncode}, "
                                f"integrity {ok}): {regrade.stderr[-300:]!r}")
        if waiting and rep.regraded != f"re-graded {waiting} of {waiting}":
            rep.problems.append(f"regrade said {rep.regraded!r}, expected {waiting} re-graded")
    finally:
        rep.seconds = time.perf_counter() - t0
        if tmpdir is not None:
            tmpdir.cleanup()
    return rep


def _section(rep: Report, seed: int) -> str:
    phases = ", ".join(f"{n} {p}" for p, n in rep.phases.most_common())
    d = sorted(rep.kill_delays)
    return f"""Method: `python benchmarks/crash_loop.py --iterations {rep.iterations} --seed {seed}`. A child process
saves answers (draft autosaves, then the answer committed as pending, its id printed after the commit) and grades
each against a slow fake Ollama server on 127.0.0.1 (5-60 ms per reply, one in ten a 500); the parent waits for
0-2 answers saved (drawn per kill, {rep.awaited} in all) and then SIGKILLs it after a random delay, or at a random moment
({sum(1 for x in rep.phases.elements() if x == 'starting')} of the kills while the child was still starting: opening, migrating,
backing up) and checks the database before the next child starts.

| figure | value |
| --- | --- |
| kills survived (every check passed after the kill) | **{rep.survived} of {rep.iterations}** |
| where the kills landed | {phases} |
| kill delay (median, max) | {d[len(d) // 2]:.2f} s, {d[-1]:.2f} s |
| answers reported saved / all present, byte for byte | {rep.saved} / {'yes' if not rep.problems else 'NO'} |
| reported graded / ungraded (500s) | {rep.graded} / {rep.ungraded} |
| half-written attempts, grades or drafts | {sum('half-written' in p for p in rep.problems)} |
| finished backups checked (all pass integrity_check) | {rep.backups_checked} (temp files left by killed backups: {rep.tmp_backups_left}) |
| pending at the end (killed mid-grading) | {rep.pending_at_end} |
| next start, `interviewer stats` says | `` {rep.offered} `` |
| `interviewer regrade --ungraded --backend offline` | `` {rep.regraded} `` |
| problems | {len(rep.problems)} |
| wall time | {rep.seconds:.0f} s |
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", nargs=3, metavar=("HOME", "URL", "IT"), help=argparse.SUPPRESS)
    ap.add_argument("--no-write", action="store_true", help="Do not write docs/benchmarks.md.")
    a = ap.parse_args(argv)
    if a.child:
        child(a.child[0], a.child[1], int(a.child[2]))
        return 0
    print(f"crash loop: {a.iterations} kills (seed {a.seed})", flush=True)
    rep = run(a.iterations, seed=a.seed, log=lambda s: print(s, flush=True))
    body = _section(rep, a.seed)
    print(body)
    for p in rep.problems[:20]:
        print("PROBLEM:", p)
    if not a.no_write:
        sys.path.insert(0, str(HERE))
        from _report import write_section

        write_section("crash-loop", "Crash loop: SIGKILL at random moments", body)
    summary = {"iterations": rep.iterations, "survived": rep.survived, "saved": rep.saved,
               "problems": len(rep.problems)}
    print(json.dumps(summary))
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main())
