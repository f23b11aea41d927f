"""Judging correctness: the wrong claims an answer makes, found by what it says, not by which words occur.

Owns the question "does the answer say something false?", answered three ways, each strict (a wrong claim must be
*made*: every word of the phrase in one sentence, close together, not negated, and in order where order carries
the meaning):
- a known misconception of the question (the bank's hand-written claims) said in one of its signal phrasings;
- a key point denied: its own phrasing said under a negation ("you can't merge the adapters back");
- a key point inverted: its phrasing with one word swapped for its opposite ("approximate" for "exact",
  "higher" for "lower") or for its counterpart role ("the encoder generates" for "the decoder generates"), where
  the same sentence does not also say the point itself.
A sentence that reports a belief in order to reject it ("a common misconception is that ...") makes no claim.

What it cannot catch: a wrong claim in words no signal and no key point anticipates, a wrong number, wrong
reasoning built from right statements. The feedback says so (see feedback.NOTE_SCOPE).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from .analyse import Analysis, analyse, term
from .contrast import confuses_a_sibling, named_against, of_a_sibling
from .cues import (
    OPPOSITE,
    SAME_SIDE,
    CompiledKeyPoint,
    CompiledMisconception,
    CompiledQuestion,
    StrictCue,
    same_side_cues,
    telling,
)
from .denials import against_a_failure
from .match import match_key_point
from .opposites import OTHER_OPENING
from .ownwords import claim_in_own_words
from .said import consequence, of_the_counterpart, positions, rival_subjects, said, sayings
from .scope import NEGATORS
from .swaps import of_the_other_side, swapped


@dataclass(slots=True)
class WrongClaims:
    misconceptions: list[tuple[CompiledMisconception, list[int]]] = field(default_factory=list)
    """Known misconceptions said, each with the token indexes of the words that say it."""
    contradicted: dict[str, list[int]] = field(default_factory=dict)
    """Key point id -> the token indexes of the words that say its opposite."""
    why: list[str] = field(default_factory=list)
    """Which phrase matched, for each finding (for tests and for tuning on the development set)."""
    swapped: dict[str, int] = field(default_factory=dict)
    """Key point id -> the side of a comparison it was said of (offline.swaps): the other side's point."""
    restated: list[tuple[CompiledMisconception, list[int]]] = field(default_factory=list)
    """Misconceptions said in words that run across an earlier one's: the same wrong claim, described twice by the
    bank ("the encoder's outputs provide the queries and the decoder supplies the keys" is one swap of roles,
    however many entries describe it). Not listed or counted; their key points still count as contradicted."""
    repeated: list[list[int]] = field(default_factory=list)
    """A found misconception said again in another sentence (the words of each saying): the same claim, not
    counted again, but those sentences are no evidence of anything right either."""
    same_claim: dict[str, str] = field(default_factory=dict)
    """Key point id -> the key point whose swap is said in the same sentence of the same side: one wrong claim
    ("extrinsic evaluation looks at internal quality like perplexity" gives the intrinsic side two points)."""

    @property
    def explained(self) -> set[str]:
        """Key points a misconception found (listed or restated) says the opposite of: its claim covers them."""
        return {k for m, _ in self.misconceptions + self.restated for k in m.contradicts}

    @property
    def unexplained(self) -> dict[str, list[int]]:
        """Contradicted key points that are wrong claims of their own: no misconception found explains them and
        they are not the same claim as another point (`same_claim`)."""
        explained = self.explained | self.same_claim.keys()
        return {k: hits for k, hits in self.contradicted.items() if k not in explained}

    @property
    def count(self) -> int:
        """Distinct wrong claims: each misconception, and each contradicted key point no misconception explains."""
        return len(self.misconceptions) + len(self.unexplained)


