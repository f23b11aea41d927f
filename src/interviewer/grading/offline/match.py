"""Matching compiled key points and the reference against an analysed answer.

Owns the question "is this idea in the answer, and which words show it?":
- a term matches exactly (same stem or synonym group, a compound written as two words), or nearly (a typo one
  edit away, or another form of the same word such as reusable/reuse) for a little less credit;
- an occurrence inside a negation ("not bidirectional") does not count, unless the cue is itself negative;
- an alternative phrasing counts only when all its words occur close together in one sentence; a statement counts
  by recall;
- the evidence is the answer's own words around the matched terms, copied verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .analyse import Analysis, edit1
from .cues import MARKER_OF, ORDER_MARKERS, CompiledKeyPoint, CompiledQuestion, Cue
from .quantities import Quantity, contradicted_by, stated

NEAR_CREDIT = 0.8
PHRASE_GAP = 3
"""Extra tokens allowed between the words of an alternative phrasing, per word."""
_DERIV = ("abl", "ibl", "abil", "ibil", "al", "ic", "ion", "ive", "iti", "ti", "ment", "ness", "or", "er", "ly", "i",
          "e", "y", "s", "ed", "ing")
EVIDENCE_WINDOW = 14
"""At most this many tokens of the answer are quoted as evidence for one key point."""


@lru_cache(maxsize=131072)
def near(a: str, b: str) -> bool:
    """Two different terms that are probably the same word: a typo apart, or one derived from the other."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or short.isdigit() or long_.isdigit():
        return False
    if long_.startswith(short) and (long_[len(short):] in _DERIV or (len(short) >= 6 and len(long_) - len(short) <= 3)):
        return True  # reusable/reuse; a typo that changed the stem ("precison" vs "precision" -> "precis")
    return len(short) >= 5 and edit1(a, b)


def occurrences(t: str, a: Analysis, allow_negated: bool, need_negated: bool = False) -> tuple[list[int], float]:
    """Token indexes where term t occurs in the answer, and the credit (1 exact, NEAR_CREDIT near).

    By default a negated occurrence ("not bidirectional") does not count; `allow_negated` lets it count, and
    `need_negated` counts only occurrences in a negated clause (for a negative cue: "weights are not updated")."""
    toks = a.tokens

    def ok(i: int) -> bool:
        if toks[i].unsure:  # "I don't remember how it routes the tokens" shows nothing of routing
            return False
        if need_negated:
            return toks[i].clause in a.negated_clauses
        return allow_negated or not toks[i].negated

    if t.startswith("@"):  # a marker ("@same"): a function word to the analyser, matched by its surface form, as
        # offline.said.positions does for claims
        return [i for i, tok in enumerate(toks) if not tok.dropped and MARKER_OF.get(tok.low) == t[1:] and ok(i)], 1.0
    hits = [i for i in a.positions.get(t, ()) if ok(i)] + [i for i in a.joined.get(t, ()) if ok(i)]
    if hits:
        return hits, 1.0
    for u, idx in a.positions.items():
        if u[:1] == t[:1] and near(t, u):
            good = [i for i in idx if ok(i)]
            if good:
                return good, NEAR_CREDIT
    return [], 0.0


def denied(t: str, a: Analysis) -> bool:
    """The answer mentions term t only inside a negation: it says the opposite."""
    idx = a.positions.get(t)
    return bool(idx) and all(a.tokens[i].negated for i in idx or ())


@dataclass(slots=True)
class CueMatch:
    score: float
    hits: list[int]
    """Token indexes of the matched terms (one per matched term)."""


SPLIT = 10**6
"""Added to the span of words a sentence end splits."""


def _closest(groups: list[list[int]], a: Analysis) -> tuple[list[int], int]:
    """One index per group, as close together as possible and in one sentence if they can be: (chosen, span in
    tokens). A phrasing's words split by a sentence end are not the phrasing ("... backpropagate up the path.
    After many simulations" is not "multiple paths"): their span counts as too wide."""
    best: tuple[list[int], int] = ([g[0] for g in groups], 10**9)
    anchor = min(groups, key=len)
    for p in anchor:
        s = a.tokens[p].sentence
        chosen = [min(g, key=lambda i: (a.tokens[i].sentence != s, abs(i - p))) for g in groups]
        one = all(a.tokens[i].sentence == s for i in chosen)
        span = max(chosen) - min(chosen) if one else SPLIT + max(chosen) - min(chosen)
        if span < best[1]:
            best = (chosen, span)
    return best


