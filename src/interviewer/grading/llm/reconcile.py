"""The model's levels reconciled with what was verified: the score rests on verified facts only.

A judge's levels are opinions formed while it believed things about the answer; some of those beliefs are checked
(grading.llm.evidence) and where a check fails, the levels that rested on it are corrected here, in code:

- Coverage criteria (`offline = true` in the rubric) never exceed what the verified key points support, always,
  whether or not a quote was discarded: 4 only when every key point is covered, 0 when none is backed by the
  answer's words, otherwise 4 x verified coverage rounded half up, within 1-3 (the rubric's "one key point",
  "about half", "most"). "Every key point" with every key point missing is 0, not 4.
- Content criteria (every other criterion except clarity, which judges delivery) are scaled by the share of the
  model's claimed coverage whose quotes verified: level <= ceil(level x verified / claimed). The model credited content
  it could not show; the more of it was not there, the less its judgement of that content stands. One quote of
  six lost never moves a 4 (ceil(4 x 5/6) = 4); every quote lost takes the criterion to 0.
- Stated misconceptions (verified by a quote) cap the rubric's correctness criterion at the level its text
  gives: one is "a notable error" (2), two or more "a serious error or confusion at the core" (1). The verdict
  is capped as the offline grader caps it: one keeps it below "solid", two or more at "needs work".

Nothing here raises a level: a check the model passed proves nothing more than it claimed. Each correction is
said on the grade in a note.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ...core.models import CriterionScore, KeyPointResult, KeyPointStatus, Rubric
from ...core.scoring import coverage_part, score_below

DELIVERY_CRITERIA = frozenset({"clarity"})
"""Criteria that judge how the answer is said, not what it says: not scaled by verified content."""


def _claimed_part(statuses: Sequence[str]) -> float | None:
    if not statuses:
        return None
    return sum(1.0 if s == "covered" else 0.5 if s == "partial" else 0.0 for s in statuses) / len(statuses)


def _lower(criteria: list[CriterionScore], ids: set[str], cap_of: Callable[[CriterionScore], int], why: str,
           notes: list[str]) -> list[CriterionScore]:
    out, changed = [], []
    for c in criteria:
        cap = cap_of(c) if c.criterion_id in ids and c.level is not None else None
        if cap is not None and c.level is not None and c.level > cap:
            changed.append(f"{c.criterion_id} {c.level}\u2192{cap}")
            c = c.model_copy(update={"level": cap})
        out.append(c)
    if changed:
        notes.append(f"level lowered ({', '.join(changed)}): {why}")
    return out


def coverage_cap(cov: float) -> int:
    """The highest coverage level the verified key points support (see the module docstring)."""
    if cov >= 1.0:
        return 4
    if cov <= 0.0:
        return 0
    return min(3, max(1, math.floor(4 * cov + 0.5)))


def reconcile(criteria: list[CriterionScore], rubric: Rubric, claimed: Sequence[str],
              quoted: Sequence[KeyPointResult], verified: Sequence[KeyPointResult],
              misconceptions: int) -> tuple[list[CriterionScore], list[str]]:
    """(criteria with corrected levels, notes saying what was corrected). `claimed` are the statuses the model
    gave, `quoted` the key points after the quote checks, `verified` after contradictions too."""
    notes: list[str] = []
    coverage_ids = {c.id for c in rubric.criteria if c.offline}
    cov = coverage_part(verified)
    if cov is not None:
        n_ok = sum(1 for k in verified if k.status is not KeyPointStatus.missing)
        criteria = _lower(criteria, coverage_ids, lambda c: coverage_cap(cov),
                          f"coverage must match the key points backed by the answer's words ({n_ok} of "
                          f"{len(verified)})", notes)
    said, kept = _claimed_part(claimed), coverage_part(quoted)
    if kept is not None and said and kept < said:
        share = kept / said
        content_ids = {c.id for c in rubric.criteria if not c.offline and c.id not in DELIVERY_CRITERIA}
        criteria = _lower(criteria, content_ids, lambda c: math.ceil((c.level or 0) * share - 1e-9),
                          f"the model credited content the answer's words do not show (only {share:.0%} of the "
                          "coverage it claimed was verified)", notes)
    if misconceptions:
        cap = 2 if misconceptions == 1 else 1
        right_ids = {c.id for c in rubric.criteria if c.correctness}
        what = "a stated misconception is a notable error" if misconceptions == 1 else \
            f"{misconceptions} stated misconceptions are a serious error at the core"
        criteria = _lower(criteria, right_ids, lambda c: cap, what, notes)
    return criteria, notes


def cap_score(score: float, misconceptions: int) -> tuple[float, str | None]:
    """The score with the verdict capped for stated misconceptions (as the offline grader caps it), and a note."""
    if misconceptions >= 2:
        cap, band = score_below("partial"), "needs work"
    elif misconceptions == 1:
        cap, band = score_below("solid"), "partial"
    else:
        return score, None
    if score <= cap:
        return score, None
    n = "a misconception" if misconceptions == 1 else f"{misconceptions} misconceptions"
    return cap, f"score capped at {cap:g} (at most \"{band}\"): the answer states {n}"
