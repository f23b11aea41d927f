"""Grading an attempt end to end: the one path used by the TUI, `grade`, re-grading and `eval`.

The attempt is already committed (status pending) before `grade_attempt` runs; this module never holds the
only copy of an answer. Success stores a Grade (attempt -> graded); failure stores the reason
(attempt -> ungraded). Never a zero.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

from ..core.insights import wording_insights
from ..core.models import Attempt, Grade, KeyPointStatus, Question, Rubric, StoredGrade
from .base import Grader, GradeRequest, GradingError, GradingServices


def key_terms(question: Question, only: frozenset[str] | None = None) -> list[str]:
    """Terms a listener would expect: each key point's first alternative (its shortest distinctive phrasing), for
    the key points whose ids are in `only` (all when None)."""
    terms: list[str] = []
    for kp in question.key_points:
        if kp.alternatives and (only is None or kp.id in only):
            terms.append(min(kp.alternatives[:3], key=len))
    return terms


def with_insights(grade: Grade, question: Question, answer: str) -> Grade:
    """Attach the model-free wording insights (word count, speaking time, fillers...) to any grade. A key point the
    grade found covered in other words is not a term to add: the feedback would say both that it was made and that
    its term is missing."""
    if grade.insights is not None:
        return grade
    covered = frozenset(r.key_point_id for r in grade.key_points if r.status is KeyPointStatus.covered)
    return grade.model_copy(update={"insights": wording_insights(answer, key_terms(question),
                                                                 covered=key_terms(question, covered))})


async def grade_answer(grader: Grader, question: Question, rubric: Rubric, answer: str,
                       prompt: str | None = None, bank: Sequence[Question] = ()) -> Grade:
    """`bank`: the questions of the bank `question` comes from (GradeRequest.bank); none for a follow-up."""
    grade = await grader.grade(GradeRequest(question=question, rubric=rubric, answer=answer, prompt=prompt,
                                            bank=tuple(bank)))
    return with_insights(grade, question, answer)


_WORD = re.compile(r"[a-z0-9]{4,}")


def follow_up_focus(question: Question, follow_up: str, parent: Grade | None) -> Question:
    """The question a follow-up answer is graded against: the key points the first answer missed (or only
    partly covered), narrowed to those the follow-up question is about when its words point at some of them.
    A follow-up answer is short and on one point: judging it against every key point would mark it down for
    what the first answer already said."""
    if parent is None:
        return question
    open_ids = {kp.key_point_id for kp in parent.key_points if kp.status is not KeyPointStatus.covered}
    targets = [kp for kp in question.key_points if kp.id in open_ids]
    if not targets:
        return question
    asked = set(_WORD.findall(follow_up.lower()))
    overlap = {kp.id: len(asked & set(_WORD.findall((kp.text + " " + " ".join(kp.alternatives)).lower())))
               for kp in targets}
    best = max(overlap.values())
    if best >= 2:
        targets = [kp for kp in targets if overlap[kp.id] == best]
    return question.model_copy(update={"key_points": targets})


async def grade_attempt(services: GradingServices, attempt: Attempt, grader: Grader,
                        rubric: Rubric | None = None) -> StoredGrade:
    """Grade a stored attempt and store the outcome. Returns the StoredGrade, or raises GradingError after
    marking the attempt ungraded with the reason. Cancellation leaves the attempt as it was (pending)."""
    store = services.store
    bank, question = services.find_question(attempt.question_id)
    rubric = rubric or services.rubric_for(question)
    prompt = attempt.prompt if attempt.prompt != question.question else None
    others = bank.questions
    if attempt.parent_id is not None and prompt:
        parent = store.latest_grade(attempt.parent_id)
        question = follow_up_focus(question, prompt, parent.grade if parent else None)
        others = []  # a follow-up answer is about one point of the question, not the question
    try:
        grade = await grade_answer(grader, question, rubric, attempt.answer, prompt, others)
    except asyncio.CancelledError:
        raise
    except GradingError as e:
        store.mark_ungraded(attempt.id, e.message)
        raise
    except Exception as e:  # a grader bug must not lose the answer or crash the app
        msg = f"grading failed unexpectedly ({type(e).__name__}: {e})"
        store.mark_ungraded(attempt.id, msg)
        raise GradingError(msg, hint="try again, or grade with the offline grader") from e
    return store.add_grade(attempt.id, grade)
