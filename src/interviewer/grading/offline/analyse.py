"""Text analysis for the offline grader: tokens with their place in the answer, stems, synonyms, negation.

Owns everything the offline grader needs to know about a piece of text, computed once per text so matching is
cheap: each token keeps its character offsets (evidence is copied verbatim from the answer), its lower-cased
form, a *term* (the Snowball stem, mapped through the synonym table so "smallest" and "minimum" meet), whether
it is a function word, and whether it sits in the scope of a negation ("not bidirectional"; offline.scope).

Pure standard library plus snowballstemmer. Nothing here knows about grades or key points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import snowballstemmer

from ...core.insights import FILLER_WORDS
from ..answer import INVISIBLE_CHARS
from .opposites import DISTANCING, REPORTED
from .scope import Scope, is_negator
from .synonyms import GROUPS, NARROW

_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)+|[A-Za-z0-9]+(?:'[A-Za-z]+)?"
                    r"|\^ ?[23](?![0-9.])|[\u00b2\u00b3]|[.!?;:,()\[\]\n]")
"""A decimal number is one token ("0.9", "GPT-3.5"): its point does not end a sentence (it split "if p is 0.9, you
keep the smallest set ..." in two, and a claim or key point said across it was missed). So is a number written with
thousands separators ("4,000" is 4K, not "four" and a comma that ends a clause). A square or a cube written as
a power ("n^2", "n\u00b2") is the word said for it ("n squared"): read as "n" and "2", "O(n^2)" was said by "two N
FLOPs per token"."""
_POWER_WORD = {"^2": "squared", "^ 2": "squared", "\u00b2": "squared", "^3": "cubed", "^ 3": "cubed", "\u00b3": "cubed"}
_BOUNDARY = frozenset(".!?;:()[]\n")

FUNCTION_WORDS = frozenset("""
a an the and or but if then else of to in on at by for with about as into onto from that this these those it its
is are was were be been being am do does did done have has had having i you he she we they them their our your my
me us him her his so such than too very can could would should will shall may might must just also there here
what which who whom whose when where why how all any both each either some own same only other another
not no nor never without neither none
up out over under again further once while whereas because until against between through during before after
above below off s t don doesn isn aren wasn weren won wouldn shouldn couldn can't cannot let lets
like yeah yes okay ok well right really kinda sorta
gonna wanna gotta know mean guess think pretty quite stuff thing things way something anything everything
one's it's that's there's what's i'm you're we're they're i've you've we've i'd you'd
""".split()) | frozenset(FILLER_WORDS)
"""Words that carry no technical content on their own (including the spoken fillers of core.insights)."""

# Function words that do *not* relate terms to each other: a list glued with these is still a list.
GLUE = frozenset("a an the and or also plus then etc like yeah ok okay well".split()) | frozenset(FILLER_WORDS)

_BRIT = (
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|ed|es|ing)$"), r"iz\1"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"yse(s|d)?$"), r"yze\1"),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a lower-cased word, after folding British spellings (behaviour -> behavior)."""
    w = word
    if len(w) >= 6:
        for pat, rep in _BRIT:
            w2 = pat.sub(rep, w)
            if w2 != w:
                w = w2
                break
    return str(_STEMMER.stemWord(w))


def _build_synonyms() -> tuple[dict[str, str], dict[str, str]]:
    """stem -> canonical stem, and phrase (space-separated lower words) -> canonical stem."""
    synonyms: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for group in GROUPS:
        head = group[0]
        canon = stem("".join(head.split()))
        for member in group:
            words = member.replace(".", " ").split()
            if len(words) > 1:
                phrases[" ".join(words)] = canon
            else:
                s = stem(words[0])
                if s != canon:
                    synonyms.setdefault(s, canon)
    return synonyms, phrases


SYNONYMS, PHRASES = _build_synonyms()
NARROW_STEMS = {stem(w): "=" + stem(g[0]) for g in NARROW for w in g}
"""Stem of each narrow member of a synonym group (`synonyms.NARROW`) -> its narrow key ("=concaten"): a claim's
phrase keeps that, not the group's head."""


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The matching key of a lower-cased word: its stem, mapped to a synonym group's canonical stem."""
    if word.endswith("'s"):
        word = word[:-2]
    if word[:1].isdigit() and "," in word:  # "50,000" is 50K (as a bank writes it), "50,257" is 50257
        groups = word.split(",")
        zeros = next((i for i in range(len(groups)) if set("".join(groups[i:])) <= {"0"}), len(groups))
        scale = len(groups) - zeros  # how many trailing ",000" groups: thousands, millions, billions, trillions
        word = "".join(groups[:zeros]) + "kmbt"[scale - 1] if zeros and 1 <= scale <= 4 else "".join(groups)
    if word[:1].isdigit() and "." in word:  # "1.0" is 1 (and "one"); "0.9" stays itself
        word = word.rstrip("0").rstrip(".") or "0"
    if word in _NOT_THEIR_STEM:
        return _NOT_THEIR_STEM[word]
    s = stem(word)
    return SYNONYMS.get(s, s)


def claim_term(tok: Token) -> str:
    """The matching key of a token in a claim's phrase: its term, but a narrow member of a synonym group keeps its
    own key ("concatenated" -> "=concaten", not the group's "combin"), so only that word says it
    (`said.positions`)."""
    return NARROW_STEMS.get(stem(tok.low)) or tok.term


_IDIOM = re.compile(r"(?<=\bno)\s+matter\b", re.IGNORECASE)
"""A negator that opens an idiom and negates nothing: "no matter how far apart they are"."""

_NOT_THEIR_STEM = {"object": "objectthing", "objects": "objectthing"}
"""Words whose stem is another word's ("objective" stems to "object", a synonym of goal): a thing ("object code",
"object detection") is not an aim."""


@dataclass(slots=True)
class Token:
    start: int
    end: int
    low: str
    term: str
    function: bool
    negated: bool = False
    hedged: bool = False
    """Under a negation that a hedge turned ("not always", "not all", "not just"): not a denial of the word, but
    a rejection of a claim that says always / all / only."""
    unsure: bool = False
    """What the speaker says they do not know ("I don't remember how it routes the tokens"): neither said nor
    denied, so no evidence of a key point, no claim and no denial."""
    clause: int = 0
    sentence: int = 0
    """Index of the sentence (split at . ! ? ; and line breaks) the token is in."""
    part: int = 0
    """Index of the part of a sentence the token is in: sentences split further before words that start another
    clause (which, where, because, while, but, so ...): one claim is made within one part."""
    dropped: bool = False
    """Set by `drop`: text the grader ignores (kept only so evidence offsets stay right)."""


@dataclass
class Analysis:
    """A text taken apart once: its tokens, content terms and where each term occurs."""

    text: str
    tokens: list[Token]
    positions: dict[str, list[int]] = field(default_factory=dict)
    """term -> indexes of the content tokens carrying it, in order."""
    joined: dict[str, list[int]] = field(default_factory=dict)
    """Compounds written as two words ("multi head" -> the term of "multihead") -> index of the second word."""
    negated_clauses: set[int] = field(default_factory=set)
    distanced: set[int] = field(default_factory=set)
    """Sentences that report a belief to reject it ("a common misconception is that ..."): no claim is made."""
    original: str = ""
    origin: list[int] | None = None
    hidden: bool = False
    """True when invisible characters or hidden (direction-overridden) text were removed."""

    @property
    def content(self) -> list[Token]:
        return [t for t in self.tokens if not t.function]

    def terms(self) -> set[str]:
        return set(self.positions)

    def span(self, i: int, j: int) -> str:
        """The answer text from token i to token j inclusive, verbatim from the original."""
        s, e = self.tokens[i].start, self.tokens[j].end
        if self.origin is None:
            return self.text[s:e]
        return self.original[self.origin[s]:self.origin[e - 1] + 1]


def _phrase_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Multi-word phrases -> a single term, keyed by their first word for a quick scan."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, canon in PHRASES.items():
        ws = tuple(phrase.split())
        table.setdefault(ws[0], []).append((ws, canon))
    for v in table.values():
        v.sort(key=lambda x: -len(x[0]))
    return table


_PHRASES = _phrase_table()


_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")  # the same characters every grader removes (grading.answer)
_BIDI_SPAN = re.compile("\u202e[^\u202c]*\u202c?|[\u2066-\u2068][^\u2069]*\u2069?")


def visible(text: str) -> tuple[str, list[int] | None, bool]:
    """The text as a reader sees it: zero-width, tag and direction-control characters removed (and text
    hidden inside a right-to-left override dropped). Returns (clean text, clean offset -> original offset map
    or None when nothing changed, whether anything was hidden)."""
    if not _INVISIBLE.search(text):
        return text, None, False
    keep = [True] * len(text)
    for m in _BIDI_SPAN.finditer(text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    for m in _INVISIBLE.finditer(text):
        keep[m.start()] = False
    origin = [i for i, k in enumerate(keep) if k]
    return "".join(text[i] for i in origin), origin + [len(text)], True


def _tokenise(text: str) -> tuple[list[Token], set[int]]:
    """The tokens with their clause, sentence and part, negation and hedges marked; the negated clauses."""
    tokens: list[Token] = []
    sc = Scope()
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        if raw in _BOUNDARY or raw == ",":
            sc.boundary(raw)
            continue
        low = _POWER_WORD.get(raw) or raw.lower().replace("\u2019", "'")
        is_neg = is_negator(low) and not _IDIOM.match(text, m.end())
        sc.word(low, is_neg, tokens)
        func = low in FUNCTION_WORDS or is_neg or (low.endswith("'s") and low[:-2] in FUNCTION_WORDS)
        tok = Token(m.start(), m.end(), low, "" if func else term(low), func, clause=sc.clause,
                    sentence=sc.sentence, part=sc.part)
        sc.mark(tok, low, is_neg)
        tokens.append(tok)
    return tokens, sc.negated_clauses


def _fold_phrases(tokens: list[Token], pos: dict[str, list[int]]) -> None:
    """Multi-word phrases become one term on their first word; every content term's positions are recorded."""
    n = len(tokens)
    for i, t in enumerate(tokens):
        for ws, canon in _PHRASES.get(t.low, ()):
            k = len(ws)
            if i + k <= n and all(tokens[i + j].low == ws[j] for j in range(k)):
                for j in range(k):
                    tokens[i + j].function = True
                t.term = canon
                t.function = False
                break
        if not t.function and t.term:
            pos.setdefault(t.term, []).append(i)


def _join_compounds(tokens: list[Token], joined: dict[str, list[int]]) -> None:
    """Joined compounds: "multi head" also counts as "multihead", "data set" as "dataset"."""
    prev: int | None = None
    for i, t in enumerate(tokens):
        if t.function or not t.term:
            prev = None
            continue
        if prev is not None and t.start - tokens[prev].end <= 1:
            joined.setdefault(term(tokens[prev].low + t.low), []).append(i)
        prev = i


def analyse(text: str, *, compounds: bool = True) -> Analysis:
    """Tokenise, stem, fold synonyms and multi-word phrases, and mark negation scope.

    Invisible characters are removed first (see `visible`); token offsets are in the cleaned text and `span`
    maps them back, so evidence is still copied verbatim from the original. `compounds=False` leaves out the
    joined compounds (`Analysis.joined`), which stem every pair of neighbouring words: what only needs the tokens'
    terms (offline.neighbours' profiles of a bank and of the atlas) is then about twice as fast.
    """
    original = text
    text, origin, hidden = visible(text)
    tokens, negated_clauses = _tokenise(text)
    a = Analysis(text, tokens, negated_clauses=negated_clauses, original=original, origin=origin, hidden=hidden)
    a.distanced = _distanced_sentences(text, tokens)
    _fold_phrases(tokens, a.positions)
    if compounds:
        _join_compounds(tokens, a.joined)
    return a


def _distanced_sentences(text: str, tokens: list[Token]) -> set[int]:
    low = text.lower().replace("\u2019", "'")
    out: set[int] = set()
    starts = [m.start() for phrase in DISTANCING for m in re.finditer(re.escape(phrase), low)]
    starts += [m.start() for m in REPORTED.finditer(low)]
    for start in starts:
        at = next((t.sentence for t in tokens if t.end > start), None)
        if at is not None:
            out.add(at)
    # "A common misconception is that it's approximate. (Why it is not.) Another is that it reduces the FLOPs": the
    # next of a list of reported beliefs, however long the answer to the first (a colon starts a sentence too)
    openings: dict[int, list[str]] = {}
    for t in tokens:
        if len(opening := openings.setdefault(t.sentence, [])) < 3:
            opening.append(t.low)
    for s in sorted(openings):
        if any(x < s for x in out) and openings[s][:1] == ["another"] and (
                openings[s][1:2] in (["is"], ["one"]) or openings[s][1:3] == ["common", "one"]):
            out.add(s)
    return out


def drop(a: Analysis, indexes: set[int]) -> None:
    """Make these tokens count for nothing (text the grader must ignore); they stay for evidence offsets."""
    if not indexes:
        return
    for table in (a.positions, a.joined):
        for k in list(table):
            kept = [i for i in table[k] if i not in indexes]
            if kept:
                table[k] = kept
            else:
                del table[k]
    for i in indexes:
        a.tokens[i].term = ""
        a.tokens[i].dropped = True


def function_ratio(a: Analysis) -> float:
    """Share of tokens that relate terms (function words other than list glue such as 'and', 'the')."""
    if not a.tokens:
        return 0.0
    rel = sum(1 for t in a.tokens if t.function and t.low not in GLUE)
    return rel / len(a.tokens)


def edit1(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or adjacent swap."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1 or a == b:
        return a == b
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def char_grams(text: str, sizes: tuple[int, ...] = (3, 4, 5)) -> dict[str, int]:
    """Character n-gram counts of the lower-cased words (robust to typos and word forms)."""
    s = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "
    out: dict[str, int] = {}
    for k in sizes:
        for i in range(len(s) - k + 1):
            g = s[i:i + k]
            out[g] = out.get(g, 0) + 1
    return out


def undropped(a: Analysis, terms: dict[int, str]) -> Analysis:
    """A copy with these dropped tokens given back (token index -> its term as it was): the words that repeat the
    question earn no key point, but a claim made with them is made ("The Chinchilla scaling law says model size
    matters most")."""
    if not terms:
        return a
    tokens = list(a.tokens)
    positions = {k: list(v) for k, v in a.positions.items()}
    for i, t in terms.items():
        tokens[i] = replace(tokens[i], term=t, dropped=False)
        positions.setdefault(t, []).append(i)
    for v in positions.values():
        v.sort()
    return replace(a, tokens=tokens, positions=positions)
