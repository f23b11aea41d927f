"""The faults of issue 14, made real on a copy of a seeded home, for the fault matrix (test_fault_matrix.py).

Every fault is the thing itself, not a mock: a file that is not a database, a migration from a newer version, a
second process holding the write lock, a home made read-only and the command run as an unprivileged user, a
tmpfs filled to the last byte, a config pointing at a bank that is not there, a bank file that does not parse,
a config.toml with several mistakes, a rubric that is not installed.

- `seed(path)`: a home with three answers (graded, ungraded, skipped) in one session, a manual backup, a JSON
  export, a Markdown bank to import, an answer file and a two-record eval file.
- `FAULTS`: name -> Fault (what it does to a home, how a command must be run under it, the words the message
  must hold, and which commands can still do their job).
- `run(...)`: one command under one fault, with what it printed and the answers left afterwards.

Running as another user: as root, the read-only home is tested as `nobody` (setpriv), or, where `nobody`
cannot run this Python, in a user namespace of its own (`unshare --user`: the same uid, but no capability over
the files, so their permissions bind it like anyone). A full disk needs a mount namespace (`unshare -m`, or
`unshare -rm` for a user that is not root). .ci/run makes the interpreter reachable for `nobody`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).with_name("interviewer")
FULLFS = HERE / "_fullfs.py"
SEEDED = {1: "Attention weighs every token by query-key similarity.", 2: "Pre-training on a huge corpus first.",
          3: ""}
TYPED = "An answer typed ahead into the pipe, before the session started."
BANK_MD = "## Databases\n\n### Q1: What is an index?\n**Answer:** A data structure that speeds up lookups.\n" \
          "- B-trees keep keys sorted\n- Writes get slower\n"


# --------------------------------------------------------------------------- the seeded home


def seed(home: Path) -> None:
    """A home as a person has it after a first session (and the files the commands are given)."""
    from interviewer.store import backup
    from interviewer.store.repo import Store

    home.mkdir(parents=True, exist_ok=True)
    s = Store.open(home / "interviewer.db", home / "backups")
    sess = s.start_session("llm-100")
    a1 = s.add_attempt(bank_id="llm-100", question_id="llm-q021", prompt="What is attention?", answer=SEEDED[1],
                       session_id=sess.id)
    from _review_seed import make_grade

    s.add_grade(a1.id, make_grade(80, {"k1": "covered"}))
    a2 = s.add_attempt(bank_id="llm-100", question_id="llm-q011", prompt="What is pre-training?",
                       answer=SEEDED[2], session_id=sess.id)
    s.mark_ungraded(a2.id, "the server was down")
    from interviewer.core.models import AttemptKind

    s.add_attempt(bank_id="llm-100", question_id="llm-q003", prompt="Q3", answer="", kind=AttemptKind.skipped,
                  session_id=sess.id)
    backup.backup(s.conn, home / "backups", "manual")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    files = home.parent / "files"
    files.mkdir(exist_ok=True)
    (files / "answer.txt").write_text("Attention lets every token weigh every other token by similarity.\n")
    (files / "bank.md").write_text(BANK_MD)
    rec = {"question": "What is attention?", "reference": "Weights values by query-key similarity.",
           "answer": "softmax of scaled dot products", "score": 3}
    (files / "labels.jsonl").write_text(json.dumps(rec) + "\n" + json.dumps({**rec, "answer": "no idea"}) + "\n")
    env = {**os.environ, "INTERVIEWER_HOME": str(home)}
    subprocess.run([str(BIN), "export", "--format", "json", "-o", str(files / "history.json")], env=env,
                   check=True, capture_output=True, timeout=60)
    for p in [files, *files.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def answers_in(db: Path) -> dict[int, str] | None:
    if not db.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return dict(con.execute("SELECT id, answer FROM attempts"))
        finally:
            con.close()
    except sqlite3.Error:
        return None


# --------------------------------------------------------------------------- running as someone else


def _probe_denied(prefix: list[str]) -> bool:
    """Does `prefix` really make writes to a read-only folder fail (and can it run this Python at all)?"""
    d = Path(tempfile.mkdtemp(prefix="iv-probe-"))
    try:
        d.chmod(0o555)
        code = "import interviewer, sys\ntry:\n    open(sys.argv[1] + '/x', 'w')\nexcept PermissionError:\n    " \
               "sys.exit(7)\nsys.exit(0)"
        r = subprocess.run([*prefix, sys.executable, "-c", code, str(d)], capture_output=True, timeout=60)
        return r.returncode == 7
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        d.chmod(0o755)
        shutil.rmtree(d, ignore_errors=True)


_UNPRIVILEGED: list[list[str]] = []


def unprivileged() -> list[str]:
    """The argv prefix that runs a command without the power to ignore file permissions."""
    if _UNPRIVILEGED:
        return _UNPRIVILEGED[0]
    if os.geteuid() != 0:
        _UNPRIVILEGED.append([])
        return []
    for prefix in (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], ["unshare", "--user"]):
        if shutil.which(prefix[0]) and _probe_denied(prefix):
            _UNPRIVILEGED.append(prefix)
            return prefix
    raise RuntimeError("running as root, and neither `setpriv` to the user nobody (who must be able to run "
                       f"{sys.executable}: .ci/run makes it reachable) nor `unshare --user` works here, so a "
                       "read-only home cannot be tested: install util-linux")


def mount_namespace() -> list[str]:
    if os.geteuid() == 0:
        return ["unshare", "--mount"]
    return ["unshare", "--user", "--map-root-user", "--mount"]


# --------------------------------------------------------------------------- the faults


@dataclass
class Fault:
    name: str
    phrase: str
    """A regex the message must match."""
    works: set[str] = field(default_factory=set)
    """Commands that can still do their job under this fault (exit 0)."""
    holder: subprocess.Popen | None = None

    def prepare(self, home: Path) -> None:
        """Do the fault to a fresh copy of the seeded home."""

    def prefix(self, home: Path, report: Path) -> list[str]:
        return []

    def start(self, home: Path) -> None:
        """Just before the commands run (the locked fault takes its lock here)."""

    def stop(self) -> None:
        pass

    def after(self, home: Path, report: Path) -> dict[int, str] | None:
        """The answers in the database after a command (None when it cannot be read)."""
        return answers_in(home / "interviewer.db")


READ_ONLY_COMMANDS = {"bank list", "bank show", "bank lint", "rubric list", "rubric show", "eval"}
STORE_FREE = READ_ONLY_COMMANDS | {"db check", "db backups", "bank import"}


class Damaged(Fault):
    def prepare(self, home: Path) -> None:
        with open(home / "interviewer.db", "r+b") as f:
            f.write(b"this is no longer an SQLite database header" * 3)


class Newer(Fault):
    def prepare(self, home: Path) -> None:
        con = sqlite3.connect(home / "interviewer.db")
        con.execute("INSERT INTO migrations(name, applied_at) VALUES ('m999_from_a_newer_version', 'x')")
        con.commit()
        con.close()


class Locked(Fault):
    HOLD = ("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\nc.execute(\"INSERT INTO sessions(bank_id, started_at) VALUES ('x', 'y')\")\n"
            "print('locked', flush=True)\nsys.stdin.read()\nc.execute('ROLLBACK')\n")

    def start(self, home: Path) -> None:
        self.holder = subprocess.Popen([sys.executable, "-c", self.HOLD, str(home / "interviewer.db")],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.holder.stdout.readline().strip() == "locked"

    def stop(self) -> None:
        if self.holder is not None:
            self.holder.communicate("")
            self.holder = None


class ReadOnly(Fault):
    def prepare(self, home: Path) -> None:
        for root, dirs, files in os.walk(home):
            for n in files:
                p = Path(root) / n
                p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) | stat.S_IROTH)
            for n in dirs:
                (Path(root) / n).chmod(0o555)
        home.chmod(0o555)

    def prefix(self, home: Path, report: Path) -> list[str]:
        return unprivileged()


class Full(Fault):
    def prefix(self, home: Path, report: Path) -> list[str]:
        return [*mount_namespace(), sys.executable, str(FULLFS), str(home), str(report), "--"]

    def after(self, home: Path, report: Path) -> dict[int, str] | None:
        data = json.loads(report.read_text())
        got = data["answers"]
        return None if got is None or "error" in got else {int(k): v for k, v in got.items()}


class Config(Fault):
    def __init__(self, name: str, phrase: str, works: set[str], toml: str, extra=None) -> None:
        super().__init__(name, phrase, works)
        self.toml, self.extra = toml, extra

    def prepare(self, home: Path) -> None:
        (home / "config.toml").write_text(self.toml)
        if self.extra:
            self.extra(home)


def _broken_bank(home: Path) -> None:
    (home / "banks").mkdir(exist_ok=True)
    (home / "banks" / "mine.toml").write_text('[bank]\nid = "mine"\ntitle = "Mine"\n[[questions]\nid = 1\n')


STORE = {"db backup", "db restore", "grade", "stats", "history", "export", "import", "regrade", "override",
         "delete attempt", "delete session"}
FAULTS: dict[str, Fault] = {f.name: f for f in [
    Damaged("damaged", r"damaged", READ_ONLY_COMMANDS | {"db backups", "db restore", "bank import"}),
    Newer("newer", r"newer version", READ_ONLY_COMMANDS | {"db backups", "db restore", "bank import"}),
    Locked("locked", r"locked|in use", READ_ONLY_COMMANDS | {"db check", "db backups", "bank import"}),
    ReadOnly("read-only", r"read-only", READ_ONLY_COMMANDS | {"db check", "db backups"}),
    Full("disk full", r"full", READ_ONLY_COMMANDS | {"db check", "db backups"}),
    Config("bank missing", r"no bank with id 'nope'", STORE | STORE_FREE, '[practice]\nbank = "nope"\n'),
    Config("bank broken", r"mine\.toml", (STORE | STORE_FREE) - {"bank lint"}, '[practice]\nbank = "mine"\n',
           _broken_bank),
    Config("config invalid", r"problems in the configuration|config\.toml:\d+", {"db check", "db backups",
                                                                                  "db restore"},
           '[grader]\nbackend = "gpt"\ntimeout = -1\n[practice]\nquestions = 0\nbank = 7\n'),
    Config("rubric missing", r"no rubric with id 'nope'",
           (STORE | STORE_FREE) - {"grade", "regrade"}, '[practice]\nrubric = "nope"\n'),
]}


# --------------------------------------------------------------------------- the commands


def commands(files: Path, backup_name: str) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments, what is typed on stdin)."""
    return {
        "bank list": (["bank", "list"], ""),
        "bank show": (["bank", "show", "llm-q030"], ""),
        "bank lint": (["bank", "lint"], ""),
        "bank import": (["bank", "import", str(files / "bank.md")], ""),
        "rubric list": (["rubric", "list"], ""),
        "rubric show": (["rubric", "show", "default"], ""),
        "db check": (["db", "check"], ""),
        "db backup": (["db", "backup"], ""),
        "db backups": (["db", "backups"], ""),
        "db restore": (["db", "restore", backup_name, "--yes"], ""),
        "grade": (["grade", "-q", "llm-q030", "--answer-file", str(files / "answer.txt")], ""),
        "doctor": (["doctor"], ""),
        "eval": (["eval", str(files / "labels.jsonl")], ""),
        "practice --plain": (["practice", "--plain", "-n", "1"], TYPED + "\n\n/quit\n"),
        "stats": (["stats"], ""),
        "history": (["history"], ""),
        "export": (["export", "--format", "json", "-o", "-"], ""),
        "import": (["import", str(files / "history.json")], ""),
        "regrade": (["regrade", "--ungraded"], ""),
        "override": (["override", "1", "70", "--reason", "the grade missed my point"], ""),
        "delete attempt": (["delete", "attempt", "3", "--yes"], ""),
        "delete session": (["delete", "session", "1", "--yes"], ""),
    }


