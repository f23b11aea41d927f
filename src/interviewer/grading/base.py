"""The one Grader interface every grader implements, and what it is given.

A grader turns a GradeRequest into a validated Grade, or raises GradingError with a one-line, actionable
message (the attempt is then stored as *ungraded* with that reason: never a zero).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..core.errors import InterviewerError
from ..core.models import Bank, Grade, Question, Rubric

if TYPE_CHECKING:
    from ..store.repo import Store


@dataclass(frozen=True)
class GradeRequest:
    question: Question
    """The bank question (reference answer and key points come from here)."""
    rubric: Rubric
    answer: str
    prompt: str | None = None
    """The question as actually asked when it differs from question.question (e.g. a follow-up)."""
    bank: tuple[Question, ...] = ()
    """The questions of the bank the question comes from (it among them), when known: the offline grader tells
    an answer to one of the others from an answer to this one (offline.neighbours). Empty for a follow-up."""

    @property
    def asked(self) -> str:
        return self.prompt or self.question.question


class GradingError(InterviewerError):
    """Grading could not produce a valid grade. `message` is one line a person can act on."""

    def __init__(self, message: str, *, hint: str = "", retryable: bool = False, requests: int = 0) -> None:
        super().__init__(message, hint=hint)
        self.retryable = retryable
        self.requests = requests


class Grader(ABC):
    name: str = "grader"
    """Short label shown in the UI, e.g. 'offline' or 'openai:gpt-4o-mini'."""

    @abstractmethod
    async def grade(self, request: GradeRequest) -> Grade:
        """Grade one answer. Raise GradingError on failure; never return a made-up score."""

    async def check(self) -> list[tuple[str, bool, str]]:
        """Health checks for `doctor` and the settings screen: (check, ok, detail). Default: nothing to check."""
        return []

    async def aclose(self) -> None:  # noqa: B027 - optional hook with a harmless default
        """Release connections."""


class Catalogue(Protocol):
    """The questions and rubrics a grading run looks up (app.services.Services is one)."""

    def find_question(self, question_id: str) -> tuple[Bank, Question]: ...

    def rubric(self, rubric_id: str) -> Rubric: ...

    def rubric_for(self, question: Question) -> Rubric: ...


class GradingServices(Catalogue, Protocol):
    """What grading a stored attempt needs: the catalogue and the store the outcome is written to."""

    @property
    def store(self) -> Store: ...
