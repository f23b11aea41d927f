"""Where every word of a phrase is said, close together, and the phrase still is not (offline.said's strict
sense of saying a claim): its words run from one list item, setting, pair member or named thing into the next
("..., cache quantization, and PagedAttention"; "in training ... and in inference ..."; "the teacher and the
smaller one"), a word is what something is compared with ("faster than linearly") or what is said to be hard to
do ("hard to fully prevent"), two words are said the other way round ("X after Y" for "X then Y"), a quantity is
raised or given as a magnitude ("order n squared", "tens of thousands"), "same" turns a spanning phrase round, or the
answer denies a "just" by adding more. Moved out of offline.said, which had grown past the size the architecture test
allows, unchanged but for `runs_across`, which asks all of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .analyse import Analysis
from .cues import MARKER_OF, StrictCue


def runs_across(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """The words at `chosen` say `cue`'s words but not the phrase (any of the readings below)."""
    return (_respectively(a, chosen) or _across_items(a, chosen) or _not_alone(cue, a, chosen)
            or _raised(cue, a, chosen) or _same_between(cue, a, chosen) or _next_item(cue, a, chosen)
            or _parallel(a, chosen) or _magnitude(cue, a, chosen) or _coordinated(cue, a, chosen)
            or _compared_to(cue, a, chosen) or _hard_to(cue, a, chosen) or _reversed(cue, a, chosen))


