"""Dumping history for export and restoring it on import, in SQL.

`dump` reads sessions, attempts, every grade and every override, and a spoken attempt's takes and delivery
(store.voice) (optionally only attempts since a date, plus the parents of any follow-up it includes). `restore` writes already-validated records in ONE
transaction: either all of it lands or none of it does. Ids are remapped (the target database has its own),
and records already present are recognised and not duplicated, so importing the same file twice, or a file
from a machine that shares part of the history, is safe:

- a session is the same if bank_id and started_at match;
- an attempt is the same if bank_id, question_id, submitted_at and answer match;
- a grade (override) of an attempt is the same if its created_at matches.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import voice
from .db import inserted_id
from .history import iso
from .repo import damaged_grade

if TYPE_CHECKING:
    from .repo import Store

_ATTEMPT_COLS = ("id", "session_id", "bank_id", "question_id", "prompt", "answer", "kind", "status", "error",
                 "parent_id", "started_at", "submitted_at", "duration_s")


def _grade_shaped(g: Any) -> bool:
    """A stored grade's JSON has a grade's main fields, of their types: a check in microseconds where validating
    every grade with pydantic would double the export's time. Deeper damage is left to the import's validation,
    which names the record."""
    return (isinstance(g, dict) and isinstance(g.get("score"), int | float) and 0 <= g["score"] <= 100
            and isinstance(g.get("verdict"), str) and isinstance(g.get("criteria"), list)
            and isinstance(g.get("grader"), dict) and isinstance(g["grader"].get("backend"), str))


def dump(store: Store, *, since: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Sessions and attempts (each with all its grades and overrides, oldest first) as plain data."""
    c = store.conn
    if since is None:
        ids = [r[0] for r in c.execute("SELECT id FROM attempts")]
    else:
        ids = [r[0] for r in c.execute(
            "SELECT id FROM attempts WHERE submitted_at >= ? "
            "UNION SELECT parent_id FROM attempts WHERE submitted_at >= ? AND parent_id IS NOT NULL",
            (iso(since), iso(since)))]
    if not ids:
        return {"sessions": [], "attempts": []}
    c.execute("CREATE TEMP TABLE IF NOT EXISTS _export_ids (id INTEGER PRIMARY KEY)")
    c.execute("DELETE FROM _export_ids")
    c.executemany("INSERT OR IGNORE INTO _export_ids(id) VALUES (?)", [(i,) for i in ids])
    try:
        grades: dict[int, list[dict[str, Any]]] = {}
        for r in c.execute("SELECT g.attempt_id, g.created_at, g.score, g.backend, g.model, g.result FROM grades g "
                           "JOIN _export_ids e ON e.id = g.attempt_id ORDER BY g.created_at, g.id"):
            try:
                grade = json.loads(r["result"])
            except ValueError:
                grade = None
            if not _grade_shaped(grade):  # damaged by a hand edit: exported as the app shows it (repo.stored_grade)
                grade = damaged_grade(r["score"], r["backend"], r["model"]).model_dump(mode="json")
            grades.setdefault(r["attempt_id"], []).append({"created_at": r["created_at"], "grade": grade})
        overrides: dict[int, list[dict[str, Any]]] = {}
        for r in c.execute("SELECT o.attempt_id, o.score, o.reason, o.created_at FROM overrides o JOIN "
                           "_export_ids e ON e.id = o.attempt_id ORDER BY o.created_at, o.id"):
            overrides.setdefault(r["attempt_id"], []).append({"score": r["score"], "reason": r["reason"],
                                                              "created_at": r["created_at"]})
        spoken = voice.dump_voice(store, ids)
        attempts = []
        for r in c.execute("SELECT a.* FROM attempts a JOIN _export_ids e ON e.id = a.id "
                           "ORDER BY a.submitted_at, a.id"):
            rec = {k: r[k] for k in _ATTEMPT_COLS}
            rec["grades"] = grades.get(r["id"], [])
            rec["overrides"] = overrides.get(r["id"], [])
            if r["id"] in spoken:
                rec["voice"] = spoken[r["id"]]
            attempts.append(rec)
        sessions = [{"id": r["id"], "bank_id": r["bank_id"], "started_at": r["started_at"],
                     "ended_at": r["ended_at"], "settings": json.loads(r["settings"] or "{}")}
                    for r in c.execute("SELECT * FROM sessions WHERE id IN (SELECT DISTINCT a.session_id FROM "
                                       "attempts a JOIN _export_ids e ON e.id = a.id) ORDER BY started_at, id")]
    finally:
        c.execute("DELETE FROM _export_ids")
    return {"sessions": sessions, "attempts": attempts}


