"""Key points as the offline grader uses them: derived from a reference when none are curated, then compiled.

Owns two jobs:
- `derive_key_points(reference)`: for questions without hand-written key points (a JSONL of question/reference/
  answer, an imported bank with none), cut the reference into short units (bullets, sentences, clauses, and
  long clauses into pieces of a few content words) so coverage can be partial rather than all-or-nothing.
- `compile_question(question)`: turn every key point's statement and alternative phrasings into *cues* (sets
  of matching terms with weights), and the reference into a weighted term profile, once per question.

Terms that appear in the question are weighted down: repeating the question's words shows nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...core.models import Misconception, Question
from .analyse import Analysis, Token, analyse, char_grams, claim_term, function_ratio
from .comparatives import predicative
from .denials import negated_terms
from .derive import clean, derive_key_points
from .lists import asks_for_many
from .opposites import ANTONYMS, MARKERS, POLARITY, ROLES
from .quantities import Quantity, of_texts
from .swaps import Sides, compile_sides
from .words import EVERYDAY, FRAME_TERMS, GENERIC_TERMS

QUESTION_WEIGHT = 0.6
"""Weight of a reference term that the question already contains (the rest weigh 1 or GENERIC_WEIGHT)."""
GENERIC_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Cue:
    terms: tuple[str, ...]
    weights: tuple[float, ...]
    phrase: bool
    """A short alternative phrasing: its words must all occur near each other. Else a statement (recall)."""
    negated: bool
    """The cue itself is negative ("no labels"), so negated occurrences in the answer count for it."""
    negated_terms: frozenset[str] = frozenset()
    """For a statement with a negation in it, the terms the negation bears on (offline.denials.negated_terms)."""

    def needs_negation(self, t: str) -> bool | None:
        """Whether term t counts only negated (True), only affirmed (False) or either way (None): a phrase is
        negative or not as a whole; a statement's negated terms count only negated, the rest either way."""
        if self.phrase or not self.negated_terms:
            return self.negated
        return True if t in self.negated_terms else None

    @property
    def total(self) -> float:
        return sum(self.weights)


@dataclass(frozen=True, slots=True)
class StrictCue:
    """A phrase that counts only when said whole: every term in one sentence, close together, not negated (unless
    the phrase is itself negative), and in this order when `ordered`. Used for claims, where "most of the words"
    is not enough: a wrong claim must be made, not brushed against."""

    terms: tuple[str, ...]
    """Content terms in order; order markers (before/after) appear as "@before" / "@after"."""
    ordered: bool
    negated: bool
    text: str
    negated_terms: frozenset[str] = frozenset()
    """The terms the phrase itself negates ("without examples the model can't do the task": all three)."""
    linked: int = -1
    """For a signal said the other way round (offline.comparatives), the index of the term a form of "be" must follow
    ("the quality is slightly lower", not "a teacher into a smaller student"); -1 for every other cue."""


@dataclass(frozen=True, slots=True)
class CompiledKeyPoint:
    id: str
    text: str
    cues: tuple[Cue, ...]
    derived: bool
    strict: tuple[StrictCue, ...] = ()
    """The point's own short phrasings, said whole (for a denial: "you can't merge the adapters")."""
    opposites: tuple[StrictCue, ...] = ()
    """The same phrasings with one word swapped for its opposite or its counterpart role: saying one is saying
    the opposite of the point."""
    deniable: bool = False
    """Whether saying the point under a negation denies it (not for a point against something: see `against`)."""
    quantities: tuple[Quantity, ...] = ()
    """The numbers the point states ("about 50K tokens"): a sentence giving another number of the same unit does
    not show it (offline.quantities)."""


@dataclass(frozen=True, slots=True)
class CompiledMisconception:
    id: str
    claim: str
    correction: str
    contradicts: tuple[str, ...]
    cues: tuple[StrictCue, ...]
    """Its signals, longest first: the first one said is the most specific saying of the claim."""
    vocabulary: frozenset[str] = frozenset()
    """The claim's own words: terms its claim and signals use that no right statement of the question does
    (question, reference, key points and their phrasings, every correction). A sentence that says several of
    them, one from the claim itself, makes the claim in words nobody wrote as a signal."""
    core: frozenset[str] = frozenset()
    """The part of `vocabulary` that the claim's own sentence uses (what the claim is about, not its phrasing)."""
    recurring: frozenset[str] = frozenset()
    """The part of `vocabulary` that two or more of its signals use: the words the wrong idea keeps coming back
    to (a neighbour's mechanism, as the bank's writers kept saying it)."""


