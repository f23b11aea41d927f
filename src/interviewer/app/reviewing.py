"""The review service: what the TUI's review/history screens and the CLI call. UI-agnostic.

Every function takes the `Services` object (store, banks, graders) and an optional `now` (a fixed clock in
tests). It joins the store's history queries (store.history), the dashboard's figures (review_figures: fast
over the m002 facts, or from the base tables for a `since` date), the pure rules (core.review) and the FSRS
cards (scheduling) into ready-to-show results, so screens and commands only lay them out.

- `report(services)`: topics weakest first, most-missed key points, due cards, trend series, totals.
- `due_questions` / `weakest_questions`: the question selection for "due" and "weakest first" sessions.
- `after_grade`: bring one question's card up to date after a grade (harmless to skip: `report` and the
  selections sync the schedule first anyway).
- `history_rows`, `attempt_detail` (all grades newest first, overrides, comparison with the previous attempt),
  `regrade_targets` + `regrade`, `override`, `delete_attempt`, `delete_session`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core import review as rv
from ..core import review_window as rw
from ..core.delivery import Delivery
from ..core.delivery_trend import DeliveryTrend
from ..core.errors import InterviewerError
from ..core.models import Attempt, AttemptKind, AttemptStatus, Question, StoredGrade
from ..store import history
from . import review_figures as figs
from . import scheduling

if TYPE_CHECKING:
    from ..grading.base import Grader
    from .services import Services


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def question_index(services: Services) -> dict[str, Question]:
    """Question id -> Question over every installed bank (the first bank wins on a clash)."""
    out: dict[str, Question] = {}
    for bank in services.banks.values():
        for q in bank.questions:
            out.setdefault(q.id, q)
    return out


# --------------------------------------------------------------------------- the dashboard


@dataclass
class ReviewReport:
    now: datetime
    topics: list[rv.Mastery]
    questions: dict[str, rv.Mastery]
    key_points: list[rv.KeyPointMastery]
    most_missed: list[rv.KeyPointMastery]
    due: list[rv.DueCard]
    cards: int
    daily: list[tuple[str, float, int]]
    totals: dict[str, int]
    average: float | None
    topic_of: dict[str, str] = field(default_factory=dict)
    delivery: DeliveryTrend | None = None
    """Pace and pauses over the spoken answers; None when no answer was spoken."""
    weak_explanation: str = rv.WEAK_EXPLANATION
    rating_explanation: str = rv.RATING_EXPLANATION

    @property
    def weak_topics(self) -> list[rv.Mastery]:
        return [t for t in self.topics if t.weak]

    def to_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.now.isoformat(),
            "totals": {**self.totals, "average": None if self.average is None else round(self.average, 1),
                       "due": len(self.due), "cards": self.cards},
            "weak_definition": self.weak_explanation,
            "rating_definition": self.rating_explanation,
            "topics": [t.to_dict() for t in self.topics],
            "most_missed_key_points": [k.to_dict() for k in self.most_missed],
            "due": [{"bank_id": c.bank_id, "question_id": c.question_id, "topic": self.topic_of.get(c.question_id),
                     "due": c.due.isoformat(), "reviews": c.reviews} for c in self.due],
            "daily": [{"date": d, "average": round(a, 1), "attempts": n} for d, a, n in self.daily],
            "delivery": self.delivery.to_dict() if self.delivery else None,
        }


def report(services: Services, *, now: datetime | None = None, since: datetime | None = None,
           bank_id: str | None = None, missed_limit: int | None = 10) -> ReviewReport:
    """Everything the review dashboard, `stats` and the Markdown report show. Syncs the schedule first.

    Over the whole history it reads running tallies and each question's newest scored attempts
    (store.review_facts, core.review_window), so it stays fast at 100,000 answers; with `since` it reads
    the answers since then (store.history)."""
    now = _now(now)
    store = services.store
    scheduling.sync(store, now=now)
    qs = question_index(services)
    if bank_id:
        bank = services.bank(bank_id)
        qs = {q.id: q for q in bank.questions}
    topic_of = {qid: q.topic for qid, q in qs.items()}
    all_topics: dict[str, int] = {}
    for q in qs.values():
        all_topics[q.topic] = all_topics.get(q.topic, 0) + 1
    texts = {(q.id, kp.id): kp.text for q in qs.values() for kp in q.key_points}
    scope = figs.Scope(questions=qs, topic_of=topic_of, all_topics=all_topics, texts=texts, bank_id=bank_id)
    fig = figs.figures(store, scope) if since is None else figs.figures_since(store, since, scope)
    cards = history.all_cards(store, bank_id=bank_id)
    missed = rv.most_missed(fig.key_points, missed_limit)
    wanted: dict[str, set[str]] = {}
    for k in missed:
        wanted.setdefault(k.question_id, set()).add(k.key_point_id)
    # which of them the answer said the other way round last time, as its feedback said it
    opposite = history.said_opposite_last(store, wanted, since=since, bank_id=bank_id)
    return ReviewReport(now=now, topics=fig.topics, questions=fig.questions, key_points=fig.key_points,
                        most_missed=rv.with_last_said(missed, opposite), due=rv.due_questions(cards, now),
                        cards=len(cards), daily=fig.daily, totals=fig.totals, average=fig.average,
                        topic_of=topic_of, delivery=figs.delivery(store, since, bank_id))


# --------------------------------------------------------------------------- selections for practice


def due_questions(services: Services, *, bank_id: str | None = None, topic: str | None = None, limit: int | None = None,
                  now: datetime | None = None) -> list[Question]:
    """Questions whose FSRS card is due, most overdue first, from `bank_id` (default: the configured bank),
    optionally one topic. For `practice --due` and the "due" session on home and review screens."""
    now = _now(now)
    bank = services.bank(bank_id)
    scheduling.sync(services.store, now=now)
    pool = {q.id: q for q in bank.questions if topic is None or q.topic == topic}
    cards = history.due_cards(services.store, now, bank_id=bank.id)
    return [pool[c.question_id] for c in rv.due_questions(cards, now, limit=limit, question_ids=pool)]


def weakest_questions(services: Services, *, bank_id: str | None = None, topic: str | None = None,
                      limit: int | None = None, weak_only: bool = False) -> list[Question]:
    """Practised questions weakest first (lowest recency-weighted mastery), from one bank, optionally one
    topic. For `practice --weak` and the "weakest first" session."""
    bank = services.bank(bank_id)
    pool = {q.id: q for q in bank.questions if topic is None or q.topic == topic}
    scored, _ = figs.tally(services.store, bank.id)
    by_q = rw.question_mastery(figs.windows(services.store, scored, bank.id), scored, parse=history.parse_ts)
    ids = rv.weakest_questions(by_q, limit=limit, question_ids=pool, weak_only=weak_only)
    return [pool[i] for i in ids]


def topic_mastery(services: Services, *, bank_id: str | None = None) -> list[rv.Mastery]:
    """One bank's topics weakest first (never-practised ones last, as 'new'): the home screen's "Weakest" line,
    from the same tallies and windows as `weakest_questions` (no key points, no schedule: cheaper than
    `report`)."""
    bank = services.bank(bank_id)
    topic_of = {q.id: q.topic for q in bank.questions}
    all_topics: dict[str, int] = {}
    for q in bank.questions:
        all_topics[q.topic] = all_topics.get(q.topic, 0) + 1
    scored, _ = figs.tally(services.store, bank.id)
    scored = {q: n for q, n in scored.items() if q in topic_of}
    return rw.topic_mastery(figs.windows(services.store, scored, bank.id), scored, topic_of, all_topics=all_topics,
                            parse=history.parse_ts)


def average(services: Services, *, bank_id: str | None = None) -> float | None:
    """THE average: the mean of the score that counts (an override, else the newest grade) over every scored
    answer to a bank question (one bank's, or every bank's). Home, the review dashboard, `stats`, the Markdown
    report and `stats --json` all show this one (ReviewReport.average is the same sum, read with the figures)."""
    from ..store import review_facts as facts

    total, n = facts.score_total(services.store, bank_id=bank_id)
    return total / n if n else None


def bank_figures(services: Services, *, bank_id: str | None = None) -> tuple[float | None, list[rv.Mastery]]:
    """Home's figures: the average and each topic's mastery (weakest first), from the same sources as
    `report`, so home agrees with the dashboard, `stats` and the exports."""
    bank = services.bank(bank_id)
    return average(services, bank_id=bank.id), topic_mastery(services, bank_id=bank.id)


def after_grade(services: Services, attempt: Attempt | int, *, now: datetime | None = None) -> scheduling.CardState | None:
    """Update the card of the attempt's question (call after grading, overriding or deleting). Returns the
    card, or None when the question has no scored attempt (e.g. it was ungraded): no schedule then."""
    store = services.store
    a = store.get_attempt(attempt) if isinstance(attempt, int) else attempt
    if a is None:
        return None
    scheduling.sync(store, now=now, question_ids=[a.question_id])
    return scheduling.load_card(store, a.bank_id, a.question_id)


# --------------------------------------------------------------------------- history and one attempt


def history_rows(services: Services, *, limit: int | None = 100, offset: int = 0, since: datetime | None = None,
                 session_id: int | None = None, question_id: str | None = None) -> list[history.HistoryRow]:
    """Attempts newest first for the history screen (newest grade, override and grade count folded in)."""
    return history.history(services.store, limit=limit, offset=offset, since=since, session_id=session_id,
                           question_id=question_id)



@dataclass
class AttemptDetail:
    attempt: Attempt
    question: Question | None
    grades: list[StoredGrade]
    """Newest first: the first is shown; the others are one keypress away."""
    overrides: list[history.Override]
    previous: AttemptDetail | None = None
    grade_count: int | None = None
    """How many grades exist when `grades` holds only the newest (bulk reads for reports)."""
    delivery: Delivery | None = None
    """Measured from the recording when the answer was spoken."""

    @property
    def n_grades(self) -> int:
        return len(self.grades) if self.grade_count is None else self.grade_count

    @property
    def grade(self) -> StoredGrade | None:
        return self.grades[0] if self.grades else None

    @property
    def score(self) -> float | None:
        return rv.effective_score(self.grade.grade.score if self.grade else None,
                                  self.overrides[0].score if self.overrides else None)

    def comparison(self) -> rv.Comparison | None:
        """Against the previous scored attempt at the same question (None if there is none)."""
        p = self.previous
        if p is None or p.grade is None or self.grade is None:
            return None
        return rv.compare_grades(p.grade.grade, self.grade.grade, p.score, self.score)


def attempt_detail(services: Services, attempt_id: int, *, with_previous: bool = True) -> AttemptDetail:
    store = services.store
    a = _attempt(services, attempt_id)
    prev = None
    if with_previous:
        pid = history.previous_attempt_id(store, attempt_id)
        prev = attempt_detail(services, pid, with_previous=False) if pid else None
    from ..store.voice import delivery_for

    return AttemptDetail(attempt=a, question=question_index(services).get(a.question_id),
                         grades=store.grades_for(a.id), overrides=history.overrides_for(store, a.id), previous=prev,
                         delivery=delivery_for(store, a.id))


def _attempt(services: Services, attempt_id: int) -> Attempt:
    a = services.store.get_attempt(attempt_id)
    if a is None:
        raise InterviewerError(f"no attempt with id {attempt_id}", hint="run `interviewer history` to see the ids")
    return a


# --------------------------------------------------------------------------- override, delete


def override(services: Services, attempt_id: int, score: float, reason: str, *,
             now: datetime | None = None) -> history.Override:
    """Store the person's own score beside the model's grade. It counts for mastery and scheduling."""
    if not isinstance(score, int | float) or math.isnan(score) or not 0 <= score <= 100:
        raise InterviewerError(f"score must be a number from 0 to 100, got {score!r}",
                               hint="e.g. `interviewer override 12 75 --reason \"covered the key idea\"`")
    reason = (reason or "").strip()
    if not reason:
        raise InterviewerError("an override needs a reason", hint="say why the grade was wrong, with --reason")
    a = _attempt(services, attempt_id)
    ov = history.add_override(services.store, a.id, float(score), reason, now=now)
    after_grade(services, a, now=now)
    return ov


def delete_attempt(services: Services, attempt_id: int, *, now: datetime | None = None) -> None:
    from ..store import voice as spoken

    a = _attempt(services, attempt_id)
    audio = spoken.audio_paths(services.store, attempt_id=a.id)
    history.delete_attempt(services.store, a.id)
    services.voice.delete_audio(audio)  # its recordings go with it (after the rows: a failed delete keeps both)
    scheduling.sync(services.store, now=now, question_ids=[a.question_id])


def delete_session(services: Services, session_id: int, *, now: datetime | None = None) -> int:
    """Delete a session and its attempts; returns how many attempts were deleted. A bulk delete: the database
    is backed up first (reason pre-delete), so a session deleted by mistake can be restored."""
    from ..store import backup

    store = services.store
    atts = store.attempts(session_id=session_id)
    qids = {a.question_id for a in atts}
    if atts and store.get_session(session_id) is not None:
        backup.backup(store.conn, services.locations.backups_dir, "pre-delete")
    from ..store import voice as spoken

    audio = spoken.audio_paths(store, session_id=session_id)
    try:
        n = history.delete_session(store, session_id)
    except KeyError:
        raise InterviewerError(f"no session with id {session_id}",
                               hint="run `interviewer history` to see session ids") from None
    services.voice.delete_audio(audio)
    scheduling.sync(store, now=now, question_ids=qids)
    return n


# --------------------------------------------------------------------------- re-grading


@dataclass(frozen=True)
class RegradeResult:
    attempt_id: int
    question_id: str
    grade: StoredGrade | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.grade is not None


def ungraded_count(services: Services) -> int:
    """How many typed answers are saved without a grade (pending or ungraded): `regrade_targets(ungraded=True)`
    counted in SQL, for the notices on the home screen and after `stats`."""
    return history.count_ungraded_answers(services.store)


def regrade_targets(services: Services, *, attempt_ids: Iterable[int] = (), ungraded: bool = False,
                    session_id: int | None = None) -> list[Attempt]:
    """The attempts to re-grade: given ids, every ungraded or pending typed answer, and/or a whole session.
    Skipped and "I don't know" attempts have no answer to grade and are left out of --ungraded/--session."""
    store = services.store
    out: dict[int, Attempt] = {}
    for i in attempt_ids:
        out[i] = _attempt(services, i)
    if ungraded:
        for st in (AttemptStatus.ungraded, AttemptStatus.pending):
            for a in store.attempts(status=st):
                if a.kind is AttemptKind.answer:
                    out[a.id] = a
    if session_id is not None:
        if store.get_session(session_id) is None:
            raise InterviewerError(f"no session with id {session_id}",
                                   hint="run `interviewer history` to see session ids")
        for a in store.attempts(session_id=session_id):
            if a.kind is AttemptKind.answer:
                out[a.id] = a
    return sorted(out.values(), key=lambda a: (a.submitted_at, a.id))


async def regrade(services: Services, attempts: Iterable[Attempt], *, backend: str | None = None,
                  model: str | None = None, rubric_id: str | None = None, grader: Grader | None = None, concurrency: int = 2, now: datetime | None = None,
                  on_result: Callable[[RegradeResult], None] | None = None) -> list[RegradeResult]:
    """Grade the attempts again (another backend/model/rubric). Every grade is kept; the newest is shown.
    A failure leaves an already graded attempt graded (its older grade stands) and is reported, not raised."""
    import asyncio

    from ..grading.base import GradingError
    from ..grading.service import grade_attempt

    attempts = list(attempts)
    rubric = services.rubric(rubric_id) if rubric_id else None
    own = grader is None
    grader = grader or (services.make_grader(backend, model) if (backend or model) else services.grader)
    sem = asyncio.Semaphore(max(1, concurrency))

    async def one(a: Attempt) -> RegradeResult:
        async with sem:
            try:
                sg = await grade_attempt(services, a, grader, rubric)
                res = RegradeResult(a.id, a.question_id, sg)
            except GradingError as e:
                res = RegradeResult(a.id, a.question_id, None, e.message)
            except InterviewerError as e:  # e.g. the question is no longer in any bank
                res = RegradeResult(a.id, a.question_id, None, e.message)
        if on_result:
            on_result(res)
        return res

    try:
        results = await asyncio.gather(*(one(a) for a in attempts))
    finally:
        if own and (backend or model):
            await grader.aclose()
    scheduling.sync(services.store, now=now, question_ids={a.question_id for a in attempts})
    return list(results)
