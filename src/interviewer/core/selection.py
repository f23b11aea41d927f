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
    """How often one question was tried (only top-level attempts, not follow-ups), and how many of those were a skip
    or "I don't know" (`passed`)."""

    attempts: int = 0
    graded: int = 0
    passed: int = 0

    @property
    def answers(self) -> int:
        return self.attempts - self.passed


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
    mastery: float | None
    """core.review's mastery of the topic (None: never scored): the figure the review dashboard, `stats` and
    the report show for it, and the one the Weakest line ranks by."""
    weak: bool = False


@dataclass(frozen=True)
class TopicMastery:
    """A topic's recency-weighted mastery and whether it is weak, as core.review defines them."""

    topic: str
    mastery: float | None
    weak: bool


@dataclass(frozen=True)
class Overview:
    """The bank at a glance, for the home screen. Every score figure here is the review service's own
    (app.reviewing): the same numbers the review dashboard, `stats`, the summary and the exports show."""

    bank_title: str
    questions: int
    topics: list[TopicStat]
    answered: int
    """Questions answered at least once (a skip or "I don't know" is no answer)."""
    attempts: int
    """Attempts at the bank's questions, skips and "I don't know"s (`passed`) among them."""
    avg_score: float | None
    """The average: the mean of the score that counts (your override, else the newest grade) over every scored
    answer to the bank's questions."""
    weakest: list[TopicMastery] = field(default_factory=list)
    """Up to three weak topics (core.weak.is_weak: practised, mastery below WEAK_BELOW), weakest first; empty
    when no topic is weak."""
    due: int = 0
    scheduled: int = 0
    """Questions with a review schedule at all (0 until spaced repetition has run)."""
    passed: int = 0
    """Skips and "I don't know"s."""


def stats_from_rows(rows: Mapping[str, Mapping[str, Any]]) -> dict[str, QuestionStat]:
    """Adapt Store.question_stats() rows to QuestionStat."""
    return {qid: QuestionStat(attempts=int(r.get("n") or 0), graded=int(r.get("graded") or 0),
                              passed=int(r.get("passed") or 0))
            for qid, r in rows.items()}


def filter_questions(bank: Bank, topics: Iterable[str] = (), difficulties: Iterable[Difficulty | str] = ()
                     ) -> list[Question]:
    """The bank's questions in the chosen topics and difficulties (empty choice = all)."""
    tset = set(topics)
    dset = {Difficulty(d) for d in difficulties}
    return [q for q in bank.questions if (not tset or q.topic in tset) and (not dset or q.difficulty in dset)]


def topic_stats(bank: Bank, stats: Mapping[str, QuestionStat],
                mastery: Mapping[str, TopicMastery] | None = None) -> list[TopicStat]:
    mastery = mastery or {}
    out = []
    for topic in bank.topics():
        qs = [q for q in bank.questions if q.topic == topic]
        answered = sum(1 for q in qs if q.id in stats and stats[q.id].answers > 0)  # a skip is no practice
        m = mastery.get(topic)
        out.append(TopicStat(topic, len(qs), answered, m.mastery if m else None, bool(m and m.weak)))
    return out


def overview(bank: Bank, stats: Mapping[str, QuestionStat], *, average: float | None = None,
             topics: Sequence[TopicMastery] = (), due: Sequence[str] = (), scheduled: int = 0) -> Overview:
    """The bank at a glance. `average` and `topics` (every topic's mastery, weakest first) come from the review
    service, so home shows the numbers the dashboard shows; `due` is the ids of the bank's questions due now,
    `scheduled` how many have an FSRS card."""
    by_topic = {t.topic: t for t in topics}
    ts = topic_stats(bank, stats, by_topic)
    ids = {q.id for q in bank.questions}
    mine = {qid: s for qid, s in stats.items() if qid in ids}
    return Overview(
        bank_title=bank.bank.title, questions=len(bank.questions), topics=ts,
        answered=sum(1 for s in mine.values() if s.answers > 0), attempts=sum(s.attempts for s in mine.values()),
        passed=sum(s.passed for s in mine.values()),
        avg_score=average, weakest=[t for t in topics if t.weak and t.mastery is not None][:3],
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
