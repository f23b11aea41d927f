"""Scoring what the matcher found: each key point's status, the answer's quality (0-1), the coverage level (0-4)
with the caps the guards impose, and the rationale shown beside the level.

quality = sqrt(weighted blend of key-point coverage, reference term recall, character n-gram recall)
          + ON_TOPIC_BONUS * (on-topic share - 0.5).
The square root: lexical overlap understates what a paraphrasing answer covers, most at the low end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...core.models import KeyPointStatus
from ...core.scoring import score_below
from .analyse import Analysis, char_grams
from .cues import CompiledQuestion
from .match import KeyPointMatch, char_recall, reference_recall

COVERED_AT = 0.6
PARTIAL_AT = 0.3
"""A key point's match score (0-1) at which it counts as covered / partly covered."""

BLEND_CURATED = (0.70, 0.20, 0.10)
BLEND_DERIVED = (0.40, 0.40, 0.20)
ON_TOPIC_BONUS = 0.10
"""Quality gained (or lost) for an answer whose content words are all (or none) on the topic, centred at 50%."""
LEVEL_AT_CURATED = (0.25, 0.45, 0.60, 0.75)
LEVEL_AT_DERIVED = (0.25, 0.35, 0.45, 0.55)
"""Quality at which the coverage level reaches 1, 2, 3, 4 (derived key points are cruder: lower bars)."""
CAP_KEYWORDS = 1
CAP_PADDED = 2
CAP_ECHO = 0
CAP_OFF_TOPIC = 0
CAP_NO_SIDE = 2
"""An answer to "What is the difference between A and B?" that names neither A nor B (swaps.names_a_side) has not
said which is which, however much of the substance it tells: coverage at most 2, and the score below "solid"
(`cap_for_no_side`). Pre-training on raw
text then instruction tuning, told for "supervised vs unsupervised learning in LLMs", read 75 "solid" (a variant of
the third held-out set's pair, leaning toward the training-stages question by less than offtopic.SIBLING_MARGIN). On
every calibration set (counts): no strong, partial, mixed or wrong answer to the 19 questions with sides names
neither; 7 honest weak answers do (scores 0-27, below the cap) and 177 off-topic ones (176 flagged off topic)."""
OFF_TOPIC_SHARE = 0.40
"""An answer that never names the question's subject and whose content words are mostly not the question's
(under this share of them: match.on_topic_share) answers another question: coverage CAP_OFF_TOPIC, the rubric's
"none of the key points" (with the key-point bound below, cap 1 let a fluent answer to another question outscore
an honest weak one: the words it shares with the question are not this question's points).
On the development, calibration and training sets, such answers to the right question had shares of 0.44 and
more; fluent answers to a neighbouring question, 0.03-0.38."""


def key_point_status(m: KeyPointMatch, *, demote: bool = False) -> KeyPointStatus:
    """Covered / partial / missing from the match score; `demote` (a keyword list, padding) caps it at partial."""
    status = (KeyPointStatus.covered if m.score >= COVERED_AT else
              KeyPointStatus.partial if m.score >= PARTIAL_AT else KeyPointStatus.missing)
    if status is KeyPointStatus.covered and demote:
        status = KeyPointStatus.partial
    if not m.hits:
        status = KeyPointStatus.missing
    return status


def answer_quality(cq: CompiledQuestion, a: Analysis, matches: Sequence[KeyPointMatch], on_topic: float,
                   content: int) -> float:
    kp_part = sum(min(m.score, 1.0) for m in matches) / len(matches) if matches else 0.0
    rec = reference_recall(cq, a)
    chars = char_recall(cq.ref_grams, char_grams(" ".join(t.low for t in a.tokens if not t.dropped)))
    w_kp, w_rec, w_char = BLEND_DERIVED if cq.derived else BLEND_CURATED
    quality = math.sqrt(w_kp * kp_part + w_rec * rec + w_char * chars)
    if content:
        quality += ON_TOPIC_BONUS * (on_topic - 0.5)
    return quality


KP_SHARE_FOR_LEVEL = (0.40, 0.60, 0.80)
"""On curated questions the coverage level never claims more key points than were found: the share of them
found (covered 1, partly 0.5: core.scoring.coverage_part) at which the level may reach 2, 3, 4; level 1 needs any
key point found at all. The rubric's words for the levels ("one key point", "about half", "most", "every key
point"), with room for one point the matcher only partly recognised: the LLM path's rule
(grading.llm.reconcile.coverage_cap) is stricter because its key points come with checked quotes. Chosen from the
rubric text before it was measured; on the validation set it took the wrong answers' mean from 33 to 22 and those
reaching 60 from 7 of 50 to 0, strong answers 89.6 -> 86.0."""


