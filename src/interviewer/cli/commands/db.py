"""`interviewer db check|backup|backups|restore`: the database's health and its backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

db_app = typer.Typer(help="Check, back up and restore the practice database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def _locations():
    from ...locations import Locations

    return Locations.from_env()


@db_app.command("check")
def check() -> None:
    """Check the database for damage (read-only) and say where it and its backups are."""
    from ...store.backup import backups, check_integrity

    loc = _locations()
    check_integrity(loc.db_path, loc.backups_dir)
    typer.echo(f"ok: {loc.db_path}" if loc.db_path.exists() else f"no database yet at {loc.db_path}")
    b = backups(loc.backups_dir)
    typer.echo(f"{len(b)} backup(s) in {loc.backups_dir}" + (f"; newest {b[0].name}" if b else ""))


@db_app.command("backup")
def backup_now() -> None:
    """Make a backup now."""
    from ...app.services import Services
    from ...store.backup import backup

    svc = Services.create()
    path = backup(svc.store.conn, svc.locations.backups_dir, "manual")
    typer.echo(f"backed up to {path}")


@db_app.command("backups")
def list_backups() -> None:
    """List backups, newest first."""
    from ...store.backup import backups

    loc = _locations()
    for p in backups(loc.backups_dir):
        typer.echo(f"{p}  ({p.stat().st_size // 1024} KiB)")


@db_app.command("restore")
def restore_cmd(backup_file: Annotated[Path, typer.Argument(help="A backup file (see `interviewer db backups`)")],
                yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False) -> None:
    """Replace the database with a backup. The current file is moved aside, never deleted."""
    from ...core.errors import InterviewerError
    from ...store.backup import restore

    loc = _locations()
    if not backup_file.is_file():
        raise InterviewerError(f"{backup_file}: no such backup", hint="run `interviewer db backups`")
    if not yes and not typer.confirm(f"Replace {loc.db_path} with {backup_file}?"):
        raise typer.Abort()
    moved = restore(backup_file, loc.db_path, loc.backups_dir)
    typer.echo(f"restored {backup_file} -> {loc.db_path}" + (f"; the previous file is kept as {moved}" if moved else ""))
