"""The practice controller (interviewer.app.practice): the rules shared by the TUI and plain mode."""

from __future__ import annotations

import pytest

from interviewer.app.practice import (
    Practice,
    SessionOptions,
    bank_overview,
    draft_key,
    restorable_drafts,
    resume_draft,
    ungraded_answers,
)
from interviewer.cli.commands.plain_print import print_summary
from interviewer.core.models import AttemptKind, AttemptStatus
from interviewer.grading.base import GradingError
from interviewer.tui.screens.summary import headline
from tui_helpers import FrozenClock, KeywordGrader


class SpyGrader(KeywordGrader):
    """Looks in the database while grading: the answer must already be there."""

    def __init__(self, services, **kw) -> None:
        super().__init__(**kw)
        self.services = services
        self.seen: list[tuple[str, str]] = []

    async def grade(self, request):
        rows = self.services.store.conn.execute("SELECT answer, status FROM attempts ORDER BY id DESC").fetchall()
        self.seen.append((rows[0]["answer"], rows[0]["status"]))
        return await super().grade(request)


def start(services, n=2, **kw) -> Practice:
    return Practice.start(services, SessionOptions(count=n, order="in-order", **kw), clock=FrozenClock())


async def test_answer_is_committed_before_the_grader_sees_it(services):
    spy = SpyGrader(services)
    p = start(services)
    p.grader = spy
    q = p.current.question
    ans = p.submit(q, "it is a transformer trained on huge amounts of text", started_at=p.clock())
    assert services.store.get_attempt(ans.attempt.id).status is AttemptStatus.pending
    stored = await p.grade(ans)
    assert spy.seen == [("it is a transformer trained on huge amounts of text", "pending")]
    assert services.store.get_attempt(ans.attempt.id).status is AttemptStatus.graded
    assert services.store.latest_grade(ans.attempt.id).grade.score == stored.grade.score == ans.score
    assert ans.score > 0
    assert stored.grade.insights is not None and stored.grade.insights.word_count == 10


async def test_failed_grading_keeps_the_answer_ungraded_with_the_reason(services):
    p = start(services)
    p.grader = KeywordGrader(fail="backend said no")
    ans = p.submit(p.current.question, "an answer", started_at=p.clock())
    with pytest.raises(GradingError):
        await p.grade(ans)
    a = services.store.get_attempt(ans.attempt.id)
    assert (a.status, a.error, a.answer) == (AttemptStatus.ungraded, "backend said no", "an answer")
    assert ans.error == "backend said no" and ans.grade is None
    assert p.needs_grading() == [ans]
    assert [x.id for x in ungraded_answers(services)] == [a.id]
    # grading it later (another grader) works and clears the list
    await p.grade(ans, KeywordGrader())
    assert ungraded_answers(services) == [] and p.needs_grading() == []


async def test_follow_up_is_a_linked_attempt_graded_the_same_way(services):
    p = start(services)
    p.grader = KeywordGrader(follow_up="And how is it trained?")
    q = p.current.question
    first = p.submit(q, "a transformer", started_at=p.clock())
    await p.grade(first)
    fu_prompt = first.grade.grade.follow_up
    fa = p.submit(q, "on huge amounts of text", started_at=p.clock(), parent=first.attempt, prompt=fu_prompt)
    await p.grade(fa)
    stored = services.store.get_attempt(fa.attempt.id)
    assert stored.parent_id == first.attempt.id and stored.prompt == "And how is it trained?"
    assert stored.status is AttemptStatus.graded
    assert p.current.follow_ups == [fa] and p.current.answer is first
    # follow-ups do not count as answers to the bank question in the history figures
    assert services.store.question_stats()[q.id]["n"] == 1


def test_skip_dont_know_and_empty_answers_are_recorded_honestly(services):
    p = start(services, n=3)
    a = p.submit(p.current.question, "", kind=AttemptKind.dont_know)
    p.advance()
    b = p.submit(p.current.question, "   ")
    p.advance()
    c = p.submit(p.current.question, "", kind=AttemptKind.skipped)
    kinds = [services.store.get_attempt(x.attempt.id).kind for x in (a, b, c)]
    assert kinds == [AttemptKind.dont_know, AttemptKind.skipped, AttemptKind.skipped]
    assert p.needs_grading() == [] and ungraded_answers(services) == []


def test_drafts_are_saved_under_a_stable_key_and_removed_by_the_submit(services):
    p = start(services)
    q = p.current.question
    key = p.save_draft(q, "half an answer", started_at=p.clock())
    assert key == draft_key(p.session.bank_id, q.id)
    p.save_draft(q, "half an answer, more", started_at=p.clock())
    drafts = restorable_drafts(services)
    assert [(d["key"], d["text"], d["session_id"]) for d in drafts] == [(key, "half an answer, more", p.session.id)]
    p.submit(q, "the whole answer", started_at=p.clock())
    assert restorable_drafts(services) == []


