"""Spaced repetition: each bank question is an FSRS card (the `fsrs` package), derived from the history.

A card is never edited in place. It is the result of replaying the question's scored attempts, oldest first,
through `fsrs.Scheduler.review_card`, each at the moment the person answered (submitted_at) with the rating
core.review.rating_for gives its effective score (override, else newest grade). The review_state table is a
cache of that replay, stamped with a `basis` (a digest of the (time, rating) sequence), so:

- an ungraded attempt has no score, is not in the sequence, and cannot touch the schedule;
- an override, a re-grade that changes the rating, a deleted attempt or an imported history changes the
  basis, and the next `sync` replays just those questions;
- a re-grade that keeps the rating (72 -> 75, both Good) changes nothing.

Scheduler settings, and why: no learning steps (an interview answer is not re-asked ten minutes later; the
first review goes straight to day-scale intervals), no fuzzing (a replay must give the same due date every
time), desired retention 0.9 (the package default).
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core.review import Rating, ScorePoint, rating_for
from ..store import history
from ..store import review_facts as facts

if TYPE_CHECKING:
    import fsrs

    from ..store.repo import Store

Key = tuple[str, str]
"""(bank id, question id): one card."""

DESIRED_RETENTION = 0.9


def make_scheduler() -> fsrs.Scheduler:
    import fsrs  # imported when a card is replayed, not by every command that reads the schedule

    return fsrs.Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(), relearning_steps=(),
                          enable_fuzzing=False)


def card_id_for(bank_id: str, question_id: str) -> int:
    """A stable card id per question (fsrs needs an int)."""
    return zlib.crc32(f"{bank_id}/{question_id}".encode())


def reviews_of(points: Iterable[ScorePoint]) -> list[tuple[datetime, Rating]]:
    """(answered at, rating) per scored attempt, oldest first."""
    pts = sorted(points, key=lambda p: (p.at, p.attempt_id))
    return [(p.at.astimezone(UTC), rating_for(p.score)) for p in pts]


def basis_of(reviews: Sequence[tuple[datetime, Rating]], start: str = "") -> str:
    """A digest of the (time, rating) sequence, chained review by review, so a card's basis can be carried
    forward through newer reviews without re-reading the older ones: basis_of(a + b) == basis_of(b,
    basis_of(a))."""
    h = start
    for at, r in reviews:
        h = hashlib.sha1(f"{h};{at.isoformat()}={int(r)}".encode()).hexdigest()[:16]
    return h


def replay(bank_id: str, question_id: str, reviews: Sequence[tuple[datetime, Rating]],
           scheduler: fsrs.Scheduler | None = None) -> fsrs.Card:
    """The card after these reviews, in order, starting from a new card."""
    import fsrs

    scheduler = scheduler or make_scheduler()
    card = fsrs.Card(card_id=card_id_for(bank_id, question_id), due=reviews[0][0] if reviews else None)
    for at, rating in reviews:
        card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=at)
    return card


@dataclass(frozen=True)
class CardState:
    bank_id: str
    question_id: str
    card: fsrs.Card
    reviews: int
    basis: str

    @property
    def due(self) -> datetime:
        return self.card.due

    @property
    def state(self) -> str:
        import fsrs

        return fsrs.State(self.card.state).name.lower()

    def blob(self) -> dict[str, Any]:
        return {"card": self.card.to_dict(), "basis": self.basis, "reviews": self.reviews, "state": self.state}


def card_state(bank_id: str, question_id: str, reviews: Sequence[tuple[datetime, Rating]],
               scheduler: fsrs.Scheduler | None = None) -> CardState:
    return CardState(bank_id, question_id, replay(bank_id, question_id, reviews, scheduler), len(reviews),
                     basis_of(reviews))


@dataclass(frozen=True)
class SyncResult:
    updated: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    unchanged: int


def sync(store: Store, *, now: datetime | None = None, question_ids: Iterable[str] | None = None,
         points: Iterable[ScorePoint] | None = None) -> SyncResult:
    """Bring review_state in line with the history: replay every question whose (time, rating) sequence
    changed, drop cards of questions that no longer have a scored attempt. `now` only stamps updated_at.

    Which questions to look at: by default those the m002 triggers marked as changed (review_dirty), plus any
    scored question without a card and any card without a scored question, so a sync with nothing new reads a
    few rows, not the history. `question_ids` looks at exactly those questions (e.g. right after grading one
    attempt). `points` (all of history.score_points) compares every question they cover, as a full check.

    A changed question whose card was built only from reviews older than the earliest change (the common case:
    new answers) is carried forward through the new reviews alone; otherwise it is replayed from its first
    review. Both give the same card: the replay is deterministic and the card round-trips exactly."""
    stored = history.review_states(store)
    marks = facts.dirty(store)
    scored = facts.keys_with_scores(store) if points is None else {}
    by_q: dict[tuple[str, str], list[ScorePoint]] = defaultdict(list)
    keys = _keys_to_check(stored, marks, scored, by_q, points, question_ids)
    scheduler = None
    upserts, updated, removed = [], [], []
    for key in sorted(keys):
        scheduler = scheduler or make_scheduler()
        old = stored.get(key, {})
        st = _state_now(store, key, old, marks, scored, by_q, scheduler, full=points is not None)
        if st is None:
            if key in stored:
                removed.append(key)
            continue
        if st.basis == old.get("basis"):
            continue
        upserts.append((key[0], key[1], st.blob(), st.due))
        updated.append(key)
    unchanged = sum(1 for k in stored if (k in keys or (points is None and question_ids is None))
                    and k not in updated and k not in removed)
    history.write_review_states(store, upserts, removed, now=now,
                                handled=[(k, marks[k][0]) for k in keys if k in marks])
    return SyncResult(updated=updated, removed=removed, unchanged=unchanged)


def _keys_to_check(stored: dict[Key, dict[str, Any]], marks: dict[Key, tuple[int, str | None]],
                   scored: dict[Key, int], by_q: dict[Key, list[ScorePoint]], points: Iterable[ScorePoint] | None, question_ids: Iterable[str] | None) -> set[tuple[str, str]]:
    """The (bank, question) keys `sync` looks at (see there); with `points`, fills `by_q` with them by key."""
    if points is not None:
        only = set(question_ids) if question_ids is not None else None
        for p in points:
            if only is None or p.question_id in only:
                by_q[(p.bank_id, p.question_id)].append(p)
        return set(by_q) | {k for k in stored if only is None or k[1] in only}
    if question_ids is not None:
        only = set(question_ids)
        return {k for k in set(scored) | set(stored) if k[1] in only}
    return set(marks) | (set(scored) - set(stored)) | (set(stored) - set(scored))


def _state_now(store: Store, key: Key, old: dict[str, Any], marks: dict[Key, tuple[int, str | None]],
               scored: dict[Key, int], by_q: dict[Key, list[ScorePoint]], scheduler: fsrs.Scheduler, *,
               full: bool) -> CardState | None:
    """The card `key` should have now (carried forward through newer reviews when it can be, else replayed),
    or None when the question has no scored attempt left."""
    if not full:
        st = _newer_only(store, key, old, marks.get(key, (0, None))[1], scored.get(key, 0), scheduler)
        if st is not None:
            return st
        by_q[key] = [ScorePoint(aid, key[0], key[1], history.parse_ts(at), score, ms, ov)
                     for aid, at, score, ms, ov in facts.points_for(store, *key)]
    pts = by_q.get(key)
    if not pts:
        return None
    return _from_reviews(key, reviews_of(pts), old, scheduler)


def _forward(key: tuple[str, str], card_blob: Any, n: int, basis: str, newer: Sequence[tuple[datetime, Rating]],
             scheduler: fsrs.Scheduler) -> CardState | None:
    import fsrs

    try:
        card = fsrs.Card.from_dict(card_blob)
    except (KeyError, TypeError, ValueError):
        return None
    for at, rating in newer:
        card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=at)
    return CardState(key[0], key[1], card, n + len(newer), basis_of(newer, basis))


def _newer_only(store: Store, key: tuple[str, str], old: dict[str, Any], since: str | None, scored: int,
                scheduler: fsrs.Scheduler) -> CardState | None:
    """The stored card carried through the reviews at or after `since` (the earliest change the triggers saw),
    when every review the card was built from is older than that and the counts add up; else None."""
    n, card = old.get("reviews"), old.get("card")
    if not since or not isinstance(n, int) or not isinstance(card, dict) or not card.get("last_review"):
        return None
    try:
        if datetime.fromisoformat(card["last_review"]) >= history.parse_ts(since):
            return None
    except (TypeError, ValueError):
        return None
    newer = facts.points_for(store, *key, since=since)
    if not newer or n + len(newer) != scored:
        return None
    pts = [ScorePoint(aid, key[0], key[1], history.parse_ts(at), score, ms, ov) for aid, at, score, ms, ov in newer]
    return _forward(key, card, n, old.get("basis", ""), reviews_of(pts), scheduler)


def _from_reviews(key: tuple[str, str], reviews: Sequence[tuple[datetime, Rating]], old: dict[str, Any],
                  scheduler: fsrs.Scheduler) -> CardState:
    """The card for these reviews: the stored card carried forward when its reviews are exactly the first ones,
    else a replay from the start."""
    n = old.get("reviews")
    if isinstance(n, int) and 0 < n < len(reviews) and basis_of(reviews[:n]) == old.get("basis"):
        st = _forward(key, old.get("card"), n, old["basis"], reviews[n:], scheduler)
        if st is not None:
            return st
    return card_state(key[0], key[1], reviews, scheduler)


def load_card(store: Store, bank_id: str, question_id: str) -> CardState | None:
    import fsrs

    blob = history.review_states(store, bank_id=bank_id).get((bank_id, question_id))
    if blob is None:
        return None
    return CardState(bank_id, question_id, fsrs.Card.from_dict(blob["card"]), blob.get("reviews", 0),
                     blob.get("basis", ""))
