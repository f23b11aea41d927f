"""The one rule for text that could drive a terminal, shared by the app, plain mode and the CLI.

An answer, a model's feedback or a server's error body can hold ESC sequences (clear the screen, set the window
title, write the clipboard with OSC 52, hyperlinks), carriage returns that overwrite what was printed, C1
controls, or bidi overrides that reorder a line. Two uses of one definition (`_UNSAFE`):

- **Input** (`clean_text`): what a person types or pastes, in the app's answer editor, in plain mode or in a
  file given to `grade`, is stored as typed *minus* what cannot be shown safely: whole escape sequences
  (`ESC [31m` goes, not just the ESC), the remaining control characters except tab and newline, and the bidi
  embeddings, overrides and isolates; CR LF and lone CR become LF. So text in = text stored = text shown,
  in every front end.
- **Output** (`safe`): text the app did not clean on the way in (model and server replies, bank files,
  answers stored by older versions) is printed with each such character replaced by a visible U+FFFD, keeping
  tabs and newlines. tui/text.py uses the same function.

Rich markup is a separate matter: the CLI passes dynamic text to Rich as `rich.text.Text` (never parsed) or
escaped, never as a markup string.

No rich import here: the module is used on error paths that must stay cheap.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

# C0 controls except tab/newline, DEL, C1 controls, and the bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"

# Whole escape sequences, so that cleaning leaves no "[31m" behind: CSI (7- and 8-bit), the string commands
# OSC / DCS / SOS / PM / APC up to their terminator (BEL or ST), and the short ESC sequences (ESC 7, ESC ( B).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)

M = TypeVar("M")


def safe(value: object) -> str:
    """The text with terminal control characters made visible as U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, str(value))


def clean_text(text: str) -> str:
    """What a person typed or pasted, as it is stored and shown: line ends as LF, and without escape sequences,
    control characters (tab and newline stay) or bidi overrides."""
    if not _UNSAFE.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", _ESCAPES.sub("", text))


def json_safe(text: str) -> str:
    """Serialized JSON with any control or bidi character left raw (JSON only escapes those below 0x20) written
    as a \\uXXXX escape instead: the same data for a parser, nothing live for a terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
