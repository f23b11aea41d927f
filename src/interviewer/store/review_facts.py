"""Fast reads for the review dashboard, from the fact tables the m002 triggers keep (store/migrations.py).

The dashboard must open in well under 200 ms on 100,000 answers, so nothing here reads every attempt: counts
come from running tallies, and per question only the newest `window` scored attempts are read (recency
weighting makes older ones carry no weight worth a float; see core.review_window). store/history.py keeps the
whole-history queries (used with `since`, for exports, and as the reference the tests compare against).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .repo import Store


@dataclass(frozen=True)
class QuestionTally:
    """Bank-question attempts (no follow-ups) of one question in one bank, by status, and how many are scored
    (have a grade or an override)."""

    bank_id: str
    question_id: str
    attempts: int
    graded: int
    ungraded: int
    pending: int
    scored: int
    passed: int = 0
    """Skips and "I don't know"s among the attempts (status ungraded)."""

    @property
    def unscored(self) -> int:
        return self.attempts - self.scored


def question_tallies(store: Store, *, bank_id: str | None = None) -> list[QuestionTally]:
    sql, args = "SELECT * FROM question_tally WHERE attempts > 0", []
    if bank_id:
        sql += " AND bank_id = ?"
        args.append(bank_id)
    return [QuestionTally(r["bank_id"], r["question_id"], r["attempts"], r["graded"], r["ungraded"], r["pending"],
                          r["scored"], r["passed"]) for r in store.conn.execute(sql, args)]


def sessions_with_attempts(store: Store) -> int:
    """Sessions with at least one bank-question attempt."""
    return int(store.conn.execute("SELECT COUNT(*) FROM session_tally WHERE attempts > 0").fetchone()[0])


# A scored attempt as the windows return it: (attempt_id, bank_id, submitted_at, score[, key points JSON]).
WindowRow = tuple[Any, ...]


def newest_scored(store: Store, question_ids: Iterable[str], window: int, *, bank_id: str | None = None,
                  key_points: bool = False) -> dict[str, list[WindowRow]]:
    """question id -> its newest `window` scored attempts, newest first (one indexed range read each; without
    `key_points` the read never leaves the index)."""
    cols = "attempt_id, bank_id, submitted_at, score" + (", key_points" if key_points else "")
    sql = (f"SELECT {cols} FROM attempt_scores WHERE question_id = ?" + (" AND bank_id = ?" if bank_id else "")
           + " ORDER BY submitted_at DESC, attempt_id DESC LIMIT ?")
    cur = store.conn.cursor()
    cur.row_factory = None  # plain tuples: these are the dashboard's most numerous rows
    out = {}
    for q in question_ids:
        out[q] = cur.execute(sql, (q, bank_id, window) if bank_id else (q, window)).fetchall()
    return out


def older_scored(store: Store, question_id: str, skip: int, *, bank_id: str | None = None) -> Iterator[WindowRow]:
    """The question's scored attempts after the first `skip`, newest first, read lazily (for the rare key point
    that newer grades stopped judging)."""
    sql = ("SELECT attempt_id, bank_id, submitted_at, score, key_points FROM attempt_scores WHERE question_id = ?"
           + (" AND bank_id = ?" if bank_id else "") + " ORDER BY submitted_at DESC, attempt_id DESC LIMIT -1 OFFSET ?")
    args = (question_id, bank_id, skip) if bank_id else (question_id, skip)
    for r in store.conn.execute(sql, args):
        yield tuple(r)


def question_versions(store: Store, *, bank_id: str | None = None) -> dict[str, int]:
    """question id -> a number that changes whenever any of its scored attempts (in `bank_id`, or any bank)
    changes."""
    sql, args = "SELECT question_id, SUM(version) FROM question_tally", []
    if bank_id:
        sql += " WHERE bank_id = ?"
        args.append(bank_id)
    return {q: v for q, v in store.conn.execute(sql + " GROUP BY question_id", args)}


def cached_key_points(store: Store, scope: str) -> dict[str, tuple[int, Any]]:
    """question id -> (version, data) stored by `cache_key_points` for this scope (a bank id, or '')."""
    return {q: (v, json.loads(d)) for q, v, d in store.conn.execute(
        "SELECT question_id, version, data FROM key_point_cache WHERE scope = ?", (scope,))}


def cache_key_points(store: Store, scope: str, items: dict[str, tuple[int, Any]]) -> None:
    """Keep computed key-point figures per question with the version they were computed at. A cache only: if
    the database is busy with another writer, it is skipped (the next reader computes them again)."""
    if not items:
        return
    import sqlite3

    from .db import BUSY_TIMEOUT_MS

    rows = [(scope, q, v, json.dumps(d)) for q, (v, d) in items.items()]
    conn = store.conn
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        conn.executemany("INSERT OR REPLACE INTO key_point_cache(scope, question_id, version, data) VALUES (?,?,?,?)",
                         rows)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def key_point_counts(store: Store, *, bank_id: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """(question id, key point id) -> {status: times the newest grades judged it so} (summed over banks unless
    `bank_id`)."""
    sql, args = "SELECT question_id, key_point_id, status, n FROM key_point_tally WHERE n > 0", []
    if bank_id:
        sql += " AND bank_id = ?"
        args.append(bank_id)
    out: dict[tuple[str, str], dict[str, int]] = {}
    for q, k, status, n in store.conn.execute(sql, args):
        d = out.setdefault((q, k), {})
        d[status] = d.get(status, 0) + n
    return out


def daily(store: Store, *, bank_id: str | None = None) -> list[tuple[str, float, int]]:
    """(day YYYY-MM-DD, mean score, scored attempts) per day practised, oldest first."""
    cur = store.conn.cursor()
    cur.row_factory = None
    if bank_id:
        rows = cur.execute("SELECT day, total, n FROM daily_scores WHERE bank_id = ? ORDER BY day", (bank_id,)).fetchall()
    else:  # summed over banks in Python: a GROUP BY here would sort through a temporary b-tree
        days: dict[str, list[float]] = {}
        for d, total, n in cur.execute("SELECT day, total, n FROM daily_scores"):
            acc = days.get(d)
            if acc is None:
                days[d] = [total, n]
            else:
                acc[0] += total
                acc[1] += n
        rows = [(d, *days[d]) for d in sorted(days)]
    return [(d, total / n, n) for d, total, n in rows if n]


def score_total(store: Store, *, bank_id: str | None = None) -> tuple[float, int]:
    """(sum of effective scores, scored attempts) over the whole history."""
    sql, args = "SELECT COALESCE(SUM(total), 0), COALESCE(SUM(n), 0) FROM daily_scores", []
    if bank_id:
        sql += " WHERE bank_id = ?"
        args.append(bank_id)
    total, n = store.conn.execute(sql, args).fetchone()
    return float(total), int(n)


def keys_with_scores(store: Store) -> dict[tuple[str, str], int]:
    """(bank id, question id) -> scored attempts, for every question with one."""
    return {(r[0], r[1]): r[2] for r in store.conn.execute(
        "SELECT bank_id, question_id, scored FROM question_tally WHERE scored > 0")}


def points_for(store: Store, bank_id: str, question_id: str, *, since: str | None = None
               ) -> list[tuple[int, str, float, float | None, float | None]]:
    """(attempt_id, submitted_at, score, model_score, override_score) of one question's scored attempts (those
    answered at or after `since`, a stored timestamp), oldest first."""
    sql = ("SELECT attempt_id, submitted_at, score, model_score, override_score FROM attempt_scores "
           "WHERE question_id = ? AND bank_id = ?")
    args: tuple[str, ...] = (question_id, bank_id)
    if since:
        sql += " AND submitted_at >= ?"
        args += (since,)
    return [tuple(r) for r in store.conn.execute(sql + " ORDER BY submitted_at, attempt_id", args)]


def dirty(store: Store) -> dict[tuple[str, str], tuple[int, str | None]]:
    """(bank id, question id) -> (change counter, earliest submitted_at among the changed scored attempts, or
    None for 'anything may have changed'), for questions changed since the last schedule sync."""
    return {(r[0], r[1]): (r[2], r[3]) for r in store.conn.execute(
        "SELECT bank_id, question_id, seq, since FROM review_dirty")}


def clear_dirty_sql(items: Iterable[tuple[tuple[str, str], int]]) -> tuple[str, list[tuple[Any, ...]]]:
    """The statement (and rows) that clears the dirty marks a sync has handled, unless they moved since."""
    return ("DELETE FROM review_dirty WHERE bank_id = ? AND question_id = ? AND seq = ?",
            [(b, q, seq) for (b, q), seq in items])


def parse_key_points(text: str) -> list[list[str]]:
    """The key points column: [[key point id, status], ...]."""
    return json.loads(text) if text and text != "[]" else []


def parse_key_points_many(texts: list[str]) -> list[list[list[str]]]:
    """parse_key_points over many rows with one json.loads (the column always holds a JSON array)."""
    return json.loads("[" + ",".join(texts) + "]") if texts else []
