"""Run a command on a really full disk: a small tmpfs mounted over INTERVIEWER_HOME, then filled.

    unshare -m [--user --map-root-user] python _fullfs.py HOME REPORT [--fill-on FILE] [--free-on FILE] -- CMD...

Run inside a private mount namespace (unshare -m as root, unshare -rm otherwise), so the mount is seen by this
process and its children only. HOME's files are copied onto the tmpfs, which is then filled to the last byte
(at once, or when FILE appears: a disk that fills up mid-session; --free-on deletes the filler when its FILE
appears). CMD runs with the terminal or pipes it was given. Afterwards the answers in the database on the
tmpfs (read once the filler is gone) are written to REPORT (JSON, outside the tmpfs: the test's view of "no
answer lost"), and this exits with CMD's exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SIZE = "8m"


def fill(home: Path) -> None:
    """Write zeros until the disk says no more (then byte by byte, for the last partial block)."""
    fd = os.open(home / ".filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (1 << 16, 1):
            chunk = b"\0" * size
            try:
                while True:
                    os.write(fd, chunk)
            except OSError:
                pass
    finally:
        os.close(fd)


def answers(db: Path) -> dict[str, str] | None:
    if not db.exists():
        return None
    wal = db.with_name(db.name + "-wal").exists()  # none: read the file as it is (nothing to create on a full disk)
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro{'' if wal else '&immutable=1'}", uri=True)
        try:
            return {str(i): a for i, a in con.execute("SELECT id, answer FROM attempts")}
        finally:
            con.close()
    except sqlite3.Error as e:
        return {"error": str(e)}


def main(argv: list[str]) -> int:
    sep = argv.index("--")
    opts, cmd = argv[:sep], argv[sep + 1:]
    home, report = Path(opts[0]), Path(opts[1])
    fill_on = Path(opts[opts.index("--fill-on") + 1]) if "--fill-on" in opts else None
    free_on = Path(opts[opts.index("--free-on") + 1]) if "--free-on" in opts else None
    keep = Path(tempfile.mkdtemp(prefix="fullfs-"))
    shutil.copytree(home, keep / "home", symlinks=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0777", "tmpfs", str(home)], check=True)
    shutil.copytree(keep / "home", home, symlinks=True, dirs_exist_ok=True)
    shutil.rmtree(keep, ignore_errors=True)
    if fill_on is None:
        fill(home)
    else:
        def watch() -> None:
            filled = False
            while True:
                if not filled and fill_on.exists():
                    fill(home)
                    filled = True
                if filled and free_on is not None and free_on.exists():
                    (home / ".filler").unlink(missing_ok=True)
                    return
                time.sleep(0.05)

        threading.Thread(target=watch, daemon=True).start()
    rc = subprocess.call(cmd)
    files = sorted(p.name for p in home.iterdir())
    (home / ".filler").unlink(missing_ok=True)  # space back: is every answer still there?
    report.write_text(json.dumps({"rc": rc, "answers": answers(home / "interviewer.db"), "files": files}))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
