"""History queries and writes for review: scored attempts, key points seen, overrides, review state, export.

Functions over a `Store` (its connection and `tx()`), kept apart from store/repo.py so the review feature
owns its SQL. The heavy lifting is done in SQL with the m001 indexes (grades_attempt, overrides_attempt,
attempts_question, attempts_submitted, review_due): the newest grade and newest override per attempt are
picked per attempt through their indexes, key points are unpacked from the stored grade JSON with json_each, and
counts are grouped per question. Folding questions into topics needs the banks, so that happens in
core.review with a question -> topic map.

Timestamps are stored as UTC ISO-8601 text with microseconds (store.db.now_iso), so text comparison is
time order; everything written here is normalised to that form.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core.models import AttemptKind, AttemptStatus, KeyPointStatus
from ..core.review import DueCard, KeyPointSeen, ScorePoint
from . import review_facts
from .db import inserted_id, now_iso

if TYPE_CHECKING:
    from .repo import Store

# The newest grade and the newest override of attempt `a`, each found through its (attempt_id, created_at)
# index with one lookup per attempt; this beats a window function over all grades, which must sort every
# stored grade (JSON included) even when only a page of attempts is wanted.
_JOIN_LATEST = """
LEFT JOIN grades g ON g.id = (SELECT g2.id FROM grades g2 WHERE g2.attempt_id = a.id
                              ORDER BY g2.created_at DESC, g2.id DESC LIMIT 1)
LEFT JOIN overrides o ON o.id = (SELECT o2.id FROM overrides o2 WHERE o2.attempt_id = a.id
                                 ORDER BY o2.created_at DESC, o2.id DESC LIMIT 1)"""


def iso(dt: datetime) -> str:
    """The stored form of a timestamp: UTC, microseconds. Naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def parse_ts(value: str) -> datetime:
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _since_clause(since: datetime | None, col: str = "a.submitted_at") -> tuple[str, list[Any]]:
    return (f" AND {col} >= ?", [iso(since)]) if since else ("", [])


# --------------------------------------------------------------------------- review inputs


def score_points(store: Store, *, since: datetime | None = None, bank_id: str | None = None) -> list[ScorePoint]:
    """One ScorePoint per scored bank-question attempt (override, else newest grade), oldest first."""
    where, args = _since_clause(since)
    if bank_id:
        where += " AND a.bank_id = ?"
        args.append(bank_id)
    sql = f"""SELECT a.id, a.bank_id, a.question_id, a.submitted_at, g.score AS model_score,
           o.score AS override_score
    FROM attempts a {_JOIN_LATEST}
    WHERE a.parent_id IS NULL AND (g.score IS NOT NULL OR o.score IS NOT NULL){where}
    ORDER BY a.submitted_at, a.id"""
    out = []
    for r in store.conn.execute(sql, args):
        ov, ms = r["override_score"], r["model_score"]
        out.append(ScorePoint(attempt_id=r["id"], bank_id=r["bank_id"], question_id=r["question_id"],
                              at=parse_ts(r["submitted_at"]), score=ov if ov is not None else ms,
                              model_score=ms, override_score=ov))
    return out


def unscored_counts(store: Store, *, since: datetime | None = None, bank_id: str | None = None) -> dict[str, int]:
    """Per question: bank-question attempts with no grade and no override (ungraded, skipped, pending)."""
    where, args = _since_clause(since)
    if bank_id:
        where += " AND a.bank_id = ?"
        args.append(bank_id)
    sql = f"""SELECT a.question_id, COUNT(*) AS n FROM attempts a
    WHERE a.parent_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM grades g WHERE g.attempt_id = a.id)
      AND NOT EXISTS (SELECT 1 FROM overrides o WHERE o.attempt_id = a.id){where}
    GROUP BY a.question_id"""
    return {r["question_id"]: r["n"] for r in store.conn.execute(sql, args)}


_KEY_POINTS = "CASE WHEN json_valid({r}) AND json_type({r}, '$.key_points') = 'array' THEN json_extract({r}, '$.key_points') END"
"""A stored grade's key-point array, cut out by SQLite; NULL for a grade whose JSON is damaged (a hand-edited
database), which then judges nothing, as in the review tallies (m002's key-point arrays)."""


def _judged(text: str | None) -> list[dict[str, Any]]:
    """The key points of a `_KEY_POINTS` array: its objects only."""
    return [kp for kp in json.loads(text) if isinstance(kp, dict)] if text else []