def _reversed(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """The answer puts two of the phrase's words the other way round: "after" just before the next of
    them, with only small words between, says the later one comes first ("a feed-forward part after the attention"
    is not "feed forward then attention"). Not when the phrase itself says "after", nor for an "after" that opens
    something else ("LoRA, after training, merges the weights")."""
    if "@after" in cue.terms:
        return False
    for i, j in zip(chosen, chosen[1:], strict=False):
        k = j - 1
        while k > i and a.tokens[k].function and a.tokens[k].low != "after":
            k -= 1
        if k > i and a.tokens[k].low == "after":
            return True
    return False


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """A phrase's words, lower case (asked for every choice of tokens a phrase is tried on)."""
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", text))


_ALONE = re.compile(r"\b(just|only|alone|solely|merely|simply)\b(?! as\b)", re.I)
_ALSO = frozenset(("also", "too"))
ALSO_WINDOW = 4
"""How far after a phrase an "also" says it is not the whole story."""


def _not_alone(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A phrase that claims something is all there is ("just make the models bigger") is not said by an answer that
    goes on to add more ("making models bigger but also more efficient") or says "not only"/"not just" before it:
    the answer denies the "just"."""
    if not _ALONE.search(cue.text):
        return False
    t = a.tokens
    lo, hi = min(chosen), max(chosen)
    after = [k for k in range(hi + 1, min(hi + 1 + ALSO_WINDOW, len(t))) if t[k].sentence == t[hi].sentence]
    if any(t[k].low in _ALSO for k in after) or (after and "as well" in a.text[t[hi].end:t[after[-1]].end]):
        return True
    return lo >= 2 and t[lo - 1].low in ("only", "just") and t[lo - 2].low == "not"


_POWERS = frozenset("squared cubed".split())


def _raised(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A phrase that ends on a quantity the answer raises to a power: "order n squared" does not say "order n"."""
    hi = max(chosen)
    return (hi + 1 < len(a.tokens) and a.tokens[hi + 1].low in _POWERS
            and not any(w in _POWERS for w in cue.text.lower().split()))


def _compared_to(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A word said as what something is compared with is not said of it: "it grows faster than linearly with the
    sequence length" does not say it is linear in the sequence length."""
    return "than" not in _words(cue.text) and any(k > 0 and a.tokens[k - 1].low == "than" for k in chosen)


_HARD = frozenset("hard harder difficult impossible tricky tough".split())


def _hard_to(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """What is said to be hard to do is not said to be done: "it's hard to fully prevent" does not say "that fully
    prevents it" (an honest answer on prompt injection was told it claimed the attack is solved)."""
    if _words(cue.text) & _HARD:
        return False
    lo, t = min(chosen), a.tokens
    window = [k for k in range(max(0, lo - 3), lo) if t[k].sentence == t[lo].sentence]
    return any(t[k].low == "to" and k > 0 and t[k - 1].low in _HARD for k in window)


def _same_between(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """"Comparable between models with the same tokenizer" does not say "comparable across tokenizers": "same"
    inside a phrase that spans things ("across", "between") turns it round."""
    if "@between" not in cue.terms or "@same" in cue.terms:
        return False
    return any(MARKER_OF.get(a.tokens[k].low) == "same" for k in range(min(chosen), max(chosen)))


def _next_item(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A phrase that runs from one item of a list into the next: "grouped-query attention, cache quantization, and
    PagedAttention" does not say "the queries are cached" (a word of the phrase right after a comma, the item before
    it closed by a word of its own, and its own item closed by a comma within ITEM_WORDS)."""
    if "," in cue.text:
        return False
    idx = sorted(set(chosen))
    t = a.tokens
    for i, j in zip(idx, idx[1:], strict=False):
        k = j - 1
        if k > i and not t[k].function and t[k].term and "," in a.text[t[k].end:t[j].start]:
            end = min(j + ITEM_WORDS, len(t) - 1)
            if t[end].sentence == t[j].sentence and "," in a.text[t[j].end:t[end].start]:
                return True
    return False


ITEM_WORDS = 3
"""How many words at most a list item runs on after a phrase's word before its comma."""


_SETTINGS = frozenset("in during at for with".split())
_TURNS = frozenset("and but while whereas".split())


def _parallel(a: Analysis, chosen: list[int]) -> bool:
    """A phrase that runs from one setting into the next: "in training you need backpropagation and in inference
    it's only the forward pass" says nothing of backpropagation in inference (a word of the phrase right after
    "and in", "but during" ..., the same setting word said earlier in the sentence, before the phrase)."""
    idx = sorted(set(chosen))
    t = a.tokens
    for i, j in zip(idx, idx[1:], strict=False):
        if j - 2 > i and t[j - 1].low in _SETTINGS and (t[j - 2].low in _TURNS
                                                         or "," in a.text[t[j - 2].end:t[j - 1].start]):
            if any(t[k].low == t[j - 1].low and t[k].sentence == t[i].sentence for k in range(i)):
                return True
    return False


_COPULAS = frozenset("is are was were be being been".split())
_COORDINATORS = frozenset("and but while whereas".split())
_DETERMINERS = frozenset("the a an this that these those".split())


def _coordinated(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A phrase that says one thing is another ("the teacher is the small one") is not said by words that name
    two things side by side: "the big one is the teacher and the smaller one learns from it" (an "and" between
    them, and no "is")."""
    if not _COPULAS & _words(cue.text):
        return False
    lo, hi = min(chosen), max(chosen)
    between = [t.low for t in a.tokens[lo + 1:hi]]
    if _COPULAS & set(between) or any(w.endswith("'s") for w in between):
        return False
    # a coordinator the phrase does not say, opening another noun phrase ("and the smaller one"), not another verb
    # of the same subject ("the LLM acts as the reward model and scores the answers")
    own = _words(cue.text)
    return any(w in _COORDINATORS and w not in own and nxt in _DETERMINERS
               for w, nxt in zip(between, between[1:], strict=False))


_NUMBER_WORDS = frozenset("ten tens dozen dozens hundred hundreds thousand thousands million millions billion "
                          "billions trillion trillions".split())


def _magnitude(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A number word said as a magnitude ("tens of thousands", "hundreds of millions") is not the number the
    phrase names ("under ten thousand"): an honest "usually in the tens of thousands of tokens" was told it
    claimed vocabularies are tiny."""
    said_words = _words(cue.text)
    t = a.tokens
    return any(t[i].low in _NUMBER_WORDS and t[i].low.endswith("s") and t[i].low not in said_words
               and i + 1 < len(t) and t[i + 1].low == "of" for i in chosen)


_PAIRING = frozenset(("and", "or"))


def _respectively(a: Analysis, chosen: list[int]) -> bool:
    """Two pairs matched in order: "BLEU and ROUGE for translation and summarization" (or "BLEU or ROUGE for ...")
    puts ROUGE on summaries, so a phrase that starts on the second of one pair and ends on the first of the other
    ("ROUGE for translation") is not said."""
    lo, hi = min(chosen), max(chosen)
    t = a.tokens
    return (lo >= 2 and hi + 2 < len(t) and t[lo - 1].low in _PAIRING and t[hi + 1].low in _PAIRING
            and bool(t[lo - 2].term) and bool(t[hi + 2].term) and t[lo - 2].sentence == t[hi + 2].sentence == t[lo].sentence
            and "," not in a.text[t[lo - 2].start:t[hi + 2].end])


_LINKS = frozenset("for in of on at with by".split())


def _across_items(a: Analysis, chosen: list[int]) -> bool:
    """A phrase that runs from the end of one list item into the next: "30K for BERT, 50K for GPT-2" puts 50K on
    GPT-2, so "BERT ... 50K" across the comma is not said (the same link word before the first chosen word and
    after the last one)."""
    lo, hi = min(chosen), max(chosen)
    t = a.tokens
    return (lo >= 1 and hi + 1 < len(t) and t[lo - 1].low in _LINKS and t[hi + 1].low == t[lo - 1].low
            and t[lo - 1].sentence == t[hi + 1].sentence and "," in a.text[t[lo].end:t[hi].start])
