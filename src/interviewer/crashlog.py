"""The log of unexpected errors: where a traceback goes instead of a person's terminal.

An error nobody foresaw (a bug) must still end in one line that says what to do, not a traceback over the
screen. The traceback is worth keeping, though: `record(exc)` appends it (with the time and the command) to
`interviewer.log` in the data folder, or, when that folder cannot be written (a read-only home, a full disk),
to a file in the system's temp folder, and returns the path the message then names. The text passes through
a redactor the caller gives (backends.redact), so no API key reaches the file. The log is kept under
MAX_BYTES by starting afresh (the previous one is kept as interviewer.log.1).

Support layer: stdlib only, no rich.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

MAX_BYTES = 512 * 1024
NAME = "interviewer.log"


def candidates(data_dir: Path | None) -> list[Path]:
    out = [data_dir / NAME] if data_dir is not None else []
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    out.append(Path(tempfile.gettempdir()) / f"interviewer-{uid}.log")
    return out


def record(exc: BaseException, data_dir: Path | None, *, context: str = "",
           redact: Callable[[str], str] | None = None) -> Path | None:
    """Append `exc` with its traceback to the log; the log's path, or None when nothing could be written."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    entry = f"--- {stamp} · {context or ' '.join(sys.argv[1:]) or 'interviewer'}\n{text}\n"
    if redact is not None:
        try:
            entry = redact(entry)
        except Exception:  # noqa: BLE001 - a log entry must never fail the error path
            pass
    for path in candidates(data_dir):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_BYTES:
                os.replace(path, path.with_name(path.name + ".1"))
            with open(path, "a", encoding="utf-8") as f:
                f.write(entry)
            return path
        except OSError:
            continue
    return None
