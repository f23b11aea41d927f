"""A realistic practice history, written fast: for the scale and startup benchmarks.

`seed_history(services, n)` writes `n` bank-question attempts (plus follow-ups) straight into the database
with `executemany` inside ONE transaction, through the same tables and column formats the app writes
(timestamps in store.history.iso form, grades as Grade.model_dump_json()). Grades are real: each question's
reference is cut into answers of four lengths and graded by the offline grader; 40% of attempts carry an
LLM-sized grade (criteria rationales, a stronger answer, token usage) built from those. The mix:

- attempts spread over the 100-question bank, ~25 a day in sessions of 5, oldest first;
- 5% ungraded (timeout), 2% skipped, 5% overridden, 3% re-graded (two grades), 5% with a follow-up.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta


def _grade_pool(services, rnd: random.Random) -> dict[str, list[tuple[float, str, str, str, str]]]:
    """question id -> [(score, verdict, backend, model, grade JSON)] with offline and LLM-sized grades."""
    from interviewer.core.models import CriterionScore, FoundMisconception, GraderInfo, Usage
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.offline.grader import OfflineGrader

    grader = OfflineGrader()
    pool: dict[str, list[tuple[float, str, str, str, str]]] = {}
    bank = services.bank()
    for q in bank.questions:
        rubric = services.rubric_for(q)
        words = q.reference.split()
        out = []
        for frac in (0.25, 0.5, 0.8, 1.0):
            answer = "So, " + " ".join(words[: max(6, int(len(words) * frac))]) + " That's the main idea."
            g = grader.grade_sync(GradeRequest(question=q, rubric=rubric, answer=answer))
            out.append((g.score, g.verdict, "offline", "", g.model_dump_json()))
            llm = g.model_copy(update={
                "criteria": [CriterionScore(criterion_id=c.id, level=rnd.randint(1, 4),
                                            rationale=f"The answer {'covers' if frac > 0.5 else 'touches on'} "
                                            f"{c.name.lower()}: " + " ".join(words[:25]))
                             for c in rubric.criteria],
                "summary": "Solid on the core idea; " + " ".join(words[:30]),
                "better_answer": " ".join(words) + " In practice this matters because it shapes how the model "
                "is trained, served and evaluated.",
                "follow_up": f"How would you explain {q.topic.lower()} to a new colleague?",
                "misconceptions": [FoundMisconception(claim="Confuses training with inference.",
                                                      correction="Training learns the weights; inference uses them.",
                                                      source="model")] if frac < 0.5 else [],
                "grader": GraderInfo(backend="openai", model="gpt-4o-mini", prompt_version="grade-v1",
                                     rubric_id=rubric.id, rubric_version=rubric.version),
                "latency_ms": 2400.0,
                "usage": Usage(prompt_tokens=1950, completion_tokens=520, cost_usd=0.0006),
            })
            out.append((llm.score, llm.verdict, "openai", "gpt-4o-mini", llm.model_dump_json()))
        pool[q.id] = out
    return pool


def seed_history(services, n: int, *, seed: int = 7, end: datetime | None = None) -> dict[str, int]:
    """Write n bank-question attempts ending at `end` (default 2025-01-01 UTC) into a new database at the
    services' path (not opened by the services yet). Returns row counts and timings (write_s, migrate_s).

    The rows go into the base tables of a database at m001 with `executemany` in one transaction, then the
    database is opened the normal way, which runs the later migrations: m002 computes the review facts for the
    whole history in bulk, as it does when an existing user upgrades. (Writing 100,000 answers one by one
    through the m002 triggers takes about three times as long; the per-answer cost of the triggers is measured
    separately, as the time to store a graded answer.)"""
    import time

    from interviewer.store.db import _statements, connect, now_iso, open_db
    from interviewer.store.history import iso
    from interviewer.store.migrations import MIGRATIONS

    rnd = random.Random(seed)
    bank = services.bank()
    pool = _grade_pool(services, rnd)
    per_day = 25
    end = end or datetime(2025, 1, 1, tzinfo=UTC)
    t0 = end - timedelta(days=n / per_day + 1)
    services.locations.ensure()
    conn = connect(services.locations.db_path)
    name, m001 = MIGRATIONS[0]
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)")
    for stmt in _statements(m001):
        conn.execute(stmt)
    conn.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, now_iso()))
    conn.execute("COMMIT")
    sessions, attempts, grades, overrides = [], [], [], []
    next_attempt = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM attempts").fetchone()[0]) + 1
    next_session = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM sessions").fetchone()[0]) + 1
    sid = None
    for i in range(n):
        at = t0 + timedelta(days=i / per_day, seconds=rnd.randint(0, 600))
        if i % 5 == 0:
            sid = next_session
            next_session += 1
            sessions.append((sid, bank.id, iso(at - timedelta(minutes=1)), iso(at + timedelta(minutes=15)), "{}"))
        q = bank.questions[rnd.randrange(len(bank.questions))]
        aid = next_attempt
        next_attempt += 1
        r = rnd.random()
        kind, status, error = "answer", "graded", None
        if r < 0.05:
            status, error = "ungraded", "timeout: the grader did not answer within 60 s"
        elif r < 0.07:
            kind, status, error = "skipped", "ungraded", "skipped"
        answer = "" if kind == "skipped" else ("Um, so " + q.reference + " ") * rnd.choice((1, 1, 2))
        attempts.append((aid, sid, bank.id, q.id, q.question, answer, kind, status, error, None,
                         iso(at - timedelta(seconds=90)), iso(at), 90.0))
        if status == "graded":
            score, verdict, backend, model, js = rnd.choice(pool[q.id])
            grades.append((aid, iso(at + timedelta(seconds=3)), backend, model, score, verdict, js))
            if rnd.random() < 0.03:
                score, verdict, backend, model, js = rnd.choice(pool[q.id])
                grades.append((aid, iso(at + timedelta(days=1)), backend, model, score, verdict, js))
            if rnd.random() < 0.05:
                overrides.append((aid, float(rnd.choice((40, 75, 90))), "I covered that in other words",
                                  iso(at + timedelta(minutes=2))))
            if rnd.random() < 0.05:
                fid = next_attempt
                next_attempt += 1
                attempts.append((fid, sid, bank.id, q.id, f"Follow-up: why does {q.topic.lower()} matter?",
                                 "Because it changes what the model can do.", "answer", "graded", None, aid,
                                 iso(at + timedelta(seconds=30)), iso(at + timedelta(seconds=60)), 30.0))
                grades.append((fid, iso(at + timedelta(seconds=63)), backend, model, score, verdict, js))
    t_write = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    with _commit(conn) as c:
        c.executemany("INSERT INTO sessions(id, bank_id, started_at, ended_at, settings) VALUES (?,?,?,?,?)",
                      sessions)
        c.executemany("INSERT INTO attempts(id, session_id, bank_id, question_id, prompt, answer, kind, status, "
                      "error, parent_id, started_at, submitted_at, duration_s) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      attempts)
        c.executemany("INSERT INTO grades(attempt_id, created_at, backend, model, prompt_version, rubric_id, "
                      "rubric_version, score, verdict, result) VALUES (?,?,?,?,'grade-v1','default',1,?,?,?)",
                      grades)
        c.executemany("INSERT INTO overrides(attempt_id, score, reason, created_at) VALUES (?,?,?,?)", overrides)
    write_s = time.perf_counter() - t_write
    conn.close()
    t_migrate = time.perf_counter()
    open_db(services.locations.db_path).close()  # runs m002 and any later migration, as on upgrade
    return {"sessions": len(sessions), "attempts": len(attempts), "grades": len(grades),
            "overrides": len(overrides), "write_s": write_s, "migrate_s": time.perf_counter() - t_migrate}


class _commit:
    def __init__(self, conn) -> None:
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, exc_type, *_exc) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
