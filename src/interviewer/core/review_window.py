"""Mastery from the newest attempts only: the same figures as core.review, without reading the whole history.

Mastery is a recency-weighted mean in which each older attempt weighs RECENCY_DECAY (0.8) times the next
newer one, so the attempt `RECENCY_WINDOW` places back weighs under one billionth of the newest: everything
older changes a mastery by less than 1e-6 points. The review dashboard therefore reads, per question, the
newest RECENCY_WINDOW scored attempts plus running counts (store.review_facts), and builds here exactly the
`Mastery` / `KeyPointMastery` records core.review would build from every attempt. Recent average and trend
use the newest 2 x RECENT_N attempts, well inside the window. Pure functions: no SQL, no clock.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from .models import KeyPointStatus
from .review import (
    KEY_POINT_VALUE,
    RECENCY_DECAY,
    RECENT_N,
    KeyPointMastery,
    Mastery,
    _mastery,
    recency_mean,
    trend_of,
    weakest_first,
)

RECENCY_WINDOW: int = max(2 * RECENT_N, math.ceil(math.log(1e-9) / math.log(RECENCY_DECAY)))
"""How many of the newest attempts (or key-point judgements) mastery reads: 93 at a decay of 0.8."""


Window = Sequence[tuple[str, int, float]]
"""Scored attempts as (answered at, attempt id, effective score), in any order. The time is the stored UTC
ISO-8601 text (store.history.iso), whose text order is time order, so tuples sort by time, then id: core.review's
order."""


def _mastery_of(key: str, window: Window, attempts: int, parse: Callable[[str], datetime],
                **extra: Any) -> Mastery:
    """core.review._mastery over the newest RECENCY_WINDOW of `window`, with the total number of attempts."""
    pts = sorted(window)[-RECENCY_WINDOW:]
    scores = [p[2] for p in pts]
    recent = scores[-RECENT_N:]
    return Mastery(key=key, attempts=attempts, mastery=recency_mean(scores),
                   recent_avg=sum(recent) / len(recent) if recent else None, trend=trend_of(scores),
                   last_practised=parse(pts[-1][0]) if pts else None, **extra)


def question_mastery(windows: Mapping[str, Window], scored: Mapping[str, int],
                     unscored: Mapping[str, int] | None = None, *,
                     parse: Callable[[str], datetime] = datetime.fromisoformat) -> dict[str, Mastery]:
    """As core.review.question_mastery, from each question's newest scored attempts (`windows`) and its number
    of scored attempts (`scored`). `parse` turns a stored time into a datetime."""
    unscored = unscored or {}
    out = {q: _mastery_of(q, pts, scored.get(q, len(pts)), parse, ungraded=unscored.get(q, 0))
           for q, pts in windows.items() if pts}
    for q, n in unscored.items():
        if q not in out and n:
            out[q] = _mastery(q, [], ungraded=n)
    return out


def topic_mastery(windows: Mapping[str, Window], scored: Mapping[str, int],
                  topic_of: Mapping[str, str], *, unscored: Mapping[str, int] | None = None,
                  all_topics: Mapping[str, int] | None = None,
                  parse: Callable[[str], datetime] = datetime.fromisoformat) -> list[Mastery]:
    """As core.review.topic_mastery. A topic's newest attempts are among its questions' newest ones, so the
    merged windows give the topic's window."""
    by_t: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    practised: dict[str, int] = defaultdict(int)
    for q, pts in windows.items():
        if not pts:
            continue
        t = topic_of.get(q, "(unknown)")
        by_t[t].extend(pts)
        counts[t] += scored.get(q, len(pts))
        practised[t] += 1
    ung: dict[str, int] = defaultdict(int)
    for q, n in (unscored or {}).items():
        ung[topic_of.get(q, "(unknown)")] += n
    totals = dict(all_topics or {})
    topics = set(by_t) | {t for t, n in ung.items() if n} | set(totals)
    out = [_mastery_of(t, by_t.get(t, []), counts.get(t, 0), parse, ungraded=ung.get(t, 0),
                       questions_practised=practised.get(t, 0), questions_total=totals.get(t, 0))
           for t in topics]
    return weakest_first(out)