def key_points_seen(store: Store, *, since: datetime | None = None, bank_id: str | None = None) -> list[KeyPointSeen]:
    """Every key point judged by the newest grade of each bank-question attempt. SQLite cuts the key-point
    array out of the stored grade; Python's json parses the small arrays (faster than json_each here)."""
    where, args = _since_clause(since)
    if bank_id:
        where += " AND a.bank_id = ?"
        args.append(bank_id)
    sql = f"""SELECT a.id, a.question_id, a.submitted_at, {_KEY_POINTS.format(r="g.result")} AS kps
    FROM attempts a
    JOIN grades g ON g.id = (SELECT g2.id FROM grades g2 WHERE g2.attempt_id = a.id
                             ORDER BY g2.created_at DESC, g2.id DESC LIMIT 1)
    WHERE a.parent_id IS NULL{where}"""
    statuses = {s.value: s for s in KeyPointStatus}
    out = []
    for attempt_id, question_id, submitted_at, kps in store.conn.execute(sql, args):
        if not kps:
            continue
        at = parse_ts(submitted_at)
        for kp in _judged(kps):
            status = statuses.get(str(kp.get("status")))
            if status is not None:
                out.append(KeyPointSeen(attempt_id=attempt_id, question_id=question_id,
                                        key_point_id=kp.get("key_point_id", "?"), status=status, at=at))
    return out


def said_opposite_last(store: Store, wanted: Mapping[str, Collection[str]], *, since: datetime | None = None,
                       bank_id: str | None = None) -> set[tuple[str, str]]:
    """Of these (question id -> key point ids), the key points whose newest judgement (the newest grade of the
    newest bank-question attempt that judged it) was missing because the answer said the opposite. Walks each
    question's attempts newest first and stops once every wanted point is found: usually one grade a question,
    however long the history (the review tallies count statuses only)."""
    where, args = _since_clause(since)
    if bank_id:
        where += " AND a.bank_id = ?"
        args.append(bank_id)
    out: set[tuple[str, str]] = set()
    for question_id, ids in wanted.items():
        left = set(ids)
        attempts = store.conn.execute(f"""SELECT a.id FROM attempts a WHERE a.parent_id IS NULL
            AND a.question_id = ?{where} ORDER BY a.submitted_at DESC, a.id DESC""", [question_id, *args])
        for (attempt_id,) in attempts:
            row = store.conn.execute(f"""SELECT {_KEY_POINTS.format(r="result")} FROM grades WHERE attempt_id = ?
                ORDER BY created_at DESC, id DESC LIMIT 1""", (attempt_id,)).fetchone()
            for kp in _judged(row[0] if row else None):
                k = kp.get("key_point_id")
                if k in left:
                    left.discard(k)
                    if kp.get("status") == KeyPointStatus.missing.value and kp.get("contradiction"):
                        out.add((question_id, k))
            if not left:
                break
    return out


def totals(store: Store, *, since: datetime | None = None) -> dict[str, int]:
    where, args = _since_clause(since)
    r = store.conn.execute(f"""SELECT COUNT(*) AS attempts,
        SUM(a.status = 'graded') AS graded, SUM(a.status = 'ungraded') AS ungraded,
        SUM(a.status = 'pending') AS pending, SUM(a.kind != 'answer') AS passed,
        COUNT(DISTINCT a.session_id) AS sessions,
        COUNT(DISTINCT a.question_id) AS questions
        FROM attempts a WHERE a.parent_id IS NULL{where}""", args).fetchone()
    return {k: int(r[k] or 0) for k in r.keys()}


def count_ungraded_answers(store: Store) -> int:
    """Typed answers (any attempt, follow-ups too) with status pending or ungraded: the ones a re-grade of
    `--ungraded` would take. Counted through the attempts_status index."""
    return int(store.conn.execute("SELECT COUNT(*) FROM attempts WHERE status IN ('pending', 'ungraded') "
                                  "AND kind = 'answer'").fetchone()[0])


# --------------------------------------------------------------------------- history listing


