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

import re
from dataclasses import dataclass, field, replace

from .analyse import NEGATORS, Analysis, term
from .cues import (
    MARKER_OF,
    OPPOSITE,
    CompiledKeyPoint,
    CompiledMisconception,
    CompiledQuestion,
    StrictCue,
    strict_cue,
    telling,
)
from .match import match_key_point, near
from .opposites import BLOCKERS, BREAKS, PRIVATIVE
from .swaps import swapped

MAX_CONTENT_GAP = 1
"""At most this many other content words between two words of a strict phrase ("runs, um, the whole thing in
parallel" says "runs in parallel"; "runs the model and later in parallel decodes" does not)."""
MAX_TOKEN_GAP = 6
BLOCK_WINDOW = 4
"""How far before a claim a blocking word ("prevents", "instead of") turns it away."""
"""And at most this many tokens of any kind (fillers, small words) from one word to the next."""


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
    same_claim: dict[str, str] = field(default_factory=dict)
    """Key point id -> the key point whose swap is said in the same sentence of the same side: one wrong claim
    ("extrinsic evaluation looks at internal quality like perplexity" gives the intrinsic side two points)."""

    @property
    def count(self) -> int:
        """Distinct wrong claims: each misconception, and each contradicted key point no misconception explains."""
        explained = {k for m, _ in self.misconceptions for k in m.contradicts} | self.same_claim.keys()
        return len(self.misconceptions) + sum(1 for k in self.contradicted if k not in explained)


def _positions(t: str, a: Analysis) -> list[int]:
    """Token indexes where term t is said (exactly, as a synonym, a joined compound, or a near form)."""
    if t.startswith("@"):
        want = t[1:]
        return [i for i, tok in enumerate(a.tokens) if not tok.dropped and MARKER_OF.get(tok.low) == want]
    hits = list(a.positions.get(t, ())) + list(a.joined.get(t, ()))
    if hits:
        return hits
    for u, idx in a.positions.items():
        if u[:1] == t[:1] and near(t, u):
            return list(idx)
    return []


def said(cue: StrictCue, a: Analysis, *, negated: bool = False, rivals: frozenset[str] = frozenset()) -> list[int] | None:
    """The token indexes of the closest complete saying of `cue` in one sentence, or None.

    negated=False: no chosen word may be negated (unless the cue is itself negative); negated=True: at least one
    must be (the phrase said under a denial). Sentences that report a belief to reject it are skipped. `rivals`:
    terms that, said between the phrase's words, make two subjects of it (see `_rivals`)."""
    per_term = [_positions(t, a) for t in cue.terms]
    if not all(per_term):
        return None
    sentences = set.intersection(*({a.tokens[i].sentence for i in p} for p in per_term)) - a.distanced
    best: list[int] | None = None
    for s in sorted(sentences):
        groups = [[i for i in p if a.tokens[i].sentence == s] for p in per_term]
        for chosen in _choices(groups, cue.ordered):
            if not _fits(cue, a, chosen, negated) or _rival_between(a, chosen, rivals):
                continue
            if best is None or max(chosen) - min(chosen) < max(best) - min(best):
                best = chosen
        if best is not None:
            return best
    return None


def _fits(cue: StrictCue, a: Analysis, chosen: list[int], negated: bool) -> bool:
    """Whether these tokens say `cue`: close together, about one subject, and negated (or not) as `said` asks
    (a denial negates at least half of the phrase's words: "a mask so it doesn't see the future" denies nothing
    about "mask future tokens")."""
    if not _close(a, chosen, claim=cue.text):
        return False
    if _other_side_between(cue, a, chosen):
        return False
    flags = [a.tokens[i].negated for i in chosen]
    if negated and not cue.negated and 2 * sum(flags) < len(flags):
        return False
    if negated and "," in a.text[a.tokens[min(chosen)].end:a.tokens[max(chosen)].start]:
        return False  # a negation ends at a comma: "doesn't collapse onto a few experts, there's capacity" denies
        # nothing about "expert capacity"
    if "@always" in cue.terms or "@all" in cue.terms or "@only" in cue.terms:
        # "isn't always better" rejects "always better" although the hedge keeps it from denying "better"
        flags = [f or a.tokens[i].hedged for f, i in zip(flags, chosen, strict=True)]
    elif not negated and any(a.tokens[i].hedged for i in chosen):
        return False  # "alignment isn't just prompt engineering" does not say it is prompt engineering
    if negated != any(flags) and not cue.negated:
        return False
    if cue.negated and not any(flags):  # the negation must bear on the phrase's own words
        return False
    return negated or not (_blocked(a, min(chosen)) or _in_condition(a, chosen))


def _blocked(a: Analysis, first: int) -> bool:
    """A word just before the claim turns it away ("prevents the model from looking ahead")."""
    s = a.tokens[first].sentence
    return any(a.tokens[k].low in BLOCKERS for k in range(max(0, first - BLOCK_WINDOW), first)
               if a.tokens[k].sentence == s)


_SPLIT_WORDS = BREAKS | PRIVATIVE
_SPLITTERS = _SPLIT_WORDS | {"then"}


