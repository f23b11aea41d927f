"""Which words a negation bears on beyond a negator's own few words of scope (offline.scope marks those): in a key
point's statement, and before a claim.

A statement with a negation in it ("Gives access to up-to-date or private info not in training data, without
retraining") once counted every one of its words only inside a negated clause, so "the model can answer using current
or private information it wasn't trained on" showed nothing of it. Its negated terms (`negated_terms`) now count only
negated and the rest either way (offline.cues.Cue.needs_negation); the statement's window still needs a negation among
its words (offline.match). Which word a denial falls on does not tell a denial of the point from the point in other
words: "they can never be merged back into the weights" still shows "Adapters can be merged into the weights, adding
no inference latency" in part, as it did, and "no base case" says "the base case is not included" (a rule that asked
for the negation on the statement's own words cost the Mohler agreement those answers).
"""

from __future__ import annotations

from functools import lru_cache

from .analyse import Analysis, analyse, term
from .opposites import FAILURES
from .scope import is_negator

_FAILURE_TERMS = frozenset(term(w) for w in FAILURES)


@lru_cache(maxsize=4096)
def _failures_of(text: str) -> frozenset[str]:
    return frozenset(t.term for t in analyse(text).tokens if t.term in _FAILURE_TERMS)


def against_a_failure(point: str, terms: tuple[str, ...]) -> bool:
    """A phrasing (its `terms`) of the key point `point` that names a failure the point's own text does not
    (opposites.FAILURES: "vanishing gradients" for "Stabilizes training and gradient flow") names what the point is
    against: denying it ("gradients don't explode or vanish") agrees with the point (offline.contradict)."""
    return any(t in _FAILURE_TERMS and t not in _failures_of(point) for t in terms)


def negated_terms(a: Analysis) -> frozenset[str]:
    """The terms said after a negator in its clause, never also before one or outside a negated clause: what the
    negation bears on ("weight", "update" in "Inference is a forward pass only, with no weight updates"; "inherently
    sensitive to token order" in "Attention is not inherently sensitive to token order"). By clause, not by the
    negator's few words of scope: "token order" is four words after "not"."""
    after: set[str] = set()
    before: set[str] = set()
    negator_in: set[int] = set()
    for t in a.tokens:
        if t.function and is_negator(t.low):
            negator_in.add(t.clause)
        elif t.term and not t.function:
            (after if t.clause in negator_in and t.clause in a.negated_clauses else before).add(t.term)
    return frozenset(after - before)


_ATTACHING = frozenset("for of in on to with every each all any a an the per across".split())
"""Words that attach what follows to the word before it ("an entry for every word in the language")."""


def attached_to_a_denial(a: Analysis, first: int) -> bool:
    """A claim's first word hangs on a negated word by a preposition or determiner only: the claim is what the
    denied words would need or have, not what the answer says ("you don't need a separate entry for every word in
    the language" does not say there is an entry for every word; the negator's scope, three words, ends at "entry").
    A word of substance between ("never to break its rules makes it essentially immune") ends it, and so does a
    comma. (A part-wide rule, any negator earlier in the part, lost real catches: negative signals such as "no
    communication between GPUs" and that "immune" claim.)"""
    s = a.tokens[first].sentence
    k = first - 1
    while k >= 0 and a.tokens[k].low in _ATTACHING and a.tokens[k].sentence == s:
        k -= 1
    if k < 0 or k == first - 1:
        return False
    t = a.tokens[k]
    return t.negated and not t.function and t.sentence == s and "," not in a.text[t.end:a.tokens[first].start]
