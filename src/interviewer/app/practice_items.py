"""What a practice session holds: the options the person chose, and per question the saved answers and what
became of them. Plain data, shared by the session controller (`practice`) and its summary (`practice_summary`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.delivery import Delivery
from ..core.models import Attempt, Question, StoredGrade
from ..core.selection import Order


@dataclass
class SessionOptions:
    """What the person chose on the setup screen (or on the command line)."""

    bank_id: str = ""
    topics: list[str] = field(default_factory=list)
    difficulties: list[str] = field(default_factory=list)
    count: int = 5
    order: Order = Order.random
    timer_s: int = 0
    """Per-answer countdown target in seconds; 0 = no timer."""
    mock: bool = False
    """Mock-interview mode: feedback is held back until the end of the session."""
    backend: str | None = None
    """Grader backend for this session; None = the configured one."""
    model: str | None = None
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["order"] = Order(self.order).value
        return {k: v for k, v in d.items() if v not in (None, [], "")}


@dataclass
class Answer:
    """One saved answer in the session and what became of it."""

    attempt: Attempt
    grade: StoredGrade | None = None
    error: str | None = None
    delivery: Delivery | None = None
    """Measured from the recording when the answer was spoken (app.voice_capture); None when typed."""
    voice_error: str | None = None
    """Why a spoken answer's takes and delivery could not be stored (the answer itself is saved)."""

    @property
    def score(self) -> float | None:
        return self.grade.grade.score if self.grade else None


@dataclass
class Item:
    """One question of the session: its main answer and any follow-up answers."""

    question: Question
    answer: Answer | None = None
    follow_ups: list[Answer] = field(default_factory=list)


def draft_key(bank_id: str, question_id: str, parent_id: int | None = None) -> str:
    return f"followup:{parent_id}" if parent_id is not None else f"answer:{bank_id}:{question_id}"
