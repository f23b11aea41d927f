"""The review dashboard's figures, assembled from the store: used by reviewing.report and the selections.

Two paths give the same figures (tests/test_review_facts.py checks it on random histories):
- `figures`: the whole history, fast at any size. Running tallies and each question's newest RECENCY_WINDOW
  scored answers from the m002 fact tables (store.review_facts), mastery built by core.review_window, key-point
  recency cached per question (key_point_cache) and recomputed only for questions changed since.
- `figures_since`: answers on or after a date, from the base tables (store.history) and core.review.

`delivery` is the pace and pause trend of spoken answers (store.voice's columns, core.delivery_trend).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core import review as rv
from ..core import review_window as rw
from ..core.delivery_trend import DeliveryTrend, delivery_trend
from ..core.models import Question
from ..store import history
from ..store import review_facts as facts

if TYPE_CHECKING:
    from ..store.repo import Store


@dataclass(frozen=True)
class Scope:
    """What the figures are over: the questions in view (one bank's, or every installed bank's) and what the
    dashboard says about them."""

    questions: Mapping[str, Question]
    topic_of: Mapping[str, str]
    """question id -> topic"""
    all_topics: Mapping[str, int]
    """topic -> how many questions it has (topics never practised are listed too)"""
    texts: Mapping[tuple[str, str], str]
    """(question id, key point id) -> the key point's text"""
    bank_id: str | None
    """None: every bank"""


@dataclass(frozen=True)
class Figures:
    topics: list[rv.Mastery]
    questions: dict[str, rv.Mastery]
    key_points: list[rv.KeyPointMastery]
    daily: list[tuple[str, float, int]]
    totals: dict[str, int]
    average: float | None


def figures_since(store: Store, since: datetime, scope: Scope) -> Figures:
    bank_id, qs = scope.bank_id, scope.questions
    points = history.score_points(store, since=since, bank_id=bank_id)
    unscored = history.unscored_counts(store, since=since, bank_id=bank_id)
    if bank_id:
        unscored = {q: n for q, n in unscored.items() if q in qs}
    seen = [s for s in history.key_points_seen(store, since=since, bank_id=bank_id)
            if not bank_id or s.question_id in qs]
    return Figures(topics=rv.topic_mastery(points, scope.topic_of, ungraded=unscored, all_topics=scope.all_topics),
                   questions=rv.question_mastery(points, unscored),
                   key_points=rv.key_point_mastery(seen, scope.texts),
                   daily=rv.daily_scores(points), totals=history.totals(store, since=since),
                   average=(sum(p.score for p in points) / len(points)) if points else None)


def tally(store: Store, bank_id: str | None) -> tuple[dict[str, int], dict[str, int]]:
    scored: dict[str, int] = {}
    unscored: dict[str, int] = {}
    for t in facts.question_tallies(store, bank_id=bank_id):
        scored[t.question_id] = scored.get(t.question_id, 0) + t.scored
        if t.unscored:
            unscored[t.question_id] = unscored.get(t.question_id, 0) + t.unscored
    return {q: n for q, n in scored.items() if n}, unscored


def windows(store: Store, scored: dict[str, int], bank_id: str | None) -> dict[str, list[tuple[str, int, float]]]:
    """Each scored question's newest scored attempts as (answered at as stored, attempt id, score)."""
    rows = facts.newest_scored(store, scored, rw.RECENCY_WINDOW, bank_id=bank_id)
    return {q: [(at, aid, score) for aid, _b, at, score in rs] for q, rs in rows.items()}


def key_point_recency(store: Store, counts: Mapping[tuple[str, str], Mapping[str, int]],
                      bank_id: str | None) -> dict[tuple[str, str], rw.Recency]:
    """Per key point: recency-weighted coverage, last status, last seen. Kept per question in key_point_cache
    with the question's version, so only questions answered (re-graded, overridden...) since are recomputed."""
    scope = bank_id or ""
    versions = facts.question_versions(store, bank_id=bank_id)
    cached = facts.cached_key_points(store, scope)
    questions = {q for q, _k in counts}
    stale = [q for q in questions if q not in cached or cached[q][0] != versions.get(q)]
    fresh: dict[str, tuple[int, Any]] = {}
    if stale:
        rows = facts.newest_scored(store, stale, rw.RECENCY_WINDOW, bank_id=bank_id, key_points=True)
        parsed = iter(facts.parse_key_points_many([r[4] for rs in rows.values() for r in rs]))
        newest = {q: [(r[0], history.parse_ts(r[2]), next(parsed)) for r in rs] for q, rs in rows.items()}

        def older(q: str, skip: int) -> Iterator[tuple[int, datetime, list[list[str]]]]:
            for aid, _b, at, _score, text in facts.older_scored(store, q, skip, bank_id=bank_id):
                yield aid, history.parse_ts(at), facts.parse_key_points(text)

        computed = rw.key_point_recency(newest, {k: v for k, v in counts.items() if k[0] in rows}, older)
        for q in stale:
            fresh[q] = (versions.get(q, 0), [[k, m, st, at.isoformat()] for (qq, k), (m, st, at) in computed.items()
                                             if qq == q])
        facts.cache_key_points(store, scope, fresh)
    out: dict[tuple[str, str], rw.Recency] = {}
    for q in questions:
        for k, m, st, at in (fresh.get(q) or cached[q])[1]:
            out[(q, k)] = (m, st, history.parse_ts(at))
    return out


def figures(store: Store, scope: Scope) -> Figures:
    bank_id, qs = scope.bank_id, scope.questions
    scored, unscored = tally(store, bank_id)
    if bank_id:
        unscored = {q: n for q, n in unscored.items() if q in qs}
    wins = windows(store, scored, bank_id)
    counts = facts.key_point_counts(store, bank_id=bank_id)
    if bank_id:
        counts = {k: v for k, v in counts.items() if k[0] in qs}
    tallies = facts.question_tallies(store)
    totals = {"attempts": sum(t.attempts for t in tallies), "graded": sum(t.graded for t in tallies),
              "ungraded": sum(t.ungraded for t in tallies), "pending": sum(t.pending for t in tallies),
              "passed": sum(t.passed for t in tallies),
              "sessions": facts.sessions_with_attempts(store),
              "questions": len({t.question_id for t in tallies})}
    total, n = facts.score_total(store, bank_id=bank_id)
    return Figures(topics=rw.topic_mastery(wins, scored, scope.topic_of, unscored=unscored,
                                           all_topics=scope.all_topics, parse=history.parse_ts),
                   questions=rw.question_mastery(wins, scored, unscored, parse=history.parse_ts),
                   key_points=rw.key_point_mastery(key_point_recency(store, counts, bank_id), counts, scope.texts),
                   daily=facts.daily(store, bank_id=bank_id), totals=totals, average=total / n if n else None)


def delivery(store: Store, since: datetime | None = None, bank_id: str | None = None) -> DeliveryTrend | None:
    """Pace and pauses over the spoken answers (since a date, in a bank); None when nothing was spoken."""
    from ..store.voice import delivery_points

    return delivery_trend(delivery_points(store, since=since, bank_id=bank_id))