SINGLE_WORD_CREDIT = 0.59

STATEMENT_WINDOW = 2
"""A key point's statement counts by the share of its terms said within this many consecutive sentences: the
point has to be made, not its words scattered over the answer."""


def _cue_occurrences(cue: Cue, t: str, a: Analysis, *, sided: bool = True) -> tuple[list[int], float]:
    """`occurrences` of one of a cue's terms, negated or not as the cue needs it (`Cue.needs_negation`); an order
    marker only where the phrasing puts it (`_on_its_side`, unless not `sided`)."""
    need = cue.needs_negation(t)
    hits, credit = occurrences(t, a, need is None, need_negated=bool(need))
    if hits and sided and cue.phrase and t in ORDER_MARKERS:
        hits = _on_its_side(cue, t, hits, a)
    return hits, credit if hits else 0.0


def match_cue(cue: Cue, a: Analysis) -> CueMatch:
    got = 0.0
    groups: list[list[int]] = []
    for t, w in zip(cue.terms, cue.weights, strict=True):
        if cue.needs_negation(t) is False and denied(t, a):
            return CueMatch(0.0, [])  # "not bidirectional" contradicts the point, whatever else matches
        hits, credit = _cue_occurrences(cue, t, a)
        if hits:
            got += w * credit
            groups.append(hits)
    frac = got / cue.total if cue.total else 0.0
    if not groups:
        return CueMatch(0.0, [])
    if not cue.phrase:
        return _statement(cue, a)
    chosen, span = _closest(groups, a)
    if cue.negated and not any(a.tokens[i].negated for i in chosen):
        return CueMatch(0.0, [])  # "no extra latency" needs the negation on its words, not elsewhere in the clause
    n = len(cue.terms)
    if n == 1:  # one word that occurs shows the point only in part: "token" is not an explanation
        return CueMatch(min(frac, SINGLE_WORD_CREDIT), chosen)
    if len(groups) == n:
        close = span <= (PHRASE_GAP + 1) * (n - 1)
        return CueMatch(frac if close else 0.5 * frac, chosen)
    if n >= 3 and len(groups) >= n - 1:
        return CueMatch(0.5 * frac, chosen)
    return CueMatch(0.0, chosen)


def _on_its_side(cue: Cue, marker: str, hits: list[int], a: Analysis) -> list[int]:
    """The occurrences of an order marker that stand where the phrasing puts it: before the phrasing's next word
    (within PHRASE_GAP + 1 tokens of its sentence), or after the word before it when it ends the phrasing. "A
    feed-forward part after the attention" has its "after" on the wrong side of "feed forward" for "after the feed
    forward": it says what comes after, not what the feed-forward comes before."""
    k = cue.terms.index(marker)
    nxt = k + 1 < len(cue.terms)
    near_term = cue.terms[k + 1] if nxt else cue.terms[k - 1]
    where = set(_cue_occurrences(cue, near_term, a, sided=False)[0])
    span = range(1, PHRASE_GAP + 2)
    return [i for i in hits if any((i + d if nxt else i - d) in where and a.tokens[i + d if nxt else i - d].sentence
                                   == a.tokens[i].sentence for d in span)]


def _statement(cue: Cue, a: Analysis) -> CueMatch:
    """The best share of the statement's weighted terms said within STATEMENT_WINDOW consecutive sentences."""
    found: list[tuple[float, list[int]]] = []  # per term: (credit * weight, hits)
    for t, w in zip(cue.terms, cue.weights, strict=True):
        hits, credit = _cue_occurrences(cue, t, a)
        found.append((w * credit, hits))
    last = max((a.tokens[i].sentence for _, hits in found for i in hits), default=0)
    best = CueMatch(0.0, [])
    for start in range(last + 1):
        window = range(start, start + STATEMENT_WINDOW)
        got, chosen = 0.0, []
        for credit, hits in found:
            inside = [i for i in hits if a.tokens[i].sentence in window]
            if inside:
                got += credit
                chosen.append(inside[0])
        score = got / cue.total if cue.total else 0.0
        if cue.negated and not any(a.tokens[i].negated for i in chosen):
            continue  # a negative statement needs the negation on its own words
        if score > best.score:
            best = CueMatch(score, chosen)
    return best


