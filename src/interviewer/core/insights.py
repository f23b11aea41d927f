"""Wording insights that need no model: length, speaking time, fillers, repetition, key terms used.

Computed for every answer whatever the grader, and live while typing (so it must be cheap).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .models import WordingInsights

WORDS_PER_MINUTE = 150.0

# Single-word fillers count always. "like" is mostly a real word in a technical answer: "methods like adapters"
# and ", like elastic weight consolidation" mean "such as", "it is like a lookup table" compares. Telling them
# from the filler needs a parser, so "like" counts only where nothing else fits: followed by a comma ("like,
# the model", ", like, you know") or next to another filler ("um like", "like you know").
FILLER_WORDS = ("um", "umm", "uh", "uhh", "er", "erm", "hmm", "basically", "actually", "literally")
FILLER_PHRASES = ("you know", "sort of", "kind of", "i mean", "i guess")
_NEXT_TO = r"(?:um+|uh+|er|erm|hmm|you know|i mean)"
_LIKE_FILLER = re.compile(rf"\blike\s*,|\b{_NEXT_TO},?\s+like\b(?!\s*,)|\blike\s+{_NEXT_TO}\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+-]*")
_TERM_PART = re.compile(r"[a-z0-9][a-z0-9'+]*")
"""A key term's parts and the answer's, numbers kept and hyphens splitting: "8 bit" is said by "8-bit" and by
"8 bit", not by "a bit" (counting words, `_WORD`, a number is not a word)."""

STOPWORDS = frozenset("""
a an the and or but if then else of to in on at by for with about as into from that this these those it its it's
is are was were be been being do does did have has had i you he she we they them their our your my me us so such
than too very can could would should will just also not no yes there here what which who whom when where why how
all any both each few more most other some own same only don't doesn't isn't aren't like
""".split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def count_fillers(text: str) -> dict[str, int]:
    low = text.lower()
    found: Counter[str] = Counter()
    for w in _WORD.findall(low):
        if w in FILLER_WORDS:
            found[w] += 1
    for p in FILLER_PHRASES:
        n = len(re.findall(r"\b" + re.escape(p) + r"\b", low))
        if n:
            found[p] += n
    n_like = len(_LIKE_FILLER.findall(low))
    if n_like:
        found["like"] += n_like
    return dict(found)


def live_counts(text: str) -> tuple[int, float, int]:
    """(words, speaking seconds, fillers) for the status line while typing."""
    n = len(_WORD.findall(text))
    return n, n * 60.0 / WORDS_PER_MINUTE, sum(count_fillers(text).values())


def wording_insights(answer: str, key_terms: Iterable[str] = (), covered: Iterable[str] = ()) -> WordingInsights:
    """`covered`: key terms of points the answer made in other words, counted as neither used nor missed."""
    ws = words(answer)
    low = [w.lower() for w in ws]
    fillers = count_fillers(answer)
    content = [w for w in low if w not in STOPWORDS and w not in FILLER_WORDS and len(w) > 2]
    repeated = [(w, n) for w, n in Counter(content).most_common(5) if n >= 3]
    covered = set(covered)
    answer_terms = " " + " ".join(_TERM_PART.findall(answer.lower())) + " "
    used: list[str] = []
    missed: list[str] = []
    for term in dict.fromkeys(t.strip() for t in key_terms if t.strip()):
        t = " " + " ".join(_TERM_PART.findall(term.lower())) + " "
        if t.strip() and t in answer_terms:
            used.append(term)
        elif term not in covered:
            missed.append(term)
    return WordingInsights(
        word_count=len(ws),
        speaking_seconds=round(len(ws) * 60.0 / WORDS_PER_MINUTE, 1),
        filler_count=sum(fillers.values()),
        fillers=fillers,
        repeated_words=repeated,
        key_terms_used=used,
        key_terms_missed=missed,
    )