@dataclass
class Result:
    command: str
    code: int
    out: str
    err: str
    answers: dict[int, str] | None
    seconds: float


def run(fault: Fault, home: Path, name: str, args: list[str], stdin: str, report: Path,
        writable_home: Path) -> Result:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env.update({"INTERVIEWER_HOME": str(home), "HOME": str(writable_home), "NO_COLOR": "1", "COLUMNS": "120"})
    t0 = time.monotonic()
    r = subprocess.run([*fault.prefix(home, report), str(BIN), *args], input=stdin, capture_output=True, text=True,
                       env=env, timeout=120)
    return Result(name, r.returncode, r.stdout, r.stderr, fault.after(home, report), time.monotonic() - t0)


def traceback_in(text: str) -> bool:
    return "Traceback (most recent call last)" in text or bool(re.search(r"^\s*File \".*\", line \d+", text, re.M))


# --------------------------------------------------------------------------- the app, in a real terminal


class Terminal:
    """A command in its own tmux server (80x24 would wrap the messages; 120x40 keeps them readable)."""

    _n = 0

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40)) -> None:
        import shlex

        Terminal._n += 1
        self.sock = f"iv-faults-{os.getpid()}-{Terminal._n}"
        envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        cmd = (f"env {envs} {' '.join(shlex.quote(a) for a in argv)}; echo INTERVIEWER-EXITED $?; sleep 60")
        subprocess.run(["tmux", "-L", self.sock, "new-session", "-d", "-s", "iv", "-x", str(size[0]), "-y",
                        str(size[1]), cmd], check=True, timeout=20)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True, timeout=20).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "iv", "-p", "-J")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "iv", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "iv", "-l", text)

    def wait_for(self, *needles: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while True:
            s = self.screen()
            if all(n in s for n in needles):
                return s
            if time.monotonic() > end:
                raise AssertionError(f"never saw {needles!r} on the screen:\n{s}")
            time.sleep(0.2)

    def exit_code(self, timeout: float = 40.0) -> tuple[int, str]:
        s = self.wait_for("INTERVIEWER-EXITED", timeout=timeout)
        m = re.search(r"INTERVIEWER-EXITED (\d+)", s)
        return int(m.group(1)), s

    def close(self) -> None:
        self.tmux("kill-server")


def cell_env(home: Path, writable_home: Path) -> dict[str, str]:
    return {"INTERVIEWER_HOME": str(home), "HOME": str(writable_home), "TERM": "xterm-256color"}


def run_in_terminal(fault: Fault, home: Path, name: str, args: list[str], report: Path,
                    writable_home: Path) -> Result:
    t0 = time.monotonic()
    term = Terminal([*fault.prefix(home, report), str(BIN), *args], cell_env(home, writable_home))
    try:
        code, screen = term.exit_code()
    finally:
        term.close()
    return Result(name, code, screen, "", fault.after(home, report), time.monotonic() - t0)
