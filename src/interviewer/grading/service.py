"""Grading an attempt end to end: the one path used by the TUI, `grade`, re-grading and `eval`.

The attempt is already committed (status pending) before `grade_attempt` runs; this module never holds the
only copy of an answer. Success stores a Grade (attempt -> graded); failure stores the reason
(attempt -> ungraded). Never a zero.
"""

from __future__ import annotations

import asyncio

from ..core.insights import wording_insights
from ..core.models import Attempt, Grade, Question, Rubric
from .base import Grader, GradeRequest, GradingError


def key_terms(question: Question) -> list[str]:
    """Terms a listener would expect: each key point's first alternative (its shortest distinctive phrasing)."""
    terms: list[str] = []
    for kp in question.key_points:
        if kp.alternatives:
            terms.append(min(kp.alternatives[:3], key=len))
    return terms


def with_insights(grade: Grade, question: Question, answer: str) -> Grade:
    """Attach the model-free wording insights (word count, speaking time, fillers...) to any grade."""
    if grade.insights is not None:
        return grade
    return grade.model_copy(update={"insights": wording_insights(answer, key_terms(question))})


async def grade_answer(grader: Grader, question: Question, rubric: Rubric, answer: str,
                       prompt: str | None = None) -> Grade:
    grade = await grader.grade(GradeRequest(question=question, rubric=rubric, answer=answer, prompt=prompt))
    return with_insights(grade, question, answer)


async def grade_attempt(services, attempt: Attempt, grader: Grader, rubric: Rubric | None = None):
    """Grade a stored attempt and store the outcome. Returns the StoredGrade, or raises GradingError after
    marking the attempt ungraded with the reason. Cancellation leaves the attempt as it was (pending)."""
    store = services.store
    _, question = services.find_question(attempt.question_id)
    rubric = rubric or services.rubric_for(question)
    prompt = attempt.prompt if attempt.prompt != question.question else None
    try:
        grade = await grade_answer(grader, question, rubric, attempt.answer, prompt)
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
