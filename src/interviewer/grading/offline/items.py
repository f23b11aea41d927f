"""What one item of an answer says: its content words and terms, whether it is a clause, a phrase related by a
preposition, a quotation, or a statement with a verb before its object. The keyword-list rules (`lists`) are made of
these; they know no parts of speech, only the words that mark them.
"""

from __future__ import annotations

import re

from .analyse import FUNCTION_WORDS


def has_content(item: str) -> bool:
    return any(w not in FUNCTION_WORDS for w in re.findall(r"[a-z0-9']+", item.lower()))


_CLAUSE_WORDS = frozenset("""
it it's its they they're them this that these those we you i he she there there's here i'm i've i'd you're
we're let's
is are was were be been being am isn't aren't wasn't weren't can can't could will won't would should must may might
but
does doesn't do don't did didn't has have had hasn't haven't
because so which when where if while since unless whereas though although then than
means lets allows makes uses gives helps works runs learns predicts takes needs turns
""".split())
"""Words that make a stretch of speech a clause (a subject, a finite verb, a connective), not a bare term."""


_CONTRACTED = ("'s", "'d", "'ll", "'re", "'ve", "'m")
"""A contracted subject and verb ("you'd measure", "that'll", "they've") is a clause."""


def clause_like(item: str) -> bool:
    return any(w in _CLAUSE_WORDS or w.endswith(_CONTRACTED) for w in re.findall(r"[a-z0-9']+", item.lower()))


PREPOSITIONS = frozenset("by from to for with into onto across over between within through without via in against"
                         .split())


def phrase(item: str) -> bool:
    """Terms related by a preposition ("set by the developer", "applies to the whole conversation", "with
    multiple metrics"): a phrase that says something about its terms, not one more bare item of a list. A
    preposition inside a hyphenated word ("in-context learning", "out-of-distribution") relates nothing."""
    words = re.findall(r"[a-z0-9'][a-z0-9'-]*", item.lower())
    return any(w in PREPOSITIONS for w in words[:-1]) and size(item) >= 2


def size(item: str) -> int:
    """Content words of an item ("the multi head attention" is three)."""
    return sum(1 for w in re.findall(r"[a-z0-9']+", item.lower()) if w not in FUNCTION_WORDS)


def terms(item: str) -> int:
    """Terms of an item, a hyphenated word one and a quotation one ("Unsupervised (self-supervised) pre-training"
    is three, '"Let's think step by step"' one): how long an item of a keyword list is."""
    if quoted(item):
        return 1
    return sum(1 for w in re.findall(r"[a-z0-9'][a-z0-9'-]*", item.lower()) if w.strip("-") not in FUNCTION_WORDS)


def short_item(item: str, limit: int) -> bool:
    """An item a short keyword list is made of: at most `limit` terms, nothing said of an object, and a phrase
    no longer than `limit` words whatever its hyphens ("debug code from natural-language descriptions" relates
    its terms as a sentence does)."""
    if quoted(item):
        return True
    return terms(item) <= limit and not states(item) and not (phrase(item) and size(item) > limit)


def quoted(item: str) -> bool:
    """An item that is all a quotation ('"Let's think step by step"'): a phrase named, not said."""
    t = item.strip()
    return len(t) > 2 and t[0] in "\"\u201c'" and t[-1] in "\"\u201d'"


_OBJECT_OPENERS = frozenset("the a an its their them it this these those each every all his her our your two three "
                            "four several many".split())
_NOT_VERB_S = ("ss", "us", "is", "ics", "'s")


def states(item: str) -> bool:
    """A verb before its object ("freezes the base weights", "trains two small matrices"): a content word right
    before an article, a possessive or a number says something about what follows; or a subject, a verb in -s and
    its object, three content words in a row ("model produces outputs", "training optimization targets
    throughput"). Plural nouns run into a third word rarely in a keyword list: of the 400 lists of the tuning
    keyword-list sets, none but "20 tokens per parameter" (a number before it)."""
    words = re.findall(r"[a-z0-9']+", item.lower())
    if any(w not in FUNCTION_WORDS and w not in PREPOSITIONS and nxt in _OBJECT_OPENERS
           for w, nxt in zip(words, words[1:], strict=False)):
        return True
    return any(len(w) >= 4 and w.endswith("s") and not w.endswith(_NOT_VERB_S) and p.isalpha()
               and p not in FUNCTION_WORDS and p not in _QUANTIFIERS and nxt not in FUNCTION_WORDS
               and nxt not in _NOT_OBJECTS
               for p, w, nxt in zip(words, words[1:], words[2:], strict=False))


_QUANTIFIERS = frozenset("multiple many several more fewer less other different various numerous few some all both "
                         "extra additional separate individual".split())
"""Words before a plural noun, not a subject before its verb ("multiple inputs together")."""
_NOT_OBJECTS = frozenset("together apart back away up down out off over again too".split())
"""Words after a plural noun that are no object ("inputs together"); an adverb in -ly is one after a verb ("loss
falls predictably")."""
