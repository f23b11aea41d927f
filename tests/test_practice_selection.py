"""core.selection: which questions a session gets, for each order, and the bank-at-a-glance figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interviewer.core.selection import (
    WEAK_UNKNOWN,
    Order,
    QuestionStat,
    filter_questions,
    overview,
    select_questions,
    stats_from_rows,
)

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture
def bank(services):
    return services.bank()


def test_filters_by_topic_and_difficulty(bank):
    level = next(q.difficulty for q in bank.questions if q.topic == "Attention Mechanisms")
    qs = filter_questions(bank, ["Attention Mechanisms"], [level])
    assert qs and all(q.topic == "Attention Mechanisms" and q.difficulty == level for q in qs)
    assert len(qs) < sum(1 for q in bank.questions if q.topic == "Attention Mechanisms") or len(
        {q.difficulty for q in bank.questions if q.topic == "Attention Mechanisms"}) == 1
    assert len(filter_questions(bank)) == 100


def test_in_order_is_bank_order_and_count_is_respected(bank):
    sel = select_questions(bank, count=3, order=Order.in_order, topics=["Prompt Engineering"])
    pe = [q for q in bank.questions if q.topic == "Prompt Engineering"]
    assert [q.id for q in sel.questions] == [q.id for q in pe[:3]]
    assert sel.note == ""


def test_random_is_repeatable_with_a_seed_and_differs_across_seeds(bank):
    a = select_questions(bank, count=10, order="random", seed=7).questions
    b = select_questions(bank, count=10, order="random", seed=7).questions
    c = select_questions(bank, count=10, order="random", seed=8).questions
    assert [q.id for q in a] == [q.id for q in b]
    assert [q.id for q in a] != [q.id for q in c]
    assert len({q.id for q in a}) == 10


def test_weakest_first_puts_low_scores_first_and_unknown_topics_in_the_middle(bank):
    q1, q2, q3 = bank.questions[0], bank.questions[1], bank.questions[30]
    stats = {q1.id: QuestionStat(2, 2, 20.0), q2.id: QuestionStat(1, 1, 90.0), q3.id: QuestionStat(1, 1, 55.0)}
    sel = select_questions(bank, count=100, order=Order.weakest, stats=stats, seed=1)
    ids = [q.id for q in sel.questions]
    assert ids[0] == q1.id  # 20
    assert ids.index(q3.id) < ids.index(q2.id)
    # q1's topic-mates that were never answered count as the topic average ((20+90)/2 = 55) ...
    mate = next(q for q in bank.questions if q.topic == q1.topic and q.id not in stats)
    other = next(q for q in bank.questions if q.topic not in (q1.topic, q3.topic))
    # ... which is weaker than a question of an unpractised topic (WEAK_UNKNOWN = 60)
    assert WEAK_UNKNOWN == 60.0
    assert ids.index(mate.id) < ids.index(other.id)
    assert ids[-1] == q2.id
    assert sel.note == ""


def test_weakest_without_history_says_it_is_random_for_now(bank):
    sel = select_questions(bank, count=5, order=Order.weakest, seed=3)
    assert len(sel.questions) == 5
    assert "no graded answers yet" in sel.note.lower()


def test_due_first_without_a_schedule_falls_back_to_weakest_and_says_so(bank):
    q = bank.questions[5]
    sel = select_questions(bank, count=3, order=Order.due, stats={q.id: QuestionStat(1, 1, 10.0)}, now=NOW)
    # weakest first: q (10) and its never-answered topic-mates (topic average 10) come before everything else
    assert all(x.topic == q.topic for x in sel.questions)
    assert "no review schedule yet" in sel.note.lower()


def test_due_first_takes_overdue_questions_oldest_first_then_weakest(bank):
    a, b, c = bank.questions[10], bank.questions[20], bank.questions[40]
    schedule = {a.id: NOW - timedelta(days=1), b.id: NOW - timedelta(days=3), c.id: NOW + timedelta(days=2)}
    sel = select_questions(bank, count=4, order="due", schedule=schedule, now=NOW, seed=1)
    ids = [q.id for q in sel.questions]
    assert ids[:2] == [b.id, a.id]
    assert c.id not in ids[:2]
    assert "2 questions due" in sel.note


def test_due_needs_a_clock(bank):
    with pytest.raises(ValueError):
        select_questions(bank, count=1, order="due", schedule={})


def test_no_match_and_too_few_say_what_to_do(bank):
    none = select_questions(bank, count=3, topics=["No Such Topic"])
    assert none.questions == [] and "widen" in none.note
    few = select_questions(bank, count=50, topics=["Evaluation & Metrics"], order="in-order")
    assert len(few.questions) == 5 and "Only 5 questions" in few.note


def test_overview_figures(bank):
    q1, q2, q3 = bank.questions[0], bank.questions[11], bank.questions[25]
    rows = {q1.id: {"n": 2, "graded": 2, "avg_score": 40.0}, q2.id: {"n": 1, "graded": 1, "avg_score": 80.0},
            q3.id: {"n": 1, "graded": 0, "avg_score": None}, "other-bank-q": {"n": 5, "graded": 5, "avg_score": 1.0}}
    ov = overview(bank, stats_from_rows(rows), {q1.id: NOW - timedelta(hours=1), q2.id: NOW + timedelta(days=1)},
                  NOW)
    assert (ov.questions, len(ov.topics)) == (100, 10)
    assert ov.answered == 3 and ov.attempts == 4
    assert ov.avg_score == pytest.approx(60.0)
    assert [t.topic for t in ov.weakest] == [q1.topic, q2.topic]
    assert (ov.due, ov.scheduled) == (1, 2)
    t1 = next(t for t in ov.topics if t.topic == q1.topic)
    assert (t1.answered, t1.avg_score) == (1, 40.0)
