"""A known misconception said in its own words: a sentence that says several of the words its claim and signals use
and no right statement of the question does (`CompiledMisconception.vocabulary`), one of them from the claim itself,
makes the claim even where no signal matches. Moved out of offline.contradict, which asks it after the signals.
"""

from __future__ import annotations

from functools import lru_cache

from .analyse import Analysis, analyse
from .contrast import contrasted, in_whereas
from .cues import CompiledMisconception
from .said import blocked, split

CLAIM_WORDS = 3
"""A sentence that says this many of a misconception's own words (see CompiledMisconception.vocabulary), none
negated, makes the claim even when no signal phrase matches ("fine-tuning is basically tweaking temperature and
top-p" for a claim phrased "fine-tuning only changes decoding settings like temperature")."""


def claim_in_own_words(m: CompiledMisconception, a: Analysis) -> list[int] | None:
    """The token indexes of the first sentence that says misconception m in its own words, or None."""
    if len(m.vocabulary) < CLAIM_WORDS:
        return None
    by_sentence: dict[int, dict[str, int]] = {}
    for i, t in enumerate(a.tokens):
        if t.term in m.vocabulary and not t.negated and not t.hedged and t.sentence not in a.distanced:
            by_sentence.setdefault(t.sentence, {}).setdefault(t.term, i)
    lacking = _lacking(m.claim)
    for s, words in by_sentence.items():
        words = _closest_run(words)
        if len(words) >= CLAIM_WORDS and m.core & words.keys() and not blocked(a, min(words.values())) \
                and not contrasted(a, min(words.values())) and not split(a, sorted(words.values())) \
                and not in_whereas(a, min(words.values())) \
                and not any(t.sentence == s and t.term in lacking and not t.negated for t in a.tokens):
            return sorted(words.values())
    return None


CLAIM_SPAN = 30
"""How far apart (tokens) a claim's own words may be and still make one claim: "it picks up grammar, facts and
patterns of reasoning, so ... often just from a prompt, and it's usually ... aligned afterwards to follow
instructions" says nothing of "following hand-written grammar rules". On the tuning sets 30 took that right answer
out and moved nothing else; 25 already lost a wrong claim said across a long sentence."""


def _closest_run(words: dict[str, int]) -> dict[str, int]:
    """The claim's words that sit within CLAIM_SPAN tokens of each other (the largest such run)."""
    if len(words) < CLAIM_WORDS:
        return words
    items = sorted(words.items(), key=lambda kv: kv[1])
    best: list[tuple[str, int]] = []
    for i in range(len(items)):
        run = [kv for kv in items[i:] if kv[1] - items[i][1] <= CLAIM_SPAN]
        if len(run) > len(best):
            best = run
    return dict(best)


@lru_cache(maxsize=4096)
def _lacking(claim: str) -> frozenset[str]:
    """What a claim says is missing ("used for medical decisions without human review"): a sentence in its own
    words that has it ("for medical or legal advice you'd want a human checking the output") says the opposite."""
    return frozenset(t.term for t in analyse(claim).tokens if t.negated and t.term and not t.function)
