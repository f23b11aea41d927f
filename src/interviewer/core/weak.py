"""The one definition of "weak", for topics, questions and key points alike (core.review computes the mastery
it is applied to; every screen, plain mode, `stats`, the exports and the practice selection ask `is_weak`).

Pure and without pydantic: the home screen's help says the threshold before the core models are loaded.
"""

from __future__ import annotations

from .scoring import band_floor

WEAK_BELOW: float = band_floor("solid")
"""Mastery below this is weak: the score at which a single answer's verdict becomes 'solid'."""


def is_weak(mastery: float | None) -> bool:
    """THE definition of weak.

    Weak means there is evidence (at least one scored attempt, so `mastery` is not None) and the
    recency-weighted mastery is below `WEAK_BELOW`, the lower bound of the 'solid' verdict band in
    core.scoring. An unpractised topic is *new*, not weak: nothing is known about it yet. A key point's
    mastery is its coverage on the same 0-100 scale (covered 100, partial 50, missing 0).
    """
    return mastery is not None and mastery < WEAK_BELOW
