"""Rescue files: an answer the database could not take (disk full, read-only folder, locked, damaged) is written
to a plain text file instead, so nothing a person typed is lost.

The file goes to the first of these that can be written: the data folder's `rescued/`, the home folder, the
current folder, the system's temp folder. It holds the question and the answer as typed, and says how to get
it back in (`interviewer grade --question ID --answer-file FILE`). Front ends say where it went; when no place
can be written they show the answer itself.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HEADER = "# An answer interviewer could not save to its database"
MARK = "# The answer, as typed, follows this header."


def places(data_dir: Path | None) -> list[Path]:
    out = [data_dir / "rescued"] if data_dir is not None else []
    for get in (Path.home, Path.cwd, lambda: Path(tempfile.gettempdir())):
        try:
            out.append(get())
        except (OSError, RuntimeError):
            continue
    return out


def rescue_answer(data_dir: Path | None, answer: str, *, question_id: str = "", prompt: str = "",
                  reason: str = "", now: datetime | None = None) -> Path | None:
    """Write the answer to a rescue file; its path, or None when no folder could take it."""
    now = now or datetime.now(UTC)
    safe_id = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in question_id) or "answer"
    name = f"interviewer-rescued-{now.strftime('%Y%m%dT%H%M%S')}-{safe_id}.txt"
    head = [HEADER + f" ({now.strftime('%Y-%m-%d %H:%M')} UTC).",
            f"# Why: {' '.join(reason.split())}" if reason else "",
            f"# Question {question_id}: {' '.join(prompt.split())}" if question_id else "",
            f"# Put it back: interviewer grade --question {question_id} --answer-file THIS_FILE" if question_id
            else "", MARK]
    text = "\n".join(line for line in head if line) + "\n\n" + answer
    for folder in places(data_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            return path
        except OSError:
            try:
                (folder / name).unlink(missing_ok=True)  # a partial file on a full disk
            except OSError:
                pass
            continue
    return None


def answer_of(text: str) -> str:
    """The answer in a rescue file's text (everything after its header); any other text as it is."""
    if not text.startswith(HEADER):
        return text
    lines = text.split("\n")
    i = next((n for n, line in enumerate(lines) if line == MARK), -1)
    return "\n".join(lines[i + 2:]) if i >= 0 else text