def _other_side_between(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """The counterpart of one of the claim's words said between its words: they are about two subjects ("had an
    encoder and a decoder, the encoder reads the input" does not say "the decoder reads the input")."""
    other = {o for t in cue.terms for o, _ in OPPOSITE.get(t, ())} - set(cue.terms)
    picked = set(chosen)
    return bool(other) and any(a.tokens[k].term in other for k in range(min(chosen) + 1, max(chosen))
                               if k not in picked)


def _rival_between(a: Analysis, chosen: list[int], rivals: frozenset[str]) -> bool:
    picked = set(chosen)
    return bool(rivals) and any(a.tokens[k].term in rivals for k in range(min(chosen) + 1, max(chosen))
                                if k not in picked)


def _rivals(m: CompiledMisconception, cue: StrictCue) -> frozenset[str]:
    """The other subject of a misconception that pairs two things the wrong way round: in its claim ("BLEU is for
    summarization and ROUGE is for translation") a word that comes after this signal's first word and one of its
    other words, and begins another of its signals ("ROUGE for translation"). Said between this signal's words it
    is what they are said of: "BLEU, and I think ROUGE for summarization" puts ROUGE on summaries, not BLEU."""
    named = strict_cue(m.claim)
    if named is None or not cue.terms or cue.terms[0] not in named.terms:
        return frozenset()
    claim = named.terms
    start = claim.index(cue.terms[0])
    said_of = next((i for i in range(start + 1, len(claim)) if any(near(claim[i], t) for t in cue.terms[1:])), None)
    if said_of is None:
        return frozenset()
    firsts = {c.terms[0] for c in m.cues if c.terms}
    names = {term(w.lower()) for w in _NAME.findall(m.claim)}  # BLEU, ROUGE, Longformer: not "model" or "accuracy"
    return frozenset(t for t in claim[said_of + 1:] if t in firsts and t in names and t not in cue.terms)


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w-]*")
_CONDITIONS = frozenset("if unless whether".split())


def _in_condition(a: Analysis, chosen: list[int]) -> bool:
    """The claim's words all inside an "if" clause: a condition, not something asserted ("if you just keep
    fine-tuning on new data, the updates overwrite old knowledge"). A claim that runs on into what follows the
    condition ("if you set temperature to zero hallucinations go away") is the implication, and is made."""
    first, last = min(chosen), max(chosen)
    s = a.tokens[first].sentence
    for k in range(max(0, first - BLOCK_WINDOW), first):
        if a.tokens[k].sentence == s and a.tokens[k].low in _CONDITIONS:
            between = a.text[a.tokens[k].end:a.tokens[last].start]
            after = a.text[a.tokens[last].end:a.tokens[last + 1].start] if last + 1 < len(a.tokens) else "."
            # the condition ends right where the claim does ("if <claim>, <what follows>")
            return "," not in between and " then " not in f" {between.lower()} " and "," in after
    return False


def _close(a: Analysis, chosen: list[int], *, claim: str = "") -> bool:
    """Close together, with nothing between that splits them into two things or takes one away (BREAKS,
    PRIVATIVE, "then"), unless the claim's own words (`claim`, its text) say that word itself ("answers first
    then explains", "RLHF removes hallucinations")."""
    idx = sorted(set(chosen))
    own: frozenset[str] | None = None  # the claim's words, split only when a splitter turns up
    for i, j in zip(idx, idx[1:], strict=False):
        for k in range(i + 1, j):
            if (low := a.tokens[k].low) in _SPLITTERS:
                own = frozenset(claim.lower().split()) if own is None else own
                if low not in own:
                    return False
        if j - i > MAX_TOKEN_GAP:
            return False
        if sum(1 for k in range(i + 1, j) if not a.tokens[k].function and a.tokens[k].term) > MAX_CONTENT_GAP:
            return False
    return True


def _choices(groups: list[list[int]], ordered: bool) -> list[list[int]]:
    """Candidate picks (one index per term): anchored on each occurrence of the rarest term, the nearest of the
    others; in order when `ordered` (each next term after the previous one)."""
    anchor = min(range(len(groups)), key=lambda k: len(groups[k]))
    out = []
    for p in groups[anchor]:
        if ordered:
            chosen: list[int] = []
            ok = True
            for k, g in enumerate(groups):
                if k == anchor:
                    pick = p
                elif k < anchor:
                    before = [i for i in g if i < p and (not chosen or i > chosen[-1])]
                    pick = max(before) if before else -1
                else:
                    after = [i for i in g if i > (chosen[-1] if chosen else p)]
                    pick = min(after) if after else -1
                if pick < 0 or (chosen and pick <= chosen[-1]):
                    ok = False
                    break
                chosen.append(pick)
            if ok:
                out.append(chosen)
        else:
            out.append([p if k == anchor else min(g, key=lambda i: abs(i - p)) for k, g in enumerate(groups)])
    return out


