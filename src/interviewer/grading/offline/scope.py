"""Where a word is in its answer (clause, sentence, part) and what a negator, a hedge or the speaker's not knowing
covers: the state offline.analyse's tokeniser keeps as it reads. Moved out of offline.analyse when the speaker's not
knowing was added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Token(Protocol):
    """What a scope reads and marks of a token (offline.analyse.Token)."""

    low: str
    sentence: int
    part: int
    function: bool
    term: str
    negated: bool
    hedged: bool
    unsure: bool

NEGATORS = frozenset("not no never without neither nor cannot non none lack lacks lacking".split())
NEG_SUFFIX = "n't"
NEGATION_SCOPE = 3
"""A negator negates the next few content-bearing tokens, up to a clause boundary."""
_NOT_A_DENIAL = frozenset("just only merely simply necessarily always all exactly".split())
"""After a negator these make a hedge or an addition, not a denial: "not just speed but memory"."""
UNSURE_SCOPE = 8
"""What the speaker says they do not know runs to the clause's end, longer than a denial ("I'm not sure how the
retrieval step finds relevant documents": "relevant documents" is no evidence either); a comma, a full stop or a
"but" ends it (`Scope.boundary`, _SCOPE_BREAK)."""
_NOT_KNOWING = frozenset("remember recall recollect know knew sure certain understand explain name".split())
"""The speaker's negator ("I don't", "I'm not", "I can't") whose first word is one of these denies the speaker's
knowing, not what follows: "I don't remember the details of how it routes the tokens" says nothing against routing
tokens, and "I'm not sure whether the weights change" is no denial that they do; nor is it evidence that the
speaker knows them (Token.unsure). Honest weak answers hedge like this all the time. Said of anything else it is
content: "self-attention doesn't know about order"."""
_SPEAKER = frozenset("i i'm im i've we we're".split())
_ADVERBS = frozenset("really honestly just actually genuinely still totally fully".split())
"""Said between the speaker and the negator ("I really don't remember")."""
_DIFFICULT = frozenset("hard harder difficult impossible tricky unreliable worse struggle struggles fail fails".split())
"""Before "without" in a clause, these make it say what is needed, not deny it: "answers are harder to parse without
an answer-extraction step" says the step helps."""
_VERSION = frozenset("version versions way form relaxation approximation analogue analog".split())
_SOFTENED = frozenset("soft softer smooth smoother differentiable continuous relaxed fuzzy".split())
"""What follows "a soft (smooth, differentiable ...) version of" is what the thing is likened to, not what it does:
"softmax is a smooth, differentiable version of picking the most relevant token" does not say softmax picks one."""
_SUBJECTS = frozenset("you we they i he she".split())
"""A new subject: after a "no" and its noun it starts another clause ("no recurrence you add ...")."""
_SAMENESS = frozenset("same identical equivalent".split())
"""Small words a phrasing keeps (offline.cues: SAME) that a negator before them denies without counting as one of
the content words it covers."""
_SENTENCE_END = frozenset(".!?;\n")
_PART_START = frozenset("""which where when whereas while because since but however although though unlike so then
instead rather whereby whose who if unless until except""".split())
_SCOPE_BREAK = frozenset("but however whereas while although though instead rather yet".split())


def is_negator(low: str) -> bool:
    """A word that negates what follows it ("not", "never", "without", "don't")."""
    return low in NEGATORS or low.endswith(NEG_SUFFIX)


@dataclass
class Scope:
    """Where the tokeniser is (clause, sentence, part) and how many content words the last negator or hedge
    still covers."""

    clause: int = 0
    sentence: int = 0
    part: int = 0
    neg_left: int = 0
    hedge_left: int = 0
    unsure_left: int = 0
    pending_negator: bool = False
    by_speaker: bool = False
    """The open negation is the speaker's ("I don't ...", "I'm not ...")."""
    neg_by_no: bool = False
    """The open negation is a "no" before a noun: a new subject after the noun ends it."""
    negated_clauses: set[int] = field(default_factory=set)
    difficult_clause: int = -1
    """The clause a word of `_DIFFICULT` was last said in."""

    def boundary(self, raw: str) -> None:
        if raw != ",":
            self.clause += 1
        if raw in _SENTENCE_END or raw == ":":
            self.sentence += 1
            self.part += 1
        self.neg_left = self.hedge_left = self.unsure_left = 0
        self.pending_negator = False

    def word(self, low: str, is_neg: bool, tokens: Sequence[Token]) -> None:
        """Before a word is made a token: whose negator it is, and whether it starts a clause or a part."""
        if is_neg:
            before = [t for t in tokens[-3:] if t.sentence == self.sentence and t.low not in _ADVERBS]
            self.by_speaker = bool(before) and before[-1].low in _SPEAKER
        if low in _DIFFICULT:
            self.difficult_clause = self.clause
        if low == "of" and len(tokens) >= 2 and tokens[-1].low in _VERSION and any(
                t.low in _SOFTENED and t.sentence == self.sentence for t in tokens[-4:-1]):
            self.hedge_left = NEGATION_SCOPE  # "a smooth, differentiable version of picking the best match"
        if low in _SCOPE_BREAK:
            self.clause += 1
            self.neg_left = self.unsure_left = 0
        if low in _SUBJECTS and self.neg_by_no and 0 < self.neg_left < NEGATION_SCOPE:
            self.neg_left = 0  # "since there's no recurrence you add positional encodings": "no" denies a noun
        if low in _PART_START and tokens and tokens[-1].part == self.part:
            self.part += 1

    def mark(self, tok: Token, low: str, is_neg: bool) -> None:
        """Open a negator's scope, or mark the token negated or hedged by the one before it."""
        if self.pending_negator and low in _NOT_A_DENIAL:  # "not just", "not only": a hedge, not a denial
            self.neg_left = 0
            self.hedge_left = NEGATION_SCOPE
            self.negated_clauses.discard(self.clause)
        self.pending_negator = False
        if self.neg_left == NEGATION_SCOPE and self.by_speaker and low in _ADVERBS:  # "I'm not totally sure"
            _speech(tok)
            return
        if self.neg_left == NEGATION_SCOPE and self.by_speaker and low in _NOT_KNOWING:  # "I don't remember how"
            _speech(tok)
            self.neg_left = 0
            self.unsure_left = UNSURE_SCOPE
            self.negated_clauses.discard(self.clause)
            return
        if is_neg and low == "without" and self.difficult_clause == self.clause:  # "harder ... without X"
            self.hedge_left = NEGATION_SCOPE
            return
        if is_neg:
            self.neg_left = 1 if low == "non" else NEGATION_SCOPE  # "non-negative": the prefix negates one word
            self.neg_by_no = low == "no"
            self.negated_clauses.add(self.clause)
            self.pending_negator = True
        elif self.neg_left and not tok.function:
            tok.negated = True
            self.neg_left -= 1
        elif self.neg_left and low in _SAMENESS:  # "not the same as prompt injection": no claim that it is
            tok.negated = True
        elif self.hedge_left and not tok.function:
            tok.hedged = True
            self.hedge_left -= 1
        elif self.unsure_left and not tok.function:
            tok.unsure = True
            self.unsure_left -= 1


def _speech(tok: Token) -> None:
    """A word of the speaker's not knowing ("I'm not totally sure", "I don't remember") says nothing of the subject:
    no content word (an honest weak answer's hedges made it read as less of the question's words than it is)."""
    tok.function = True
    tok.term = ""
