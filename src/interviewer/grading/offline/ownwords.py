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
    for s, said in by_sentence.items():
        if any(t.sentence == s and t.term in lacking and not t.negated for t in a.tokens):
            continue
        for words in _runs(said):
            first = min(words.values())
            if blocked(a, first) or contrasted(a, first) or in_whereas(a, first):
                break  # said of something else, or not said: the sentence makes no claim
            if m.core & words.keys() and not split(a, sorted(words.values())):
                return sorted(words.values())
    return None


CLAIM_SPAN = 30
"""How far apart (tokens) a claim's own words may be and still make one claim: "it picks up grammar, facts and
patterns of reasoning, so ... often just from a prompt, and it's usually ... aligned afterwards to follow
instructions" says nothing of "following hand-written grammar rules". On the tuning sets 30 took that right answer
out and moved nothing else; 25 already lost a wrong claim said across a long sentence."""


def _runs(words: dict[str, int]) -> list[dict[str, int]]:
    """The runs of the claim's words that sit within CLAIM_SPAN tokens of each other and number CLAIM_WORDS or
    more, largest first (the earliest first among equals). They are asked in turn until one makes the claim, for as
    long as the run turned down was turned down for itself (a word between its words that makes two things of them,
    "but", ", while": `split`; or none of them the claim's core), not for where it stands (after a contrast, in a "whereas" clause, blocked): those say the
    sentence makes no claim. Asking only the largest lost a claim whenever the bank's phrasings gave the
    misconception a word said in another clause: "It's mostly done after launch, though, since you need real user
    traffic ... monitor production logs" (train-part10) lost its red-teaming claim when a phrasing added "mostly".
    Asking every run whatever turned the first down told a right HELM answer it claimed crowd preferences
    ("As opposed to MMLU ..., or Chatbot Arena, where ... ratings from crowd preferences", train-part15)."""
    items = sorted(words.items(), key=lambda kv: kv[1])
    runs = [dict(kv for kv in items[i:] if kv[1] - items[i][1] <= CLAIM_SPAN) for i in range(len(items))]
    return sorted((r for r in runs if len(r) >= CLAIM_WORDS), key=len, reverse=True)


@lru_cache(maxsize=4096)
def _lacking(claim: str) -> frozenset[str]:
    """What a claim says is missing ("used for medical decisions without human review"): a sentence in its own
    words that has it ("for medical or legal advice you'd want a human checking the output") says the opposite."""
    return frozenset(t.term for t in analyse(claim).tokens if t.negated and t.term and not t.function)
