"""Terminal-safe text for the CLI: what the candidate typed and what a model or server sent back is printed as
text, never as terminal control sequences.

An answer, a model's feedback or a server's error body can hold ESC sequences (clear the screen, set the window
title, write the clipboard with OSC 52, hyperlinks), carriage returns that overwrite what was printed, C1
controls, or bidi overrides that reorder a line. `safe()` replaces each such character with a visible U+FFFD,
keeping tabs and newlines (the same rule the TUI applies in tui/text.py). Rich markup is a separate matter:
the CLI passes dynamic text to Rich as `rich.text.Text` (never parsed) or escaped, never as a markup string.

No rich import here: the module is used on error paths that must stay cheap.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

# C0 controls except tab/newline, DEL, C1 controls, and the bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"

M = TypeVar("M")


def safe(value: object) -> str:
    """The text with terminal control characters made visible as U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, str(value))


def json_safe(text: str) -> str:
    """Serialized JSON with any control or bidi character left raw (JSON only escapes those below 0x20) written
    as a \\uXXXX escape instead: the same data for a parser, nothing live for a terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def is_safe(text: str) -> bool:
    return _UNSAFE.search(text) is None


def safe_data(obj: Any) -> Any:
    """Every string inside lists, tuples and dicts made safe (other values as they are)."""
    if isinstance(obj, str):
        return safe(obj)
    if isinstance(obj, list):
        return [safe_data(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(safe_data(x) for x in obj)
    if isinstance(obj, dict):
        return {k: safe_data(v) for k, v in obj.items()}
    return obj


def safe_model(model: M) -> M:
    """A copy of a pydantic model (a Grade, a Question) with every string field made safe, for printing."""
    dumped = model.model_dump()  # type: ignore[attr-defined]
    cleaned = safe_data(dumped)
    if cleaned == dumped:
        return model
    return type(model).model_validate(cleaned)  # type: ignore[attr-defined]