def test_drafts_of_unknown_questions_are_not_offered(services):
    services.store.save_draft("answer:llm-100:gone", bank_id="llm-100", question_id="gone", text="x")
    services.store.save_draft("answer:nobank:q", bank_id="nobank", question_id="q", text="x")
    assert restorable_drafts(services) == []


async def test_resume_draft_joins_its_session_and_restores_a_follow_up(services):
    p = start(services)
    p.grader = KeywordGrader(follow_up="Why?")
    q = p.current.question
    first = p.submit(q, "transformer", started_at=p.clock())
    await p.grade(first)
    p.save_draft(q, "because", parent=first.attempt, prompt="Why?")
    d = restorable_drafts(services)[0]
    assert d["key"] == f"followup:{first.attempt.id}" and d["prompt"] == "Why?"
    p2, parent = resume_draft(services, d, clock=FrozenClock())
    assert p2.session.id == p.session.id
    assert parent.id == first.attempt.id
    assert p2.items[0].answer.grade is not None


class _Said:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, text: str = "") -> None:
        self.lines.append(text)


async def test_summary_figures(services):
    p = start(services, n=3)
    p.grader = KeywordGrader()
    clock = p.clock
    q1 = p.current.question
    t0 = clock()
    clock.advance(30)
    a1 = p.submit(q1, "transformer trained on huge amounts of text", started_at=t0)
    await p.grade(a1)
    p.advance()
    t1 = clock()
    clock.advance(19.6)  # time spent reading a question before skipping it: shown as 0:20
    p.submit(p.current.question, "", kind=AttemptKind.skipped, started_at=t1)
    p.advance()
    q3 = p.current.question
    t2 = clock()
    clock.advance(5.6)
    a3 = p.submit(q3, "no idea really", started_at=t2)
    p.grader = KeywordGrader(fail="down")
    with pytest.raises(GradingError):
        await p.grade(a3)
    s = p.finish()
    assert [r.kind for r in s.rows] == ["answer", "skipped", "answer"]
    assert s.rows[0].duration_s == 30.0 and s.rows[0].score == a1.score
    assert s.rows[2].score is None and s.rows[2].status == "ungraded"
    assert s.answered == 2 and s.graded == 1 and s.avg_score == a1.score
    # the time "answering" is the answered rows' times; the skipped question's 20 s shows only in the time "in all";
    # both add up the rows as they are shown, in whole seconds (0:30 + 0:20 + 0:06, not 55.2 s shown as 0:55)
    assert s.answering_seconds == 36 and s.total_seconds == 56
    assert s.total_seconds == sum(round(r.duration_s or 0) for r in s.rows)
    assert "0:36 answering (0:56 in all)" in headline(s).plain
    plain = _Said()
    print_summary(plain, s)  # plain mode says the same figures, in seconds
    assert "Time: 36 s answering, 56 s in all." in plain.lines and any(ln.endswith(", 20 s") for ln in plain.lines)
    assert s.topic_averages == [(q1.topic, a1.score, 1)]
    missed = {kp.text for kp in q1.key_points} - {
        next(k.text for k in q1.key_points if k.id == r.key_point_id)
        for r in a1.grade.grade.key_points if r.status.value == "covered"}
    assert {text for _, text, _ in s.weakest_key_points} == missed
    joined = " ".join(s.next_steps)
    assert "1 answer is ungraded" in joined and "skipped" in joined
    assert services.store.get_session(p.session.id).ended_at is not None


async def test_the_summary_says_which_key_point_the_answer_said_the_opposite_of(services):
    """On the real offline grader: a point the answer denies is "contradicted" in the summary, first, as the
    feedback showed it ("you said the opposite"), not one more point left out."""
    from interviewer.grading.offline import OfflineGrader

    p = start(services, n=1)
    p.grader = OfflineGrader()
    q = p.current.question
    a = p.submit(q, "An LLM is a transformer model, but it is not trained on vast amounts of text data.",
                 started_at=p.clock())
    await p.grade(a)
    k1 = next(r for r in a.grade.grade.key_points if r.key_point_id == "k1")
    assert k1.contradiction and k1.status.value == "missing"
    s = p.finish()
    assert s.weakest_key_points[0] == (q, q.key_points[0].text, "contradicted")
    assert {st for _, _, st in s.weakest_key_points[1:]} <= {"missing", "partial"}


def test_start_refuses_an_empty_choice_with_a_clear_message(services):
    from interviewer.core.errors import InterviewerError

    with pytest.raises(InterviewerError, match="widen"):
        Practice.start(services, SessionOptions(count=3, topics=["Nope"]))


async def test_bank_overview_reads_history(services):
    p = start(services, n=1)
    p.grader = KeywordGrader()
    a = p.submit(p.current.question, "transformer", started_at=p.clock())
    await p.grade(a)
    ov = bank_overview(services)
    assert ov.answered == 1 and ov.attempts == 1 and ov.avg_score == a.score
    assert ov.weakest[0].topic == p.items[0].question.topic