def _denied(kp: CompiledKeyPoint, a: Analysis) -> tuple[list[int], str] | None:
    if not kp.deniable:
        return None
    for cue in kp.strict:
        # a negative phrase said under a negation is the point itself, a phrase of one telling word ("GPU
        # utilization") is not denied by a "can't" beside it, nor one that names the failure the point prevents
        if cue.negated or telling(cue.terms) < 2 or against_a_failure(kp.text, cue.terms):
            continue
        hits = said(cue, a, negated=True)
        if hits is not None:
            return hits, f"{kp.id} denied: {cue.text!r}"
    return None


DENIED_SHARE = 0.6
"""A key point's statement counts as denied when at least this share of its terms (and two) are said in one
sentence with a negation on one of them ("interpretability doesn't matter for safety, trust or debugging")."""


_NEGATORS = NEGATORS | {"n't", "can't", "cannot", "don't", "doesn't", "isn't", "aren't", "won't", "wasn't", "didn't"}


def _denied_statement(kp: CompiledKeyPoint, a: Analysis) -> tuple[list[int], str] | None:
    """The statement said under a denial in one sentence. A sentence with two negations ("without it you can't
    trust it") affirms as often as it denies, and one that says the point in its own negative words ("you don't
    update the original weights, you only train ...") says it: both are left alone."""
    statement = next((c for c in kp.cues if not c.phrase), None)
    if statement is None or statement.negated or not kp.deniable:
        return None
    by_sentence: dict[int, list[int]] = {}
    own = {a.tokens[h[0]].sentence for c in kp.strict if c.negated and (h := said(c, a)) is not None}  # "don't update"
    for t in statement.terms:
        for i in positions(t, a):
            by_sentence.setdefault(a.tokens[i].sentence, []).append(i)
    for s, hits in by_sentence.items():
        said_terms = {a.tokens[i].term for i in hits}
        if len(said_terms) < max(2, DENIED_SHARE * len(statement.terms)) or s in a.distanced or s in own:
            continue
        negators = sum(1 for t in a.tokens if t.sentence == s and t.function and t.low in _NEGATORS)
        affirmed = {a.tokens[i].term for i in hits if not a.tokens[i].negated}
        # A term said both ways in the sentence ("in-context learning ... no training happens") denies nothing.
        denied = {a.tokens[i].term for i in hits if a.tokens[i].negated and a.tokens[i].term not in affirmed}
        # the negation bears on the point, not on one word beside it ("add the phrase, without giving examples"),
        # and the point's last word, what it says of its subject, is not affirmed in the sentence ("you don't
        # change the model's weights, they stay frozen" restates "all the model's weights stay frozen")
        if negators == 1 and denied and 2 * len(denied) >= len(said_terms) \
                and statement.terms[-1] not in affirmed - denied:
            return sorted(hits), f"{kp.id} denied: {kp.text!r}"
    return None


def _inverted(kp: CompiledKeyPoint, a: Analysis, others: tuple[CompiledKeyPoint, ...] = (),
              subject: frozenset[str] = frozenset(), question: tuple[str, ...] = (),
              sides: frozenset[str] = frozenset()) -> tuple[list[int], str] | None:
    """The point said with one word swapped for its opposite, unless the same words say another of the
    question's points (`others`) in a sentence that is not about the point's own subject (`subject`: the
    question's subject terms): "training ... its weights get updated" is the point that training updates the
    weights, not "inference has no weight updates" turned round; "during inference ... each request updates
    the weights" is that point turned round."""
    several = bool(_COMPARING & set(question))
    for cue in kp.opposites:
        hits = said(cue, a)
        if hits is None:
            continue
        sentence = a.tokens[hits[0]].sentence
        condition = _conditions(kp, cue)
        if any(a.tokens[own[0]].sentence == sentence
               for c in kp.strict if not set(c.terms) <= condition[0] | set(subject)
               for v in same_side_cues(c) for own in sayings(v, a)):
            continue  # the sentence says the point too ("lower is better, higher is worse"; "bigger" for "larger")
        if _turned_twice(a, hits, condition) or _of_another(cue, a, hits) or named_against(
                question, _text_terms(kp.text), a, hits) or (several and _said_of_another_thing(
                kp, others, a, hits, subject, sides)):
            continue
        if not _names_own_subject(kp, a, sentence, subject) and any(
                (other := said(c, a)) is not None and set(other) & set(hits) for o in others for c in o.strict):
            continue
        return hits, f"{kp.id} inverted: {cue.text!r} as {cue.terms}"
    return None


