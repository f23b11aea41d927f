"""What the feedback shows of the wrong claims found (`contradict.wrong_claims`): the answer's own words that make
each claim, and the list of misconceptions with what is wrong and what is right.
"""

from __future__ import annotations

from ...core.models import FoundMisconception
from .analyse import Analysis
from .contradict import WrongClaims
from .cues import CompiledMisconception, CompiledQuestion
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


CHECK_YOURSELF = 3
"""How many of the question's known misconceptions an answer that said none of them is shown to check itself
against (`closest_misconceptions`)."""
CLOSE_SHARE = 0.5
"""The share of a signal's words one sentence of the answer must say for its misconception to count as close."""


def closest_misconceptions(cq: CompiledQuestion, a: Analysis, n: int = CHECK_YOURSELF
                           ) -> list[tuple[str, str]]:
    """(claim, correction) of the known misconceptions whose signals' words the answer's sentences come closest
    to saying, closest first, at most `n`. The grader found none of them said: a claim made in other words than its
    signals is not found, and on answers nobody tuned to that is how most wrong claims go unseen. These are the
    ones the candidate is most likely to have meant, to check against themselves.

    Closeness of one signal: the largest share of its words said in one sentence (negated or not: a denial is
    close too), then how many. Ties keep the bank's order."""
    sentences: dict[int, set[str]] = {}
    for t in a.tokens:
        if t.term and not t.dropped:
            sentences.setdefault(t.sentence, set()).add(t.term)
    ranked: list[tuple[float, int, int, CompiledMisconception]] = []
    for i, m in enumerate(cq.misconceptions):
        best = (0.0, 0)
        for cue in m.cues:
            words = {w for w in cue.terms if not w.startswith("@")}
            if len(words) < 2:
                continue
            said = max((len(words & terms) for terms in sentences.values()), default=0)
            best = max(best, (said / len(words), said))
        if best[0] >= CLOSE_SHARE:
            ranked.append((-best[0], -best[1], i, m))
    return [(m.claim, m.correction) for *_, m in sorted(ranked, key=lambda r: r[:3])[:n]]
