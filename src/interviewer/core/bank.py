"""Question banks: load and validate TOML bank files, find installed banks, write banks back out.

A bank file has a `[bank]` table (id, title, ...) and `[[questions]]` entries, each with
`[[questions.key_points]]`. The built-in banks ship under `data/banks/`; a person's own banks live in the
user data dir (`locations.user_banks_dir()`) and are picked up automatically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BankError
from .models import Bank
from .tomlfile import load_model

BANK_HINT = "see data/banks/llm-100.toml for the expected layout, then run `interviewer bank lint FILE`"


def _question_item(data: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str | None, str | None]:
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        qs = data.get("questions") or []
        q = qs[loc[1]] if loc[1] < len(qs) else None
        qid = q.get("id") if isinstance(q, dict) else None
        if isinstance(qid, str):
            return f"question {qid}", f'"{qid}"'
        return f"question #{loc[1] + 1}", None
    if loc and loc[0] == "bank":
        return "[bank]", "[bank]"
    return None, None


_DUP = re.compile(r"duplicate question id '([^']+)'")


def load_bank(path: Path | str, cache_dir: Path | None = None) -> Bank:
    """Load and validate one bank file. Raises BankError naming file, line, question and field. With
    `cache_dir`, the parsed TOML is kept there (core.tomlfile.read_toml); validation runs every time."""
    path = Path(path)
    try:
        return load_model(path, Bank, BankError, hint=BANK_HINT, item_of=_question_item, cache_dir=cache_dir)
    except BankError as e:
        m = _DUP.search(e.message)
        if m and e.line is None:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            needle = f'"{m.group(1)}"'
            first = text.find(needle)
            second = text.find(needle, first + 1)
            line = text.count("\n", 0, second) + 1 if second >= 0 else None
            raise BankError(path, e.message.split(": ", 1)[-1], line=line, item=f"question {m.group(1)}",
                            hint="rename one of the two questions") from None
        raise


@dataclass(frozen=True)
class InstalledBank:
    path: Path
    bank: Bank
    builtin: bool


@dataclass(frozen=True)
class BankProblem:
    path: Path
    error: str


def bank_files(dirs: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d.is_dir():
            out.extend(sorted(p for p in d.glob("*.toml") if p.is_file()))
    return out


def discover_banks(builtin_dir: Path, user_dir: Path | None,
                   cache_dir: Path | None = None) -> tuple[list[InstalledBank], list[BankProblem]]:
    """Every bank in the built-in and user dirs. Broken files are reported, not fatal, so one bad user file
    never stops the app from opening. A user bank with the same id as a built-in one replaces it."""
    found: dict[str, InstalledBank] = {}
    problems: list[BankProblem] = []
    for d, builtin in ((builtin_dir, True), (user_dir, False)):
        if d is None:
            continue
        for p in bank_files([d]):
            try:
                b = load_bank(p, cache_dir)
            except BankError as e:
                problems.append(BankProblem(p, str(e)))
                continue
            found[b.id] = InstalledBank(p, b, builtin)
    return list(found.values()), problems


def bank_to_dict(bank: Bank) -> dict[str, Any]:
    """Plain data for writing TOML: defaults that add nothing are left out to keep files readable."""
    data = bank.model_dump(mode="json")
    for q in data["questions"]:
        if not q.get("distinct_from"):
            q.pop("distinct_from", None)
        for kp in q.get("key_points", []):
            if not kp.get("drafted"):
                kp.pop("drafted", None)
            if not kp.get("alternatives"):
                kp.pop("alternatives", None)
    if not data["bank"].get("description"):
        data["bank"].pop("description", None)
    if not data["bank"].get("source"):
        data["bank"].pop("source", None)
    return data


def dump_bank(bank: Bank) -> str:
    import tomli_w

    return tomli_w.dumps(bank_to_dict(bank), multiline_strings=True)
