"""What the feedback shows of the wrong claims found (`contradict.wrong_claims`): the answer's own words that make
each claim, and the list of misconceptions with what is wrong and what is right.
"""

from __future__ import annotations

from ...core.models import FoundMisconception
from .analyse import Analysis
from .contradict import WrongClaims
from .cues import CompiledQuestion
from .feedback import SWAP_CLAIM
from .match import LOOSE_STARTS

CONTEXT = 3
"""Words of context quoted on each side of the words that make a claim, within its sentence."""
CLAIM_SENTENCE_MAX = 30
"""A claim made in a sentence of at most this many words is quoted with its whole sentence: the listener sees
what was said ("The keys hold the actual information you retrieve"), not a window cut around a few words."""


def claim_words(a: Analysis, hits: list[int]) -> str:
    """The answer's own words that make the claim, verbatim: the sentence they are in when it is short (less any
    text the grader ignores and a leading filler), else the words with a little context."""
    lo, hi = min(hits), max(hits)
    sentence = a.tokens[lo].sentence
    slo, shi = lo, hi
    while slo > 0 and a.tokens[slo - 1].sentence == sentence and not a.tokens[slo - 1].dropped:
        slo -= 1
    while shi + 1 < len(a.tokens) and a.tokens[shi + 1].sentence == sentence and not a.tokens[shi + 1].dropped:
        shi += 1
    if shi - slo + 1 <= CLAIM_SENTENCE_MAX:
        lo, hi = slo, shi
        while lo < min(hits) and a.tokens[lo].low in LOOSE_STARTS:
            lo += 1
        return a.span(lo, hi)
    while lo > slo and hits[0] - lo < CONTEXT:
        lo -= 1
    while hi < shi and hi - max(hits) < CONTEXT:
        hi += 1
    return a.span(lo, hi)


def found_misconceptions(cq: CompiledQuestion, a: Analysis, wrong: WrongClaims) -> list[FoundMisconception]:
    """What the feedback lists: each known misconception said, then each key point said the other way round
    that no misconception explains (the correction is the key point itself)."""
    out = [FoundMisconception(claim=m.claim, correction=m.correction, evidence=claim_words(a, hits), id=m.id,
                              source="bank") for m, hits in wrong.misconceptions]
    explained = wrong.explained
    texts = {kp.id: kp.text for kp in cq.key_points}
    for k, hits in wrong.unexplained.items():
        side = wrong.swapped.get(k)
        claim = ("This says the opposite of a key point." if side is None or cq.sides is None else
                 f"{SWAP_CLAIM}{cq.sides.names[side]} what is true of {cq.sides.names[1 - side]}.")
        points = [k] + [o for o, p in wrong.same_claim.items() if p == k and o not in explained]
        out.append(FoundMisconception(claim=claim, correction=" ".join(texts[p].rstrip(".") + "." for p in points),
                                      evidence=claim_words(a, hits), id=k, source="key point"))
    return out