KeyPointRows = Iterable[tuple[int, datetime, Sequence[Sequence[str]]]]
"""A question's scored attempts, newest first: (attempt id, answered at, [(key point id, status), ...] as the
newest grade listed them)."""

Recency = tuple[float, str, datetime]
"""A key point's recency-weighted coverage (0-100), its last status and when it was last judged."""


def key_point_recency(newest_first: Mapping[str, KeyPointRows], counts: Mapping[tuple[str, str], Mapping[str, int]],
                      older: Callable[[str, int], KeyPointRows] | None = None) -> dict[tuple[str, str], Recency]:
    """(question, key point) -> Recency, from each question's newest attempts (`newest_first`) and each key
    point's running counts by status (`counts`, (question, key point) -> {status: n}).

    The coverage is summed newest first, exactly as core.review.recency_mean does, over each key point's
    newest RECENCY_WINDOW judgements. A key point that newer grades stopped judging (e.g. edited out of the
    bank) has fewer judgements in the window than in all; `older(question, skip)` then yields the question's
    attempts after the first `skip`, newest first, until it has enough."""
    w = _Window(counts)
    read: dict[str, int] = {}
    for q, rows in newest_first.items():
        n = 0
        for _aid, at, kps in rows:
            w.take(q, at, kps)
            n += 1
        read[q] = n
    short: dict[str, set[str]] = defaultdict(set)
    for key in counts:
        if key[0] in read and w.short(key):
            short[key[0]].add(key[1])
    if older is not None:
        for q, ks in short.items():
            for _aid, at, kps in older(q, read[q]):
                w.take(q, at, kps, ks)
                if not any(w.short((q, k)) for k in ks):
                    break
    return {key: ((a[0] / a[1] if a[1] else 0.0) or 0.0, a[4], a[5]) for key, a in w.acc.items()}


class _Window:
    """Each key point's running sums over its newest RECENCY_WINDOW judgements."""

    def __init__(self, counts: Mapping[tuple[str, str], Mapping[str, int]]) -> None:
        self.counts = counts
        self.value = {s.value: v for s, v in KEY_POINT_VALUE.items()}
        self.acc: dict[tuple[str, str], list[Any]] = {}  # [num, den, weight, judgements, last status, last seen]

    def take(self, q: str, at: datetime, kps: Sequence[Sequence[str]], only: set[str] | None = None) -> None:
        for k, st in reversed(kps):  # the array's later entries count as newer, as a stable sort keeps them
            if only is not None and k not in only:
                continue
            a = self.acc.get((q, k))
            if a is None:
                a = self.acc[(q, k)] = [0.0, 0.0, 1.0, 0, st, at]
            if a[3] < RECENCY_WINDOW:
                a[0] += a[2] * self.value[st]
                a[1] += a[2]
                a[2] *= RECENCY_DECAY
                a[3] += 1

    def short(self, key: tuple[str, str]) -> bool:
        """Fewer judgements in the window than the key point has had (up to the window's size)."""
        judged = self.acc[key][3] if key in self.acc else 0
        return judged < min(sum(self.counts[key].values()), RECENCY_WINDOW)


def key_point_mastery(recency: Mapping[tuple[str, str], Recency], counts: Mapping[tuple[str, str], Mapping[str, int]],
                      texts: Mapping[tuple[str, str], str] | None = None) -> list[KeyPointMastery]:
    """As core.review.key_point_mastery: one record per key point judged, from its counts and its recency."""
    out = []
    for (q, k), n in counts.items():
        r = recency.get((q, k))
        if r is None:
            continue
        covered, partial, missing = (n.get(s.value, 0) for s in
                                     (KeyPointStatus.covered, KeyPointStatus.partial, KeyPointStatus.missing))
        out.append(KeyPointMastery(
            question_id=q, key_point_id=k, text=texts.get((q, k), k) if texts else k,
            seen=covered + partial + missing, covered=covered, partial=partial, missing=missing,
            mastery=r[0], last_status=KeyPointStatus(r[1]), last_seen=r[2]))
    return out
