"""Choosing the questions of a practice session, and the bank-at-a-glance figures the choice is based on.

Pure functions over core objects and plain ids: the caller (practice controller) asks the review service for
the rankings (reviewing.weakest_questions, reviewing.due_questions: core.review's one definition of mastery and
weakness, and the FSRS schedule brought up to date) and passes them in, so this module never touches SQLite,
the clock or a UI, and never defines "weak" itself.

Orders:
- random: a shuffle (seeded when a seed is given, so tests and snapshots are repeatable).
- weakest: the practised questions by core.review mastery, weakest first; then the questions never scored,
  those in the topics whose questions ranked weakest first (a weak topic's other questions likely need work
  too), then the untouched topics, shuffled (seeded).
- due: questions whose FSRS card is due, most overdue first; then the weakest-first order for the rest.
  Until a grade has scheduled a card there is nothing due: the note says so.
- in_order: the bank's own order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .models import Bank, Difficulty, Question


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
class TopicMastery:
    """A topic's recency-weighted mastery and whether it is weak, as core.review defines them."""

    topic: str
    mastery: float
    weak: bool


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
    weakest: list[TopicMastery] = field(default_factory=list)
    """Up to three practised topics with the lowest mastery (core.review), weakest first."""
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


def overview(bank: Bank, stats: Mapping[str, QuestionStat], *, weakest: Sequence[TopicMastery] = (),
             due: Sequence[str] = (), scheduled: int = 0) -> Overview:
    """The bank at a glance. `weakest` is the bank's practised topics by mastery, weakest first, and `due` the
    ids of its questions due now (both from the review service); `scheduled` how many have an FSRS card."""
    ts = topic_stats(bank, stats)
    ids = {q.id for q in bank.questions}
    mine = {qid: s for qid, s in stats.items() if qid in ids}
    scores = [s.avg_score for s in mine.values() if s.avg_score is not None]
    return Overview(
        bank_title=bank.bank.title, questions=len(bank.questions), topics=ts,
        answered=sum(1 for s in mine.values() if s.attempts > 0), attempts=sum(s.attempts for s in mine.values()),
        avg_score=sum(scores) / len(scores) if scores else None, weakest=list(weakest)[:3],
        due=sum(1 for q in due if q in ids), scheduled=scheduled,
    )


def weakest_order(pool: Sequence[Question], weakest: Sequence[str], rng: random.Random) -> list[Question]:
    """`pool` weakest first: the practised questions in the order of `weakest` (ids by core.review mastery,
    weakest first), then the rest: topics in the order their first practised question ranks, untouched
    topics last; shuffled within a topic."""
    rank = {qid: i for i, qid in enumerate(weakest)}
    topic_rank: dict[str, int] = {}
    by_id = {q.id: q for q in pool}
    for qid in weakest:
        if qid in by_id:
            topic_rank.setdefault(by_id[qid].topic, len(topic_rank))
    practised = sorted((q for q in pool if q.id in rank), key=lambda q: rank[q.id])
    rest = [q for q in pool if q.id not in rank]
    tiebreak = {q.id: rng.random() for q in rest}
    rest.sort(key=lambda q: (topic_rank.get(q.topic, len(topic_rank)), tiebreak[q.id]))
    return practised + rest


def select_questions(
    bank: Bank,
    *,
    count: int,
    order: Order | str = Order.random,
    topics: Sequence[str] = (),
    difficulties: Sequence[Difficulty | str] = (),
    weakest: Sequence[str] = (),
    due: Sequence[str] = (),
    scheduled: int = 0,
    seed: int | None = None,
) -> Selection:
    """Choose up to `count` questions. For the weakest and due orders the caller passes the review service's
    rankings: `weakest`, practised question ids weakest first (reviewing.weakest_questions); `due`, the ids
    due now, most overdue first (reviewing.due_questions); `scheduled`, how many questions have a card."""
    order = Order(order)
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
        ids = {q.id for q in pool}
        by_weak = weakest_order(pool, weakest, rng)
        if order is Order.weakest:
            chosen = by_weak
            if not any(q in ids for q in weakest):
                notes.append(f"No graded answers {'for these questions ' if weakest else ''}yet, so 'weakest "
                             "first' is a random pick for now.")
        else:
            by_id = {q.id: q for q in pool}
            first = [by_id[q] for q in due if q in by_id]
            if not scheduled:
                notes.append("No review schedule yet (it starts once answers are graded), so this is weakest "
                             "first instead.")
            elif len(first) < count:
                notes.append(f"{len(first)} question{'s' if len(first) != 1 else ''} due; the rest are your "
                             "weakest.")
            due_ids = {q.id for q in first}
            chosen = first + [q for q in by_weak if q.id not in due_ids]
    if len(pool) < count:
        notes.append(f"Only {len(pool)} question{'s' if len(pool) != 1 else ''} match the choice.")
    return Selection(chosen[:count], " ".join(notes))
