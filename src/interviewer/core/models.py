"""Domain types shared by every layer: questions, banks, rubrics, attempts and grades.

This module owns the *shape* of the data. It imports nothing heavier than pydantic, so the CLI,
the graders and the store can all use it without pulling in Textual or an LLM client.
Frozen models: a loaded bank or a finished grade is a value, not something to mutate in place.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .verdict_names import named

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_ID_RE = re.compile(ID_PATTERN)


class Strict(BaseModel):
    """Base: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Difficulty(StrEnum):
    basic = "basic"
    intermediate = "intermediate"
    advanced = "advanced"


# --------------------------------------------------------------------------- banks


class KeyPoint(Strict):
    """One atomic idea a good answer must contain."""

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=40)]
    text: Annotated[str, Field(min_length=3, max_length=300)]
    alternatives: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(default_factory=list)
    """Other ways a person might *say* this idea; the offline grader matches them."""
    drafted: bool = False
    """True when drafted by the importer from the reference answer, not yet reviewed by a person."""


class Misconception(Strict):
    """A common wrong claim about a question: what candidates say, why it is wrong, how it sounds.

    Hand-written from knowledge of the subject (inverted relationships, swapped roles, wrong mechanism,
    category confusions). The offline grader matches ``signals`` as it matches key-point alternatives; a
    signal said under negation ("it is *not* approximate") is the candidate rejecting the claim, not making it.
    """

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=40)]
    claim: Annotated[str, Field(min_length=3, max_length=300)]
    """The wrong claim, stated as a candidate would believe it."""
    correction: Annotated[str, Field(min_length=3, max_length=400)]
    """What is right instead, in one sentence."""
    signals: list[Annotated[str, Field(min_length=3, max_length=160)]] = Field(default_factory=list)
    """Phrasings that state the wrong claim (several words each, specific enough not to occur in a right answer)."""
    contradicts: list[Annotated[str, Field(pattern=ID_PATTERN, max_length=40)]] = Field(default_factory=list)
    """Ids of the key points this claim contradicts: stating it means those points are not covered."""


class Question(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
    number: Annotated[int, Field(ge=1)]
    topic: Annotated[str, Field(min_length=1, max_length=120)]
    question: Annotated[str, Field(min_length=3)]
    reference: Annotated[str, Field(min_length=1)]
    """The reference answer, Markdown kept."""
    difficulty: Difficulty = Difficulty.intermediate
    rubric: Annotated[str, Field(pattern=ID_PATTERN)] = "default"
    key_points: list[KeyPoint] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    """Common wrong claims about this question (imported banks may have none; `bank lint` warns)."""
    distinct_from: list[Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]] = Field(default_factory=list)
    """Ids of questions of the same bank about a sibling concept whose name shares this one's words and that
    candidates confuse with it (top-k sampling for "What is top-p sampling?"; few-shot chain-of-thought for
    zero-shot; word-, subword- and character-level tokenization for "Explain BPE"; pre-training and instruction tuning
    for supervised and unsupervised learning). The offline grader takes an answer
    that never names this one's subject, and opens on the sibling's name or leans toward the sibling by the ordinary
    margin, as an answer to the sibling. Leave out kinds and synonyms: zero-shot chain-of-thought is a fair answer to "What is
    chain-of-thought prompting?", sparse expert models are Mixture of Experts."""

    @model_validator(mode="after")
    def _misconceptions_are_consistent(self) -> Question:
        kp_ids = {kp.id for kp in self.key_points}
        seen: set[str] = set()
        for m in self.misconceptions:
            if m.id in seen:
                raise ValueError(f"duplicate misconception id {m.id!r}; give each its own id (m1, m2, ...)")
            seen.add(m.id)
            unknown = [k for k in m.contradicts if k not in kp_ids]
            if unknown:
                raise ValueError(f"misconception {m.id!r} contradicts unknown key point(s) {unknown}; "
                                 f"use ids from this question's key points ({sorted(kp_ids)})")
        return self

    @field_validator("key_points")
    @classmethod
    def _unique_key_point_ids(cls, v: list[KeyPoint]) -> list[KeyPoint]:
        seen: set[str] = set()
        for kp in v:
            if kp.id in seen:
                raise ValueError(f"duplicate key point id {kp.id!r}; give each key point its own id (k1, k2, ...)")
            seen.add(kp.id)
        return v