@dataclass(frozen=True)
class CompiledQuestion:
    key_points: tuple[CompiledKeyPoint, ...]
    derived: bool
    ref_weights: dict[str, float]
    ref_negated: frozenset[str]
    """Reference terms said in a negated clause: a negated mention in the answer counts for them."""
    ref_grams: dict[str, int]
    question_terms: frozenset[str]
    question_words: tuple[str, ...]
    vocabulary: frozenset[str]
    ref_function_ratio: float
    ref_words: int
    misconceptions: tuple[CompiledMisconception, ...] = ()
    subject: dict[str, str] | None = None
    """The question's subject terms (term -> the question's word): its content words, less GENERIC and
    QUESTION_FRAME. An answer that names none of them and uses little of the question's vocabulary answers
    another question. None when the question has no such word ("What is an LLM?")."""
    sides: Sides | None = None
    """A comparison question's two sides and the key points of each (offline.swaps), else None."""
    shared: frozenset[str] = frozenset()
    """Terms that two or more key points' phrasings use ("layer" in a block's sublayers): a point's evidence is
    quoted where its own words are rather than these (`match.evidence`)."""
    asks_for_many: bool = False
    """The question asks for several things by name (offline.lists.asks_for_many): a spoken enumeration is its
    answer, not a keyword list."""


def term_weight(t: str, question_terms: frozenset[str] | set[str]) -> float:
    w = GENERIC_WEIGHT if t in GENERIC_TERMS else 1.0
    return w * QUESTION_WEIGHT if t in question_terms else w


SAME = "@same"
"""The term a key point's "same" is kept as ("same compute budget", "the same sequence"): the analyser drops "same"
as a function word, and without it any answer that mentioned a compute budget showed "Chinchilla beat Gopher with
the same compute"."""


ORDER_MARKERS = frozenset(("@before", "@after"))
"""Kept in a key point's short phrasing, where they are its meaning: "after the feed forward" (the order of the
block) is not "feed forward", nor "after SFT" (when RLHF is done) "SFT"; `match` asks for them on the same side of
the next word as the phrasing puts them."""


def _kept(t: Token, phrase: bool) -> str | None:
    """The term a phrasing keeps for this token: its content term, "same" as SAME, and in a short phrasing the
    order markers (ORDER_MARKERS)."""
    marker = MARKER_OF.get(t.low)
    if marker == "same":
        return SAME
    if phrase and marker and "@" + marker in ORDER_MARKERS:
        return "@" + marker
    return t.term if not t.function and t.term else None


def _cue(a: Analysis, phrase: bool, qterms: frozenset[str]) -> Cue | None:
    terms = tuple(dict.fromkeys(k for t in a.tokens if (k := _kept(t, phrase))))
    if all(t == SAME or t in ORDER_MARKERS for t in terms):  # small words alone ("everything before it") say nothing
        return None
    negated = bool(a.negated_clauses)
    return Cue(terms, tuple(term_weight(t, qterms) for t in terms), phrase, negated,
               negated_terms(a) if negated else frozenset())


_LIST_LABEL = re.compile(r"^(?:[\w-]+ ){0,2}(?:examples?|techniques|methods|mitigations|challenges|workarounds|"
                         r"applications|tasks|tools|approaches|strategies|factors|constraints|components):\s", re.I)
"""A key point that opens on a label for things it then lists ("Examples of PEFT: ...", "Inference techniques:")."""


def _lists_things(text: str) -> bool:
    return bool(_LIST_LABEL.match(text))


