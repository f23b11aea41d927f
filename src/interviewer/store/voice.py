"""Spoken answers in the database (migration m003_voice): each attempt's takes and its delivery figures.

This module owns the SQL of the two voice tables, as `repo.py` owns the attempts': writing an answer's takes
and delivery in one transaction, reading them back as core objects, the per-answer points the review trends
are drawn from, the audio files an attempt or a session points at (so deleting one can delete its audio), and
the voice part of an export record (written and read by `transfer`).

A take is stored whole as JSON (`core.transcript.SpokenTake`: transcript, word timings, silences, the audio's
path); the delivery both as JSON (`core.delivery.Delivery`, every figure and pause) and as columns, so a
trend is one indexed SQL read, not a JSON parse per answer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.delivery import Delivery
from ..core.transcript import SpokenTake
from .db import now_iso

if TYPE_CHECKING:
    from .repo import Store


@dataclass(frozen=True)
class DeliveryPoint:
    """One spoken answer's headline figures, for a trend."""

    attempt_id: int
    submitted_at: str
    """As stored (UTC ISO 8601); the day is its first 10 characters."""
    words_per_minute: float
    pace: str
    speech_seconds: float
    speech_ratio: float
    long_pauses: int
    longest_pause_seconds: float
    fillers_per_minute: float


def save_voice(store: Store, attempt_id: int, takes: Sequence[SpokenTake], delivery: Delivery | None) -> None:
    """Store an answer's takes (in order) and its delivery, replacing any stored before, in one transaction."""
    with store.tx() as c:
        _write(c, attempt_id, takes, delivery, now_iso())


def _write(c: sqlite3.Connection, attempt_id: int, takes: Sequence[SpokenTake], delivery: Delivery | None,
           created_at: str) -> None:
    c.execute("DELETE FROM attempt_takes WHERE attempt_id = ?", (attempt_id,))
    c.execute("DELETE FROM deliveries WHERE attempt_id = ?", (attempt_id,))
    c.executemany(
        "INSERT INTO attempt_takes(attempt_id, position, audio_path, duration_s, backend, model, take) "
        "VALUES (?,?,?,?,?,?,?)",
        [(attempt_id, i, t.audio, t.transcript.duration, t.transcript.backend, t.transcript.model,
          t.model_dump_json()) for i, t in enumerate(takes)])
    if delivery is not None:
        d = delivery
        c.execute(
            "INSERT INTO deliveries(attempt_id, created_at, version, pauses_from, takes, duration_s, speech_s, "
            "speech_ratio, word_count, words_per_minute, pace, long_pauses, longest_pause_s, fillers, "
            "fillers_per_minute, result) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (attempt_id, created_at, d.version, d.pauses_from, d.takes, d.duration_seconds, d.speech_seconds,
             d.speech_ratio, d.word_count, d.words_per_minute, d.pace, d.long_pause_count,
             d.longest_pause_seconds, d.filler_count, d.fillers_per_minute, d.model_dump_json()))


def takes_for(store: Store, attempt_id: int) -> list[SpokenTake]:
    rows = store.conn.execute("SELECT take FROM attempt_takes WHERE attempt_id = ? ORDER BY position",
                              (attempt_id,)).fetchall()
    return [SpokenTake.model_validate_json(r[0]) for r in rows]


def delivery_for(store: Store, attempt_id: int) -> Delivery | None:
    row = store.conn.execute("SELECT result FROM deliveries WHERE attempt_id = ?", (attempt_id,)).fetchone()
    return Delivery.model_validate_json(row[0]) if row else None


def deliveries_for(store: Store, attempt_ids: Iterable[int]) -> dict[int, Delivery]:
    """The delivery of each of `attempt_ids` that was spoken (bulk: exports, history)."""
    ids = list(dict.fromkeys(attempt_ids))
    out: dict[int, Delivery] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for aid, result in store.conn.execute(
                f"SELECT attempt_id, result FROM deliveries WHERE attempt_id IN ({','.join('?' * len(chunk))})",
                chunk):
            out[aid] = Delivery.model_validate_json(result)
    return out