_COMPARING = frozenset("difference differences between versus vs compare".split())  # a question on several things


def _said_of_another_thing(kp: CompiledKeyPoint, others: tuple[CompiledKeyPoint, ...], a: Analysis, hits: list[int],
                           subject: frozenset[str], sides: frozenset[str] = frozenset()) -> bool:
    """Said of another thing the question asks about: the nearest word before them in their sentence that tells
    its things apart (a subject word some key points use, others not) is not the point's own. "word-level needs a
    huge vocabulary" turns nothing round of "character-level uses a very small vocabulary"."""
    texts, lo = [_text_terms(k.text) for k in (kp, *others)], min(hits)
    markers = {t for t in subject | sides if 0 < sum(t in x for x in texts) < len(texts)}
    before = [t.term for t in a.tokens[:lo] if t.sentence == a.tokens[lo].sentence and t.term in markers]
    return bool(before) and before[-1] not in texts[0]


@lru_cache(maxsize=4096)
def _text_terms(text: str) -> frozenset[str]:
    return frozenset(t.term for t in analyse(text).tokens if t.term)


def _of_another(cue: StrictCue, a: Analysis, hits: list[int]) -> bool:
    """The opposite word said of another thing, the word right after it ("make models bigger and train on more
    data, the loss goes down" is no "more loss" for "loss decreases")."""
    own = _text_terms(cue.text)
    for i in hits:
        if a.tokens[i].term in own or i + 1 >= len(a.tokens):
            continue
        nxt = a.tokens[i + 1]
        if nxt.sentence == a.tokens[i].sentence and not nxt.function and nxt.term and nxt.term not in cue.terms \
                and a.text[a.tokens[i].end:nxt.start].strip() == "":
            return True
    return False


def _conditions(kp: CompiledKeyPoint, cue: StrictCue) -> tuple[frozenset[str], frozenset[str]]:
    """The direction words of the point's condition and their opposites: for "Low temperature gives more
    deterministic output" turned as "more random", ({low, lower, ...}, {high, higher, ...}). The words the turned
    cue came from are the claim, not the condition."""
    statement = next((c for c in kp.cues if not c.phrase), None)
    if statement is None:
        return frozenset(), frozenset()
    turned = {term(w) for w in cue.text.split()}
    own = {t for t in statement.terms if t in OPPOSITE and t not in turned}
    own |= {u for t in own for u in SAME_SIDE.get(t, ())}
    other = {o for t in own for o, role in OPPOSITE.get(t, ()) if not role}
    other |= {u for t in other for u in SAME_SIDE.get(t, ())}
    return frozenset(own), frozenset(other - own)


def _turned_twice(a: Analysis, hits: list[int], condition: tuple[frozenset[str], frozenset[str]]) -> bool:
    """The turned words are said of the opposite condition, which turns them back: "lower means more predictable
    and higher means more random" for "low temperature gives more deterministic output". Of the condition's
    direction words and their opposites, the one said nearest the turned words in their sentence decides."""
    own, other = condition
    sentence = a.tokens[hits[0]].sentence
    near = sorted((min(abs(i - h) for h in hits), i) for i, t in enumerate(a.tokens)
                  if t.sentence == sentence and i not in hits and t.term in own | other)
    return bool(near) and a.tokens[near[0][1]].term in other


