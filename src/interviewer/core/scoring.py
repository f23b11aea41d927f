"""The overall score and verdict, computed in code and defined only here.

No grader's own arithmetic is trusted: an LLM returns criterion levels and key-point statuses, the offline
grader returns what it could assess, and this module turns them into one 0-100 score.

score = 100 * (CRITERIA_SHARE * criteria_part + COVERAGE_SHARE * coverage_part)

- criteria_part: the weighted mean of level/4 over the criteria that were *assessed* (weights renormalised
  over those), so a criterion the grader could not judge never counts as zero.
- coverage_part: (covered + 0.5 * partial) / number of key points, counting only key points whose evidence
  was verified to occur in the answer.
- When one part is unavailable (no key points, or no criterion assessed) the other carries the whole score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .verdict_names import OFFLINE_NAMES, named

if TYPE_CHECKING:  # no pydantic at import: the home screen's first paint shows the bands (tui.text)
    from .models import CriterionScore, KeyPointResult

CRITERIA_SHARE = 0.6
COVERAGE_SHARE = 0.4

# (lower bound inclusive, verdict). Checked top down. The only place these numbers are written: everything
# that shows or uses a band (colours, help, "weak", eval's columns, caps) derives from this table.
VERDICT_BANDS: tuple[tuple[float, str], ...] = (
    (80.0, "interview-ready"),
    (60.0, "solid"),
    (40.0, "partial"),
    (0.0, "needs work"),
)


def _band(verdict: str) -> str:
    """The band a verdict names, under either name."""
    for band, offline in OFFLINE_NAMES.items():
        if verdict == offline:
            return band
    return verdict


def band_floor(verdict: str) -> float:
    """The lowest score with this verdict."""
    band = _band(verdict)
    for lower, name in VERDICT_BANDS:
        if name == band:
            return lower
    raise ValueError(f"no verdict called {verdict!r}")


def band_range(verdict: str) -> str:
    """The whole scores of a verdict's band, e.g. "60-79"."""
    band, top = _band(verdict), 100
    for lower, name in VERDICT_BANDS:
        if name == band:
            return f"{math.ceil(lower)}-{top}"
        top = math.ceil(lower) - 1
    raise ValueError(f"no verdict called {verdict!r}")


def _said(meanings: dict[str, str]) -> dict[str, str]:
    return {verdict: f"{band_range(verdict)}: {meaning}" for verdict, meaning in meanings.items()}


VERDICT_HELP = _said({
    "interview-ready": "you could say this in an interview as it is.",
    "solid": "correct and mostly complete; tighten the gaps listed.",
    "partial": "the core is there but key ideas are missing or shaky.",
    "needs work": "revisit the reference answer and try again.",
})


OFFLINE_VERDICT_HELP = _said({
    "complete": "the key points were found, at least in part, and no known misconception. The offline grader "
                "cannot tell a wrong claim it does not know from a right one, so it never calls an answer "
                "interview-ready: an LLM grader can.",
    "solid": "most key points are there and no known misconception was found; tighten the gaps listed.",
    "partial": "key ideas are missing, or the answer says something wrong.",
    "needs work": "little of the answer matches, or it says several wrong things; revisit the reference.",
})
"""The same bands, said as far as the offline grader checked: it finds known misconceptions and key points said
the other way round, not every wrong claim, so it never calls an answer "correct"."""


def verdict_help(verdict: str, backend: str = "") -> str:
    """What a verdict means, as far as the grader that gave it could check."""
    if backend == "offline":
        return OFFLINE_VERDICT_HELP.get(named(verdict, backend), "")
    return VERDICT_HELP.get(verdict, "")


def score_below(verdict: str) -> float:
    """The highest whole score below `verdict`'s band: a whole number, so it reads the same rounded on any screen
    (a fraction below the band's floor would round up into the band on screen)."""
    return float(math.ceil(band_floor(verdict)) - 1)


def verdict_for(score: float, backend: str = "") -> str:
    """The verdict of a score, as `backend` names it (OFFLINE_NAMES); with no backend, the band's own name."""
    for lower, name in VERDICT_BANDS:
        if score >= lower:
            return named(name, backend)
    return named(VERDICT_BANDS[-1][1], backend)


def criteria_part(criteria: Iterable[CriterionScore], weights: Mapping[str, float]) -> float | None:
    num = den = 0.0
    for c in criteria:
        if c.level is None:
            continue
        w = weights.get(c.criterion_id, 0.0)
        num += w * (c.level / 4.0)
        den += w
    return None if den == 0 else num / den


def coverage_part(key_points: Iterable[KeyPointResult]) -> float | None:
    from .models import KeyPointStatus  # loaded by whoever has key points to count

    kps = list(key_points)
    if not kps:
        return None
    got = 0.0
    for kp in kps:
        if kp.status is KeyPointStatus.covered:
            got += 1.0
        elif kp.status is KeyPointStatus.partial:
            got += 0.5
    return got / len(kps)


def overall_score(
    criteria: Iterable[CriterionScore],
    weights: Mapping[str, float],
    key_points: Iterable[KeyPointResult],
) -> float:
    """0-100, rounded to one decimal. Raises ValueError when nothing at all was assessed."""
    c = criteria_part(criteria, weights)
    k = coverage_part(key_points)
    if c is not None and k is not None:
        value = CRITERIA_SHARE * c + COVERAGE_SHARE * k
    elif c is not None:
        value = c
    elif k is not None:
        value = k
    else:
        raise ValueError("nothing was assessed: no criterion level and no key point")
    return round(100.0 * float(value), 1)
