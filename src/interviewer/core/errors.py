"""Errors a person can act on: each names the file (and line or item) and says what to do."""

from __future__ import annotations

from pathlib import Path


class InterviewerError(Exception):
    """Base of every error the CLI/TUI shows as one clear message instead of a traceback."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  -> {self.hint}" if self.hint else self.message


class FileFormatError(InterviewerError):
    """A file that could not be read as the format it should be in."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        item: str | None = None,
        field: str | None = None,
        hint: str = "",
    ) -> None:
        self.path = str(path)
        self.line = line
        self.item = item
        self.field = field
        where = self.path + (f":{line}" if line else "")
        parts = [where]
        if item:
            parts.append(item)
        if field:
            parts.append(f"field '{field}'")
        super().__init__(f"{': '.join(parts)}: {message}", hint=hint)


class BankError(FileFormatError):
    pass


class RubricError(FileFormatError):
    pass


class ConfigError(FileFormatError):
    """A problem in config.toml, an INTERVIEWER_* variable or a flag; `problems` lists each when there are
    several (config.load_config reports them all at once)."""

    problems: list[ConfigError] = []  # noqa: RUF012 - replaced per instance, never mutated


class DatabaseError(InterviewerError):
    """The database cannot be opened, read, upgraded or written; the message names the file and what to do.

    `kind` says which fault it is, so a front end can act on it (keep an answer on screen, offer a backup):
    damaged | newer | locked | readonly | full | unavailable (store/faults.py makes them)."""

    def __init__(self, message: str, *, hint: str = "", kind: str = "unavailable", path: Path | str = "") -> None:
        super().__init__(message, hint=hint)
        self.kind = kind
        self.path = str(path)
