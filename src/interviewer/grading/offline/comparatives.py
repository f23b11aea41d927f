"""A bank signal that ends on a comparative and what it qualifies ("slightly lower quality"), in the order a
candidate says it: what it qualifies first, then a form of "be" ("the quality is slightly lower"). offline.cues
compiles the reordered signal as one more cue of its misconception, `linked` at the word "be" must follow
(offline.said checks it): without the "be", "a large teacher into a smaller student" would say "a smaller teacher".
"""

from __future__ import annotations

import re

from .analyse import analyse, claim_term

COMPARATIVES = frozenset("""lower higher better worse faster slower larger smaller bigger cheaper costlier longer
shorter fewer less more greater""".split())
"""Words that compare, which a signal may put before what they qualify and a candidate after it."""
_WORD = re.compile(r"[a-z]+")


def predicative(text: str, terms: tuple[str, ...]) -> tuple[tuple[str, ...], int] | None:
    """The terms of signal `text` (its strict cue's `terms`) with the word the closing comparative qualifies said
    first, and the index of that word (after which "be" must come); None for a signal that does not end so. An
    adverb of the comparative goes along ("slightly lower")."""
    if COMPARATIVES.isdisjoint(_WORD.findall(text.lower())):  # most signals: spare them a second analysis
        return None
    content = [t for t in analyse(text).tokens if t.term and not t.function]
    if len(content) < 2 or len(terms) < 2 or content[-2].low not in COMPARATIVES \
            or terms[-2:] != (claim_term(content[-2]), claim_term(content[-1])):
        return None
    head, at = terms[-1], len(terms) - 2
    if at > 0 and len(content) >= 3 and content[-3].low.endswith("ly") and terms[at - 1] == claim_term(content[-3]):
        at -= 1  # "slightly lower": the adverb goes along
    if head in terms[:-1]:
        return None
    return (*terms[:at], head, *terms[at:-1]), at
