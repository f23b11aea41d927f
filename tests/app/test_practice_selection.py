"""core.selection: which questions a session gets, for each order, and the bank-at-a-glance figures; and the
practice controller feeding it the review service's rankings (one definition of weak, a synced schedule)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from _review_seed import add, day
from interviewer.app import reviewing
from interviewer.app.practice import Practice, SessionOptions, bank_overview, choose
from interviewer.core.selection import (
    Order,
    TopicMastery,
    filter_questions,
    overview,
    select_questions,
    stats_from_rows,
)
from interviewer.store import history

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


def test_weakest_follows_the_ranking_then_the_weak_topics_untouched_questions(bank):
    q1, q2, q3 = bank.questions[0], bank.questions[1], bank.questions[30]
    # the review service's ranking (core.review mastery, weakest first): q1, q3, q2
    sel = select_questions(bank, count=100, order=Order.weakest, weakest=[q1.id, q3.id, q2.id], seed=1)
    ids = [q.id for q in sel.questions]
    assert ids[:3] == [q1.id, q3.id, q2.id]
    # then the never-scored questions: the ranked questions' topics in ranking order, untouched topics last
    ranked_topics = list(dict.fromkeys(q.topic for q in (q1, q3, q2)))
    ranks = [ranked_topics.index(bank.get(i).topic) if bank.get(i).topic in ranked_topics else len(ranked_topics)
             for i in ids[3:]]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == len(ranked_topics)
    assert sorted(ids) == sorted(q.id for q in bank.questions) and sel.note == ""


def test_weakest_ignores_ranked_questions_outside_the_choice(bank):
    pe = [q for q in bank.questions if q.topic == "Prompt Engineering"]
    other = next(q for q in bank.questions if q.topic != "Prompt Engineering")
    sel = select_questions(bank, count=3, order="weakest", topics=["Prompt Engineering"],
                           weakest=[other.id, pe[2].id], seed=2)
    assert sel.questions[0].id == pe[2].id and other.id not in [q.id for q in sel.questions]


def test_weakest_without_history_says_it_is_random_for_now(bank):
    sel = select_questions(bank, count=5, order=Order.weakest, seed=3)
    assert len(sel.questions) == 5
    assert "no graded answers yet" in sel.note.lower()
    other = select_questions(bank, count=2, order=Order.weakest, topics=["Prompt Engineering"],
                             weakest=[bank.questions[0].id], seed=3)
    assert "no graded answers for these questions yet" in other.note.lower()


def test_due_first_without_a_schedule_falls_back_to_weakest_and_says_so(bank):
    q = bank.questions[5]
    sel = select_questions(bank, count=3, order=Order.due, weakest=[q.id], seed=4)
    # weakest first: q, then its never-answered topic-mates
    assert sel.questions[0].id == q.id and all(x.topic == q.topic for x in sel.questions)
    assert "no review schedule yet" in sel.note.lower()


def test_due_first_takes_the_due_questions_in_their_order_then_weakest(bank):
    a, b, c, w = bank.questions[10], bank.questions[20], bank.questions[40], bank.questions[60]
    sel = select_questions(bank, count=4, order="due", due=[b.id, a.id], weakest=[w.id, c.id, a.id],
                           scheduled=3, seed=1)
    ids = [q.id for q in sel.questions]
    assert ids[:4] == [b.id, a.id, w.id, c.id]
    assert "2 questions due" in sel.note


def test_no_match_and_too_few_say_what_to_do(bank):
    none = select_questions(bank, count=3, topics=["No Such Topic"])
    assert none.questions == [] and "widen" in none.note
    few = select_questions(bank, count=50, topics=["Evaluation & Metrics"], order="in-order")
    assert len(few.questions) == 5 and "Only 5 questions" in few.note


def test_overview_figures(bank):
    q1, q2, q3 = bank.questions[0], bank.questions[11], bank.questions[25]
    rows = {q1.id: {"n": 2, "graded": 2}, q2.id: {"n": 1, "graded": 1}, q3.id: {"n": 1, "graded": 0},
            "other-bank-q": {"n": 5, "graded": 5}}
    topics = [TopicMastery(q1.topic, 38.0, True), TopicMastery(q2.topic, 80.0, False)]
    ov = overview(bank, stats_from_rows(rows), average=61.5, topics=topics, due=[q1.id, "other-bank-q"],
                  scheduled=2)
    assert (ov.questions, len(ov.topics)) == (100, 10)
    assert ov.answered == 3 and ov.attempts == 4
    assert ov.avg_score == 61.5  # the review service's average, not one of its own
    assert [t.topic for t in ov.weakest] == [q1.topic]  # weak means below 60: a topic at 80 is not listed
    assert (ov.due, ov.scheduled) == (1, 2)
    t1 = next(t for t in ov.topics if t.topic == q1.topic)
    assert (t1.answered, t1.mastery, t1.weak) == (1, 38.0, True)  # the same figure as the Weakest line


# --------------------------------------------------------------------------- through the review service


def _topic_questions(bank, topic, n):
    return [q for q in bank.questions if q.topic == topic][:n]


def test_weakest_session_uses_core_review_mastery_not_the_plain_average(services):
    """A question that started badly but is now answered well is not weaker than one steadily middling:
    plain averages say it is (63 < 65), recency-weighted mastery (core.review) says it is not (69 > 65)."""
    bank = services.bank()
    improved, steady = _topic_questions(bank, "Attention Mechanisms", 2)
    st = services.store
    add(st, improved.id, day(0), 10)
    add(st, improved.id, day(1), 90)
    add(st, improved.id, day(2), 90)
    add(st, steady.id, day(0, 1), 65)
    add(st, steady.id, day(1, 1), 65)
    sel = choose(services, SessionOptions(count=2, order=Order.weakest, seed=1), day(3))
    assert [q.id for q in sel.questions] == [steady.id, improved.id]
    assert [q.id for q in reviewing.weakest_questions(services)] == [steady.id, improved.id]


def test_due_session_and_home_count_read_the_schedule_brought_up_to_date(services):
    """Grades written without any schedule sync (as another process or an import would): the due session and
    the home figures still see the FSRS cards they imply, and pick exactly reviewing.due_questions."""
    bank = services.bank()
    a, b, c = _topic_questions(bank, "Prompt Engineering", 3)
    st = services.store
    add(st, a.id, day(0), 30)   # Again: due again within a day or so
    add(st, b.id, day(0, 1), 95)  # Easy: due much later
    add(st, c.id, day(1), 40)
    assert st.review_schedule(bank.id) == {}  # nothing synced yet: a stale schedule would say "none due"
    now = day(6)
    want = [q.id for q in reviewing.due_questions(services, now=now)]
    assert want and b.id not in want and set(want) <= {a.id, c.id}
    history.write_review_states(st, [], [(bank.id, q) for q in (a.id, b.id, c.id)])  # stale again
    assert bank_overview(services, now=now).due == len(want)
    history.write_review_states(st, [], [(bank.id, q) for q in (a.id, b.id, c.id)])
    sel = choose(services, SessionOptions(count=len(want), order=Order.due, seed=1), now)
    assert [q.id for q in sel.questions] == want and sel.note == ""


async def test_a_grade_in_the_practice_flow_updates_the_schedule_at_once(services):
    from tui_helpers import FrozenClock, KeywordGrader

    p = Practice.start(services, SessionOptions(count=1, order="in-order"), clock=FrozenClock())
    p.grader = KeywordGrader()
    q = p.current.question
    ans = p.submit(q, "nothing useful", started_at=p.clock())
    await p.grade(ans)
    sched = services.store.review_schedule(p.session.bank_id)
    assert q.id in sched  # written by the grade itself, not by a later read
    assert history.review_states(services.store)[(p.session.bank_id, q.id)]["reviews"] == 1


def test_practice_due_and_weak_flags_pick_through_the_review_service(services, monkeypatch, capsys):
    import io
    from datetime import UTC, datetime

    from interviewer.cli import main as cli

    now = datetime.now(UTC)
    a, b, c = _topic_questions(services.bank(), "Evaluation & Metrics", 3)
    st = services.store
    add(st, a.id, now - timedelta(days=9), 30)   # long overdue
    add(st, b.id, now - timedelta(hours=1), 95)  # just answered well: not due
    add(st, c.id, now - timedelta(hours=1), 20)  # the weakest, but just answered: not due yet

    def first_question(*flags: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO("/quit\n"))
        code = cli.main(["--grader", "offline", "practice", "--plain", "-n", "2", *flags])
        out = capsys.readouterr()
        return code, out.out + out.err

    code, out = first_question("--due")
    assert code == 0 and "1 question due; the rest are your weakest." in out
    assert out.split("Question 1/2", 1)[1].split("\n")[1] == a.question
    code, out = first_question("--weak")
    assert code == 0
    q1 = out.split("Question 1/2", 1)[1].split("\n")[1]
    assert q1 == c.question
    code, out = first_question("--due", "--weak")
    assert code != 0 and "--due and --weak are two different sessions" in out
