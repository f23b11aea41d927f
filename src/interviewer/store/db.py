"""Opening the database: path injected, WAL, synchronous=FULL, foreign keys, busy timeout, migrations.

`open_db(path)` is the one way in, and where every start-up fault is found and named (store.faults): a
database newer than this code (a migration it does not know) is refused without writing; a damaged one names
the newest backup; a locked, read-only or full one says which and what to do. With a backups folder it also
runs the integrity check when it can matter (after an unclean shutdown, before the daily backup: store.health)
and takes the backups that protect something (store.backup).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import DatabaseError
from .migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (sqlite3 sets it after every INSERT)."""
    if cur.lastrowid is None:  # pragma: no cover - not after an INSERT
        raise RuntimeError("no row was inserted")
    return cur.lastrowid


def connect(path: Path | str) -> sqlite3.Connection:
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseError(f"{path}: could not switch the database to WAL mode (got {mode})",
                                    hint="check the file system supports it and the file is writable", path=path)
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    row = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='migrations'").fetchone()
    if row is None:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY id")]


def pending_migrations(conn: sqlite3.Connection, path: Path | str = "") -> list[tuple[str, str]]:
    done = applied_migrations(conn)
    known = [name for name, _ in MIGRATIONS]
    unknown = [n for n in done if n not in known]
    if unknown:
        raise DatabaseError(
            f"{path}: this database was written by a newer version of interviewer (it has migration "
            f"{unknown[-1]}, which this version does not know)",
            hint="upgrade interviewer (pip install -U interviewer); nothing was written", kind="newer", path=path,
        )
    return [(n, sql) for n, sql in MIGRATIONS if n not in done]


def migrate(conn: sqlite3.Connection, path: Path | str = "") -> list[str]:
    """Apply pending migrations, each in its own transaction. Returns the names applied."""
    todo = pending_migrations(conn, path)
    applied: list[str] = []
    for name, sql in todo:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-check inside the write lock: another process may have migrated meanwhile
            if name in applied_migrations(conn):
                conn.execute("COMMIT")
                continue
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
                "applied_at TEXT NOT NULL)"
            )
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, now_iso()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    out, buf = [], []
    for line in sql.splitlines():
        buf.append(line)
        joined = "\n".join(buf)
        if line.rstrip().endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        out.append(rest)
    return out


def open_db(path: Path | str, backups_dir: Path | None = None) -> sqlite3.Connection:
    """Open (creating if needed), check and migrate. Raises DatabaseError with a clear message.

    With `backups_dir` (the app's own database): the file is checked for damage after an unclean shutdown
    (before anything is written) and before the daily backup; a backup is made before any migration of an
    existing database, and daily once it holds answers; the folder and the file must be writable and the disk
    not full, so a fault is reported at start, not after an answer was typed.
    """
    from . import faults, health

    if path == ":memory:":
        conn = connect(path)
        migrate(conn, path)
        return conn
    path = Path(path)
    backups_dir = Path(backups_dir) if backups_dir is not None else None
    existed = path.exists() and path.stat().st_size > 0
    dead = health.stale_markers(path) if backups_dir is not None and existed else []
    conn = _connect(path, backups_dir)
    try:
        _check_and_migrate(conn, path, backups_dir, existed, dead)
    except sqlite3.Error as e:
        conn.close()
        raise faults.translate(e, path, backups_dir) or DatabaseError(
            f"{path}: the database could not be read or upgraded: {e}",
            hint="if the file is damaged, restore a backup (`interviewer db backups`)", path=path) from None
    except OSError as e:  # the backups folder
        conn.close()
        raise faults.translate(e, path, backups_dir) or DatabaseError(
            f"cannot write a backup to {backups_dir}: {e.strerror or e}", path=backups_dir or path) from None
    except BaseException:
        conn.close()
        raise
    health.mark_open(path)
    return conn


def _connect(path: Path, backups_dir: Path | None) -> sqlite3.Connection:
    from . import faults

    try:
        return connect(path)
    except sqlite3.Error as e:
        raise faults.translate(e, path, backups_dir) or DatabaseError(
            f"{path}: cannot open the database: {e}", hint="if the file is damaged, restore a backup "
            "(`interviewer db backups`)", path=path) from None
    except OSError as e:  # the folder could not be made
        raise faults.translate(e, path, backups_dir) or DatabaseError(
            f"{path.parent}: cannot create the folder: {e.strerror or e}", path=path) from None


def _check_and_migrate(conn: sqlite3.Connection, path: Path, backups_dir: Path | None, existed: bool,
                       dead: list[Path]) -> None:
    """open_db's work on an open connection: the checks and backups it owes, the migration, and (for the app's
    own database) that it can be written. Raises sqlite3.Error or OSError as they come."""
    from . import backup as bk
    from . import faults, health

    checked = False
    if dead:  # a process died with the database open: check it before writing anything
        problem = health.integrity_problem(conn)
        if problem:
            raise faults.damaged(path, backups_dir, problem)
        checked = True
    if backups_dir is not None and existed:
        if pending_migrations(conn, path):
            if bk.attempts_in(conn):  # an empty database has nothing a migration could lose
                bk.backup(conn, backups_dir, "pre-migration")
        elif bk.attempts_in(conn) and bk.daily_due(backups_dir):
            problem = None if checked else health.integrity_problem(conn)
            if problem:
                raise faults.damaged(path, backups_dir, problem)
            bk.backup(conn, backups_dir, "daily")
    migrate(conn, path)
    if backups_dir is not None:
        _check_writable(conn, path)
        faults.check_space(path)
        health.clear(dead)


def _check_writable(conn: sqlite3.Connection, path: Path) -> None:
    """A write that is rolled back: SQLite opens a read-only file (or a file with a read-only -wal) without a
    word and fails only at the first real write, which would be an answer. Raises sqlite3.Error."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA user_version = {int(version)}")
    finally:
        conn.execute("ROLLBACK")


def close_db(conn: sqlite3.Connection, path: Path | str) -> None:
    """Close a connection made by open_db (and forget this process's open marker with the last one)."""
    conn.close()
    if str(path) != ":memory:":
        from . import health

        health.mark_closed(Path(path))
