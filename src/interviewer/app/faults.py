"""The fault model's shared steps for every front end: name the fault, or log the bug.

- `explain(exc, locations)`: the error a person can act on that `exc` is: itself when it is an
  InterviewerError, the storage fault it is in plain words (store.faults: damaged, newer, locked, read-only,
  full), or None for a bug.
- `log_bug(exc, locations)`: the traceback of a bug into the log (crashlog), with API keys redacted
  (backends.redact); the path to name in the one-line message that replaces the traceback.

cli.report (commands, plain mode) and tui.faults (the app) both use these, so a fault reads the same
wherever it happens and every bug leaves its traceback in the same file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import InterviewerError

if TYPE_CHECKING:
    from ..locations import Locations

LOGGED = "interviewer_log"
"""Attribute set on an exception whose traceback is already in the log (so it is not written twice)."""


def explain(exc: BaseException, locations: Locations | None = None) -> InterviewerError | None:
    if isinstance(exc, InterviewerError):
        return exc
    from ..store.faults import translate

    try:
        if locations is None:
            from ..locations import Locations

            locations = Locations.from_env()
        return translate(exc, locations.db_path, locations.backups_dir)
    except Exception:  # noqa: BLE001 - working out the words must never raise on the error path
        return None


def log_bug(exc: BaseException, locations: Locations | None = None, context: str = "") -> str:
    """Write the traceback to the log; the log's path (or a note that no file could be written)."""
    done = getattr(exc, LOGGED, None)
    if isinstance(done, str) and done:
        return done
    from ..crashlog import record

    try:
        from ..backends.redact import Redactor, env_secrets

        redact = Redactor(env_secrets())
    except Exception:  # noqa: BLE001
        redact = None
    try:
        if locations is None:
            from ..locations import Locations

            locations = Locations.from_env()
        data_dir = locations.data_dir
    except Exception:  # noqa: BLE001
        data_dir = None
    path = record(exc, data_dir, context=context, redact=redact)
    where = str(path) if path else "(nowhere: no folder could be written)"
    try:
        setattr(exc, LOGGED, where)
    except AttributeError:  # pragma: no cover - exceptions without a __dict__
        pass
    return where
