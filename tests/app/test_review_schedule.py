"""scheduling: FSRS cards derived from the history, with fixed clocks. Ungraded attempts never touch the
schedule; overrides and re-grades that change the rating do; deletes undo."""

from __future__ import annotations

from datetime import timedelta

import fsrs
import pytest

from _review_seed import add, day, regrade_at
from interviewer.app import scheduling
from interviewer.core.models import AttemptKind
from interviewer.core.review import Rating
from interviewer.store import history
from interviewer.store.repo import Store


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "s.db")
    yield s
    s.close()


def card(store, q="q1", bank="llm-100"):
    return scheduling.load_card(store, bank, q)


def test_replay_matches_the_fsrs_package_directly():
    reviews = [(day(0), Rating.Good), (day(3), Rating.Hard), (day(7), Rating.Easy)]
    got = scheduling.replay("b", "q", reviews)
    sched = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    c = fsrs.Card(card_id=1, due=day(0))
    for at, r in reviews:
        c, _ = sched.review_card(c, fsrs.Rating(int(r)), review_datetime=at)
    assert got.due == c.due and got.stability == pytest.approx(c.stability)
    assert got.last_review == day(7)


def test_first_review_sets_a_card_due_by_rating(store):
    for q, score in (("qa", 30), ("qh", 55), ("qg", 75), ("qe", 95)):
        add(store, q, day(0), score)
    res = scheduling.sync(store, now=day(0, 1))
    assert len(res.updated) == 4 and res.removed == []
    dues = {q: card(store, q).due for q in ("qa", "qh", "qg", "qe")}
    assert dues["qa"] == day(1)  # Again: back tomorrow
    assert dues["qa"] <= dues["qh"] < dues["qg"] < dues["qe"]
    assert dues["qe"] - day(0) >= timedelta(days=7)
    assert card(store, "qg").state == "review" and card(store, "qg").reviews == 1
    assert history.review_states(store)[("llm-100", "qg")]["updated_at"] == day(0, 1)


def test_state_changes_with_each_scored_attempt(store):
    add(store, "q1", day(0), 75)
    scheduling.sync(store, now=day(0))
    first = card(store)
    add(store, "q1", first.due, 90)  # answered when due, well
    scheduling.sync(store, now=first.due)
    second = card(store)
    assert second.reviews == 2 and second.card.stability > first.card.stability
    assert second.due - first.due > first.due - day(0)
    add(store, "q1", second.due, 20)  # then forgot it
    scheduling.sync(store, now=second.due)
    third = card(store)
    assert third.card.stability < second.card.stability / 4
    assert timedelta(days=1) <= third.due - second.due <= timedelta(days=3)  # a lapse: back within days


def test_ungraded_attempts_never_touch_the_schedule(store):
    add(store, "q1", day(0), 75)
    scheduling.sync(store, now=day(0))
    before = history.review_states(store)[("llm-100", "q1")]
    add(store, "q1", day(2))                                  # grading failed
    add(store, "q1", day(2, 1), kind=AttemptKind.skipped)     # skipped
    add(store, "q1", day(2, 2), kind=AttemptKind.dont_know)   # "I don't know"
    res = scheduling.sync(store, now=day(3))
    assert res.updated == [] and res.unchanged == 1
    after = history.review_states(store)[("llm-100", "q1")]
    assert after == before  # not even updated_at moved
    add(store, "q2", day(2))
    scheduling.sync(store, now=day(3))
    assert card(store, "q2") is None


def test_override_is_used_for_scheduling(store):
    a = add(store, "q1", day(0), 95)
    scheduling.sync(store, now=day(0))
    easy_due = card(store).due
    history.add_override(store, a, 30, "I actually blanked", now=day(0, 2))
    res = scheduling.sync(store, now=day(0, 2))
    assert res.updated == [("llm-100", "q1")]
    assert card(store).due == day(1) < easy_due


def test_regrade_changes_schedule_only_when_the_rating_changes(store):
    a = add(store, "q1", day(0), 72)
    scheduling.sync(store, now=day(0))
    regrade_at(store, a, day(0, 3), 76)  # still Good
    assert scheduling.sync(store, now=day(0, 3)).updated == []
    regrade_at(store, a, day(0, 4), 40)  # now Again
    assert scheduling.sync(store, now=day(0, 4)).updated == [("llm-100", "q1")]
    assert card(store).due == day(1)


def test_deleting_the_only_scored_attempt_removes_the_card(store):
    a = add(store, "q1", day(0), 80)
    b = add(store, "q1", day(4), 20)
    scheduling.sync(store, now=day(4))
    assert card(store).reviews == 2
    history.delete_attempt(store, b)
    scheduling.sync(store, now=day(5), question_ids=["q1"])
    assert card(store).reviews == 1
    history.delete_attempt(store, a)
    res = scheduling.sync(store, now=day(5))
    assert res.removed == [("llm-100", "q1")] and card(store) is None


def test_sync_limited_to_some_questions_leaves_others(store):
    add(store, "q1", day(0), 80)
    add(store, "q2", day(0), 80)
    res = scheduling.sync(store, now=day(0), question_ids=["q1"])
    assert res.updated == [("llm-100", "q1")] and card(store, "q2") is None