def compile_question(q: Question) -> CompiledQuestion:
    qa = analyse(q.question)
    qterms = frozenset(qa.positions)
    curated = bool(q.key_points)
    kps = q.key_points if curated else derive_key_points(q.reference)
    compiled: list[CompiledKeyPoint] = []
    vocab: set[str] = set(qterms)
    for kp in kps:
        cues: list[Cue] = []
        texts = [analyse(text) for text in [kp.text, *kp.alternatives]]
        for ta, phrase in zip(texts, [False] + [True] * len(kp.alternatives), strict=True):
            c = _cue(ta, phrase, qterms)
            if c is not None:
                cues.append(c)
                vocab.update(t for t in c.terms if t != SAME)
        statement = strict_cue(kp.text)
        # A point against something ("prevents underflow"): its phrases name what it rejects, so saying them under
        # a negation agrees with it, and they are not claims of its own. A point that is itself negative ("never
        # materializes the full matrix") keeps its phrases for the opposites ("weights frozen" -> "weights
        # updated"), but saying one under a negation is no denial of it either ("you never store the whole
        # attention matrix").
        own = not against(kp.text)
        deniable = own and not (statement is not None and statement.negated)
        strict = () if not own else tuple(
            sc for text in [kp.text] + list(kp.alternatives)
            if (sc := strict_cue(text)) is not None and 2 <= len(sc.terms) <= STRICT_MAX_TERMS)
        # a point that names both sides itself ("local windows plus global tokens") inverts neither, and a point
        # that lists things ("Mitigations: FlashAttention, sparse/linear attention") names them, claims nothing of
        # them: "attention is quadratic" does not turn "linear attention" round
        both_sides = frozenset(t for c in cues if not c.negated for t in c.terms if t != SAME)
        opposites = () if _lists_things(kp.text) else tuple(o for sc in strict for o in opposite_cues(sc, both_sides))
        compiled.append(CompiledKeyPoint(kp.id, kp.text, tuple(cues), not curated, strict, opposites, deniable,
                                         of_texts(texts)))
    ra = analyse(clean(q.reference))
    weights = {t: term_weight(t, qterms) for t in ra.positions}
    vocab.update(weights)
    right = set(vocab) | {t for m in q.misconceptions for t in analyse(m.correction).positions}
    misconceptions = tuple(_misconception(m, right) for m in q.misconceptions)
    return CompiledQuestion(
        key_points=tuple(compiled), derived=not curated, ref_weights=weights, misconceptions=misconceptions,
        ref_negated=frozenset(t.term for t in ra.tokens if t.term and t.clause in ra.negated_clauses),
        ref_grams=char_grams(ra.text), question_terms=qterms,
        question_words=(words := tuple(t.low for t in qa.tokens)), vocabulary=frozenset(vocab),
        ref_function_ratio=function_ratio(ra), ref_words=len(ra.tokens), subject=subject_words(qa),
        sides=compile_sides(q, GENERIC_TERMS, FRAME_TERMS) if curated else None,
        shared=frozenset(t for t, n in Counter(t for kp in compiled for t in {t for c in kp.cues for t in c.terms}
                                               ).items() if n > 1),
        asks_for_many=asks_for_many(words),
    )


def subject_words(qa: Analysis) -> dict[str, str] | None:
    frame = GENERIC_TERMS | FRAME_TERMS
    words = {t.term: qa.text[t.start:t.end] for t in qa.tokens if t.term and not t.function and t.term not in frame}
    return words or None


def _misconception(m: Misconception, right: set[str]) -> CompiledMisconception:
    said = [sc for sig in m.signals if (sc := strict_cue(sig, ordered=True)) is not None and len(sc.terms) >= 2]
    said += [StrictCue(p[0], sc.ordered, sc.negated, sc.text, sc.negated_terms, linked=p[1])
             for sc in said if (p := predicative(sc.text, sc.terms)) is not None]
    cues = tuple(sorted(said, key=lambda c: -len(c.terms)))
    vocabulary = own_words([m.claim, *m.signals], right)
    uses = Counter(t for c in cues for t in set(c.terms))
    return CompiledMisconception(m.id, m.claim, m.correction, tuple(m.contradicts), cues, vocabulary,
                                 own_words([m.claim], right) & vocabulary,
                                 frozenset(t for t in vocabulary if uses[t] >= 2))


def own_words(texts: list[str], right: set[str]) -> frozenset[str]:
    """Specific terms of `texts` that are not in `right` (no generic word, no single letter, no number, none of
    the EVERYDAY words that any sentence of this field may say)."""
    return frozenset(t for text in texts for t in analyse(text).positions
                     if t not in right and len(t) > 1 and t not in GENERIC_TERMS and t not in EVERYDAY
                     and not t.isdigit())


STRICT_MAX_TERMS = 5
"""Phrasings with more content terms than this are statements, matched by recall; only short ones are strict."""


LIGHT_VERBS = frozenset("use uses used using need needs needed require requires required make makes made get gets "
                        "involve involves mean means".split())
"""Verbs that carry no claim of their own: "inference uses backprop" and "inference needs backprop" say the same."""


