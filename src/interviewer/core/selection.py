"""Choosing the questions of a practice session, and the bank-at-a-glance figures the choice is based on.

Pure functions over core objects and plain numbers: the caller (practice controller) reads the history and the
review schedule from the store and passes them in, so this module never touches SQLite, the clock or a UI.

Orders:
- random: a shuffle (seeded when a seed is given, so tests and snapshots are repeatable).
- weakest: questions with the lowest recent score first; a question never answered counts as its topic's
  average, or as middling (WEAK_UNKNOWN) when the whole topic is new, so untouched topics are not starved.
- due: questions whose review time has come, most overdue first. Until a scheduler has filled the review
  schedule there is nothing due: the choice falls back to weakest first and the note says so.
- in_order: the bank's own order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .models import Bank, Difficulty, Question

WEAK_UNKNOWN = 60.0
"""The assumed score of a question in a topic never practised (between 'partial' and 'solid')."""


class Order(StrEnum):
    random = "random"
    weakest = "weakest"
    due = "due"
    in_order = "in-order"

    @property
    def label(self) -> str:
        return ORDER_LABELS[self]


ORDER_LABELS = {
    Order.random: "Random",
    Order.weakest: "Weakest first",
    Order.due: "Due for review first",
    Order.in_order: "In bank order",
}


@dataclass(frozen=True)
class QuestionStat:
    """What the history says about one question (only top-level answers, not follow-ups)."""

    attempts: int = 0
    graded: int = 0
    avg_score: float | None = None


@dataclass(frozen=True)
class Selection:
    questions: list[Question]
    note: str = ""
    """One line for the person when the choice differs from what they asked for (fallbacks, too few)."""


@dataclass(frozen=True)
class TopicStat:
    topic: str
    questions: int
    answered: int
    avg_score: float | None


@dataclass(frozen=True)
class Overview:
    """The bank at a glance, for the home screen."""

    bank_title: str
    questions: int
    topics: list[TopicStat]
    answered: int
    """Questions answered at least once."""
    attempts: int
    avg_score: float | None
    """Mean of the per-question average scores over graded questions."""
    weakest: list[TopicStat] = field(default_factory=list)
    """Up to three practised topics with the lowest average, weakest first."""
    due: int = 0
    scheduled: int = 0
    """Questions with a review schedule at all (0 until spaced repetition has run)."""


def stats_from_rows(rows: Mapping[str, Mapping[str, Any]]) -> dict[str, QuestionStat]:
    """Adapt Store.question_stats() rows to QuestionStat."""
    return {qid: QuestionStat(attempts=int(r.get("n") or 0), graded=int(r.get("graded") or 0),
                              avg_score=r.get("avg_score")) for qid, r in rows.items()}


def filter_questions(bank: Bank, topics: Iterable[str] = (), difficulties: Iterable[Difficulty | str] = ()
                     ) -> list[Question]:
    """The bank's questions in the chosen topics and difficulties (empty choice = all)."""
    tset = set(topics)
    dset = {Difficulty(d) for d in difficulties}
    return [q for q in bank.questions if (not tset or q.topic in tset) and (not dset or q.difficulty in dset)]


def topic_stats(bank: Bank, stats: Mapping[str, QuestionStat]) -> list[TopicStat]:
    out = []
    for topic in bank.topics():
        qs = [q for q in bank.questions if q.topic == topic]
        scores = [stats[q.id].avg_score for q in qs if q.id in stats and stats[q.id].avg_score is not None]
        answered = sum(1 for q in qs if q.id in stats and stats[q.id].attempts > 0)
        out.append(TopicStat(topic, len(qs), answered, sum(scores) / len(scores) if scores else None))
    return out


def weakness(question: Question, stats: Mapping[str, QuestionStat], topic_avg: Mapping[str, float | None]) -> float:
    """Lower is weaker: the question's average, else its topic's average, else WEAK_UNKNOWN."""
    s = stats.get(question.id)
    if s is not None and s.avg_score is not None:
        return float(s.avg_score)
    t = topic_avg.get(question.topic)
    return float(t) if t is not None else WEAK_UNKNOWN


def overview(bank: Bank, stats: Mapping[str, QuestionStat], schedule: Mapping[str, datetime], now: datetime
             ) -> Overview:
    ts = topic_stats(bank, stats)
    ids = {q.id for q in bank.questions}
    mine = {qid: s for qid, s in stats.items() if qid in ids}
    scores = [s.avg_score for s in mine.values() if s.avg_score is not None]
    practised = sorted((t for t in ts if t.avg_score is not None), key=lambda t: (t.avg_score, t.topic))
    sched = {qid: d for qid, d in schedule.items() if qid in ids}
    return Overview(
        bank_title=bank.bank.title, questions=len(bank.questions), topics=ts,
        answered=sum(1 for s in mine.values() if s.attempts > 0), attempts=sum(s.attempts for s in mine.values()),
        avg_score=sum(scores) / len(scores) if scores else None, weakest=practised[:3],
        due=sum(1 for d in sched.values() if d <= now), scheduled=len(sched),
    )


def select_questions(
    bank: Bank,
    *,
    count: int,
    order: Order | str = Order.random,
    topics: Sequence[str] = (),
    difficulties: Sequence[Difficulty | str] = (),
    stats: Mapping[str, QuestionStat] | None = None,
    schedule: Mapping[str, datetime] | None = None,
    now: datetime | None = None,
    seed: int | None = None,
) -> Selection:
    """Choose up to `count` questions. `schedule` maps question id -> due time (from the review schedule)."""
    order = Order(order)
    stats = stats or {}
    schedule = schedule or {}
    pool = filter_questions(bank, topics, difficulties)
    notes: list[str] = []
    if not pool:
        return Selection([], "No question matches the chosen topics and difficulty: widen the choice.")
    rng = random.Random(seed)
    if order is Order.in_order:
        chosen = sorted(pool, key=lambda q: q.number)
    elif order is Order.random:
        chosen = list(pool)
        rng.shuffle(chosen)
    else:
        tavg = {t.topic: t.avg_score for t in topic_stats(bank, stats)}
        tiebreak = {q.id: rng.random() for q in pool}
        by_weak = sorted(pool, key=lambda q: (weakness(q, stats, tavg), tiebreak[q.id]))
        if order is Order.weakest:
            chosen = by_weak
            if not any(s.avg_score is not None for s in stats.values()):
                notes.append("No graded answers yet, so 'weakest first' is a random pick for now.")
        else:
            if now is None:
                raise ValueError("order 'due' needs the current time")
            due = sorted((q for q in pool if q.id in schedule and schedule[q.id] <= now),
                         key=lambda q: (schedule[q.id], q.number))
            if not schedule:
                notes.append("No review schedule yet (it starts once answers are graded), so this is weakest "
                             "first instead.")
            elif len(due) < count:
                notes.append(f"{len(due)} question{'s' if len(due) != 1 else ''} due; the rest are your weakest.")
            due_ids = {q.id for q in due}
            chosen = due + [q for q in by_weak if q.id not in due_ids]
    if len(pool) < count:
        notes.append(f"Only {len(pool)} question{'s' if len(pool) != 1 else ''} match the choice.")
    return Selection(chosen[:count], " ".join(notes))
