"""Reading TOML files into pydantic models, with errors that name the file, the line, the item and the field.

Shared by banks, rubrics and config so that every file a person edits fails the same, helpful way.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import FileFormatError

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=FileFormatError)

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path, error_cls: type[FileFormatError], hint: str, cache_dir: Path | None = None) -> dict[str, Any]:
    """The file's TOML as plain data. With `cache_dir`, the parsed data is kept there as JSON, keyed by the
    file's path and checked against a hash of its bytes: tomllib is pure Python and takes ~70 ms for the
    built-in bank, which every start (the TUI's first screen, `stats`) would otherwise pay; JSON loads in ~1 ms."""
    if cache_dir is not None:
        return _read_toml_cached(path, error_cls, hint, cache_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error_cls(path, "file not found", hint="check the path") from None
    except OSError as e:
        raise error_cls(path, f"cannot read: {e.strerror or e}", hint="check the file's permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise error_cls(path, "not UTF-8 text", line=line, hint="save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = _TOML_POS.search(msg)
        at = int(m.group(1)) if m else None
        msg = _TOML_POS.sub("", msg).strip()
        raise error_cls(path, f"invalid TOML: {msg}", line=at, hint=hint) from None


def _read_toml_cached(path: Path, error_cls: type[FileFormatError], hint: str, cache_dir: Path) -> dict[str, Any]:
    import hashlib
    import json
    import os

    try:
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return read_toml(path, error_cls, hint)  # raises the usual error
    cache = cache_dir / f"toml-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]}.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        data = kept.get("data")
        if kept.get("sha1") == digest and isinstance(data, dict):
            return data
    except (OSError, ValueError, AttributeError):
        pass
    data = read_toml(path, error_cls, hint)
    try:  # a cache only: any failure to keep it is ignored (e.g. a read-only dir, or TOML dates, not JSON)
        text = json.dumps({"sha1": digest, "path": str(path), "data": data}, ensure_ascii=False)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, cache)
    except (OSError, TypeError, ValueError):
        pass
    return data


def _loc_str(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def validation_problems(
    path: Path,
    data: dict[str, Any],
    err: ValidationError,
    error_cls: type[E],
    text: str | None,
    item_of: Any = None,
) -> list[E]:
    """Each of pydantic's errors as a FileFormatError naming the file, line, item and field.

    `item_of(data, loc)` may return (item label, needle) where needle is a string to look for in the file's
    text to find a line number (e.g. the question's `id = "..."` line).
    """
    out: list[E] = []
    for e in err.errors():
        loc = tuple(e.get("loc", ()))
        kind = e.get("type", "")
        item = needle = None
        if item_of is not None:
            try:
                item, needle = item_of(data, loc)
            except Exception:  # noqa: BLE001 - a best-effort label must never mask the real error
                item = needle = None
        line = None
        if text is not None and needle:
            idx = text.find(needle)
            if idx >= 0:
                line = text.count("\n", 0, idx) + 1
        field = _loc_str(loc) or None
        if kind == "extra_forbidden":
            msg = "unknown key"
            hint = "remove it or fix its spelling (unknown keys are errors so typos do not pass silently)"
        elif kind == "missing":
            msg = "required but missing"
            hint = "add it"
        else:
            msg = e.get("msg", "invalid value")
            hint = "fix the value"
        out.append(error_cls(path, msg, line=line, item=item, field=field, hint=hint))
    return out


def first_validation_error(
    path: Path,
    data: dict[str, Any],
    err: ValidationError,
    error_cls: type[FileFormatError],
    text: str | None,
    item_of: Any = None,
) -> FileFormatError:
    """Pydantic's first error as a FileFormatError (see `validation_problems`), saying how many follow."""
    problems = validation_problems(path, data, err, error_cls, text, item_of)
    first = problems[0]
    more = len(problems) - 1
    if more:
        first.hint += f" ({more} more problem{'s' if more > 1 else ''} after this one)"
    return first


def load_model(
    path: Path,
    model: type[M],
    error_cls: type[FileFormatError],
    *,
    hint: str,
    item_of: Any = None,
    data: dict[str, Any] | None = None,
    cache_dir: Path | None = None,
) -> M:
    if data is None:
        data = read_toml(path, error_cls, hint, cache_dir)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = None
        raise first_validation_error(path, data, err, error_cls, text, item_of) from None
    except ValueError as err:  # model validators raising plain ValueError
        raise error_cls(path, str(err), hint=hint) from None