def _denied(kp: CompiledKeyPoint, a: Analysis) -> tuple[list[int], str] | None:
    if not kp.deniable:
        return None
    for cue in kp.strict:
        if cue.negated or telling(cue.terms) < 2:  # a negative phrase said under a negation is the point itself;
            continue  # a phrase of one telling word ("GPU utilization") is not denied by a "can't" beside it
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
    trust it") affirms as often as it denies and is left alone."""
    statement = next((c for c in kp.cues if not c.phrase), None)
    if statement is None or statement.negated or not kp.deniable:
        return None
    by_sentence: dict[int, list[int]] = {}
    for t in statement.terms:
        for i in _positions(t, a):
            by_sentence.setdefault(a.tokens[i].sentence, []).append(i)
    for s, hits in by_sentence.items():
        said_terms = {a.tokens[i].term for i in hits}
        if len(said_terms) < max(2, DENIED_SHARE * len(statement.terms)) or s in a.distanced:
            continue
        negators = sum(1 for t in a.tokens if t.sentence == s and t.function and t.low in _NEGATORS)
        affirmed = {a.tokens[i].term for i in hits if not a.tokens[i].negated}
        # A term said both ways in the sentence ("in-context learning ... no training happens") denies nothing.
        denied = {a.tokens[i].term for i in hits if a.tokens[i].negated and a.tokens[i].term not in affirmed}
        # the negation bears on the point, not on one word beside it ("add the phrase, without giving examples")
        if negators == 1 and denied and 2 * len(denied) >= len(said_terms):
            return sorted(hits), f"{kp.id} denied: {kp.text!r}"
    return None


def _inverted(kp: CompiledKeyPoint, a: Analysis, others: tuple[CompiledKeyPoint, ...] = (),
              subject: frozenset[str] = frozenset()) -> tuple[list[int], str] | None:
    """The point said with one word swapped for its opposite, unless the same words say another of the
    question's points (`others`) in a sentence that is not about the point's own subject (`subject`: the
    question's subject terms): "training ... its weights get updated" is the point that training updates the
    weights, not "inference has no weight updates" turned round; "during inference ... each request updates
    the weights" is that point turned round."""
    for cue in kp.opposites:
        hits = said(cue, a)
        if hits is None:
            continue
        sentence = a.tokens[hits[0]].sentence
        if any((own := said(c, a)) is not None and a.tokens[own[0]].sentence == sentence for c in kp.strict):
            continue  # the sentence says the point too ("lower is better, higher is worse")
        if not _names_own_subject(kp, a, sentence, subject) and any(
                (other := said(c, a)) is not None and set(other) & set(hits) for o in others for c in o.strict):
            continue
        return hits, f"{kp.id} inverted: {cue.text!r} as {cue.terms}"
    return None


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


CLAIM_WORDS = 3
"""A sentence that says this many of a misconception's own words (see CompiledMisconception.vocabulary), none
negated, makes the claim even when no signal phrase matches ("fine-tuning is basically tweaking temperature and
top-p" for a claim phrased "fine-tuning only changes decoding settings like temperature")."""


def _claim_words(m: CompiledMisconception, a: Analysis) -> list[int] | None:
    if len(m.vocabulary) < CLAIM_WORDS:
        return None
    by_sentence: dict[int, dict[str, int]] = {}
    for i, t in enumerate(a.tokens):
        if t.term in m.vocabulary and not t.negated and t.sentence not in a.distanced:
            by_sentence.setdefault(t.sentence, {}).setdefault(t.term, i)
    for words in by_sentence.values():
        if len(words) >= CLAIM_WORDS and m.core & words.keys() and not _blocked(a, min(words.values())) \
                and not _split(a, sorted(words.values())):
            return sorted(words.values())
    return None


def _split(a: Analysis, idx: list[int]) -> bool:
    """A word between them that makes two things of them ("post-LN ... but modern LLMs are pre-LN")."""
    return any(a.tokens[k].low in _SPLIT_WORDS for k in range(idx[0] + 1, idx[-1]))


def wrong_claims(cq: CompiledQuestion, a: Analysis) -> WrongClaims:
    out = WrongClaims()
    for m in cq.misconceptions:
        found = next(((hits, f"{m.id} said: {cue.text!r}") for cue in m.cues
                      if (hits := said(cue, a, rivals=_rivals(m, cue))) is not None), None)
        if found is None and (hits := _claim_words(m, a)) is not None:
            found = hits, f"{m.id} said in its own words: {sorted({a.tokens[i].term for i in hits})}"
        if found is not None:
            out.misconceptions.append((m, found[0]))
            out.why.append(found[1])
            for k in m.contradicts:
                out.contradicted.setdefault(k, found[0])
    for kp in cq.key_points:
        if kp.id in out.contradicted or kp.derived:
            continue
        others = tuple(o for o in cq.key_points if o is not kp)
        found = _denied(kp, a) or _denied_statement(kp, a) or _inverted(kp, a, others, frozenset(cq.subject or ()))
        if found is not None and not _affirmed_elsewhere(kp, a, found[0]):
            out.contradicted[kp.id] = found[0]
            out.why.append(found[1])
    _swaps(cq, a, out)
    return out


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
