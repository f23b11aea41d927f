"""Database backups: when they are taken, how they are thinned, what each holds, and a restore that loses nothing.

- When: there is something to protect. Daily once the database holds answers (no backup of an empty database,
  and none when another backup is less than a day old), and always before a migration, an import, a restore
  and a bulk delete (reasons `daily`, `pre-migration`, `pre-import`, `pre-restore`, `pre-delete`; `manual`
  from `interviewer db backup`). The daily one is taken after an integrity check (store.health), so a damaged
  file never becomes a backup.
- How: SQLite's online backup API into a temp file beside the final name, switched out of WAL mode (so
  opening a backup later makes no -wal/-shm files in the backups folder), fsync, rename: never half-written.
- Thinning, as Anki does it: everything from today and yesterday is kept (at most RECENT_MAX), then one backup
  per day for DAILY days, one per week for WEEKLY weeks, one per month for MONTHLY months; the rest go.
  `manual` backups are the person's own and are never thinned. A file that is not an SQLite database does not
  take a slot from a good one.
- `describe` tells each backup's time, reason, size and attempt count (`interviewer db backups`).
- `plan_restore` + `restore`: the backup is checked first; the current database is kept as a `pre-restore`
  backup (or, when it is damaged, moved aside beside it), and the caller is told how many attempts the restore
  would drop, so it can ask before dropping any.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..core.errors import DatabaseError
from . import health

PREFIX = "interviewer-"
STAMP = "%Y%m%dT%H%M%S%fZ"
REASONS = ("daily", "pre-migration", "pre-import", "pre-restore", "pre-delete", "manual")
RECENT_MAX = 20
"""Backups of today and yesterday kept at most (imports in a loop must not fill the disk)."""
DAILY, WEEKLY, MONTHLY = 12, 10, 9
"""Anki's defaults: one backup for each of the last 12 days, 10 weeks and 9 months before that."""
_MAGIC = b"SQLite format 3\x00"


def backups(backups_dir: Path) -> list[Path]:
    """Every backup, newest first."""
    if not backups_dir.is_dir():
        return []
    return sorted((p for p in backups_dir.glob(f"{PREFIX}*.db") if p.is_file()), key=lambda p: p.name, reverse=True)


def _reason(p: Path) -> str:
    # interviewer-20261128T091500123456Z-daily.db
    return p.stem.split("-", 2)[-1] if p.stem.count("-") >= 2 else "manual"


