"""The m002 review facts (attempt_scores, tallies, daily sums, key-point cache, dirty marks) kept by triggers,
and the fast dashboard built on them: after any mix of writes (out-of-order answers, re-grades, overrides,
deletes with cascades, follow-ups, hand-edited timestamps, imports) the facts equal what the base tables say,
and the fast report equals the whole-history one (store.history, the `since` path)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import fsrs
import pytest

from _review_seed import add, day, make_grade, regrade_at
from interviewer.app import reviewing, scheduling
from interviewer.core import review as rv
from interviewer.core import review_window as rw
from interviewer.core.models import AttemptKind
from interviewer.store import history, transfer
from interviewer.store.db import connect, migrate
from interviewer.store.migrations import MIGRATIONS

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NOW = day(40)
STATUSES = ("covered", "partial", "missing")


def reference_facts(store) -> dict:
    """The facts recomputed from the base tables with store.history's whole-history queries."""
    c = store.conn
    pts = history.score_points(store)
    bank_of = {p.attempt_id: p.bank_id for p in pts}
    kp = Counter((bank_of[s.attempt_id], s.question_id, s.key_point_id, s.status.value)
                 for s in history.key_points_seen(store))
    tally = {(r[0], r[1]): list(r[2:6]) + [0, r[6]] for r in c.execute(
        "SELECT bank_id, question_id, COUNT(*), SUM(status = 'graded'), SUM(status = 'ungraded'), "
        "SUM(status = 'pending'), SUM(kind != 'answer') FROM attempts WHERE parent_id IS NULL GROUP BY 1, 2")}
    daily: dict[tuple[str, str], list] = {}
    for p in pts:
        tally[(p.bank_id, p.question_id)][4] += 1
        d = daily.setdefault((p.bank_id, p.at.date().isoformat()), [0, 0.0])
        d[0] += 1
        d[1] += p.score
    sessions = dict(c.execute("SELECT session_id, COUNT(*) FROM attempts WHERE parent_id IS NULL "
                              "AND session_id IS NOT NULL GROUP BY 1").fetchall())
    return {"scores": {p.attempt_id: (p.bank_id, p.question_id, history.iso(p.at), p.score, p.model_score,
                                      p.override_score) for p in pts},
            "key_points": dict(kp), "tally": tally, "sessions": sessions, "daily": daily}


def stored_facts(store) -> dict:
    c = store.conn
    return {
        "scores": {r[0]: tuple(r[1:]) for r in c.execute(
            "SELECT attempt_id, bank_id, question_id, submitted_at, score, model_score, override_score "
            "FROM attempt_scores")},
        "key_points": {tuple(r[:4]): r[4] for r in c.execute(
            "SELECT bank_id, question_id, key_point_id, status, n FROM key_point_tally WHERE n > 0")},
        "tally": {(r[0], r[1]): list(r[2:]) for r in c.execute(
            "SELECT bank_id, question_id, attempts, graded, ungraded, pending, scored, passed FROM question_tally "
            "WHERE attempts != 0 OR scored != 0")},
        "sessions": dict(c.execute("SELECT session_id, attempts FROM session_tally").fetchall()),
        "daily": {(r[0], r[1]): [r[2], r[3]] for r in c.execute("SELECT bank_id, day, n, total FROM daily_scores")},
    }


def assert_facts_match(store) -> None:
    ref, got = reference_facts(store), stored_facts(store)
    for key in ("scores", "key_points", "tally", "sessions"):
        assert got[key] == ref[key], key
    assert got["daily"].keys() == ref["daily"].keys()
    for k, (n, total) in ref["daily"].items():
        assert got["daily"][k][0] == n and got["daily"][k][1] == pytest.approx(total)


def close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-6)
    return a == b


def assert_same_mastery(fast: rv.Mastery, slow: rv.Mastery) -> None:
    for f in ("key", "attempts", "mastery", "recent_avg", "trend", "last_practised", "ungraded",
              "questions_practised", "questions_total"):
        assert close(getattr(fast, f), getattr(slow, f)), (fast.key, f, getattr(fast, f), getattr(slow, f))