def _names_own_subject(kp: CompiledKeyPoint, a: Analysis, sentence: int, subject: frozenset[str]) -> bool:
    """The sentence names the question's subject that the point is about ("inference" for "inference is a
    forward pass only"); False when the point names none."""
    statement = next((c for c in kp.cues if not c.phrase), None)
    own = {t for t in statement.terms if t in subject} if statement is not None else set()
    return bool(own) and any(t.sentence == sentence and t.term in own for t in a.tokens)


AFFIRMED_AT = 0.3
"""A key point matched at least this well outside the sentence that seems to contradict it is affirmed there:
the contradiction is about something else (the other side of a comparison: "fine-tuning updates the weights"
beside a point that in-context learning does not)."""


def _affirmed_elsewhere(kp: CompiledKeyPoint, a: Analysis, hits: list[int]) -> bool:
    sentence = a.tokens[hits[0]].sentence
    keep = {i for i, t in enumerate(a.tokens) if t.sentence != sentence}
    masked = replace(a, positions={k: v for k, v in ((k, [i for i in v if i in keep]) for k, v in a.positions.items())
                                   if v},
                     joined={k: v for k, v in ((k, [i for i in v if i in keep]) for k, v in a.joined.items()) if v})
    return match_key_point(kp, masked).score >= AFFIRMED_AT


def _side_words(cq: CompiledQuestion) -> frozenset[str]:
    """The words that name a comparison question's sides ("training" of "training data and inference")."""
    return frozenset(t for side in cq.sides.markers for t in side) if cq.sides else frozenset()


def _about_another(cq: CompiledQuestion, a: Analysis) -> set[int]:
    """Sentences that open on another thing set against the subject ("Knowledge distillation, by contrast, trains
    a smaller student model to imitate a teacher", asked about quantization): what they say is said of it. Not when
    the opening names the subject or a side of the question in its words ("Fixed encodings, by contrast, ...").
    """
    asked = set(cq.subject or ()) | _side_words(cq)
    out = set()
    for m in OTHER_OPENING.finditer(a.text.lower()):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        named = [t for t in a.tokens if m.start(g) <= t.start < m.end(g)]
        # the subject named with a word the question does not say is another thing ("Cross-attention" asked about
        # self-attention, "Prefix tuning" asked about prompt tuning)
        content = [t.term for t in named if t.term and not t.function]
        if content and not (any(t in asked for t in content)
                            and all(t in asked or t in cq.question_terms for t in content)):
            out.add(named[0].sentence)
    return out


def wrong_claims(cq: CompiledQuestion, a: Analysis,
                 siblings: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())) -> WrongClaims:
    """The known misconceptions the answer makes and the key points it says the opposite of. `siblings`: the words
    that name a sibling the bank marks as distinct and not the asked subject, and the reverse: a claim that is the
    sibling's (contrast.confuses_a_sibling) said of the sibling by its name (contrast.of_a_sibling) is not made."""
    out = WrongClaims()
    if other := _about_another(cq, a) - a.distanced:
        a = replace(a, distanced=a.distanced | other)
    claims: list[tuple[int, CompiledMisconception, list[int], str]] = []
    for m in cq.misconceptions:
        sib = siblings if confuses_a_sibling(m.claim, siblings[0]) else (frozenset(), frozenset())
        best = next(((len(cue.terms), hits, f"{m.id} said: {cue.text!r}") for cue in m.cues  # longest first
                     if (hits := said(cue, a, rivals=rival_subjects(m, cue))) is not None
                     and not of_a_sibling(a, hits, sib)), None)
        if best is None and (hits := claim_in_own_words(m, a)) is not None and not of_a_sibling(a, hits, sib):
            best = 0, hits, f"{m.id} said in its own words: {sorted({a.tokens[i].term for i in hits})}"
        if best is not None:
            claims.append((best[0], m, best[1], best[2]))
    # Where two claims are said in the same words, the one said most specifically is the claim made: "GPT has
    # both an encoder and a decoder" is the encoder-decoder claim, not the encoder-only one it also brushes.
    for _, m, hits, why in sorted(claims, key=lambda x: -x[0]):  # stable: the bank's order among equals
        again = _overlaps(hits, out.misconceptions)
        (out.restated if again else out.misconceptions).append((m, hits))
        out.why.append(why + (" (the same words as an earlier claim)" if again else ""))
        for k in m.contradicts:
            out.contradicted.setdefault(k, hits)
        out.repeated += _said_again(m, a, hits) + [c for c in [consequence(a, hits)] if c]
    for kp in cq.key_points:
        if kp.id in out.contradicted or kp.derived:
            continue
        others = tuple(o for o in cq.key_points if o is not kp)
        found = _denied(kp, a) or _denied_statement(kp, a) or _inverted(kp, a, others, frozenset(cq.subject or ()),
                                                                        cq.question_words, _side_words(cq))
        if found is not None and not _affirmed_elsewhere(kp, a, found[0]) \
                and not of_the_counterpart(kp, a, found[0]) \
                and not (cq.sides is not None and of_the_other_side(cq.sides, kp.id, a, found[0])):
            out.contradicted[kp.id] = found[0]
            out.why.append(found[1])
    _swaps(cq, a, out)
    return out