@dataclass(slots=True)
class KeyPointMatch:
    kp: CompiledKeyPoint
    score: float
    hits: list[int]


def match_key_point(kp: CompiledKeyPoint, a: Analysis) -> KeyPointMatch:
    best = KeyPointMatch(kp, 0.0, [])
    said = stated(a) if kp.quantities else []
    for cue in kp.cues:
        m = match_cue(cue, a)
        if m.score > best.score and not (said and _another_number(kp, m, a, said)):
            best = KeyPointMatch(kp, m.score, m.hits)
    return best


def _another_number(kp: CompiledKeyPoint, m: CueMatch, a: Analysis, said: list[tuple[int, Quantity]]) -> bool:
    """The phrases the match is in give another number of what the point counts ("GPT-3 was trained on 300
    billion tokens" for "GPT models use about 50K tokens"): they do not show the point. The phrase, not the
    sentence: "GPT-3 took about 2 thousand tokens, GPT-4 had a 32K version" gives GPT-3's number as 2K."""
    spans = [_phrase(a, i, i) for i in m.hits]
    return contradicted_by(kp.quantities, [q for k, q in said if any(lo <= k <= hi for lo, hi in spans)])


EVIDENCE_MIN_WORDS = 4
"""Evidence shorter than this is widened with its neighbours in the sentence: "tiles" alone shows nothing,
"computes it in tiles in SRAM" shows what was said."""
EVIDENCE_PHRASE_MAX = 16
"""The matched words are quoted with the whole phrase they sit in (up to a comma, a dash or a word that starts
another clause) when that phrase is at most this many words: "to reason step by" is a cut, "get the model to
reason step by step before answering" is what was said."""
_PHRASE_BREAK = re.compile(r"[,;:\u2013\u2014()]|\s-\s")
_LOOSE_ENDS = frozenset("and or but so of to the a an in on at by for with from as that which like um uh "
                        "i you we it's is are".split())
"""Words a quote should not end on: they leave it hanging."""
LOOSE_STARTS = frozenset("and or but so then also um uh like well yeah okay".split())
"""Words a quote need not start with: fillers and joining words (evidence for a point, words of a claim)."""


def evidence(a: Analysis, hits: list[int], *, whole_phrase: bool = True,
             shared: frozenset[str] = frozenset()) -> str | None:
    """The answer's own words that show a point, verbatim: the densest cluster of matched words in one sentence
    (of equally dense ones, the one with more of the point's own words, not `shared` with the question's other key
    points: "some normalization in there" shows layer normalization, "a feed-forward layer" does not), with the
    phrase they sit in when it is short (`whole_phrase`), else widened to at least EVIDENCE_MIN_WORDS words of the
    sentence and to a word that does not leave it hanging."""
    if not hits:
        return None
    per_sentence: dict[int, list[int]] = {}
    for i in sorted(set(hits)):
        per_sentence.setdefault(a.tokens[i].sentence, []).append(i)
    best = (hits[0], hits[0], (0, 0))
    for hs in per_sentence.values():
        j = 0
        for i in range(len(hs)):
            while hs[i] - hs[j] >= EVIDENCE_WINDOW:
                j += 1
            weight = (i - j + 1, sum(1 for k in hs[j:i + 1] if a.tokens[k].term not in shared))
            if weight > best[2]:
                best = (hs[j], hs[i], weight)
    lo, hi = best[0], best[1]
    plo, phi = _phrase(a, lo, hi)
    if whole_phrase and EVIDENCE_MIN_WORDS <= phi - plo + 1 <= EVIDENCE_PHRASE_MAX:
        lo, hi = plo, phi
    else:
        slo, shi = _phrase(a, lo, hi, sentence_only=True)
        lo, hi = _widened(a, lo, hi, slo, shi)
    while lo < best[0] and a.tokens[lo].low in LOOSE_STARTS:
        lo += 1  # "um, stuff like quantization": not from a filler or a joining word
    while hi > best[1] and a.tokens[hi].low in _LOOSE_ENDS:
        hi -= 1  # "... and" / "..., um": never end on a word that leaves the quote hanging
    return a.span(lo, hi)


