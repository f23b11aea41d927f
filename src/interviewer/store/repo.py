"""Repositories: every query the app makes, returning core objects. No SQL anywhere else.

Writes run in short `BEGIN IMMEDIATE` transactions so two processes (a TUI and a `grade` command) queue on
the busy timeout instead of failing with "database is locked". A write that fails anyway (the disk filled
up, another program held the lock past the timeout, the file became read-only) raises the storage fault in
plain words (store.faults), with nothing half-written: the transaction is rolled back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Grade,
    GraderInfo,
    PracticeSession,
    StoredGrade,
)
from ..core.scoring import verdict_for
from . import faults
from .db import close_db, inserted_id, now_iso, open_db


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


DAMAGED_GRADE = ("This grade's details could not be read from the database (its stored JSON is damaged, e.g. by a "
                 "hand edit); its score is the one stored with it. Grade the answer again to see feedback.")


def stored_grade(r: sqlite3.Row) -> Grade:
    """A grade row as a Grade. One whose JSON does not read (a hand-edited database) keeps the score, grader and
    model stored in its own columns, which the history and the review tallies read too, and says why it has no
    details: every screen and export then shows the same number instead of stopping on it."""
    try:
        return Grade.model_validate_json(r["result"])
    except ValueError:  # pydantic's ValidationError is a ValueError, as is a JSON syntax error
        return damaged_grade(r["score"], r["backend"], r["model"])


def damaged_grade(score: object, backend: object, model: object) -> Grade:
    """The grade shown for one whose details do not read: its stored score, grader and model, and why."""
    value = min(max(float(score), 0.0), 100.0) if isinstance(score, int | float) else 0.0
    backend, model = (v if isinstance(v, str) else "" for v in (backend, model))
    return Grade(score=value, verdict=verdict_for(value, backend), criteria=[], summary=DAMAGED_GRADE,
                 grader=GraderInfo(backend=backend, model=model))


def _at(value: str) -> datetime:
    """A NOT NULL time column."""
    return datetime.fromisoformat(value)


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | str = ":memory:",
                 backups_dir: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.backups_dir = backups_dir
        self._opened = False

    @classmethod
    def open(cls, path: Path | str, backups_dir: Path | None = None) -> Store:
        store = cls(open_db(path, backups_dir), path, backups_dir)
        store._opened = True
        return store

    def close(self) -> None:
        if self._opened:
            self._opened = False
            close_db(self.conn, self.path)
        else:
            self.conn.close()

    def fault(self, e: BaseException) -> BaseException:
        """The storage fault `e` is, in plain words (store.faults), or `e` itself when it is not one."""
        return faults.translate(e, Path(str(self.path)), self.backups_dir) or e

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise self.fault(e) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as e:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the rollback failing too (disk gone): SQLite rolls back on the next open
            if isinstance(e, sqlite3.Error):
                raise self.fault(e) from None
            raise

    # ------------------------------------------------------------------ sessions

    def start_session(self, bank_id: str, settings: dict[str, Any] | None = None) -> PracticeSession:
        started = now_iso()
        with self.tx() as c:
            cur = c.execute("INSERT INTO sessions(bank_id, started_at, settings) VALUES (?, ?, ?)",
                            (bank_id, started, json.dumps(settings or {})))
        return PracticeSession(id=inserted_id(cur), bank_id=bank_id, started_at=_at(started), settings=settings or {})

    def end_session(self, session_id: int) -> None:
        with self.tx() as c:
            c.execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (now_iso(), session_id))

    def get_session(self, session_id: int) -> PracticeSession | None:
        r = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if r is None:
            return None
        return PracticeSession(id=r["id"], bank_id=r["bank_id"], started_at=_at(r["started_at"]),
                               ended_at=_dt(r["ended_at"]), settings=json.loads(r["settings"]))

    # ------------------------------------------------------------------ attempts

    @staticmethod
    def _attempt(r: sqlite3.Row) -> Attempt:
        return Attempt(
            id=r["id"], session_id=r["session_id"], bank_id=r["bank_id"], question_id=r["question_id"],
            prompt=r["prompt"], answer=r["answer"], kind=AttemptKind(r["kind"]), status=AttemptStatus(r["status"]),
            error=r["error"], parent_id=r["parent_id"], started_at=_dt(r["started_at"]),
            submitted_at=_at(r["submitted_at"]), duration_s=r["duration_s"],
        )

    def add_attempt(
        self,
        *,
        bank_id: str,
        question_id: str,
        prompt: str,
        answer: str,
        kind: AttemptKind = AttemptKind.answer,
        session_id: int | None = None,
        parent_id: int | None = None,
        started_at: datetime | None = None,
        duration_s: float | None = None,
        draft_key: str | None = None,
    ) -> Attempt:
        """Commit the answer (status pending, or ungraded for skip / I don't know). This happens before any
        grader sees it. The draft it came from, if any, is removed in the same transaction."""
        status = AttemptStatus.pending if kind is AttemptKind.answer else AttemptStatus.ungraded
        error = None if kind is AttemptKind.answer else kind.value
        with self.tx() as c:
            cur = c.execute(
                "INSERT INTO attempts(session_id, bank_id, question_id, prompt, answer, kind, status, error, "
                "parent_id, started_at, submitted_at, duration_s) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, bank_id, question_id, prompt, answer, kind.value, status.value, error, parent_id,
                 started_at.isoformat() if started_at else None, now_iso(), duration_s),
            )
            if draft_key:
                c.execute("DELETE FROM drafts WHERE key = ?", (draft_key,))
            row = c.execute("SELECT * FROM attempts WHERE id = ?", (cur.lastrowid,)).fetchone()
        return self._attempt(row)

    def get_attempt(self, attempt_id: int) -> Attempt | None:
        r = self.conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        return self._attempt(r) if r else None

    def mark_ungraded(self, attempt_id: int, reason: str) -> None:
        """Grading failed: keep the answer, record why. Never a zero. An already graded attempt keeps its
        status (a failed re-grade does not hide the earlier grade)."""
        with self.tx() as c:
            c.execute("UPDATE attempts SET status = CASE WHEN status = 'graded' THEN 'graded' ELSE 'ungraded' END, "
                      "error = ? WHERE id = ?", (reason, attempt_id))

    def attempts(self, *, session_id: int | None = None, question_id: str | None = None,
                 status: AttemptStatus | None = None, limit: int | None = None) -> list[Attempt]:
        where: list[str] = []
        args: list[Any] = []
        if session_id is not None:
            where.append("session_id = ?")
            args.append(session_id)
        if question_id is not None:
            where.append("question_id = ?")
            args.append(question_id)
        if status is not None:
            where.append("status = ?")
            args.append(status.value)
        sql = "SELECT * FROM attempts" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY submitted_at DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [self._attempt(r) for r in self.conn.execute(sql, args)]

    def delete_attempt(self, attempt_id: int) -> None:
        with self.tx() as c:
            c.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))

    # ------------------------------------------------------------------ grades

    def add_grade(self, attempt_id: int, grade: Grade) -> StoredGrade:
        created = now_iso()
        g = grade
        with self.tx() as c:
            cur = c.execute(
                "INSERT INTO grades(attempt_id, created_at, backend, model, prompt_version, rubric_id, "
                "rubric_version, score, verdict, latency_ms, prompt_tokens, completion_tokens, cost_usd, result) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (attempt_id, created, g.grader.backend, g.grader.model, g.grader.prompt_version, g.grader.rubric_id,
                 g.grader.rubric_version, g.score, g.verdict, g.latency_ms, g.usage.prompt_tokens,
                 g.usage.completion_tokens, g.usage.cost_usd, g.model_dump_json()),
            )
            c.execute("UPDATE attempts SET status = 'graded', error = NULL WHERE id = ?", (attempt_id,))
        return StoredGrade(id=inserted_id(cur), attempt_id=attempt_id, created_at=_at(created), grade=grade)

    def grades_for(self, attempt_id: int) -> list[StoredGrade]:
        """Every grade of an attempt, newest first."""
        rows = self.conn.execute("SELECT id, attempt_id, created_at, score, backend, model, result FROM grades "
                                 "WHERE attempt_id = ? ORDER BY created_at DESC, id DESC", (attempt_id,))
        return [StoredGrade(id=r["id"], attempt_id=r["attempt_id"], created_at=_at(r["created_at"]),
                            grade=stored_grade(r)) for r in rows]

    def latest_grade(self, attempt_id: int) -> StoredGrade | None:
        gs = self.grades_for(attempt_id)
        return gs[0] if gs else None

    # ------------------------------------------------------------------ drafts

    def save_draft(self, key: str, *, bank_id: str, question_id: str, text: str, prompt: str = "",
                   session_id: int | None = None, started_at: datetime | None = None, takes: str = "[]") -> None:
        """Insert or update a draft; `takes` is the JSON list of the takes recorded for it (core.transcript)."""
        with self.tx() as c:
            c.execute(
                "INSERT INTO drafts(key, bank_id, question_id, session_id, prompt, text, started_at, updated_at, "
                "takes) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at, takes = excluded.takes",
                (key, bank_id, question_id, session_id, prompt, text,
                 started_at.isoformat() if started_at else None, now_iso(), takes),
            )

    def drafts(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM drafts WHERE trim(text) != '' ORDER BY updated_at DESC")
        return [dict(r) for r in rows]

    def delete_draft(self, key: str) -> None:
        with self.tx() as c:
            c.execute("DELETE FROM drafts WHERE key = ?", (key,))

    # ------------------------------------------------------------------ grade cache

    def cache_get(self, key: str) -> Grade | None:
        r = self.conn.execute("SELECT result FROM grade_cache WHERE key = ?", (key,)).fetchone()
        try:
            return Grade.model_validate_json(r["result"]) if r else None
        except ValueError:  # a damaged entry (a hand edit) is a miss: the answer is graded again
            return None

    def cache_put(self, key: str, grade: Grade) -> None:
        with self.tx() as c:
            c.execute("INSERT OR REPLACE INTO grade_cache(key, result, created_at) VALUES (?,?,?)",
                      (key, grade.model_dump_json(), now_iso()))

    # ------------------------------------------------------------------ review schedule (read side)

    def review_schedule(self, bank_id: str) -> dict[str, datetime]:
        """question id -> due time (UTC-aware) for the bank's scheduled questions; empty until a scheduler
        has written review_state."""
        from datetime import UTC

        out: dict[str, datetime] = {}
        for r in self.conn.execute("SELECT question_id, due FROM review_state WHERE bank_id = ?", (bank_id,)):
            d = datetime.fromisoformat(r["due"])
            out[r["question_id"]] = d if d.tzinfo else d.replace(tzinfo=UTC)
        return out

    # ------------------------------------------------------------------ summary figures

    def question_stats(self) -> dict[str, dict[str, Any]]:
        """Per question: attempts, graded attempts, last answer. Bank-question attempts only (no follow-ups).
        From the m002 tallies and the attempt_scores index, so it does not read every grade (1.4 s -> ~30 ms at
        100,000 answers). No score here: the average and mastery are the review service's (app.reviewing), one
        definition for every screen."""
        sql = """
        SELECT t.question_id, t.n, t.passed, COALESCE(s.graded, 0) AS graded,
               (SELECT a.submitted_at FROM attempts a WHERE a.question_id = t.question_id AND a.parent_id IS NULL
                ORDER BY a.submitted_at DESC LIMIT 1) AS last_at
        FROM (SELECT question_id, SUM(attempts) AS n, SUM(passed) AS passed FROM question_tally GROUP BY question_id
              HAVING SUM(attempts) > 0) t
        LEFT JOIN (SELECT question_id, COUNT(model_score) AS graded
                   FROM attempt_scores GROUP BY question_id) s ON s.question_id = t.question_id
        """
        return {r["question_id"]: dict(r) for r in self.conn.execute(sql)}