def strict_cue(text: str, *, ordered: bool = False) -> StrictCue | None:
    """The content terms (and order markers) of a short phrase, in order; light verbs left out when the phrase
    keeps two terms without them. An ordered phrase keeps a word it says twice apart ("doubling the context
    doubles the cost" must say "double" twice, or "doubling the context quadruples the cost" says it)."""
    a = analyse(text)
    terms: list[str] = []
    light = {t.term for t in a.tokens if t.low in LIGHT_VERBS}
    for t in a.tokens:
        if t.low in MARKER_OF:
            terms.append("@" + MARKER_OF[t.low])
        elif not t.function and t.term and (ct := claim_term(t)) and (ct not in terms or (ordered and terms[-1] != ct)):
            terms.append(ct)
    if len([t for t in terms if t not in light]) >= 2:
        terms = [t for t in terms if t not in light]
    if not terms:
        return None
    # "doesn't always correlate" is a negative phrase too, though its hedge keeps it from denying "correlate".
    negative = bool(a.negated_clauses) or any(t.hedged for t in a.tokens)
    return StrictCue(tuple(terms), ordered, negative, text,
                     frozenset(claim_term(t) for t in a.tokens if t.negated and t.term and not t.function))


def against(text: str) -> bool:
    """A point against something ("prevents underflow", "limited by context length"): its phrases name what it
    is against, so saying them under a negation agrees with it. (A point's own negative phrases, "no weight
    updates", are left out of the denial check one by one.)"""
    return any(t.low in POLARITY for t in analyse(text).tokens)


def telling(terms: tuple[str, ...]) -> int:
    """Terms of a phrase that say something of their own (not everyday words, not the words that frame a
    question): "GPU utilization" has one ("utilization" folds into "use"), so it cannot be denied or inverted."""
    return sum(1 for t in terms if t.startswith("@") or (t not in GENERIC_TERMS and t not in FRAME_TERMS))


def opposite_cues(sc: StrictCue, named: frozenset[str] = frozenset()) -> list[StrictCue]:
    """`sc` with one term swapped for an opposite (any order) or a counterpart role (the cue's order); not to an
    opposite the key point itself names (`named`: the terms of all its phrasings)."""
    if sc.negated:
        return []
    out: list[StrictCue] = []
    for i, t in enumerate(sc.terms):
        for o, role in OPPOSITE.get(t, ()):
            if o in sc.terms or o in named:  # "encoder and decoder": both sides named, nothing to invert
                continue
            if role and len(sc.terms) < 3:  # "draft model" -> "target model" names the other role, claims nothing
                continue
            if telling(sc.terms) < 2:  # "smaller models" -> "bigger models": only the swapped word would be left
                continue  # to say what is wrong ("models" frames the question), so nothing wrong is said
            terms = sc.terms[:i] + (o,) + sc.terms[i + 1:]
            out.append(StrictCue(terms, role or sc.ordered, False, sc.text))
    return out


def _opposites() -> tuple[dict[str, list[tuple[str, bool]]], dict[str, str]]:
    from .analyse import term

    marker_of = {w: group for group, words in MARKERS.items() for w in words}

    def key(w: str) -> str:
        return "@" + marker_of[w] if w in marker_of else term(w)

    table: dict[str, list[tuple[str, bool]]] = {}
    for pairs, role in ((ANTONYMS, False), (ROLES, True)):
        for left, right in pairs:
            lk, rk = {key(w) for w in left}, {key(w) for w in right}
            for a_ in lk:
                for b in rk:
                    if a_ != b:
                        table.setdefault(a_, []).append((b, role))
                        table.setdefault(b, []).append((a_, role))
    return table, marker_of


OPPOSITE, MARKER_OF = _opposites()
"""term -> [(its opposite term, whether they are roles)]; a marker word -> its group ("across" -> "between")."""


def _same_side() -> dict[str, frozenset[str]]:
    from .analyse import term

    table: dict[str, frozenset[str]] = {}
    for pair in ANTONYMS:
        for side in pair:
            terms = frozenset(term(w) for w in side)
            for t in terms:
                table[t] = table.get(t, frozenset()) | terms
    return table


SAME_SIDE = _same_side()
"""term -> the terms on its side of an antonym pair ("larger" -> "larger", "bigger"): words that say the same
direction, for telling a sentence that names both directions ("a smaller vocabulary means longer sequences, a
bigger one shorter sequences") from one that inverts a point."""


def same_side_cues(sc: StrictCue) -> list[StrictCue]:
    """`sc`, and `sc` with one word replaced by another word of its side of an antonym pair ("bigger" for
    "larger")."""
    out = [sc]
    for i, t in enumerate(sc.terms):
        out += [StrictCue(sc.terms[:i] + (o,) + sc.terms[i + 1:], sc.ordered, sc.negated, sc.text, sc.negated_terms)
                for o in SAME_SIDE.get(t, ()) if o != t]
    return out