def assert_same_report(services, **kw) -> None:
    fast = reviewing.report(services, now=NOW, missed_limit=None, **kw)
    slow = reviewing.report(services, now=NOW, since=EPOCH, missed_limit=None, **kw)
    assert [t.key for t in fast.topics] == [t.key for t in slow.topics]
    for a, b in zip(fast.topics, slow.topics, strict=True):
        assert_same_mastery(a, b)
    assert fast.questions.keys() == slow.questions.keys()
    for q in fast.questions:
        assert_same_mastery(fast.questions[q], slow.questions[q])
    fk = {(k.question_id, k.key_point_id): k for k in fast.key_points}
    sk = {(k.question_id, k.key_point_id): k for k in slow.key_points}
    assert fk.keys() == sk.keys()
    for key, k in fk.items():
        s = sk[key]
        assert (k.text, k.seen, k.covered, k.partial, k.missing, k.last_status, k.last_seen) == \
            (s.text, s.seen, s.covered, s.partial, s.missing, s.last_status, s.last_seen), key
        assert close(k.mastery, s.mastery), key
    assert [(k.question_id, k.key_point_id) for k in fast.most_missed] == \
        [(k.question_id, k.key_point_id) for k in slow.most_missed]
    assert fast.totals == slow.totals
    assert close(fast.average, slow.average) if slow.average is not None else fast.average is None
    assert [(d, n) for d, _, n in fast.daily] == [(d, n) for d, _, n in slow.daily]
    assert all(close(a, b) for (_, a, _), (_, b, _) in zip(fast.daily, slow.daily, strict=True))
    assert [c.question_id for c in fast.due] == [c.question_id for c in slow.due]


def kps(rnd: random.Random, ids=("k1", "k2", "k3")) -> dict[str, str]:
    return {k: rnd.choice(STATUSES) for k in ids if rnd.random() < 0.9}


def random_history(services, seed: int, steps: int = 70) -> None:
    """Every kind of write the app (and a curious person with sqlite3) can make, in a random order."""
    rnd = random.Random(seed)
    st = services.store
    qids = [q.id for q in services.bank().questions[:4]] + ["zz-gone"]
    sessions = [st.start_session("llm-100").id for _ in range(3)]
    ids: list[int] = []
    for _ in range(steps):
        r = rnd.random()
        live = [i for i in ids if st.get_attempt(i) is not None]
        if r < 0.45 or not live:
            kind = rnd.choice([AttemptKind.answer] * 6 + [AttemptKind.skipped])
            score = None if kind is not AttemptKind.answer or rnd.random() < 0.15 else round(rnd.uniform(0, 100), 1)
            parent = rnd.choice(live) if live and rnd.random() < 0.1 else None
            ids.append(add(st, rnd.choice(qids), day(rnd.uniform(0, 30)), score, kps(rnd),
                           bank_id=rnd.choice(["llm-100", "llm-100", "other"]), kind=kind,
                           session_id=rnd.choice([None, *sessions]), parent_id=parent))
        elif r < 0.6:
            regrade_at(st, rnd.choice(live), day(rnd.uniform(0, 35)), round(rnd.uniform(0, 100), 1),
                       kps(rnd, ("k1", "k2", "k3", "k4")))
        elif r < 0.7:
            history.add_override(st, rnd.choice(live), rnd.choice([10.0, 55.5, 95.0]), "why", now=day(rnd.uniform(0, 35)))
        elif r < 0.76:
            history.delete_attempt(st, rnd.choice(live))
        elif r < 0.8:
            st.conn.execute("UPDATE attempts SET submitted_at = ? WHERE id = ?",
                            (history.iso(day(rnd.uniform(0, 30))), rnd.choice(live)))
        elif r < 0.82:
            st.conn.execute("UPDATE attempts SET question_id = ? WHERE id = ?", (rnd.choice(qids), rnd.choice(live)))
        elif r < 0.83:  # a skip turned into an answer or back (passed counts it)
            st.conn.execute("UPDATE attempts SET kind = ? WHERE id = ?",
                            (rnd.choice(["answer", "skipped", "dont_know"]), rnd.choice(live)))
        elif r < 0.86:
            grades = [r[0] for r in st.conn.execute("SELECT id FROM grades ORDER BY id")]
            if grades:
                st.conn.execute("UPDATE grades SET created_at = ? WHERE id = ?",
                                (history.iso(day(rnd.uniform(0, 40))), rnd.choice(grades)))
        elif r < 0.89:
            overrides = [r[0] for r in st.conn.execute("SELECT id FROM overrides ORDER BY id")]
            if overrides:
                st.conn.execute("DELETE FROM overrides WHERE id = ?", (rnd.choice(overrides),))
        elif r < 0.91 and sessions:
            history.delete_session(st, sessions.pop())
        elif r < 0.93:
            st.mark_ungraded(rnd.choice(live), "grader unreachable")
        else:
            at = day(rnd.uniform(0, 30))
            transfer.restore(st, [], [{
                "id": 1, "session_id": None, "bank_id": "llm-100", "question_id": rnd.choice(qids),
                "prompt": "p", "answer": f"imported {rnd.random()}", "kind": "answer", "status": "graded",
                "error": None, "parent_id": None, "started_at": None, "submitted_at": at, "duration_s": 3.0,
                "grades": [{"created_at": at, "grade": make_grade(rnd.uniform(0, 100), kps(rnd))}],
                "overrides": []}])
        if rnd.random() < 0.2:  # the app reads the dashboard now and then (fills the key-point cache)
            reviewing.report(services, now=NOW)


