"""A follow-up answer is graded against what the first answer left open, not against every key point."""

from __future__ import annotations

import asyncio

from interviewer.core.models import (
    AttemptKind,
    Grade,
    GraderInfo,
    KeyPointResult,
    KeyPointStatus,
)
from interviewer.grading.offline.grader import OfflineGrader
from interviewer.grading.service import follow_up_focus, grade_attempt


def _parent(statuses):
    return Grade(score=40, verdict="partial", criteria=[], grader=GraderInfo(backend="t"),
                 key_points=[KeyPointResult(key_point_id=k, status=KeyPointStatus(s)) for k, s in statuses.items()])


def test_focus_narrows_to_open_points_named_by_the_follow_up(services):
    _, q = services.find_question("llm-q030")
    parent = _parent({"k1": "covered", "k2": "missing", "k3": "covered", "k4": "covered", "k5": "partial",
                      "k6": "missing"})
    focus = follow_up_focus(q, "Why do we scale by the square root of the key dimension?", parent)
    assert [kp.id for kp in focus.key_points] == ["k2"]
    vague = follow_up_focus(q, "Can you say more?", parent)
    assert [kp.id for kp in vague.key_points] == ["k2", "k5", "k6"]
    assert follow_up_focus(q, "Anything else?", None) == q
    all_covered = _parent({kp.id: "covered" for kp in q.key_points})
    assert follow_up_focus(q, "Anything else?", all_covered) == q


def test_a_good_follow_up_answer_scores_well_offline(services):
    store = services.store
    _, q = services.find_question("llm-q030")
    first = store.add_attempt(bank_id="llm-100", question_id=q.id, prompt=q.question,
                              answer="Um, it's the dot product of queries and keys, softmax, then a weighted sum of the values.")
    g = OfflineGrader()
    asyncio.run(grade_attempt(services, first, g))
    follow = store.add_attempt(bank_id="llm-100", question_id=q.id, kind=AttemptKind.answer, parent_id=first.id,
                               prompt="Why do we divide by the square root of d_k?",
                               answer="Because with a large key dimension the dot products get big, so the softmax "
                                      "saturates and gradients vanish; dividing by root d k keeps the variance around one.")
    stored = asyncio.run(grade_attempt(services, follow, g))
    assert stored.grade.score >= 60, stored.grade
    assert {kp.key_point_id for kp in stored.grade.key_points} < {kp.id for kp in q.key_points}


def test_the_grader_is_given_the_bank_for_an_answer_and_not_for_a_follow_up(services):
    """The offline grader tells an answer to another question of the bank from one to this (GradeRequest.bank);
    a follow-up answer is about one point of the question, so it is graded without the bank."""
    seen = []

    class Recording(OfflineGrader):
        async def grade(self, request):
            seen.append(request.bank)
            return await super().grade(request)

    store = services.store
    bank, q = services.find_question("llm-q030")
    first = store.add_attempt(bank_id="llm-100", question_id=q.id, prompt=q.question,
                              answer="It's softmax of Q K transpose over root d k, times V.")
    asyncio.run(grade_attempt(services, first, Recording()))
    follow = store.add_attempt(bank_id="llm-100", question_id=q.id, kind=AttemptKind.answer, parent_id=first.id,
                               prompt="Why do we divide by the square root of d_k?", answer="To keep the variance at one.")
    asyncio.run(grade_attempt(services, follow, Recording()))
    assert [len(b) for b in seen] == [len(bank.questions), 0]
    assert q in seen[0]