@dataclass(frozen=True)
class HistoryRow:
    """One attempt as the history list shows it (newest grade and newest override folded in)."""

    attempt_id: int
    session_id: int | None
    bank_id: str
    question_id: str
    parent_id: int | None
    kind: AttemptKind
    status: AttemptStatus
    error: str | None
    submitted_at: datetime
    model_score: float | None
    verdict: str | None
    backend: str | None
    model: str | None
    n_grades: int
    override_score: float | None
    override_reason: str | None

    @property
    def score(self) -> float | None:
        return self.override_score if self.override_score is not None else self.model_score

    @property
    def grader(self) -> str:
        if not self.backend:
            return ""
        return f"{self.backend}:{self.model}" if self.model else self.backend

    def to_dict(self) -> dict[str, Any]:
        return {"attempt_id": self.attempt_id, "session_id": self.session_id, "bank_id": self.bank_id,
                "question_id": self.question_id, "parent_id": self.parent_id, "kind": self.kind.value,
                "status": self.status.value, "error": self.error, "submitted_at": self.submitted_at.isoformat(),
                "score": self.score, "model_score": self.model_score, "verdict": self.verdict,
                "grader": self.grader, "n_grades": self.n_grades, "override_score": self.override_score,
                "override_reason": self.override_reason}


def history(store: Store, *, limit: int | None = None, offset: int = 0, since: datetime | None = None,
            session_id: int | None = None, question_id: str | None = None,
            include_follow_ups: bool = True) -> list[HistoryRow]:
    """Attempts newest first, each with its newest grade and override."""
    where, args = _since_clause(since)
    if session_id is not None:
        where += " AND a.session_id = ?"
        args.append(session_id)
    if question_id is not None:
        where += " AND a.question_id = ?"
        args.append(question_id)
    if not include_follow_ups:
        where += " AND a.parent_id IS NULL"
    sql = f"""SELECT a.*, g.score AS model_score, g.verdict, g.backend, g.model,
           (SELECT COUNT(*) FROM grades g3 WHERE g3.attempt_id = a.id) AS n_grades,
           o.score AS override_score, o.reason AS override_reason
    FROM attempts a {_JOIN_LATEST}
    WHERE 1 = 1{where}
    ORDER BY a.submitted_at DESC, a.id DESC"""
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [int(limit), int(offset)]
    return [HistoryRow(
        attempt_id=r["id"], session_id=r["session_id"], bank_id=r["bank_id"], question_id=r["question_id"],
        parent_id=r["parent_id"], kind=AttemptKind(r["kind"]), status=AttemptStatus(r["status"]),
        error=r["error"], submitted_at=parse_ts(r["submitted_at"]), model_score=r["model_score"],
        verdict=r["verdict"], backend=r["backend"], model=r["model"], n_grades=r["n_grades"],
        override_score=r["override_score"], override_reason=r["override_reason"],
    ) for r in store.conn.execute(sql, args)]


def export_rows(store: Store, *, since: datetime | None = None) -> list[dict[str, Any]]:
    """One flat row per attempt, oldest first: the attempt, its newest grade's figures (and its misconceptions
    as stored JSON), its newest override and the number of grades. What the CSV export writes, in one query."""
    where, args = _since_clause(since)
    sql = f"""SELECT a.id AS attempt_id, a.session_id, a.submitted_at, a.bank_id, a.question_id, a.prompt,
           a.kind, a.status, a.error, a.parent_id, a.duration_s, a.answer,
           g.score AS model_score, g.verdict, g.backend, g.model, g.rubric_id, g.rubric_version,
           g.created_at AS graded_at, (SELECT COUNT(*) FROM grades g3 WHERE g3.attempt_id = a.id) AS n_grades,
           o.score AS override_score, o.reason AS override_reason,
           CASE WHEN json_valid(g.result) THEN json_extract(g.result, '$.misconceptions') END AS misconceptions
    FROM attempts a {_JOIN_LATEST}
    WHERE 1 = 1{where}
    ORDER BY a.submitted_at, a.id"""
    return [dict(r) for r in store.conn.execute(sql, args)]


def previous_attempt_id(store: Store, attempt_id: int) -> int | None:
    """The scored attempt at the same question just before this one (for 'compare with last time')."""
    r = store.conn.execute("""SELECT p.id FROM attempts a JOIN attempts p
        ON p.question_id = a.question_id AND p.parent_id IS NULL AND p.id != a.id
           AND (p.submitted_at < a.submitted_at OR (p.submitted_at = a.submitted_at AND p.id < a.id))
        WHERE a.id = ? AND EXISTS (SELECT 1 FROM grades g WHERE g.attempt_id = p.id)
        ORDER BY p.submitted_at DESC, p.id DESC LIMIT 1""", (attempt_id,)).fetchone()
    return r["id"] if r else None


# --------------------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    id: int
    attempt_id: int
    score: float
    reason: str
    created_at: datetime


