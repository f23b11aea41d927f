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
from typing import Any

import fsrs

from .core.review import Rating, ScorePoint, rating_for
from .store import history

DESIRED_RETENTION = 0.9


def make_scheduler() -> fsrs.Scheduler:
    return fsrs.Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(), relearning_steps=(),
                          enable_fuzzing=False)


def card_id_for(bank_id: str, question_id: str) -> int:
    """A stable card id per question (fsrs needs an int)."""
    return zlib.crc32(f"{bank_id}/{question_id}".encode())


def reviews_of(points: Iterable[ScorePoint]) -> list[tuple[datetime, Rating]]:
    """(answered at, rating) per scored attempt, oldest first."""
    pts = sorted(points, key=lambda p: (p.at, p.attempt_id))
    return [(p.at.astimezone(UTC), rating_for(p.score)) for p in pts]


def basis_of(reviews: Sequence[tuple[datetime, Rating]]) -> str:
    text = ";".join(f"{at.isoformat()}={int(r)}" for at, r in reviews)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def replay(bank_id: str, question_id: str, reviews: Sequence[tuple[datetime, Rating]],
           scheduler: fsrs.Scheduler | None = None) -> fsrs.Card:
    """The card after these reviews, in order, starting from a new card."""
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
        return fsrs.State(self.card.state).name.lower()

    def blob(self) -> dict[str, Any]:
        return {"card": self.card.to_dict(), "basis": self.basis, "reviews": self.reviews, "state": self.state}

    def retrievability(self, now: datetime) -> float:
        """Predicted chance of recalling the answer at `now` (FSRS)."""
        return make_scheduler().get_card_retrievability(self.card, now)


def card_state(bank_id: str, question_id: str, reviews: Sequence[tuple[datetime, Rating]],
               scheduler: fsrs.Scheduler | None = None) -> CardState:
    return CardState(bank_id, question_id, replay(bank_id, question_id, reviews, scheduler), len(reviews),
                     basis_of(reviews))


@dataclass(frozen=True)
class SyncResult:
    updated: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    unchanged: int


def sync(store, *, now: datetime | None = None, question_ids: Iterable[str] | None = None,
         points: Iterable[ScorePoint] | None = None) -> SyncResult:
    """Bring review_state in line with the history: replay every question whose (time, rating) sequence
    changed, drop cards of questions that no longer have a scored attempt. `question_ids` limits the work
    (e.g. right after grading one attempt). `points` are all of history.score_points, when the caller has
    them already. `now` only stamps updated_at."""
    only = set(question_ids) if question_ids is not None else None
    by_q: dict[tuple[str, str], list[ScorePoint]] = defaultdict(list)
    for p in (history.score_points(store) if points is None else points):
        if only is None or p.question_id in only:
            by_q[(p.bank_id, p.question_id)].append(p)
    stored = history.review_states(store)
    if only is not None:
        stored = {k: v for k, v in stored.items() if k[1] in only}
    scheduler = make_scheduler()
    upserts, updated, unchanged = [], [], 0
    for key, pts in by_q.items():
        reviews = reviews_of(pts)
        basis = basis_of(reviews)
        if stored.get(key, {}).get("basis") == basis:
            unchanged += 1
            continue
        st = card_state(key[0], key[1], reviews, scheduler)
        upserts.append((key[0], key[1], st.blob(), st.due))
        updated.append(key)
    removed = [k for k in stored if k not in by_q]
    history.write_review_states(store, upserts, removed, now=now)
    return SyncResult(updated=updated, removed=removed, unchanged=unchanged)


def load_card(store, bank_id: str, question_id: str) -> CardState | None:
    blob = history.review_states(store, bank_id=bank_id).get((bank_id, question_id))
    if blob is None:
        return None
    return CardState(bank_id, question_id, fsrs.Card.from_dict(blob["card"]), blob.get("reviews", 0),
                     blob.get("basis", ""))