def delivery_points(store: Store, *, since: datetime | None = None, bank_id: str | None = None) -> list[DeliveryPoint]:
    """Every spoken answer's figures, oldest first (the review's pace and pause trends).

    Over the whole history, CROSS JOIN keeps deliveries the outer loop (SQLite does not reorder it): with a plain
    JOIN the planner walked every attempt in submitted_at order to skip the sort, ~23 ms at 100,000 answers with
    none spoken (the review dashboard's open); now it is one lookup per spoken answer and a sort of those. With
    `since`, the plain JOIN's range on attempts_submitted is the cheaper walk, so it stays."""
    join = "JOIN" if since is not None else "CROSS JOIN"
    sql = ("SELECT d.attempt_id, a.submitted_at, d.words_per_minute, d.pace, d.speech_s, d.speech_ratio, "
           "d.long_pauses, d.longest_pause_s, d.fillers_per_minute FROM deliveries d "
           f"{join} attempts a ON a.id = d.attempt_id WHERE d.word_count > 0")
    args: list[Any] = []
    if since is not None:
        sql += " AND a.submitted_at >= ?"
        args.append(since.isoformat())
    if bank_id:
        sql += " AND a.bank_id = ?"
        args.append(bank_id)
    sql += " ORDER BY a.submitted_at, a.id"
    return [DeliveryPoint(*r) for r in store.conn.execute(sql, args)]


def audio_paths(store: Store, *, attempt_id: int | None = None, session_id: int | None = None) -> list[str]:
    """The audio files kept for an attempt (its follow-ups too, which go with it) or a whole session."""
    if attempt_id is not None:
        sql = ("SELECT t.audio_path FROM attempt_takes t JOIN attempts a ON a.id = t.attempt_id "
               "WHERE (a.id = ? OR a.parent_id = ?) AND t.audio_path != ''")
        args: tuple[Any, ...] = (attempt_id, attempt_id)
    elif session_id is not None:
        sql = ("SELECT t.audio_path FROM attempt_takes t JOIN attempts a ON a.id = t.attempt_id "
               "WHERE a.session_id = ? AND t.audio_path != ''")
        args = (session_id,)
    else:
        raise ValueError("give attempt_id or session_id")
    return [r[0] for r in store.conn.execute(sql, args)]


# --------------------------------------------------------------------------- export and import


def dump_voice(store: Store, attempt_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The voice part of each exported attempt that was spoken: {"takes": [...], "delivery": {...}}."""
    ids = list(attempt_ids)
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for aid, take in store.conn.execute(f"SELECT attempt_id, take FROM attempt_takes WHERE attempt_id IN "
                                            f"({marks}) ORDER BY attempt_id, position", chunk):
            out.setdefault(aid, {"takes": [], "delivery": None})["takes"].append(json.loads(take))
        for aid, result in store.conn.execute(f"SELECT attempt_id, result FROM deliveries WHERE attempt_id IN "
                                              f"({marks})", chunk):
            out.setdefault(aid, {"takes": [], "delivery": None})["delivery"] = json.loads(result)
    return out


def restore_voice(c: sqlite3.Connection, attempt_id: int, takes: Sequence[SpokenTake], delivery: Delivery | None,
                  created_at: str) -> bool:
    """Write an imported attempt's voice part inside the import's transaction, unless it already has one.
    Audio paths from another machine are kept as written (they name where the audio was); True if written."""
    if c.execute("SELECT 1 FROM attempt_takes WHERE attempt_id = ? UNION SELECT 1 FROM deliveries WHERE "
                 "attempt_id = ?", (attempt_id, attempt_id)).fetchone():
        return False
    _write(c, attempt_id, takes, delivery, created_at)
    return True