class BankInfo(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
    title: Annotated[str, Field(min_length=1)]
    description: str = ""
    version: Annotated[int, Field(ge=1)] = 1
    source: str = ""


class Bank(Strict):
    bank: BankInfo
    questions: list[Question]

    @model_validator(mode="after")
    def _unique_ids(self) -> Bank:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"duplicate question id {q.id!r}; every question needs its own id")
            seen.add(q.id)
        for q in self.questions:
            unknown = [d for d in q.distinct_from if d not in seen or d == q.id]
            if unknown:
                raise ValueError(f"question {q.id!r}: distinct_from names {unknown}, which are not other questions of "
                                 "this bank; use the ids of sibling questions in this file")
        return self

    @property
    def id(self) -> str:
        return self.bank.id

    def topics(self) -> list[str]:
        """Topics in the order they first appear."""
        return list(dict.fromkeys(q.topic for q in self.questions))

    def get(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None


# --------------------------------------------------------------------------- rubrics


class Level(Strict):
    level: Annotated[int, Field(ge=0, le=4)]
    description: Annotated[str, Field(min_length=3)]


class Criterion(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=40)]
    name: Annotated[str, Field(min_length=1)]
    weight: Annotated[float, Field(gt=0)]
    description: Annotated[str, Field(min_length=3)]
    levels: list[Level]
    offline: bool = False
    """True when the offline grader can judge this criterion from text alone (e.g. key-point coverage)."""
    correctness: bool = False
    """True for the criterion that judges whether what is said is right. The offline grader gives it a level
    from the wrong claims it finds (known misconceptions, key points said the other way round)."""

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, v: list[Level]) -> list[Level]:
        got = sorted(lv.level for lv in v)
        if got != [0, 1, 2, 3, 4]:
            raise ValueError(f"levels must describe each of 0, 1, 2, 3, 4 exactly once; found {got}")
        return sorted(v, key=lambda lv: lv.level)


