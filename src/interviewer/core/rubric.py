"""Rubrics: load and validate rubric TOML files, find installed ones, render one as prompt text.

A rubric has weighted criteria, each on an integer 0-4 scale with every level described. Weights are
positive and normalised in code (`Rubric.weights()`), so a file may use any positive numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import RubricError
from .models import Rubric
from .tomlfile import load_model

RUBRIC_HINT = "see rubrics/default.toml for the expected layout, then run `interviewer rubric show ID`"


def _criterion_item(data: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str | None, str | None]:
    if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int):
        cs = data.get("criteria") or []
        c = cs[loc[1]] if loc[1] < len(cs) else None
        cid = c.get("id") if isinstance(c, dict) else None
        if isinstance(cid, str):
            return f"criterion {cid}", f'"{cid}"'
        return f"criterion #{loc[1] + 1}", None
    return None, None


def load_rubric(path: Path | str) -> Rubric:
    path = Path(path)
    rubric = load_model(path, Rubric, RubricError, hint=RUBRIC_HINT, item_of=_criterion_item)
    if rubric.id != path.stem:
        raise RubricError(path, f"rubric id {rubric.id!r} does not match the file name",
                          field="id", hint=f"name the file {rubric.id}.toml or set id = {path.stem!r}")
    return rubric


def discover_rubrics(dirs: Iterable[Path]) -> tuple[dict[str, Rubric], list[str]]:
    """Rubrics by id from the given dirs, later dirs overriding earlier ones; problems as messages."""
    found: dict[str, Rubric] = {}
    problems: list[str] = []
    for d in dirs:
        if not d or not d.is_dir():
            continue
        for p in sorted(d.glob("*.toml")):
            try:
                r = load_rubric(p)
            except RubricError as e:
                problems.append(str(e))
                continue
            found[r.id] = r
    return found, problems


def render_rubric(rubric: Rubric) -> str:
    """The rubric as plain text for a grading prompt (stable: it sits in the cacheable prompt prefix)."""
    weights = rubric.weights()
    lines = [f"Rubric: {rubric.name} (id {rubric.id}, version {rubric.version})"]
    if rubric.guidance:
        lines.append(rubric.guidance.strip())
    for c in rubric.criteria:
        lines.append("")
        lines.append(f"Criterion `{c.id}` - {c.name} (weight {weights[c.id]:.2f}): {c.description.strip()}")
        for lv in c.levels:
            lines.append(f"  {lv.level}: {lv.description.strip()}")
    return "\n".join(lines)