def restore(store: Store, sessions: Sequence[dict[str, Any]], attempts: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Write validated records in one transaction. Timestamps must be datetimes; each grade is
    {'created_at', 'grade': core.models.Grade}; a spoken attempt's 'voice' is (takes, delivery), validated;
    parents must come before their follow-ups.
    Returns counts of what was added and what was already there."""
    counts = dict.fromkeys(("sessions", "attempts", "grades", "overrides", "voice", "sessions_existing",
                            "attempts_existing", "grades_existing", "overrides_existing"), 0)
    session_ids: dict[int, int] = {}
    attempt_ids: dict[int, int] = {}
    with store.tx() as c:
        for s in sessions:
            started = iso(s["started_at"])
            row = c.execute("SELECT id FROM sessions WHERE bank_id = ? AND started_at = ?",
                            (s["bank_id"], started)).fetchone()
            if row:
                session_ids[s["id"]] = row[0]
                counts["sessions_existing"] += 1
                continue
            cur = c.execute("INSERT INTO sessions(bank_id, started_at, ended_at, settings) VALUES (?,?,?,?)",
                            (s["bank_id"], started, iso(s["ended_at"]) if s.get("ended_at") else None,
                             json.dumps(s.get("settings") or {})))
            session_ids[s["id"]] = inserted_id(cur)
            counts["sessions"] += 1
        for a in attempts:
            submitted = iso(a["submitted_at"])
            row = c.execute("SELECT id FROM attempts WHERE bank_id = ? AND question_id = ? AND submitted_at = ? "
                            "AND answer = ?", (a["bank_id"], a["question_id"], submitted, a["answer"])).fetchone()
            if row:
                new_id = row[0]
                counts["attempts_existing"] += 1
            else:
                status = "graded" if a["grades"] else a["status"]
                cur = c.execute(
                    "INSERT INTO attempts(session_id, bank_id, question_id, prompt, answer, kind, status, error, "
                    "parent_id, started_at, submitted_at, duration_s) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (session_ids.get(a["session_id"]) if a.get("session_id") is not None else None,
                     a["bank_id"], a["question_id"], a["prompt"], a["answer"], a["kind"], status,
                     None if status == "graded" else a.get("error"),
                     attempt_ids.get(a["parent_id"]) if a.get("parent_id") is not None else None,
                     iso(a["started_at"]) if a.get("started_at") else None, submitted, a.get("duration_s")))
                new_id = inserted_id(cur)
                counts["attempts"] += 1
            attempt_ids[a["id"]] = new_id
            spoken = a.get("voice")  # (takes, delivery), as app.exporting reads them
            if spoken is not None and voice.restore_voice(c, new_id, spoken[0], spoken[1], submitted):
                counts["voice"] += 1
            for g in a["grades"]:
                created = iso(g["created_at"])
                if c.execute("SELECT 1 FROM grades WHERE attempt_id = ? AND created_at = ?",
                             (new_id, created)).fetchone():
                    counts["grades_existing"] += 1
                    continue
                gr = g["grade"]
                c.execute(
                    "INSERT INTO grades(attempt_id, created_at, backend, model, prompt_version, rubric_id, "
                    "rubric_version, score, verdict, latency_ms, prompt_tokens, completion_tokens, cost_usd, "
                    "result) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (new_id, created, gr.grader.backend, gr.grader.model, gr.grader.prompt_version,
                     gr.grader.rubric_id, gr.grader.rubric_version, gr.score, gr.verdict, gr.latency_ms,
                     gr.usage.prompt_tokens, gr.usage.completion_tokens, gr.usage.cost_usd, gr.model_dump_json()))
                c.execute("UPDATE attempts SET status = 'graded', error = NULL WHERE id = ?", (new_id,))
                counts["grades"] += 1
            for o in a["overrides"]:
                created = iso(o["created_at"])
                if c.execute("SELECT 1 FROM overrides WHERE attempt_id = ? AND created_at = ?",
                             (new_id, created)).fetchone():
                    counts["overrides_existing"] += 1
                    continue
                c.execute("INSERT INTO overrides(attempt_id, score, reason, created_at) VALUES (?,?,?,?)",
                          (new_id, o["score"], o["reason"], created))
                counts["overrides"] += 1
    return counts