class Rubric(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
    name: str
    version: Annotated[int, Field(ge=1)]
    description: str = ""
    guidance: str = ""
    """General guidance to the grader, e.g. that answers are spoken and fillers are not faults."""
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _unique_criteria(cls, v: list[Criterion]) -> list[Criterion]:
        ids = [c.id for c in v]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate criterion ids {sorted(dup)}")
        return v

    def weights(self) -> dict[str, float]:
        """Weights normalised to sum to 1."""
        total = sum(c.weight for c in self.criteria)
        return {c.id: c.weight / total for c in self.criteria}

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


# --------------------------------------------------------------------------- grades


class KeyPointStatus(StrEnum):
    covered = "covered"
    partial = "partial"
    missing = "missing"


class CriterionScore(Strict):
    criterion_id: str
    level: Annotated[int, Field(ge=0, le=4)] | None
    """None when this grader did not assess the criterion (never a made-up number)."""
    rationale: str = ""

    @property
    def assessed(self) -> bool:
        return self.level is not None


class KeyPointResult(Strict):
    key_point_id: str
    status: KeyPointStatus
    evidence: str | None = None
    """Words copied from the answer that show the point; verified to occur in the answer."""
    discarded_evidence: str | None = None
    """A quote the grader offered that did not count: not in the answer, or too slight to show the point."""
    contradiction: str | None = None
    """Words copied from the answer that say the opposite of the point. The point is then missing (never covered,
    whatever else matched), and the grade lists the contradiction among its misconceptions."""


class FoundMisconception(Strict):
    """A wrong claim the answer makes: what is wrong, what is right, and the answer's own words that say it."""

    claim: str
    """What is wrong: the bank's wording of the misconception, or the grader's."""
    correction: str = ""
    """What is right, in one sentence (empty when the grader gave none)."""
    evidence: str | None = None
    """Words copied from the answer that state the claim, verified to occur in it; None when none were given."""
    id: str | None = None
    """The bank's misconception id when the claim is one of the question's known misconceptions."""
    source: Literal["bank", "key point", "model"] = "model"
    """bank: a known misconception of the question; key point: the answer says the opposite of a key point;
    model: named by an LLM grader."""

    def as_text(self) -> str:
        """One line for plain output: what is wrong, the answer's words, what is right."""
        parts = [self.claim.strip()]
        if self.evidence:
            parts.append(f'You said: "{" ".join(self.evidence.split())}"')
        if self.correction:
            parts.append("Right: " + self.correction.strip())
        return ". ".join(p.rstrip(".") for p in parts[:-1]) + (". " if len(parts) > 1 else "") + parts[-1]


class Usage(Strict):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None


class GraderInfo(Strict):
    backend: str
    model: str = ""
    prompt_version: str = ""
    rubric_id: str = ""
    rubric_version: int = 0


class WordingInsights(Strict):
    word_count: int
    speaking_seconds: float
    filler_count: int
    fillers: dict[str, int] = Field(default_factory=dict)
    repeated_words: list[tuple[str, int]] = Field(default_factory=list)
    key_terms_used: list[str] = Field(default_factory=list)
    key_terms_missed: list[str] = Field(default_factory=list)


class Grade(Strict):
    """A finished, validated grade. The score is always computed in code (core.scoring)."""

    score: Annotated[float, Field(ge=0, le=100)]
    verdict: str
    criteria: list[CriterionScore]
    key_points: list[KeyPointResult] = Field(default_factory=list)
    misconceptions: list[FoundMisconception] = Field(default_factory=list)
    """Wrong claims in the answer. Grades stored before misconceptions had structure held plain strings; they
    load as claims from the model."""
    summary: str = ""
    better_answer: str = ""
    follow_up: str = ""
    flags: list[str] = Field(default_factory=list)
    """Warnings about the answer itself, e.g. that it contains instructions addressed to the grader."""
    notes: list[str] = Field(default_factory=list)
    """What this grader could not judge and other remarks about the grading itself."""
    grader: GraderInfo
    latency_ms: float = 0.0
    usage: Usage = Field(default_factory=Usage)
    insights: WordingInsights | None = None

    @field_validator("misconceptions", mode="before")
    @classmethod
    def _plain_strings_are_claims(cls, v: object) -> object:
        if isinstance(v, list):
            return [{"claim": m} if isinstance(m, str) else m for m in v]
        return v

    @model_validator(mode="before")
    @classmethod
    def _verdict_as_its_grader_names_it(cls, data: Any) -> Any:
        """An offline grade stored before its top band was renamed reads with today's name
        (core.verdict_names.named), so no screen, export or import shows the old claim."""
        if isinstance(data, dict) and isinstance(data.get("verdict"), str):
            grader = data.get("grader")
            backend = grader.get("backend") if isinstance(grader, dict) else getattr(grader, "backend", "")
            if isinstance(backend, str) and named(data["verdict"], backend) != data["verdict"]:
                data = {**data, "verdict": named(data["verdict"], backend)}
        return data


class AttemptStatus(StrEnum):
    pending = "pending"
    graded = "graded"
    ungraded = "ungraded"


class AttemptKind(StrEnum):
    answer = "answer"
    skipped = "skipped"
    dont_know = "dont_know"


class Attempt(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    session_id: int | None
    bank_id: str
    question_id: str
    prompt: str
    """The question as asked (the bank question, or a follow-up question)."""
    answer: str
    kind: AttemptKind
    status: AttemptStatus
    error: str | None = None
    parent_id: int | None = None
    started_at: datetime | None = None
    submitted_at: datetime
    duration_s: float | None = None


class StoredGrade(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    attempt_id: int
    created_at: datetime
    grade: Grade


class PracticeSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    bank_id: str
    started_at: datetime
    ended_at: datetime | None = None
    settings: dict[str, Any] = Field(default_factory=dict)


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))