def supported_level(kp_share: float, missing: int = 0) -> int:
    """The highest coverage level the key points found support (KP_SHARE_FOR_LEVEL). Level 4 says "every key
    point": the room it leaves is for points the matcher only partly recognised, not for a point not found at all
    (`missing`), which is level 3's "one missing". (With one of five points missing, a partial answer read "every
    key point ... interview-ready" at 92; on the tuning sets this took "interview-ready" answers from 576 to 567
    strong, 101 to 85 partial and 34 to 31 mixed, no mean by more than a point.)"""
    if kp_share <= 0.0:
        return 0
    level = 1 + sum(1 for x in KP_SHARE_FOR_LEVEL if kp_share >= x)
    return min(level, 3) if missing else level


def coverage_level(quality: float, derived: bool, *, is_list: bool, padded: bool, echoed: bool,
                   content: int, off_topic: bool = False, kp_share: float | None = None,
                   missing: int = 0, no_side: bool = False) -> tuple[int, int]:
    """(the coverage level 0-4, the cap the flags put on it). `kp_share`: the share of the key points found, and
    `missing`: how many were not found at all, which bound the level on curated questions (derived key points are
    too crude to)."""
    level = sum(1 for x in (LEVEL_AT_DERIVED if derived else LEVEL_AT_CURATED) if quality >= x)
    if kp_share is not None and not derived:
        level = min(level, supported_level(kp_share, missing))
    cap = 4
    if is_list:
        cap = min(cap, CAP_KEYWORDS)
    if padded:
        cap = min(cap, CAP_PADDED)
    if echoed:
        cap = min(cap, CAP_ECHO)
    if off_topic:
        cap = min(cap, CAP_OFF_TOPIC)
    if no_side:
        cap = min(cap, CAP_NO_SIDE)
    if content == 0:
        cap = 0
    return min(level, cap), cap


def mostly_wrong(wrong: int, right: float) -> bool:
    """At least one wrong claim, and no more key points found right (covered 1, partly 0.5) than wrong claims."""
    return wrong > 0 and wrong >= right


def correctness_level(coverage: int, wrong: int, right: float) -> int:
    """The correctness level from what the grader could check. With no wrong claim found it is what the answer
    verifiably said right (the coverage level: the grader vouches for nothing it did not find). With wrong claims
    found, `right` (the key points found outside them, covered 1, partly 0.5) decides: as many wrong claims as
    right points or more is the rubric's "mostly wrong" (0); otherwise one wrong claim makes it at best "broadly
    right, with a notable error" (2), or "a serious error at the core" (1) when little else is right; two or more,
    at best "a serious error at the core" (1), as the LLM path rules too.

    The rubric: "wrong statements weigh more than omissions". Without the "mostly wrong" rule an answer built on
    a wrong claim, with one fragment right, was "some right fragments" (1) and outscored an honest answer that
    said nothing checkable (tuning sets, 1,425 answers: wrong answers' mean 15.3 -> 12.5, a wrong answer above
    the weak one to the same question 31 -> 27 of 135; strong, partial and off-topic answers unchanged)."""
    if wrong == 0:
        return coverage
    if mostly_wrong(wrong, right):
        return 0
    if wrong == 1:
        return 2 if coverage >= 3 else min(coverage, 1)
    return min(coverage, 1)


def cap_for_no_side(score: float, no_side: bool) -> float:
    """An answer that names neither side of a comparison (CAP_NO_SIDE) stays below "solid": the coverage cap alone
    leaves the key points' share of the score to lift it there (60 for three of four points)."""
    return min(score, score_below("solid")) if no_side else score


def cap_for_wrong_claims(score: float, wrong: int) -> float:
    """A stated misconception keeps the verdict below "solid"; two or more keep it at "needs work"."""
    if wrong >= 2:
        return min(score, score_below("partial"))
    if wrong == 1:
        return min(score, score_below("solid"))
    return score


def rationale(results: Sequence[tuple[KeyPointMatch, KeyPointStatus]], quality: float, capped: bool) -> str:
    n = len(results)
    cov = sum(1 for _, s in results if s is KeyPointStatus.covered)
    part = sum(1 for _, s in results if s is KeyPointStatus.partial)
    text = (f"{cov} of {n} key points covered, {part} partly; similarity to the reference and key points "
            f"{min(1.0, max(0.0, quality)):.0%}")  # the measure can pass 1 on long answers: 100% is its top
    return text + (", level capped by a warning about the answer." if capped else ".")
