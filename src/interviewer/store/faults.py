"""Storage faults in plain words: what happened to the database or its folder, where, and what to do.

Every way the database or the folders beside it fail under a person becomes one DatabaseError with a `kind`:

- damaged      the file is not a database any more, or a page is corrupt (-> the newest backup, how to restore)
- newer        written by a newer interviewer (-> upgrade; nothing was written) [raised by store.db]
- locked       another program holds the write lock past the busy timeout (-> close it, try again)
- readonly     the folder, the database or its -wal/-shm file cannot be written (-> which one, how to fix)
- full         the disk is full (-> how much is free, free some)
- unavailable  anything else the disk refused (-> the folder to check)

`translate(exc, db_path, backups_dir)` maps an sqlite3.Error or an OSError to one of them, or returns None for
what is not a storage fault (a bug: a constraint failed, a bad SQL statement). The store raises them where it
opens the database and around every write transaction; the front ends pass anything left over through the
same function (app.faults.explain), so the same fault reads the same from the app, plain mode and every command.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from ..core.errors import DatabaseError

FULL_BELOW = 1 << 20
"""Free bytes under which the disk counts as full (an answer with its grade and indexes takes tens of KiB)."""

_OS_READONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_OS_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


def free_bytes(path: Path | str) -> int | None:
    """Free bytes on the disk holding `path` (its nearest existing folder), or None if that cannot be told."""
    p = Path(path)
    for candidate in (p, *p.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None


def human_size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


def _not_writable(db_path: Path) -> Path | None:
    """The first of the folder, the database and its -wal / -shm files this user cannot write (None if all can
    be written, or the folder does not exist)."""
    folder = db_path.parent
    nearest = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if nearest is not None and nearest != folder:
        return nearest if not os.access(nearest, os.W_OK) else None
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return folder
    for p in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
        if p.exists() and not os.access(p, os.W_OK):
            return p
    return None


_SQLITE_WORDS = ("attempt to write a readonly database", "unable to open database file", "disk I/O error")
"""SQLite's own words, which say less than the message around them: left out of it."""


def readonly(db_path: Path, what: Path | None = None, detail: str = "") -> DatabaseError:
    detail = "" if detail in _SQLITE_WORDS else detail
    what = what or _not_writable(db_path) or db_path.parent
    kind = "folder" if what.is_dir() or not what.exists() else "file"
    fix = f"chmod u+w {what}" if kind == "folder" or what == db_path else f"chmod u+w {what} (or delete it)"
    return DatabaseError(
        f"cannot write to {what}: the {kind} is read-only for this user" + (f" ({detail})" if detail else ""),
        hint=f"make it writable ({fix}, or fix its owner), or set INTERVIEWER_HOME to a folder you can write to",
        kind="readonly", path=what)


def full(where: Path, detail: str = "") -> DatabaseError:
    detail = "" if detail in _SQLITE_WORDS else detail
    free = free_bytes(where)
    left = f"{human_size(free)} free" if free is not None else "no space left"
    return DatabaseError(f"the disk holding {where} is full ({left})" + (f": {detail}" if detail else ""),
                         hint="free some space on that disk and try again", kind="full", path=where)


def locked(db_path: Path) -> DatabaseError:
    return DatabaseError(
        f"the database {db_path} is locked by another program",
        hint="another interviewer may be busy writing, or a program such as a sqlite3 shell holds a transaction "
             "open on it: close it and try again", kind="locked", path=db_path)


def damaged(db_path: Path, backups_dir: Path | None, detail: str = "") -> DatabaseError:
    from .backup import restore_hint
    from .health import short

    return DatabaseError(f"the database {db_path} is damaged" + (f" ({short(detail)})" if detail else ""),
                         hint=restore_hint(db_path, backups_dir), kind="damaged", path=db_path)


def translate(exc: BaseException, db_path: Path | str, backups_dir: Path | None = None) -> DatabaseError | None:
    """The storage fault `exc` is, in plain words; None when it is not one (let it surface as a bug)."""
    if isinstance(exc, DatabaseError):
        return exc
    db_path = Path(db_path)
    if isinstance(exc, sqlite3.Error):
        return _sqlite_fault(exc, db_path, backups_dir)
    if isinstance(exc, OSError):
        return _os_fault(exc, db_path)
    return None


def _sqlite_fault(exc: sqlite3.Error, db_path: Path, backups_dir: Path | None) -> DatabaseError | None:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return locked(db_path)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return readonly(db_path, detail=text)
    if name == "SQLITE_FULL" or "disk is full" in text:
        return full(db_path.parent)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return damaged(db_path, backups_dir, text)
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM", "SQLITE_AUTH")):
        free = free_bytes(db_path)
        if free is not None and free < FULL_BELOW:
            return full(db_path.parent, text)
        if _not_writable(db_path) is not None:
            return readonly(db_path, detail=text)
        return DatabaseError(f"the disk refused to read or write {db_path} ({text})",
                             hint=f"check that {db_path.parent} exists, is on a connected drive and that you "
                                  "can read and write it", kind="unavailable", path=db_path)
    return None


def _os_fault(exc: OSError, db_path: Path) -> DatabaseError | None:
    where = Path(exc.filename) if exc.filename else db_path.parent
    if exc.errno in _OS_FULL:
        return full(where if where.is_dir() else where.parent)
    if exc.errno in _OS_READONLY:
        return readonly(db_path, where if where.exists() else next(
            (p for p in where.parents if p.exists()), where), exc.strerror or "")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EIO, errno.ENODEV, errno.ESTALE if hasattr(errno, "ESTALE")
                     else errno.EIO):
        return DatabaseError(f"cannot use {where}: {exc.strerror or exc}",
                             hint=f"check that {where.parent} exists and is on a connected drive, or set "
                                  "INTERVIEWER_HOME to a folder you can write to", kind="unavailable", path=where)
    return None


def check_integrity(db_path: Path, backups_dir: Path | None) -> None:
    """Raise a 'damaged' DatabaseError if the file is damaged, a 'newer' one if a newer interviewer wrote it.
    Read-only: writes nothing (`db check`, also on a read-only or full disk)."""
    from .health import file_problem

    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    problem = file_problem(db_path)
    if problem:
        raise damaged(db_path, backups_dir, problem)
    from .health import open_read_only
    from .migrations import MIGRATIONS

    try:
        conn = open_read_only(db_path)
        try:
            names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY id")]
        finally:
            conn.close()
    except sqlite3.Error:
        return  # no migrations table: a database not set up yet (opening it sets it up)
    known = {n for n, _ in MIGRATIONS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DatabaseError(f"{db_path}: this database was written by a newer version of interviewer (it has "
                            f"migration {unknown[-1]}, which this version does not know)",
                            hint="upgrade interviewer (pip install -U interviewer); nothing was written",
                            kind="newer", path=db_path)


def check_space(db_path: Path) -> None:
    """Raise a 'full' DatabaseError when the disk holding the database has almost no space left: every write
    would fail, so say it once, up front, instead of after an answer was typed."""
    free = free_bytes(db_path.parent)
    if free is not None and free < FULL_BELOW:
        raise full(db_path.parent)
