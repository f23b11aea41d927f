"""Seeding helpers for the review tests: attempts and grades at fixed times, through the real Store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interviewer.core.models import AttemptKind, Grade, GraderInfo, KeyPointResult, KeyPointStatus
from interviewer.core.scoring import verdict_for
from interviewer.grading.base import Grader, GradingError
from interviewer.store.history import iso

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def day(n: float, hours: float = 0) -> datetime:
    return T0 + timedelta(days=n, hours=hours)


def make_grade(score: float, kps: dict[str, str] | None = None, backend: str = "test", model: str = "m1",
               summary: str = "") -> Grade:
    """A grade with these key-point statuses; "contradicted" is a missing point the answer said the opposite of."""
    return Grade(score=score, verdict=verdict_for(score), criteria=[],
                 key_points=[KeyPointResult(key_point_id=k, status=KeyPointStatus(s if s != "contradicted" else "missing"),
                                            evidence="quoted words" if s == "covered" else None,
                                            contradiction="words that say the opposite" if s == "contradicted" else None)
                             for k, s in (kps or {}).items()],
                 summary=summary or f"graded {score}", grader=GraderInfo(backend=backend, model=model))


def add(store, question_id: str, at: datetime, score: float | None = None, kps: dict[str, str] | None = None, *,
        bank_id: str = "llm-100", session_id: int | None = None, kind: AttemptKind = AttemptKind.answer,
        answer: str | None = None, parent_id: int | None = None, backend: str = "test") -> int:
    """One attempt answered at `at`; graded with `score` one minute later, or left ungraded when None."""
    a = store.add_attempt(bank_id=bank_id, question_id=question_id, prompt=f"Q {question_id}",
                          answer=answer if answer is not None else f"my answer to {question_id} at {at:%d %H}",
                          kind=kind, session_id=session_id, parent_id=parent_id)
    store.conn.execute("UPDATE attempts SET submitted_at = ? WHERE id = ?", (iso(at), a.id))
    if score is not None:
        sg = store.add_grade(a.id, make_grade(score, kps, backend=backend))
        store.conn.execute("UPDATE grades SET created_at = ? WHERE id = ?", (iso(at + timedelta(minutes=1)), sg.id))
    elif kind is AttemptKind.answer:
        store.mark_ungraded(a.id, "grader unreachable")
    return a.id


def regrade_at(store, attempt_id: int, at: datetime, score: float, kps: dict[str, str] | None = None,
               backend: str = "other") -> int:
    sg = store.add_grade(attempt_id, make_grade(score, kps, backend=backend))
    store.conn.execute("UPDATE grades SET created_at = ? WHERE id = ?", (iso(at), sg.id))
    return sg.id


class FixedGrader(Grader):
    name = "fixed"

    def __init__(self, score: float = 88.0, fail: bool = False) -> None:
        self.score, self.fail, self.seen = score, fail, []

    async def grade(self, request):
        self.seen.append((request.question.id, request.rubric.id, request.answer))
        if self.fail:
            raise GradingError("the test grader refused")
        return Grade(score=self.score, verdict="interview-ready", criteria=[], summary="fixed",
                     grader=GraderInfo(backend="fixed", model="f1", rubric_id=request.rubric.id))