def taken_at(p: Path) -> datetime | None:
    try:
        return datetime.strptime(p.name[len(PREFIX):len(PREFIX) + 22], STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def _usable(p: Path) -> bool:
    """Looks like an SQLite database (cheap: the header; a torn or empty file does not)."""
    try:
        with open(p, "rb") as f:
            return f.read(16) == _MAGIC
    except OSError:
        return False


# --------------------------------------------------------------------------- taking one


def backup(conn: sqlite3.Connection, backups_dir: Path, reason: str, now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    backups_dir.mkdir(parents=True, exist_ok=True)
    final = backups_dir / f"{PREFIX}{now.strftime(STAMP)}-{reason}.db"
    _copy_db(conn, final)
    thin(backups_dir, now=now)
    return final


def _copy_db(src: sqlite3.Connection, final: Path) -> None:
    """SQLite's online backup of `src` into a temp file beside `final`, out of WAL mode, fsync, rename."""
    tmp = final.with_name(f".{final.name}.tmp")
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            # the copy inherits WAL mode from a WAL source: switch it back, so that opening it later makes no
            # -wal/-shm files (and this removes the ones the switch itself needed)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
    except BaseException:
        for p in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            p.unlink(missing_ok=True)
        raise


def attempts_in(conn: sqlite3.Connection) -> int:
    """Every attempt the database holds: answers, skips and follow-ups (what a restore could drop)."""
    try:
        return int(conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])
    except sqlite3.OperationalError:  # no attempts table yet
        return 0


def daily_due(backups_dir: Path, now: datetime | None = None) -> bool:
    """No backup (of any reason) from the last 24 hours."""
    now = now or datetime.now(UTC)
    for p in backups(backups_dir):
        at = taken_at(p)
        if at is not None and _usable(p):
            return now - at >= timedelta(days=1)
    return True


# --------------------------------------------------------------------------- thinning


def obsolete(items: list[tuple[Path, datetime]], now: datetime) -> list[Path]:
    """Anki's thinning over (backup, when taken), newest first: what to delete."""
    local = [(p, at.astimezone()) for p, at in sorted(items, key=lambda x: x[1], reverse=True)]
    yesterday = now.astimezone().date() - timedelta(days=1)
    left = {"day": DAILY, "week": WEEKLY, "month": MONTHLY}
    last: dict[str, object] = {}
    recent = 0
    out = []

    def keys(at: datetime) -> dict[str, object]:
        d = at.date()
        return {"day": d, "week": d.isocalendar()[:2], "month": (d.year, d.month)}

    for p, at in local:
        k = keys(at)
        if at.date() >= yesterday:
            recent += 1
            if recent > RECENT_MAX:
                out.append(p)
                continue
            last = k
            continue
        stage = next((s for s in ("day", "week", "month") if left[s] > 0), None)
        if stage is None or (last and k[stage] == last[stage]):
            out.append(p)
            continue
        left[stage] -= 1
        last = k
    return out


def thin(backups_dir: Path, now: datetime | None = None) -> list[Path]:
    """Delete what Anki's rule does not keep (manual backups and non-database files take no slot and stay),
    and any temp or -wal/-shm file left in the folder by an interrupted backup. Returns what was deleted."""
    now = now or datetime.now(UTC)
    items = [(p, at) for p in backups(backups_dir)
             if _reason(p) != "manual" and (at := taken_at(p)) is not None and _usable(p)]
    removed = obsolete(items, now)
    for p in removed:
        p.unlink(missing_ok=True)
    tidy(backups_dir)
    return removed


def tidy(backups_dir: Path) -> None:
    """Take the -wal/-shm files out of the backups folder (left by older versions, which kept backups in WAL
    mode, or by a backup interrupted mid-way): a backup's WAL is folded into it first, never thrown away."""
    if not backups_dir.is_dir():
        return
    for side in [*backups_dir.glob("*.db-wal"), *backups_dir.glob("*.db-shm"), *backups_dir.glob(".*.tmp*")]:
        main = side.with_name(side.name[:-4])
        if side.name.startswith(".") and side.name.endswith((".tmp", ".tmp-wal", ".tmp-shm")):
            side.unlink(missing_ok=True)  # an interrupted backup: its final file was never made
        elif main.exists():
            try:
                c = sqlite3.connect(main)
                try:
                    c.execute("PRAGMA journal_mode = DELETE")  # checkpoints the WAL and removes both files
                finally:
                    c.close()
            except sqlite3.Error:
                pass
        else:
            side.unlink(missing_ok=True)


# --------------------------------------------------------------------------- what each holds


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime | None
    reason: str
    size: int
    attempts: int | None
    """Saved attempts in it, skips and follow-ups included (None when it cannot be read)."""
    newest_answer: datetime | None
    problem: str | None = None

    def age(self, now: datetime | None = None) -> str:
        if self.taken_at is None:
            return "unknown age"
        return age_text((now or datetime.now(UTC)) - self.taken_at)


def age_text(delta: timedelta) -> str:
    s = max(0, int(delta.total_seconds()))
    for unit, n in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if s >= n:
            k = s // n
            return f"{k} {unit}{'s' if k != 1 else ''} ago"
    return "just now"


def _read_only(p: Path) -> sqlite3.Connection:
    return health.open_read_only(p)


def describe(p: Path) -> BackupInfo:
    """A backup's time, reason, size and how many attempts it holds (opened read-only: nothing written)."""
    attempts = newest = problem = None
    try:
        conn = _read_only(p)
        try:
            n, last = conn.execute("SELECT COUNT(*), MAX(submitted_at) FROM attempts").fetchone()
            attempts, newest = n, datetime.fromisoformat(last) if last else None
        finally:
            conn.close()
    except (sqlite3.Error, ValueError) as e:
        problem = str(e)
    return BackupInfo(p, taken_at(p), _reason(p), p.stat().st_size if p.exists() else 0, attempts, newest, problem)


def restore_hint(db_path: Path, backups_dir: Path | None) -> str:
    newest = next((p for p in backups(backups_dir) if _usable(p)), None) if backups_dir else None
    if newest:
        info = describe(newest)
        held = f", {info.attempts} attempt{'s' if info.attempts != 1 else ''}" if info.attempts is not None else ""
        return (f"nothing was written. The newest backup is {newest} ({info.age()}{held}); restore it with "
                f"`interviewer db restore {newest.name}` (the damaged file is kept beside the database)")
    return (f"nothing was written, and there is no backup in {backups_dir}. Move {db_path} aside to start "
            "afresh, or try `sqlite3 FILE .recover` on a copy")


# --------------------------------------------------------------------------- restoring


@dataclass(frozen=True)
class RestorePlan:
    backup: BackupInfo
    current_attempts: int | None
    """Attempts in the database now (None: it cannot be read, e.g. damaged)."""
    dropped: int
    """Attempts in the database now that the backup does not have: what restoring would lose (they stay in the
    pre-restore backup)."""
    newest_dropped: datetime | None = None


def _keys(conn: sqlite3.Connection) -> dict[tuple[int, str], str]:
    return {(r[0], r[1]): r[1] for r in conn.execute("SELECT id, submitted_at FROM attempts")}


def plan_restore(backup_path: Path, db_path: Path, backups_dir: Path) -> RestorePlan:
    """Check the backup (a sound database, not newer than this code) and work out what restoring it drops."""
    from .migrations import MIGRATIONS

    problem = health.file_problem(backup_path)
    if problem:
        raise DatabaseError(f"{backup_path} cannot be restored: it is damaged ({problem})",
                            hint="choose another backup (`interviewer db backups`)", kind="damaged", path=backup_path)
    conn = _read_only(backup_path)
    try:
        try:
            known = {name for name, _ in MIGRATIONS}
            unknown = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY id") if r[0] not in known]
            if unknown:
                raise DatabaseError(f"{backup_path} was written by a newer version of interviewer (it has "
                                    f"migration {unknown[-1]}, which this version does not know)",
                                    hint="upgrade interviewer first, then restore it", kind="newer",
                                    path=backup_path)
            theirs = _keys(conn)
        except sqlite3.Error as e:
            raise DatabaseError(f"{backup_path} is not an interviewer database ({e})",
                                hint="choose another backup (`interviewer db backups`)", path=backup_path) from None
    finally:
        conn.close()
    info = describe(backup_path)
    mine: dict[tuple[int, str], str] | None = None
    if db_path.exists() and db_path.stat().st_size > 0 and health.file_problem(db_path) is None:
        try:
            c = health.open_read_only(db_path)
            try:
                mine = _keys(c)
            finally:
                c.close()
        except sqlite3.Error:
            mine = None
    elif not db_path.exists():
        mine = {}
    lost = [at for k, at in (mine or {}).items() if k not in theirs]
    newest = max(lost) if lost else None
    return RestorePlan(info, None if mine is None else len(mine), len(lost),
                       datetime.fromisoformat(newest) if newest else None)


@dataclass(frozen=True)
class RestoreResult:
    kept_as: Path | None
    """Where the database it replaced is: a pre-restore backup, or the damaged file moved aside."""


def restore(backup_path: Path, db_path: Path, backups_dir: Path, now: datetime | None = None, *,
            plan: RestorePlan | None = None) -> RestoreResult:
    """Put a backup in place of the database. The backup is copied beside the database first (a full disk
    stops it there, with nothing changed); then the current database is kept (backed up as `pre-restore` when it
    can be read, moved aside beside it when it is damaged); then the copy is renamed into place: there is never
    a moment without a database. Refuses while another process has the database open."""
    if plan is None:
        plan_restore(backup_path, db_path, backups_dir)  # the backup is sound and not newer than this code
    now = now or datetime.now(UTC)
    staged = db_path.with_name(f".{db_path.name}.restoring")
    src = _read_only(backup_path)
    try:
        _copy_db(src, staged)
    finally:
        src.close()
    kept: Path | None = None
    try:
        if db_path.exists():
            kept = _keep_current(db_path, backups_dir, now)
        os.replace(staged, db_path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return RestoreResult(kept)


def _keep_current(db_path: Path, backups_dir: Path, now: datetime) -> Path:
    """Back up the database about to be replaced (pre-restore), or move a damaged one aside; -wal/-shm too."""
    if health.file_problem(db_path) is None:
        conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            # leaving WAL mode needs the only connection: if another interviewer has it open, stop here
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise sqlite3.OperationalError("database is locked")
            return backup(conn, backups_dir, "pre-restore", now=now)
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise DatabaseError(f"the database {db_path} is in use by another program",
                                    hint="close the app (and any other interviewer command) and restore again",
                                    kind="locked", path=db_path) from None
            raise
        finally:
            conn.close()
    kept = db_path.with_name(f"{db_path.name}.damaged-{now.strftime('%Y%m%dT%H%M%SZ')}")
    os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):  # a damaged file's side files go with it
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    return kept
