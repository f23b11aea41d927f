"""SQLite store: pragmas, named migrations on a blank database, refusal of newer databases, repositories."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from interviewer.core.errors import DatabaseError
from interviewer.core.models import AttemptKind, AttemptStatus, Grade, GraderInfo
from interviewer.store.db import open_db
from interviewer.store.migrations import MIGRATIONS
from interviewer.store.repo import Store


def _grade(score=72.0):
    return Grade(score=score, verdict="solid", criteria=[], grader=GraderInfo(backend="test", model="m"))


def test_blank_database_gets_every_migration_and_the_pragmas(tmp_path):
    db = tmp_path / "i.db"
    conn = open_db(db)
    names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY id")]
    assert names == [n for n, _ in MIGRATIONS]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sessions", "attempts", "grades", "overrides", "review_state", "drafts", "grade_cache"} <= tables
    conn.close()
    conn = open_db(db)  # idempotent
    assert conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_database_newer_than_the_code_is_refused_without_writing(tmp_path):
    db = tmp_path / "i.db"
    open_db(db).close()
    c = sqlite3.connect(db)
    c.execute("INSERT INTO migrations(name, applied_at) VALUES ('m999_future', 'x')")
    c.commit()
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(DatabaseError, match="newer version"):
        open_db(db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_garbage_file_gives_a_clear_error(tmp_path):
    db = tmp_path / "i.db"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="backup"):
        open_db(db)


def test_attempt_lifecycle(tmp_path):
    s = Store.open(tmp_path / "i.db")
    sess = s.start_session("llm-100", {"n": 3})
    s.save_draft("d1", bank_id="llm-100", question_id="llm-q001", text="half an answer")
    assert [d["text"] for d in s.drafts()] == ["half an answer"]
    a = s.add_attempt(bank_id="llm-100", question_id="llm-q001", prompt="What is an LLM?", answer="A model.",
                      session_id=sess.id, draft_key="d1")
    assert a.status is AttemptStatus.pending and s.drafts() == []
    assert [x.id for x in s.attempts(status=AttemptStatus.pending)] == [a.id]
    s.mark_ungraded(a.id, "server down")
    assert s.get_attempt(a.id).status is AttemptStatus.ungraded and s.get_attempt(a.id).error == "server down"
    s.add_grade(a.id, _grade(50))
    s.add_grade(a.id, _grade(80))
    assert s.get_attempt(a.id).status is AttemptStatus.graded
    assert [g.grade.score for g in s.grades_for(a.id)] == [80, 50]
    s.mark_ungraded(a.id, "re-grade failed")  # a failed re-grade keeps the earlier grade visible
    assert s.get_attempt(a.id).status is AttemptStatus.graded
    skip = s.add_attempt(bank_id="llm-100", question_id="llm-q002", prompt="q", answer="",
                         kind=AttemptKind.dont_know, session_id=sess.id)
    assert skip.status is AttemptStatus.ungraded and skip.error == "dont_know"
    stats = s.question_stats()
    assert stats["llm-q001"]["graded"] == 1 and stats["llm-q002"]["graded"] == 0
    s.delete_attempt(a.id)
    assert s.grades_for(a.id) == []  # cascaded
    s.close()


def test_grade_score_out_of_range_is_rejected_by_the_schema(tmp_path):
    s = Store.open(tmp_path / "i.db")
    a = s.add_attempt(bank_id="b", question_id="q", prompt="p", answer="a")
    with pytest.raises(sqlite3.IntegrityError):
        s.conn.execute("INSERT INTO grades(attempt_id, created_at, backend, score, verdict, result) "
                       "VALUES (?, 'x', 'b', 120, 'v', '{}')", (a.id,))


def test_cache_round_trip(tmp_path):
    s = Store.open(tmp_path / "i.db")
    assert s.cache_get("k") is None
    s.cache_put("k", _grade(61))
    assert s.cache_get("k").score == 61
    s.conn.execute("UPDATE grade_cache SET result = '{not json' WHERE key = 'k'")  # a hand edit
    assert s.cache_get("k") is None  # a miss: the answer is graded again, nothing stops on it


def test_offline_grades_stored_as_interview_ready_are_renamed_complete(tmp_path):
    """m004: the offline grader's top band is "complete" (core.scoring.OFFLINE_NAMES). A database written before
    has its offline grades renamed in the column the history lists and in the stored grade; a model's grade and
    every score stay as they were."""
    from interviewer.store import history
    from interviewer.store.db import migrate

    s = Store.open(tmp_path / "i.db")
    ids = []
    for backend in ("offline", "openai"):
        a = s.add_attempt(bank_id="llm-100", question_id="llm-q001", prompt="Q", answer=f"graded by {backend}")
        s.add_grade(a.id, Grade(score=91.0, verdict="solid", criteria=[], grader=GraderInfo(backend=backend)))
        ids.append(a.id)
    # as the code before the rename stored them
    s.conn.execute("UPDATE grades SET verdict = 'interview-ready', result = json_set(result, '$.verdict', "
                   "'interview-ready')")
    s.conn.execute("DELETE FROM migrations WHERE name = 'm004_offline_top_band'")
    s.conn.commit()
    before = s.conn.execute("SELECT attempt_id, score FROM attempt_scores ORDER BY 1").fetchall()
    assert migrate(s.conn) == ["m004_offline_top_band"]
    rows = {r.attempt_id: r for r in history.history(s)}
    assert (rows[ids[0]].verdict, rows[ids[1]].verdict) == ("complete", "interview-ready")
    stored = [s.conn.execute("SELECT json_extract(result, '$.verdict') FROM grades WHERE attempt_id = ?",
                             (i,)).fetchone()[0] for i in ids]
    assert stored == ["complete", "interview-ready"]
    assert s.conn.execute("SELECT attempt_id, score FROM attempt_scores ORDER BY 1").fetchall() == before
    assert [s.latest_grade(i).grade.verdict for i in ids] == ["complete", "interview-ready"]
    s.close()


def test_an_old_offline_grade_read_from_an_export_says_complete():
    """A grade exported before the rename loads with today's name; other graders' verdicts are left alone."""
    old = Grade(score=88.0, verdict="solid", criteria=[], grader=GraderInfo(backend="offline")).model_dump()
    old["verdict"] = "interview-ready"
    assert Grade.model_validate(old).verdict == "complete"
    assert Grade.model_validate({**old, "grader": {"backend": "ollama"}}).verdict == "interview-ready"


def test_drafts_written_before_m005_gain_an_empty_list_of_takes(tmp_path):
    """m005: a draft keeps the takes recorded for it. A database written before has its drafts kept, with none."""
    from interviewer.store.db import migrate

    s = Store.open(tmp_path / "i.db")
    s.conn.executescript("ALTER TABLE drafts DROP COLUMN takes; DELETE FROM migrations WHERE name = 'm005_draft_takes';")
    s.conn.execute("INSERT INTO drafts(key, bank_id, question_id, text, updated_at) VALUES "
                   "('answer:llm-100:llm-q001', 'llm-100', 'llm-q001', 'typed before', '2026-01-01T00:00:00+00:00')")
    s.conn.commit()
    assert migrate(s.conn) == ["m005_draft_takes"]
    (d,) = s.drafts()
    assert (d["text"], d["takes"]) == ("typed before", "[]")
    s.save_draft(d["key"], bank_id="llm-100", question_id="llm-q001", text="typed before, more", takes='[{"x": 1}]')
    (d,) = s.drafts()
    assert (d["text"], d["takes"]) == ("typed before, more", '[{"x": 1}]')
