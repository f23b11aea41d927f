"""How your delivery is changing: pace and long pauses over your spoken answers, for the review dashboard,
`interviewer stats` and the Markdown report.

Pure: per-answer points in (oldest first, as store.voice.delivery_points reads them), a `DeliveryTrend` out.
The same numbers everywhere, because this is the one place they are computed.

- **pace**: words a minute over speech time (core.delivery); answers too short to call (pace "unknown",
  under 3 s of speech) are left out of the pace figures but still count for pauses.
- **pauses**: long pauses a minute of speech, so a long answer is not marked down for being long; over several
  answers, their pauses over their speech (pooled), so one short answer with one pause does not dominate.
- **lately / before**: the newest RECENT answers against the RECENT before them (fewer when there are fewer
  answers; no comparison with one answer). Direction is said only for a change beyond the noise of a few
  answers (PACE_STEP words a minute, PAUSE_STEP pauses a minute).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from .delivery import FAST_WPM, SLOW_WPM

RECENT = 5
PACE_STEP = 10.0
PAUSE_STEP = 0.5

_T = TypeVar("_T")


class Point(Protocol):
    """One spoken answer's figures (store.voice.DeliveryPoint is one); read-only."""

    @property
    def submitted_at(self) -> str: ...
    @property
    def words_per_minute(self) -> float: ...
    @property
    def pace(self) -> str: ...
    @property
    def speech_seconds(self) -> float: ...
    @property
    def long_pauses(self) -> int: ...
    @property
    def longest_pause_seconds(self) -> float: ...


@dataclass(frozen=True)
class Day:
    day: str
    answers: int
    words_per_minute: float | None
    pauses_per_minute: float


@dataclass(frozen=True)
class DeliveryTrend:
    answers: int
    pace_points: list[float] = field(default_factory=list)
    """Words a minute of each answer whose pace is known, oldest first."""
    pause_points: list[float] = field(default_factory=list)
    """Long pauses a minute of speech of each answer, oldest first."""
    days: list[Day] = field(default_factory=list)
    pace_lately: float | None = None
    pace_before: float | None = None
    pauses_lately: float | None = None
    pauses_before: float | None = None
    longest_pause_lately: float = 0.0
    window: int = 0
    """How many of the newest answers "lately" means (RECENT, or fewer when there are fewer answers)."""

    @property
    def pace_band(self) -> str:
        p = self.pace_lately
        if p is None:
            return "unknown"
        return "slow" if p < SLOW_WPM else "fast" if p > FAST_WPM else "conversational"

    @property
    def pace_change(self) -> str:
        """faster | slower | steady | "" (nothing to compare)."""
        return _change(self.pace_lately, self.pace_before, PACE_STEP, ("faster", "slower"))

    @property
    def pause_change(self) -> str:
        """fewer | more | steady | ""."""
        return _change(self.pauses_lately, self.pauses_before, PAUSE_STEP, ("more", "fewer"))

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 1)

        return {"spoken_answers": self.answers,
                "pace": {"lately_wpm": r(self.pace_lately), "before_wpm": r(self.pace_before),
                         "band": self.pace_band, "change": self.pace_change},
                "pauses": {"lately_per_minute": r(self.pauses_lately), "before_per_minute": r(self.pauses_before),
                           "longest_lately_seconds": r(self.longest_pause_lately), "change": self.pause_change},
                "daily": [{"date": d.day, "answers": d.answers, "words_per_minute": r(d.words_per_minute),
                           "long_pauses_per_minute": r(d.pauses_per_minute)} for d in self.days]}


def _change(lately: float | None, before: float | None, step: float, words: tuple[str, str]) -> str:
    if lately is None or before is None:
        return ""
    if lately - before >= step:
        return words[0]
    if before - lately >= step:
        return words[1]
    return "steady"


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def _split(xs: list[_T]) -> tuple[list[_T], list[_T]]:
    """(the newest answers, the ones just before them) - RECENT each, or half and half when fewer."""
    k = min(RECENT, len(xs) // 2) if len(xs) < 2 * RECENT else RECENT
    if k == 0:
        return xs, []
    return xs[-k:], xs[-2 * k:-k]


def _pooled(ps: Sequence[Point]) -> float | None:
    """Long pauses a minute over several answers: all their pauses over all their speech."""
    speech = sum(p.speech_seconds for p in ps)
    if not ps:
        return None
    return sum(p.long_pauses for p in ps) * 60.0 / speech if speech > 0 else 0.0


def pauses_per_minute(p: Point) -> float:
    return p.long_pauses * 60.0 / p.speech_seconds if p.speech_seconds > 0 else 0.0


def delivery_trend(points: Sequence[Point]) -> DeliveryTrend | None:
    """The trend over spoken answers (None when there are none)."""
    if not points:
        return None
    paced = [p.words_per_minute for p in points if p.pace != "unknown" and p.words_per_minute > 0]
    pauses = [pauses_per_minute(p) for p in points]
    pace_new, pace_old = _split(paced)
    pts = list(points)
    new_pts, old_pts = _split(pts)
    newest = new_pts
    by_day: dict[str, list[Point]] = {}
    for p in points:
        by_day.setdefault(p.submitted_at[:10], []).append(p)
    days = [Day(d, len(ps), _mean([p.words_per_minute for p in ps if p.pace != "unknown" and p.words_per_minute > 0]),
                _pooled(ps) or 0.0) for d, ps in by_day.items()]
    return DeliveryTrend(answers=len(points), pace_points=paced, pause_points=pauses, days=days,
                         pace_lately=_mean(pace_new), pace_before=_mean(pace_old),
                         pauses_lately=_pooled(new_pts), pauses_before=_pooled(old_pts),
                         longest_pause_lately=max((p.longest_pause_seconds for p in newest), default=0.0),
                         window=len(new_pts))