def _joined(a: Analysis, i: int, sentence_only: bool = False) -> bool:
    """Tokens i and i+1 are in one phrase (same sentence and part, nothing between them that breaks it), or with
    `sentence_only`, in one sentence; never across text the grader ignores."""
    t, u = a.tokens[i], a.tokens[i + 1]
    if t.dropped or u.dropped:  # text the grader ignores (an instruction to it) is never quoted as evidence
        return False
    if sentence_only:
        return t.sentence == u.sentence
    return t.sentence == u.sentence and t.part == u.part and not _PHRASE_BREAK.search(a.text[t.end:u.start])


def _phrase(a: Analysis, lo: int, hi: int, *, sentence_only: bool = False) -> tuple[int, int]:
    """The phrase around tokens lo..hi: out to a sentence end, a comma or dash, or a word that starts a clause
    (or only to the sentence's ends, with `sentence_only`)."""
    while lo > 0 and _joined(a, lo - 1, sentence_only):
        lo -= 1
    while hi + 1 < len(a.tokens) and _joined(a, hi, sentence_only):
        hi += 1
    return lo, hi


def _widened(a: Analysis, lo: int, hi: int, plo: int, phi: int) -> tuple[int, int]:
    """lo..hi widened inside plo..phi (its sentence) to EVIDENCE_MIN_WORDS words, then on past words that leave
    it hanging (at most three)."""
    while hi - lo + 1 < EVIDENCE_MIN_WORDS and (lo > plo or hi < phi):
        if lo > plo:
            lo -= 1
        if hi - lo + 1 < EVIDENCE_MIN_WORDS and hi < phi:
            hi += 1
    for _ in range(3):
        if hi < phi and a.tokens[hi].low in _LOOSE_ENDS:
            hi += 1
    return lo, hi


def reference_recall(cq: CompiledQuestion, a: Analysis) -> float:
    """Weighted share of the reference's terms the answer uses (near forms count a little less)."""
    total = got = 0.0
    for t, w in cq.ref_weights.items():
        total += w
        _, credit = occurrences(t, a, t in cq.ref_negated)
        got += w * credit
    return got / total if total else 0.0


def on_topic_share(cq: CompiledQuestion, a: Analysis) -> float:
    """Share of the answer's content tokens whose term belongs to the question's vocabulary (or is near one)."""
    content = [t for t in a.tokens if not t.function and t.term]
    if not content:
        return 0.0
    known = {u: is_known(cq, u) for u in {t.term for t in content}}
    return sum(1 for t in content if known[t.term]) / len(content)


def names_subject(cq: CompiledQuestion, a: Analysis) -> bool:
    """The answer names what the question asks about (one of its subject terms, or a near spelling of one)."""
    return is_subject(cq, {t.term for t in a.tokens if t.term})


def is_subject(cq: CompiledQuestion, terms: set[str]) -> bool:
    """One of these terms is one of the question's subject terms, or a near spelling of one."""
    if not cq.subject:
        return True
    return any(u in cq.subject or any(near(u, v) for v in cq.subject if v[:1] == u[:1]) for u in terms)


def is_known(cq: CompiledQuestion, t: str) -> bool:
    """Term t is one the question, its reference or its key points use (or a near spelling of one)."""
    return t in cq.vocabulary or any(near(t, v) for v in cq.vocabulary if v[:1] == t[:1])


def char_recall(ref_grams: dict[str, int], ans_grams: dict[str, int]) -> float:
    total = sum(ref_grams.values())
    if not total:
        return 0.0
    return sum(min(n, ans_grams.get(g, 0)) for g, n in ref_grams.items()) / total
