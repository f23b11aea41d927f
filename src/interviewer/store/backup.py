"""Database backups and the damaged-database check.

- `check_integrity(path)`: a read-only `PRAGMA quick_check` before anything writes; a damaged file raises a
  DatabaseError that names the newest backup and how to restore it. Nothing is written.
- `backup(conn, dir, reason)`: SQLite's online backup API into a temp file, fsync, rename: never half-written.
- Made on start at most once a day, before every migration and before every import; thinned to a bounded
  number per reason (KEEP).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..core.errors import DatabaseError

KEEP = {"daily": 7, "pre-migration": 5, "pre-import": 5, "manual": 10, "pre-restore": 5}
PREFIX = "interviewer-"


def backups(backups_dir: Path) -> list[Path]:
    """Every backup, newest first."""
    if not backups_dir.is_dir():
        return []
    return sorted((p for p in backups_dir.glob(f"{PREFIX}*.db") if p.is_file()), key=lambda p: p.name, reverse=True)


def _reason(p: Path) -> str:
    # interviewer-20261128T091500123456Z-daily.db
    return p.stem.split("-", 2)[-1] if p.stem.count("-") >= 2 else "manual"


def backup(conn: sqlite3.Connection, backups_dir: Path, reason: str, now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    backups_dir.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}.db"
    final = backups_dir / name
    _copy_db(conn, final)
    thin(backups_dir)
    return final


def _copy_db(src: sqlite3.Connection, final: Path) -> None:
    """SQLite's online backup of `src` into a temp file beside `final`, fsync, rename: never half-written."""
    tmp = final.with_name(f".{final.name}.tmp")
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def thin(backups_dir: Path) -> list[Path]:
    """Keep the newest KEEP[reason] backups of each reason; delete the rest. Returns what was deleted."""
    seen: dict[str, int] = {}
    removed = []
    for p in backups(backups_dir):
        r = _reason(p)
        seen[r] = seen.get(r, 0) + 1
        if seen[r] > KEEP.get(r, 5):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def daily_due(backups_dir: Path, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    for p in backups(backups_dir):
        if _reason(p) == "daily":
            try:
                stamp = datetime.strptime(p.name[len(PREFIX):len(PREFIX) + 22], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            except ValueError:
                continue
            return now - stamp >= timedelta(days=1)
    return True


def restore_hint(db_path: Path, backups_dir: Path) -> str:
    newest = backups(backups_dir)
    if newest:
        return (f"nothing was written. The newest backup is {newest[0]}; restore it with "
                f"`interviewer db restore {newest[0]}` (the damaged file is kept beside it)")
    return (f"nothing was written, and there is no backup in {backups_dir}. Move {db_path} aside to start "
            "afresh, or try `sqlite3 FILE .recover` on a copy")


def check_integrity(db_path: Path, backups_dir: Path) -> None:
    """Raise DatabaseError if the database file is damaged. Read-only: writes nothing."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
        problem = None if rows and rows[0][0] == "ok" else "; ".join(str(r[0]) for r in rows[:3])
    except sqlite3.DatabaseError as e:
        problem = str(e)
    if problem:
        raise DatabaseError(f"the database {db_path} is damaged ({problem})",
                            hint=restore_hint(db_path, backups_dir))


def restore(backup_path: Path, db_path: Path, backups_dir: Path) -> Path | None:
    """Put a backup in place of the database. The current file (damaged or not) is moved aside, not deleted.
    Returns where the old file went."""
    check_integrity(backup_path, backups_dir)
    moved = None
    if db_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
        os.replace(db_path, moved)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, side.with_name(side.name + ".replaced"))
    src = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        _copy_db(src, db_path)
    finally:
        src.close()
    return moved
