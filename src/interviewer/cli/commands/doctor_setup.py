"""`interviewer doctor`'s checks of everything but the grader: is this machine ready to practise?

Each fault the app, plain mode and the commands refuse to start with is a failed check here, so `doctor` says
"not ready" for every one of them and names it: an invalid config (every problem), a missing or broken bank, a
missing rubric, and the database damaged, newer than this code, locked by another program, read-only, or on a
full disk. The grader's own checks (reachable, model, structured output) stay in grade.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

Check = tuple[str, bool, str]


def _one_line(e: BaseException) -> str:
    msg = getattr(e, "message", None) or str(e)
    hint = getattr(e, "hint", "")
    return " ".join(msg.split()) + (f" -> {hint}" if hint else "")


def setup_checks(make_services: Callable[[], Any]) -> tuple[Any, list[Check]]:
    """(the services, or None when the config cannot be read; the checks, in the order a person fixes them)."""
    from ...core.errors import ConfigError, InterviewerError

    checks: list[Check] = []
    try:
        svc = make_services()
    except ConfigError as e:
        problems = getattr(e, "problems", None) or [e]
        for p in problems:
            checks.append(("configuration", False, _one_line(p)))
        return None, checks
    checks.append(("configuration", True, str(svc.locations.config_path) if svc.locations.config_path.exists()
                   else "defaults (no config.toml)"))
    try:
        bank = svc.check_practice()
        checks.append(("bank and rubrics", True, f"{bank.id}: {len(bank.questions)} questions, every rubric "
                                                 "they use is installed"))
    except InterviewerError as e:
        checks.append(("bank and rubrics", False, _one_line(e)))
    for problem in svc.bank_problems:
        checks.append(("bank file", False, f"not loaded: {' '.join(problem.error.split())} -> fix it (`interviewer "
                                           "bank lint FILE`) or move it out of the banks folder"))
    checks.append(_database(svc))
    cfg_dir = svc.locations.config_dir
    if cfg_dir.exists() and not os.access(cfg_dir, os.W_OK):
        checks.append(("config folder", False, f"{cfg_dir} is read-only: settings cannot be saved -> make it "
                                               "writable, or set INTERVIEWER_HOME to a folder you can write to"))
    return svc, checks


def _database(svc: Any) -> Check:
    from ...core.errors import InterviewerError
    from ...store import backup, health
    from ...store.faults import free_bytes, human_size

    loc = svc.locations
    try:
        store = svc.store  # opening finds damaged, newer, locked, read-only and full
        problem = health.integrity_problem(store.conn)  # doctor checks the whole file, whatever the day
        if problem:
            from ...store.faults import damaged

            raise damaged(loc.db_path, loc.backups_dir, problem)
        n = backup.attempts_in(store.conn)
    except InterviewerError as e:
        return ("database", False, _one_line(e))
    found = backup.backups(loc.backups_dir)
    newest = f"; newest backup {found[0].name} ({backup.describe(found[0]).age()})" if found else "; no backup yet"
    free = free_bytes(loc.db_path)
    space = f"; {human_size(free)} free" if free is not None else ""
    return ("database", True, f"{loc.db_path}: {n} attempt{'s' if n != 1 else ''}{newest}{space}")
