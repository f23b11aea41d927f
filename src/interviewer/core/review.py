"""What to work on next: mastery per topic, question and key point, "weak", the grade -> rating map, due cards.

Pure functions over plain records (no SQL, no FSRS library, no clock of its own): the store hands over one
`ScorePoint` per scored attempt and one `KeyPointSeen` per key point a grade judged, and everything a person
sees on the review dashboard, in `interviewer stats` and in the Markdown report is computed here, once.

Definitions (the UI explains them with `WEAK_EXPLANATION` and `RATING_EXPLANATION`):

- An attempt's *score* is the person's override if they disputed the grade, else the newest grade's score.
  Ungraded attempts (grading failed, skipped, "I don't know") have no score and count nowhere but in
  the `ungraded` tally. Follow-up questions are excluded by the store: they are not the bank question.
- *Mastery* is a recency-weighted mean of scores: the newest attempt has weight 1 and each older one
  `RECENCY_DECAY` times the weight of the next newer one, so the last three attempts carry about half.
- *Weak* is `is_weak` (core.weak): practised, and mastery below the lower bound of the "solid" verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import IntEnum
from typing import Any, NamedTuple

from .models import Grade, KeyPointStatus
from .weak import WEAK_BELOW, is_weak

RECENCY_DECAY = 0.8
"""Weight of an attempt relative to the next newer one (0.8: half-weight after ~3 attempts)."""
RECENT_N = 3
"""How many of the newest attempts make the 'recent average' and each half of the trend."""
TREND_STEP = 5.0
"""A trend of at least this many points up (down) is 'improving' ('declining'); anything smaller is 'steady'."""

WEAK_EXPLANATION = (
    f"weak = practised, and mastery below {WEAK_BELOW:g} (where a verdict becomes 'solid'); mastery is the "
    f"average of your scores with the newest counting most (each older attempt weighs {RECENCY_DECAY:g}x "
    "the next newer one); your own score, where you disputed a grade, counts instead of the grade"
)

KEY_POINT_VALUE = {KeyPointStatus.covered: 100.0, KeyPointStatus.partial: 50.0, KeyPointStatus.missing: 0.0}


# --------------------------------------------------------------------------- inputs


class ScorePoint(NamedTuple):
    """One scored attempt at a bank question (never a follow-up, never an ungraded attempt).
    A NamedTuple, not a dataclass: a long history makes tens of thousands of these."""

    attempt_id: int
    bank_id: str
    question_id: str
    at: datetime
    """When the person answered (the attempt's submitted_at, timezone-aware)."""
    score: float
    """The effective score: the override if any, else the newest grade's score."""
    model_score: float | None = None
    override_score: float | None = None


class KeyPointSeen(NamedTuple):
    """One key point as judged by the newest grade of one attempt."""

    attempt_id: int
    question_id: str
    key_point_id: str
    status: KeyPointStatus
    at: datetime


def effective_score(model_score: float | None, override_score: float | None) -> float | None:
    """The score that counts: a person's override takes precedence over the model's grade."""
    return override_score if override_score is not None else model_score


# --------------------------------------------------------------------------- grade -> FSRS rating


class Rating(IntEnum):
    """FSRS review ratings; the values are those of `fsrs.Rating` (a test checks they agree)."""

    Again = 1
    Hard = 2
    Good = 3
    Easy = 4


RATING_BANDS: tuple[tuple[float, Rating], ...] = (
    (85.0, Rating.Easy),
    (70.0, Rating.Good),
    (50.0, Rating.Hard),
    (0.0, Rating.Again),
)
"""(lower bound inclusive, rating), checked top down."""

RATING_EXPLANATION = ("each scored answer reviews its question's card: >= 85 Easy, >= 70 Good, >= 50 Hard, "
                      "else Again; your own score, where you disputed a grade, counts instead of it; ungraded "
                      "answers do not touch the schedule")


def rating_for(score: float) -> Rating:
    for lower, rating in RATING_BANDS:
        if score >= lower:
            return rating
    return Rating.Again


# --------------------------------------------------------------------------- mastery


def recency_mean(values_oldest_first: Sequence[float], decay: float = RECENCY_DECAY) -> float | None:
    """Weighted mean where the newest value weighs 1 and each older one `decay` times the next newer."""
    if not values_oldest_first:
        return None
    num = den = 0.0
    w = 1.0
    for v in reversed(values_oldest_first):
        num += w * v
        den += w
        w *= decay
    return num / den


def trend_of(values_oldest_first: Sequence[float], n: int = RECENT_N) -> float | None:
    """Mean of the newest `n` values minus the mean of the `n` before them (fewer when there are fewer);
    None with fewer than two values."""
    vals = list(values_oldest_first)
    if len(vals) < 2:
        return None
    k = min(n, len(vals) // 2) if len(vals) < 2 * n else n
    recent, before = vals[-k:], vals[-2 * k:-k]
    return sum(recent) / len(recent) - sum(before) / len(before)


def trend_label(trend: float | None) -> str:
    if trend is None:
        return ""
    if trend >= TREND_STEP:
        return "improving"
    if trend <= -TREND_STEP:
        return "declining"
    return "steady"


@dataclass(frozen=True)
class Mastery:
    """Figures for one topic or one question (`key`)."""

    key: str
    attempts: int
    """Scored attempts."""
    mastery: float | None
    recent_avg: float | None
    trend: float | None
    last_practised: datetime | None
    ungraded: int = 0
    questions_practised: int = 0
    questions_total: int = 0

    @property
    def weak(self) -> bool:
        return is_weak(self.mastery)

    @property
    def status(self) -> str:
        """'new' (never scored), 'weak' or 'ok'."""
        return "new" if self.mastery is None else ("weak" if self.weak else "ok")

    @property
    def trend_label(self) -> str:
        return trend_label(self.trend)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "attempts": self.attempts, "ungraded": self.ungraded,
                "mastery": _r(self.mastery), "recent_avg": _r(self.recent_avg), "trend": _r(self.trend),
                "trend_label": self.trend_label, "weak": self.weak, "status": self.status,
                "last_practised": self.last_practised.isoformat() if self.last_practised else None,
                "questions_practised": self.questions_practised, "questions_total": self.questions_total}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _mastery(key: str, points: Sequence[ScorePoint], attempts: int | None = None, **extra: Any) -> Mastery:
    """Figures from `points`; `attempts` is the total when `points` are only the newest (core.review_window)."""
    pts = sorted(points, key=lambda p: (p.at, p.attempt_id))
    scores = [p.score for p in pts]
    recent = scores[-RECENT_N:]
    return Mastery(key=key, attempts=len(pts) if attempts is None else attempts, mastery=recency_mean(scores),
                   recent_avg=sum(recent) / len(recent) if recent else None, trend=trend_of(scores),
                   last_practised=pts[-1].at if pts else None, **extra)


def weakest_first(items: Iterable[Mastery]) -> list[Mastery]:
    """Practised items by mastery ascending (ties: least recently practised first), then new ones by key."""
    items = list(items)
    seen = sorted((m for m in items if m.mastery is not None),
                  key=lambda m: (m.mastery, m.last_practised or datetime.min, m.key))
    new = sorted((m for m in items if m.mastery is None), key=lambda m: m.key)
    return seen + new


def question_mastery(points: Iterable[ScorePoint], ungraded: Mapping[str, int] | None = None) -> dict[str, Mastery]:
    """Mastery per question id, for every question with a scored attempt (or an ungraded one)."""
    by_q: dict[str, list[ScorePoint]] = defaultdict(list)
    for p in points:
        by_q[p.question_id].append(p)
    ungraded = ungraded or {}
    out = {q: _mastery(q, pts, ungraded=ungraded.get(q, 0)) for q, pts in by_q.items()}
    for q, n in ungraded.items():
        if q not in out and n:
            out[q] = _mastery(q, [], ungraded=n)
    return out


def topic_mastery(points: Iterable[ScorePoint], topic_of: Mapping[str, str], *,
                  ungraded: Mapping[str, int] | None = None,
                  all_topics: Mapping[str, int] | None = None) -> list[Mastery]:
    """Mastery per topic, weakest first. `topic_of` maps question id -> topic (from the banks); attempts at
    questions no installed bank knows go under '(unknown)'. `all_topics` (topic -> number of questions) adds
    the topics never practised, as 'new', so the dashboard shows the whole bank."""
    by_t: dict[str, list[ScorePoint]] = defaultdict(list)
    for p in points:
        by_t[topic_of.get(p.question_id, "(unknown)")].append(p)
    ung: dict[str, int] = defaultdict(int)
    for q, n in (ungraded or {}).items():
        ung[topic_of.get(q, "(unknown)")] += n
    totals = dict(all_topics or {})
    topics = set(by_t) | {t for t, n in ung.items() if n} | set(totals)
    out = []
    for t in topics:
        pts = by_t.get(t, [])
        out.append(_mastery(t, pts, ungraded=ung.get(t, 0), questions_practised=len({p.question_id for p in pts}),
                            questions_total=totals.get(t, 0)))
    return weakest_first(out)


# --------------------------------------------------------------------------- key points


@dataclass(frozen=True)
class KeyPointMastery:
    question_id: str
    key_point_id: str
    text: str
    seen: int
    covered: int
    partial: int
    missing: int
    mastery: float
    """Recency-weighted coverage, 0-100 (covered 100, partial 50, missing 0)."""
    last_status: KeyPointStatus
    last_seen: datetime
    last_contradicted: bool = False
    """The newest answer said the opposite of it (the feedback's words); set by `with_last_said`."""

    @property
    def last_said(self) -> str:
        return "said the opposite" if self.last_contradicted else self.last_status.value

    @property
    def record(self) -> str:
        """`how_often`, then "said the opposite last time" where it was: not one more point merely left out."""
        return self.how_often + (", said the opposite last time" if self.last_contradicted else "")

    @property
    def weak(self) -> bool:
        return is_weak(self.mastery)

    @property
    def misses(self) -> int:
        return self.missing + self.partial

    @property
    def how_often(self) -> str:
        """How often it was left out, in the words the feedback uses: "missed 2/3", "partly 1/1", "missed 1, partly
        1 of 3" (a point covered only in part is "partly", as on the feedback screen, not "missed")."""
        if not self.partial:
            return f"missed {self.missing}/{self.seen}"
        if not self.missing:
            return f"partly {self.partial}/{self.seen}"
        return f"missed {self.missing}, partly {self.partial} of {self.seen}"

    def to_dict(self) -> dict[str, Any]:
        return {"question_id": self.question_id, "key_point_id": self.key_point_id, "text": self.text,
                "seen": self.seen, "covered": self.covered, "partial": self.partial, "missing": self.missing,
                "mastery": _r(self.mastery), "weak": self.weak, "last_status": self.last_status.value,
                "last_contradicted": self.last_contradicted, "last_seen": self.last_seen.isoformat()}


def key_point_mastery(seen: Iterable[KeyPointSeen], texts: Mapping[tuple[str, str], str] | None = None
                      ) -> list[KeyPointMastery]:
    """Per (question, key point): how often it was covered, partly covered or missed, and its mastery.
    `texts` maps (question id, key point id) -> the key point's wording from the bank."""
    by_kp: dict[tuple[str, str], list[KeyPointSeen]] = defaultdict(list)
    for s in seen:
        by_kp[(s.question_id, s.key_point_id)].append(s)
    texts = texts or {}
    out = []
    for (q, k), obs in by_kp.items():
        obs.sort(key=lambda s: (s.at, s.attempt_id))
        n = {st: sum(1 for s in obs if s.status is st) for st in KeyPointStatus}
        out.append(KeyPointMastery(
            question_id=q, key_point_id=k, text=texts.get((q, k), k), seen=len(obs),
            covered=n[KeyPointStatus.covered], partial=n[KeyPointStatus.partial], missing=n[KeyPointStatus.missing],
            mastery=recency_mean([KEY_POINT_VALUE[s.status] for s in obs]) or 0.0,
            last_status=obs[-1].status, last_seen=obs[-1].at))
    return out


def most_missed(kps: Iterable[KeyPointMastery], limit: int | None = 10) -> list[KeyPointMastery]:
    """The key points a person leaves out most: weak ones only, lowest mastery first, then the most often
    missed, then the most recently seen. "You often leave out: ..." """
    weak = [k for k in kps if k.weak]
    weak.sort(key=lambda k: (k.mastery, -k.misses, -k.last_seen.timestamp(), k.question_id, k.key_point_id))
    return weak if limit is None else weak[:limit]


def with_last_said(kps: Iterable[KeyPointMastery], opposite: Collection[tuple[str, str]]) -> list[KeyPointMastery]:
    """`most_missed`'s, those the newest answer said the opposite of (`opposite`) marked and first at one mastery."""
    out = [replace(k, last_contradicted=True) if (k.question_id, k.key_point_id) in opposite else k for k in kps]
    out.sort(key=lambda k: (k.mastery, not k.last_contradicted))
    return out


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class DueCard:
    """A question's FSRS card as the store keeps it: when it is next due and how it stands."""

    bank_id: str
    question_id: str
    due: datetime
    state: str = ""
    stability: float | None = None
    reviews: int = 0


def due_questions(cards: Iterable[DueCard], now: datetime, *, limit: int | None = None,
                  question_ids: Iterable[str] | None = None) -> list[DueCard]:
    """Cards due at `now` (due <= now), most overdue first. `question_ids` restricts to a bank's or topic's
    questions. Questions never scored have no card and are never due: they are new."""
    allowed = set(question_ids) if question_ids is not None else None
    due = [c for c in cards if c.due <= now and (allowed is None or c.question_id in allowed)]
    due.sort(key=lambda c: (c.due, c.question_id))
    return due if limit is None else due[:limit]


def weakest_questions(by_question: Mapping[str, Mastery], *, limit: int | None = None,
                      question_ids: Iterable[str] | None = None, weak_only: bool = False) -> list[str]:
    """Question ids with a scored attempt, weakest first (see `weakest_first`). `question_ids` restricts
    the choice (a bank, a topic); `weak_only` keeps only weak ones."""
    allowed = set(question_ids) if question_ids is not None else None
    items = [m for q, m in by_question.items() if m.mastery is not None and (allowed is None or q in allowed)]
    if weak_only:
        items = [m for m in items if m.weak]
    ids = [m.key for m in weakest_first(items)]
    return ids if limit is None else ids[:limit]


# --------------------------------------------------------------------------- trend over time and comparison


def daily_scores(points: Iterable[ScorePoint]) -> list[tuple[str, float, int]]:
    """(date YYYY-MM-DD in the timestamps' own zone, mean score, attempts) per day practised, oldest first:
    the series the dashboard plots."""
    by_day: dict[str, list[float]] = defaultdict(list)
    for p in points:
        by_day[p.at.date().isoformat()].append(p.score)
    return [(d, sum(v) / len(v), len(v)) for d, v in sorted(by_day.items())]


@dataclass(frozen=True)
class Comparison:
    """How a later attempt at the same question did against an earlier one."""

    score_change: float
    newly_covered: list[str] = field(default_factory=list)
    still_missed: list[str] = field(default_factory=list)
    newly_missed: list[str] = field(default_factory=list)


def compare_grades(earlier: Grade, later: Grade, earlier_score: float | None = None,
                   later_score: float | None = None) -> Comparison:
    """Score change (overrides passed in take precedence) and key-point ids newly covered, still missed
    (missing or partial both times) and newly missed (covered before, not now)."""
    before = {k.key_point_id: k.status for k in earlier.key_points}
    after = {k.key_point_id: k.status for k in later.key_points}
    cov = KeyPointStatus.covered
    newly = [k for k, s in after.items() if s is cov and before.get(k, cov) is not cov]
    still = [k for k, s in after.items() if s is not cov and k in before and before[k] is not cov]
    lost = [k for k, s in after.items() if s is not cov and before.get(k) is cov]
    a = earlier.score if earlier_score is None else earlier_score
    b = later.score if later_score is None else later_score
    return Comparison(score_change=round(b - a, 1), newly_covered=newly, still_missed=still, newly_missed=lost)
