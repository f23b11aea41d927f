"""Whether the database needs an integrity check now, and the check itself.

`PRAGMA quick_check` reads every page: 420 ms at 100,000 answers. Running it on every start made every start pay
for a fault that almost never happens; not running it at all lets a damaged file be backed up over the good
backups. It runs when it can matter:

- after an unclean shutdown: every process that opens the database leaves a marker file beside it
  (`interviewer.db.open-PID`) and removes it when it closes the database or exits normally; a marker whose
  process is gone means that process died with the database open (killed, crashed, power cut), and the next
  start checks the file before writing anything;
- before the daily backup (store.backup), so a damaged file never becomes a backup;
- on `interviewer db check` and before a restore.

Any query that meets a damaged page also ends in the same 'damaged' message (store.faults), so damage found
between checks is reported as clearly as damage found by one.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from contextlib import closing
from pathlib import Path

_lock = threading.Lock()
_open: dict[str, int] = {}
"""Database path -> connections this process opened through open_db and has not closed."""


def marker(db_path: Path, pid: int | None = None) -> Path:
    return db_path.with_name(f"{db_path.name}.open-{os.getpid() if pid is None else pid}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - os.kill(pid, 0) would not just ask there
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def stale_markers(db_path: Path) -> list[Path]:
    """Markers left by processes that are gone: each one a process that died with the database open."""
    out = []
    for p in db_path.parent.glob(f"{db_path.name}.open-*"):
        try:
            pid = int(p.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if not _alive(pid):
            out.append(p)
    return out


def mark_open(db_path: Path) -> None:
    """Note that this process has the database open (a marker beside it, once per process). A process that
    ends normally removes its markers even if nothing closed the database (atexit: the interpreter closes the
    connection, rolling back anything unfinished); one that is killed or crashes leaves them, as it should."""
    key = str(db_path)
    with _lock:
        _open[key] = _open.get(key, 0) + 1
        if _open[key] == 1:
            try:
                marker(db_path).touch()
            except OSError:  # a read-only folder: the open itself reports that
                pass
            _register_exit()


_exit_registered: list[bool] = []


def _register_exit() -> None:
    if _exit_registered:
        return
    import atexit

    _exit_registered.append(True)
    atexit.register(_remove_all)


def _remove_all() -> None:
    with _lock:
        for key in list(_open):
            marker(Path(key)).unlink(missing_ok=True)
        _open.clear()


def mark_closed(db_path: Path) -> None:
    key = str(db_path)
    with _lock:
        n = _open.get(key, 0) - 1
        if n > 0:
            _open[key] = n
            return
        _open.pop(key, None)
        marker(db_path).unlink(missing_ok=True)


def clear(markers: list[Path]) -> None:
    """Forget the markers of dead processes once the file they left behind was checked."""
    for p in markers:
        p.unlink(missing_ok=True)


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    """What `PRAGMA quick_check` finds wrong (its first lines), or None when the file is sound."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as e:
        return short(str(e))
    if rows and rows[0][0] == "ok":
        return None
    return short("; ".join(str(r[0]) for r in rows[:3]))


def short(detail: str, width: int = 160) -> str:
    """SQLite's report on one line, cut to `width` (quick_check can list hundreds of broken pages)."""
    detail = " ".join(detail.replace("*** in database main ***", "").split())
    return detail if len(detail) <= width else detail[: width - 1] + "…"


def open_read_only(db_path: Path) -> sqlite3.Connection:
    """A connection that reads and never writes: without a -wal beside the file it is opened immutable (no
    -wal/-shm made: works in a read-only folder and on a full disk); with one, read-only through the WAL, so
    committed answers in it count."""
    wal = db_path.with_name(db_path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "mode=ro&immutable=1"
    return sqlite3.connect(f"{db_path.resolve().as_uri()}?{flags}", uri=True)


def damaged_grades(db_path: Path) -> list[int]:
    """The attempts whose shown (newest) grade's stored JSON does not read (store.repo.stored_grade shows it by its
    score alone), read only; none where the grades table cannot be read (a database too new or too damaged says so
    elsewhere). An older damaged grade behind a newer one is history, not listed."""
    try:
        with closing(open_read_only(db_path)) as conn:
            return [r[0] for r in conn.execute("""SELECT g.attempt_id FROM grades g WHERE NOT json_valid(g.result)
                AND g.id = (SELECT g2.id FROM grades g2 WHERE g2.attempt_id = g.attempt_id
                            ORDER BY g2.created_at DESC, g2.id DESC LIMIT 1) ORDER BY g.attempt_id""")]
    except sqlite3.Error:
        return []


def file_problem(db_path: Path) -> str | None:
    """`integrity_problem` of a file opened read-only (`open_read_only`): a backup, a file about to be
    restored, the database for `db check`."""
    try:
        conn = open_read_only(db_path)
    except sqlite3.Error as e:
        return str(e)
    try:
        return integrity_problem(conn)
    finally:
        conn.close()
