"""store.history: the SQL behind review figures, history listing, overrides, review state and deletes.
Seeded through the real Store with fixed timestamps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from _review_seed import add, day, regrade_at
from interviewer.core.models import AttemptKind, AttemptStatus, KeyPointStatus
from interviewer.store import history
from interviewer.store.repo import Store


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "h.db")
    yield s
    s.close()


def test_score_points_use_newest_grade_then_override(store):
    a1 = add(store, "q1", day(0), 40)
    regrade_at(store, a1, day(0, 5), 65)          # a re-grade: newest grade counts
    a2 = add(store, "q1", day(1), 80)
    history.add_override(store, a2, 30, "missed the point", now=day(1, 2))
    history.add_override(store, a2, 50, "second thoughts", now=day(1, 3))  # newest override counts
    add(store, "q2", day(2))                      # ungraded: not a score point
    add(store, "q2", day(2, 1), kind=AttemptKind.skipped)
    pts = history.score_points(store)
    assert [(p.attempt_id, p.score, p.model_score, p.override_score) for p in pts] == [
        (a1, 65, 65, None), (a2, 50, 80, 50)]
    assert pts[0].at == day(0)
    assert history.unscored_counts(store) == {"q2": 2}
    assert [p.attempt_id for p in history.score_points(store, since=day(0, 12))] == [a2]


def test_follow_ups_are_left_out_of_review_figures_but_listed_in_history(store):
    parent = add(store, "q1", day(0), 70, {"k1": "covered"})
    child = add(store, "q1", day(0, 1), 10, {"k1": "missing"}, parent_id=parent)
    assert [p.attempt_id for p in history.score_points(store)] == [parent]
    assert {s.attempt_id for s in history.key_points_seen(store)} == {parent}
    assert [r.attempt_id for r in history.history(store)] == [child, parent]
    assert [r.attempt_id for r in history.history(store, include_follow_ups=False)] == [parent]


def test_key_points_seen_come_from_the_newest_grade(store):
    a = add(store, "q1", day(0), 40, {"k1": "missing", "k2": "partial"})
    regrade_at(store, a, day(0, 2), 80, {"k1": "covered", "k2": "covered", "k3": "missing"})
    got = {(s.key_point_id, s.status) for s in history.key_points_seen(store)}
    assert got == {("k1", KeyPointStatus.covered), ("k2", KeyPointStatus.covered), ("k3", KeyPointStatus.missing)}


def test_said_opposite_last_reads_each_point_s_newest_judgement(store):
    """The newest grade of the newest attempt that judged the point decides; an older contradiction does not
    count once a newer answer left the point out or covered it; an attempt that did not judge it is passed over."""
    add(store, "q1", day(0), 10, {"k1": "contradicted", "k2": "contradicted", "k3": "contradicted"})
    a = add(store, "q1", day(1), 40, {"k1": "contradicted", "k2": "missing"})
    regrade_at(store, a, day(1, 2), 45, {"k1": "contradicted", "k2": "covered"})
    add(store, "q1", day(2), None)  # ungraded: judges nothing
    add(store, "q2", day(0), 10, {"k1": "contradicted"}, bank_id="other")
    got = history.said_opposite_last(store, {"q1": {"k1", "k2", "k3", "k9"}, "q2": {"k1"}})
    assert got == {("q1", "k1"), ("q1", "k3"), ("q2", "k1")}
    assert history.said_opposite_last(store, {"q2": {"k1"}}, bank_id="llm-100") == set()
    assert history.said_opposite_last(store, {"q1": {"k3"}}, since=day(1)) == set()


def test_history_rows_and_totals(store):
    s = store.start_session("llm-100")
    a1 = add(store, "q1", day(0), 40, session_id=s.id)
    regrade_at(store, a1, day(0, 2), 60, backend="offline")
    a2 = add(store, "q2", day(1), session_id=s.id)
    history.add_override(store, a1, 75, "fair", now=day(3))
    rows = {r.attempt_id: r for r in history.history(store)}
    r1 = rows[a1]
    assert r1.model_score == 60 and r1.n_grades == 2 and r1.grader == "offline:m1"
    assert r1.override_score == 75 and r1.score == 75 and r1.override_reason == "fair"
    assert rows[a2].status is AttemptStatus.ungraded and rows[a2].score is None and rows[a2].n_grades == 0
    assert [r.attempt_id for r in history.history(store, limit=1)] == [a2]
    assert [r.attempt_id for r in history.history(store, limit=1, offset=1)] == [a1]
    assert history.totals(store) == {"attempts": 2, "graded": 1, "ungraded": 1, "pending": 0, "passed": 0,
                                     "sessions": 1, "questions": 2}
    assert r1.to_dict()["score"] == 75


def test_previous_attempt(store):
    a1 = add(store, "q1", day(0), 40)
    add(store, "q1", day(1))  # ungraded: not a comparison point
    add(store, "q2", day(1), 90)
    a3 = add(store, "q1", day(2), 70)
    assert history.previous_attempt_id(store, a3) == a1
    assert history.previous_attempt_id(store, a1) is None


def test_overrides_listed_newest_first(store):
    a = add(store, "q1", day(0), 40)
    history.add_override(store, a, 60, "one", now=day(1))
    history.add_override(store, a, 70, "two", now=day(2))
    assert [o.reason for o in history.overrides_for(store, a)] == ["two", "one"]
    assert history.overrides_for(store, a)[0].created_at == day(2)


def test_review_state_round_trip_and_due(store):
    history.write_review_states(store, [("b", "q1", {"basis": "x", "card": {"stability": 2.0}, "reviews": 1}, day(3)),
                                        ("b", "q2", {"basis": "y", "card": {}}, day(5)),
                                        ("c", "q3", {"basis": "z", "card": {}}, day(1))], [], now=day(0))
    st = history.review_states(store)
    assert st[("b", "q1")]["basis"] == "x" and st[("b", "q1")]["due"] == day(3)
    assert [c.question_id for c in history.due_cards(store, day(4))] == ["q3", "q1"]
    assert [c.question_id for c in history.due_cards(store, day(4), bank_id="b")] == ["q1"]
    assert history.due_cards(store, day(4), bank_id="b")[0].stability == 2.0
    history.write_review_states(store, [("b", "q1", {"basis": "x2", "card": {}}, day(9))], [("c", "q3")])
    assert history.review_states(store)[("b", "q1")]["basis"] == "x2"
    assert ("c", "q3") not in history.review_states(store)
    assert [c.question_id for c in history.all_cards(store)] == ["q2", "q1"]


def test_delete_attempt_and_session_cascade(store):
    s = store.start_session("llm-100")
    a1 = add(store, "q1", day(0), 40, session_id=s.id)
    follow = add(store, "q1", day(0, 1), 40, parent_id=a1, session_id=s.id)
    history.add_override(store, a1, 50, "x", now=day(1))
    other = add(store, "q2", day(0), 40)
    assert history.delete_attempt(store, a1) is True
    assert store.get_attempt(follow) is None and store.grades_for(a1) == [] and history.overrides_for(store, a1) == []
    assert history.delete_attempt(store, a1) is False
    a2 = add(store, "q3", day(2), 40, session_id=s.id)
    assert [a.id for a in store.attempts(session_id=s.id)] == [a2]
    assert history.delete_session(store, s.id) == 1
    assert store.get_session(s.id) is None and store.get_attempt(a2) is None
    assert store.get_attempt(other) is not None
    with pytest.raises(KeyError):
        history.delete_session(store, s.id)


def test_iso_normalises_to_utc():
    from datetime import timezone

    t = day(0).astimezone(timezone(timedelta(hours=5)))
    assert history.iso(t) == "2025-03-01T09:00:00.000000+00:00"
    assert history.parse_ts(history.iso(t)) == day(0)
