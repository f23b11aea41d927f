"""Opening the database: path injected, WAL, synchronous=FULL, foreign keys, busy timeout, migrations.

`open_db(path)` is the one way in. It refuses a database newer than this code (a migration it does not
know) without writing, and says what to do.
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


def connect(path: Path | str) -> sqlite3.Connection:
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if path != ":memory:":
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise DatabaseError(f"{path}: could not switch the database to WAL mode (got {mode})",
                                hint="check the file system supports it and the file is writable")
    conn.execute("PRAGMA synchronous = FULL")
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
            hint="upgrade interviewer (pip install -U interviewer); nothing was written",
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
    """Open (creating if needed) and migrate. Raises DatabaseError with a clear message.

    With `backups_dir`: a damaged file is refused before anything is written (naming the newest backup),
    a backup is made before any migration of an existing database, and at most once a day on start.
    """
    from . import backup as bk

    existed = path != ":memory:" and Path(path).exists() and Path(path).stat().st_size > 0
    if backups_dir is not None and existed:
        bk.check_integrity(Path(path), backups_dir)
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path}: cannot open the database: {e}",
                            hint="if the file is damaged, restore a backup from the backups folder") from None
    try:
        if backups_dir is not None and existed:
            if pending_migrations(conn, path):
                bk.backup(conn, backups_dir, "pre-migration")
            elif bk.daily_due(backups_dir):
                bk.backup(conn, backups_dir, "daily")
        migrate(conn, path)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise DatabaseError(f"{path}: the database could not be read or upgraded: {e}",
                            hint="if the file is damaged, restore a backup from the backups folder") from None
    except BaseException:
        conn.close()
        raise
    return conn