RESTATED_BY = 2
"""A sentence that uses this many of a found misconception's recurring words says it again."""


def _said_again(m: CompiledMisconception, a: Analysis, hits: list[int]) -> list[list[int]]:
    """The words of each other sentence that says misconception m again: any of its signals, or RESTATED_BY of
    its recurring words (`CompiledMisconception.recurring`). Once a candidate is found explaining a neighbour,
    the rest of the explanation shares facts with the asked concept ("you collect pairs ... where a person marked
    one as preferred" for RLHF, said of DPO) and showed them as covered: on the tuning sets this took an off-topic
    answer above the weak one to the same question from 5 to 3 of 395, wrong answers' mean 8.1 -> 7.6, and moved
    no strong, partial, weak or mixed answer (with any one of its words, not two signals' words: 2 of 395, but 6
    mixed answers lost right sentences that shared everyday words with the claim, "small effect on the loss")."""
    here = {a.tokens[i].sentence for i in hits}
    out = []
    for cue in m.cues:
        for again in sayings(cue, a, rivals=rival_subjects(m, cue)):
            if a.tokens[again[0]].sentence not in here:
                here.add(a.tokens[again[0]].sentence)
                out.append(again)
    words: dict[int, dict[str, int]] = {}
    for i, t in enumerate(a.tokens):
        if t.term in m.recurring and not t.dropped and t.sentence not in here and t.sentence not in a.distanced:
            words.setdefault(t.sentence, {}).setdefault(t.term, i)
    out += [sorted(w.values()) for w in words.values() if len(w) >= RESTATED_BY]
    return out


def _overlaps(hits: list[int], found: list[tuple[CompiledMisconception, list[int]]]) -> bool:
    """These words run across the words of a claim already found."""
    lo, hi = min(hits), max(hits)
    return any(lo <= max(h) and min(h) <= hi for _, h in found)


def _swaps(cq: CompiledQuestion, a: Analysis, out: WrongClaims) -> None:
    """A comparison's key points said of the wrong side (offline.swaps), unless already contradicted."""
    if cq.sides is None:
        return
    first: dict[tuple[int, int], str] = {}  # (sentence, side) -> the first key point swapped there
    for sw in swapped(cq.sides, a):
        if sw.key_point not in out.contradicted:
            out.contradicted[sw.key_point] = sw.hits
            out.swapped[sw.key_point] = sw.said_of
            out.why.append(f"{sw.key_point} said of {cq.sides.names[sw.said_of]!r}")
            where = (a.tokens[sw.hits[0]].sentence, sw.said_of)
            if where in first:
                out.same_claim[sw.key_point] = first[where]
            else:
                first[where] = sw.key_point
