"""`interviewer db check|backup|backups|restore`: the database's health and its backups.

`check` and `backups` only read (they work on a read-only or full disk, and on a damaged database: that is when
they are needed). `restore` says what it is about to do (the backup's age and attempts, what the database holds
now) and asks before it drops any attempt; the current database is kept as a backup first.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

db_app = typer.Typer(help="Check, back up and restore the practice database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def _locations():
    from ...locations import Locations

    return Locations.from_env()


def _attempts(n: int | None) -> str:
    """Every attempt, skips and follow-ups included: what a backup holds and a restore drops."""
    return "unreadable" if n is None else f"{n} attempt{'s' if n != 1 else ''}"


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "unknown time"


@db_app.command("check")
def check() -> None:
    """Check the database for damage (read-only) and say where it and its backups are."""
    from ...store.backup import backups, describe
    from ...store.faults import check_integrity
    from ...store.health import damaged_grades

    loc = _locations()
    check_integrity(loc.db_path, loc.backups_dir)
    typer.echo(f"ok: {loc.db_path}" if loc.db_path.exists() else f"no database yet at {loc.db_path}")
    damaged = damaged_grades(loc.db_path) if loc.db_path.exists() else []
    if damaged:
        ids = " ".join(map(str, damaged[:10])) + (" ..." if len(damaged) > 10 else "")
        which, shows = (("the grade of 1 answer", "shows only the score stored beside it") if len(damaged) == 1 else
                        (f"the grades of {len(damaged)} answers", "show only the scores stored beside them"))
        typer.echo(f"note: {which} cannot be read in detail (damaged JSON, e.g. a hand edit) and {shows}; to see "
                   f"feedback, grade again: interviewer regrade {ids}")
    b = backups(loc.backups_dir)
    newest = f"; newest {b[0].name} ({describe(b[0]).age()})" if b else ""
    typer.echo(f"{len(b)} backup(s) in {loc.backups_dir}{newest}")


@db_app.command("backup")
def backup_now() -> None:
    """Make a backup now (kept until you delete it: manual backups are never thinned)."""
    from ...store.backup import backup
    from ..context import services

    svc = services()
    try:
        path = backup(svc.store.conn, svc.locations.backups_dir, "manual")
    finally:
        svc.close()
    typer.echo(f"backed up to {path}")


@db_app.command("backups")
def list_backups() -> None:
    """List backups, newest first: when each was taken, why, how many attempts (answers, skips and follow-ups) it holds, its size."""
    from ...store.backup import backups, describe
    from ...store.faults import human_size

    loc = _locations()
    found = backups(loc.backups_dir)
    if not found:
        typer.echo(f"no backups yet in {loc.backups_dir} (one is made daily once you have answers, and before "
                   "every migration, import, restore and session delete)")
        return
    now = datetime.now(UTC)
    for p in found:
        info = describe(p)
        typer.echo(f"{p.name}  {_when(info.taken_at)} ({info.age(now)})  {info.reason:<13} "
                   f"{_attempts(info.attempts):>12}  {human_size(info.size)}")
    typer.echo(f"in {loc.backups_dir}; restore one with `interviewer db restore NAME`")


def _resolve(backup_file: Path, backups_dir: Path) -> Path:
    from ...core.errors import InterviewerError

    for candidate in (backup_file, backups_dir / backup_file.name):
        if candidate.is_file():
            return candidate
    raise InterviewerError(f"{backup_file}: no such backup", hint="run `interviewer db backups` to see them")


@db_app.command("restore")
def restore_cmd(backup_file: Annotated[Path, typer.Argument(help="A backup: its path, or its name from "
                                                                 "`interviewer db backups`")],
                yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask, even when attempts would be "
                                                                      "dropped.")] = False) -> None:
    """Replace the database with a backup. The current database is kept as a backup first; restoring asks when
    it would drop attempts you made since the backup (they stay in that pre-restore backup)."""
    from ...core.errors import InterviewerError
    from ...store.backup import plan_restore, restore

    loc = _locations()
    src = _resolve(backup_file, loc.backups_dir)
    plan = plan_restore(src, loc.db_path, loc.backups_dir)
    b = plan.backup
    typer.echo(f"backup: {src.name}, taken {_when(b.taken_at)} ({b.age()}), {_attempts(b.attempts)}")
    if plan.current_attempts is None:
        typer.echo(f"now:    {loc.db_path} cannot be read (damaged); it will be moved aside, not deleted")
    else:
        typer.echo(f"now:    {loc.db_path}, {_attempts(plan.current_attempts)}")
    if plan.dropped:
        since = f", the newest from {_when(plan.newest_dropped)}" if plan.newest_dropped else ""
        typer.echo(f"restoring drops {_attempts(plan.dropped)} that the backup does not have{since} "
                   "(they stay in a pre-restore backup)")
        if not yes:
            if not sys.stdin.isatty():
                raise InterviewerError(f"not restoring: it would drop {_attempts(plan.dropped)}",
                                       hint="add --yes to restore anyway (a pre-restore backup keeps them)")
            if not typer.confirm("Restore anyway?", default=False):
                raise typer.Abort()
    res = restore(src, loc.db_path, loc.backups_dir, plan=plan)
    kept = f"; the database it replaced is kept as {res.kept_as}" if res.kept_as else ""
    typer.echo(f"restored {src.name} -> {loc.db_path}{kept}")