def add_override(store: Store, attempt_id: int, score: float, reason: str, *, now: datetime | None = None) -> Override:
    created = iso(now) if now else now_iso()
    with store.tx() as c:
        cur = c.execute("INSERT INTO overrides(attempt_id, score, reason, created_at) VALUES (?,?,?,?)",
                        (attempt_id, float(score), reason, created))
    return Override(id=inserted_id(cur), attempt_id=attempt_id, score=float(score), reason=reason,
                    created_at=parse_ts(created))


def overrides_for(store: Store, attempt_id: int) -> list[Override]:
    """Every override of an attempt, newest first."""
    rows = store.conn.execute("SELECT * FROM overrides WHERE attempt_id = ? ORDER BY created_at DESC, id DESC",
                              (attempt_id,))
    return [Override(id=r["id"], attempt_id=r["attempt_id"], score=r["score"], reason=r["reason"],
                     created_at=parse_ts(r["created_at"])) for r in rows]


# --------------------------------------------------------------------------- review state (FSRS cards)


def review_states(store: Store, *, bank_id: str | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """(bank_id, question_id) -> {'card': dict, 'basis': str, 'due': datetime, ...} as stored."""
    sql, args = "SELECT * FROM review_state", []
    if bank_id:
        sql += " WHERE bank_id = ?"
        args.append(bank_id)
    out = {}
    for r in store.conn.execute(sql, args):
        blob = json.loads(r["card"])
        out[(r["bank_id"], r["question_id"])] = {**blob, "due": parse_ts(r["due"]),
                                                 "updated_at": parse_ts(r["updated_at"])}
    return out


def write_review_states(store: Store, upserts: list[tuple[str, str, dict[str, Any], datetime]],
                        deletes: list[tuple[str, str]], *, now: datetime | None = None,
                        handled: Sequence[tuple[tuple[str, str], int]] = ()) -> None:
    """Upsert (bank_id, question_id, blob, due) and delete (bank_id, question_id) in one transaction, and clear
    the change marks a sync has `handled` ((bank_id, question_id), seq) unless they moved meanwhile."""
    if not upserts and not deletes and not handled:
        return
    stamp = iso(now) if now else now_iso()
    with store.tx() as c:
        c.executemany("INSERT INTO review_state(bank_id, question_id, card, due, updated_at) VALUES (?,?,?,?,?) "
                      "ON CONFLICT(bank_id, question_id) DO UPDATE SET card = excluded.card, due = excluded.due, "
                      "updated_at = excluded.updated_at",
                      [(b, q, json.dumps(blob), iso(due), stamp) for b, q, blob, due in upserts])
        c.executemany("DELETE FROM review_state WHERE bank_id = ? AND question_id = ?", deletes)
        c.executemany(*review_facts.clear_dirty_sql(handled))


def due_cards(store: Store, now: datetime, *, bank_id: str | None = None) -> list[DueCard]:
    """Cards due at `now`, most overdue first (uses the review_due index)."""
    sql, args = "SELECT * FROM review_state WHERE due <= ?", [iso(now)]
    if bank_id:
        sql += " AND bank_id = ?"
        args.append(bank_id)
    return [_due_card(r) for r in store.conn.execute(sql + " ORDER BY due, question_id", args)]


def all_cards(store: Store, *, bank_id: str | None = None) -> list[DueCard]:
    sql, args = "SELECT * FROM review_state", []
    if bank_id:
        sql += " WHERE bank_id = ?"
        args.append(bank_id)
    return [_due_card(r) for r in store.conn.execute(sql + " ORDER BY due, question_id", args)]


def _due_card(r: sqlite3.Row) -> DueCard:
    blob = json.loads(r["card"])
    card = blob.get("card", {})
    return DueCard(bank_id=r["bank_id"], question_id=r["question_id"], due=parse_ts(r["due"]),
                   state=blob.get("state", ""), stability=card.get("stability"), reviews=blob.get("reviews", 0))


# --------------------------------------------------------------------------- deleting


def delete_attempt(store: Store, attempt_id: int) -> bool:
    """Delete an attempt with its grades, overrides and follow-ups (ON DELETE CASCADE)."""
    with store.tx() as c:
        return c.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,)).rowcount > 0


def delete_session(store: Store, session_id: int) -> int:
    """Delete a session and all its attempts; returns how many attempts went. Raises KeyError if unknown."""
    with store.tx() as c:
        if c.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise KeyError(session_id)
        n = int(c.execute("SELECT COUNT(*) FROM attempts WHERE session_id = ?", (session_id,)).fetchone()[0])
        c.execute("DELETE FROM attempts WHERE session_id = ?", (session_id,))
        c.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
    return n
