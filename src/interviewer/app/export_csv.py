"""The CSV export: one row per attempt with its newest grade, its override and, for a spoken answer, the
delivery measured from the recording; every text cell guarded so a spreadsheet never runs it as a formula.
(Split from `exporting`, which writes the file and re-exports `render_csv` and `CSV_COLUMNS`.)
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import TYPE_CHECKING

from ..core.delivery import Delivery
from ..core.models import FoundMisconception
from ..store import history
from ..store.voice import deliveries_for
from . import reviewing

if TYPE_CHECKING:
    from .services import Services

CSV_COLUMNS = ("attempt_id", "session_id", "submitted_at", "bank_id", "question_id", "topic", "question",
               "kind", "status", "error", "score", "model_score", "verdict", "grader", "rubric", "graded_at",
               "grades", "override_score", "override_reason", "parent_id", "duration_s", "spoken_seconds",
               "words_per_minute", "long_pauses", "longest_pause_s", "speech_ratio", "fillers_per_minute",
               "misconceptions", "answer")
"""The delivery columns (spoken_seconds .. fillers_per_minute) are measured from the recording of a spoken
answer (core.delivery) and empty for a typed one. `misconceptions`: the newest grade's wrong claims, one line
each (what is wrong, the answer's words, what is right), as on the feedback screen."""


def render_csv(services: Services, *, since: datetime | None = None) -> tuple[str, int]:
    qs = reviewing.question_index(services)
    rows = history.export_rows(services.store, since=since)
    spoken = deliveries_for(services.store, [r["attempt_id"] for r in rows])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        q = qs.get(r["question_id"])
        model = r["model_score"]
        score = r["override_score"] if r["override_score"] is not None else model
        grader = (r["backend"] or "") + (f":{r['model']}" if r["backend"] and r["model"] else "")
        rubric = f"{r['rubric_id']}@{r['rubric_version']}" if r["rubric_id"] else ""
        w.writerow([r["attempt_id"], r["session_id"] or "", r["submitted_at"], *map(_text, (
                    r["bank_id"], r["question_id"], q.topic if q else "", r["prompt"], r["kind"], r["status"],
                    r["error"] or "")), _num(score), _num(model), *map(_text, (r["verdict"] or "", grader, rubric)),
                    r["graded_at"] or "", r["n_grades"], _num(r["override_score"]), _text(r["override_reason"] or ""),
                    r["parent_id"] or "", _num(r["duration_s"]), *_delivery_cells(spoken.get(r["attempt_id"])),
                    _text(_misconceptions(r["misconceptions"])), _text(r["answer"])])
    return buf.getvalue(), len(rows)


def _delivery_cells(d: Delivery | None) -> list[str]:
    if d is None:
        return [""] * 6
    return [_num(d.speech_seconds), _num(d.words_per_minute), str(d.long_pause_count), _num(d.longest_pause_seconds),
            _num(d.speech_ratio), _num(d.fillers_per_minute)]


def _misconceptions(stored: str | None) -> str:
    """The stored grade's misconceptions, one per line; grades from before they had structure held plain
    strings, read the same way the grade model reads them."""
    if not stored:
        return ""
    try:
        items = json.loads(stored)
        return "\n".join(FoundMisconception.model_validate({"claim": m} if isinstance(m, str) else m).as_text()
                         for m in items)
    except (ValueError, TypeError):
        return ""


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP's list for CSV injection)."""


def _text(value: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula (an answer beginning "=HYPERLINK(",
    a bank question beginning "@SUM(") gets a leading apostrophe, which spreadsheets hide and never evaluate.
    Numbers are written by `_num` and never guarded."""
    return "'" + value if value.startswith(FORMULA_START) else value