def assert_cards_replayed_from_scratch(store) -> None:
    """Cards kept up to date step by step (carried forward, partly replayed) equal a replay of the whole
    history from nothing."""
    scheduling.sync(store, now=NOW)
    by_q: dict[tuple[str, str], list] = {}
    for p in history.score_points(store):
        by_q.setdefault((p.bank_id, p.question_id), []).append(p)
    stored = history.review_states(store)
    assert set(stored) == set(by_q)
    for key, pts in by_q.items():
        fresh = scheduling.card_state(*key, scheduling.reviews_of(pts))
        assert stored[key]["card"] == fresh.card.to_dict(), key
        assert (stored[key]["basis"], stored[key]["reviews"]) == (fresh.basis, fresh.reviews), key


# Store.question_stats as it was written before m002: every grade ranked per attempt.
QUESTION_STATS_REFERENCE = """
WITH latest AS (
    SELECT g.attempt_id, g.score,
           ROW_NUMBER() OVER (PARTITION BY g.attempt_id ORDER BY g.created_at DESC, g.id DESC) AS rn
    FROM grades g
)
SELECT a.question_id, COUNT(*) AS n, SUM(a.kind != 'answer') AS passed, COUNT(l.score) AS graded, MAX(a.submitted_at) AS last_at
FROM attempts a LEFT JOIN latest l ON l.attempt_id = a.id AND l.rn = 1
WHERE a.parent_id IS NULL
GROUP BY a.question_id
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_follow_every_kind_of_write(services, seed):
    random_history(services, seed)
    assert_facts_match(services.store)
    assert_same_report(services)
    assert_same_report(services, bank_id="llm-100")
    assert_cards_replayed_from_scratch(services.store)
    ref = {r["question_id"]: dict(r) for r in services.store.conn.execute(QUESTION_STATS_REFERENCE)}
    got = services.store.question_stats()
    assert got.keys() == ref.keys()
    for q, r in ref.items():
        assert got[q] == r  # counts only: the scores people see are the review service's (app.reviewing.average)


def test_migration_backfills_an_existing_history(tmp_path, services):
    """A database written before m002 gets the same facts as one that always had the triggers."""
    random_history(services, 5, steps=40)
    old = connect(tmp_path / "old.db")
    old.execute("CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)")
    from interviewer.store.db import _statements

    for stmt in _statements(MIGRATIONS[0][1]):
        old.execute(stmt)
    old.execute("INSERT INTO migrations(name, applied_at) VALUES ('m001_initial', 'x')")
    src = services.store.conn
    for table in ("sessions", "attempts", "grades", "overrides"):
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
        rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        old.executemany(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [tuple(r) for r in rows])
    assert migrate(old) == [n for n, _ in MIGRATIONS[1:]]
    from interviewer.store.repo import Store

    migrated = Store(old)
    assert stored_facts(migrated) == stored_facts(services.store)
    assert_facts_match(migrated)


def test_window_covers_long_histories_and_key_points_no_longer_judged(services):
    """200 answers to one question: mastery reads only the newest RECENCY_WINDOW, within 1e-6 of all of them.
    k3 was judged only in the oldest 60, so its own newest judgements are read past the window."""
    q = services.bank().questions[0].id
    rnd = random.Random(9)
    recs = []
    for i in range(200):
        at = day(i / 5)
        statuses = {"k1": rnd.choice(STATUSES), "k2": rnd.choice(STATUSES)}
        if i < 60:
            statuses["k3"] = rnd.choice(STATUSES)
        recs.append({"id": i + 1, "session_id": None, "bank_id": "llm-100", "question_id": q, "prompt": "p",
                     "answer": f"a{i}", "kind": "answer", "status": "graded", "error": None, "parent_id": None,
                     "started_at": None, "submitted_at": at, "duration_s": 1.0,
                     "grades": [{"created_at": at, "grade": make_grade(rnd.uniform(0, 100), statuses)}],
                     "overrides": []})
    transfer.restore(services.store, [], recs)
    assert rw.RECENCY_WINDOW < 200 - 60
    assert_same_report(services)
    k3 = next(k for k in reviewing.report(services, now=NOW).key_points if k.key_point_id == "k3")
    assert k3.seen == 60 and k3.last_seen == day(59 / 5)


def test_recency_window_is_where_older_attempts_stop_mattering():
    assert rv.RECENCY_DECAY ** rw.RECENCY_WINDOW < 1e-9 <= rv.RECENCY_DECAY ** (rw.RECENCY_WINDOW - 1)
    assert rw.RECENCY_WINDOW >= 2 * rv.RECENT_N


def test_key_point_cache_is_recomputed_when_the_question_changes(services):
    q = services.bank().questions[0].id
    a = add(services.store, q, day(0), 40, {"k1": "missing"})
    first = reviewing.report(services, now=NOW).key_points
    assert [(k.key_point_id, k.mastery) for k in first] == [("k1", 0.0)]
    regrade_at(services.store, a, day(1), 90, {"k1": "covered"})
    assert [(k.key_point_id, k.mastery) for k in reviewing.report(services, now=NOW).key_points] == [("k1", 100.0)]
    # a cache row that does not match the question's version is never used
    services.store.conn.execute("UPDATE key_point_cache SET data = '[[\"k1\", 12.0, \"missing\", "
                                "\"2025-01-01T00:00:00+00:00\"]]', version = version - 1")
    assert [(k.key_point_id, k.mastery) for k in reviewing.report(services, now=NOW).key_points] == [("k1", 100.0)]


def test_sync_reads_only_changed_questions_and_carries_cards_forward(services, monkeypatch):
    st = services.store
    qs = [q.id for q in services.bank().questions[:3]]
    for i, q in enumerate(qs):
        add(st, q, day(i), 60 + 10 * i)
    assert len(scheduling.sync(st, now=day(3)).updated) == 3
    assert st.conn.execute("SELECT COUNT(*) FROM review_dirty").fetchone()[0] == 0
    read = []
    real = scheduling.facts.points_for
    monkeypatch.setattr(scheduling.facts, "points_for", lambda s, b, q, **kw: read.append(q) or real(s, b, q, **kw))
    res = scheduling.sync(st, now=day(4))
    assert read == [] and res.updated == [] and res.unchanged == 3
    add(st, qs[1], day(10), 95)
    add(st, qs[1], day(20), 30)
    res = scheduling.sync(st, now=day(21))
    assert read == [qs[1]] and res.updated == [("llm-100", qs[1])] and res.unchanged == 2
    carried = scheduling.load_card(st, "llm-100", qs[1])
    full = scheduling.replay("llm-100", qs[1],
                             scheduling.reviews_of(p for p in history.score_points(st) if p.question_id == qs[1]))
    assert carried.reviews == 3 and carried.card.to_dict() == full.to_dict()
    assert isinstance(carried.card, fsrs.Card)


def test_deleting_a_session_or_attempt_updates_the_tallies(services):
    st = services.store
    s = st.start_session("llm-100")
    q = services.bank().questions[0].id
    a = add(st, q, day(0), 50, {"k1": "covered"}, session_id=s.id)
    add(st, q, day(0, 1), 20, {"k1": "missing"}, parent_id=a, session_id=s.id)
    assert reviewing.report(services, now=NOW).totals["sessions"] == 1
    history.delete_session(st, s.id)
    rep = reviewing.report(services, now=NOW)
    assert rep.totals == {"attempts": 0, "graded": 0, "ungraded": 0, "pending": 0, "passed": 0, "sessions": 0,
                          "questions": 0}
    assert rep.key_points == [] and rep.daily == [] and rep.average is None
    assert_facts_match(st)


def test_a_malformed_grade_never_blocks_the_write(services):
    st = services.store
    q = services.bank().questions[0].id
    a = add(st, q, day(0))
    st.conn.execute("INSERT INTO grades(attempt_id, created_at, backend, score, verdict, result) "
                    "VALUES (?, ?, 'x', 70, 'solid', '{not json')", (a, history.iso(day(0, 1))))
    assert tuple(st.conn.execute("SELECT score, key_points FROM attempt_scores WHERE attempt_id = ?",
                                 (a,)).fetchone()) == (70.0, "[]")


@pytest.mark.parametrize("result", ["{not json", '{"key_points": "none"}', '{"key_points": [1, "k1", null]}'])
def test_a_damaged_grade_judges_no_key_point_on_any_review_path(services, result):
    """A hand-edited database whose newest grade of an attempt is damaged JSON: the dashboard over the whole history
    and over the last days (`stats --since`) both open, that grade judges nothing, and the point the older answer
    said the other way round still reads so."""
    st = services.store
    q = services.bank().questions[0].id
    add(st, q, day(0), 10, {"k1": "contradicted", "k2": "missing"})
    a = add(st, q, day(1))
    st.conn.execute("INSERT INTO grades(attempt_id, created_at, backend, score, verdict, result) "
                    "VALUES (?, ?, 'x', 70, 'solid', ?)", (a, history.iso(day(1, 1)), result))
    for since in (None, day(0)):
        rep = reviewing.report(services, now=NOW, since=since)
        assert [(k.key_point_id, k.seen, k.record) for k in rep.most_missed] == [
            ("k1", 1, "missed 1/1, said the opposite last time"), ("k2", 1, "missed 1/1")], since

