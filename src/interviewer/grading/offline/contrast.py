"""Whether a phrase is said of the thing set against the subject: "unlike X, which ...", "different from X, where
...", "X, by contrast, ..." leave it at X; "it's not top-k, which keeps ..." describes top-k. The claim is then no
claim about the subject (`said` skips it). Split out of `said` to keep each module to one job.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .analyse import Analysis, analyse
from .lists import EXAMPLES

_CONTRAST = frozenset("differs differ different distinct unlike versus vs compared contrast opposed".split())
_CONTRAST_WITH = {"differs": "from", "differ": "from", "different": "from to than", "distinct": "from",
                  "compared": "to with", "opposed": "to"}
"""Contrast words that set one thing against another only with their preposition: "different from X", not
"two different sequences" or "slightly different numerical paths"."""
_RELATIVE = frozenset("where which whose".split())
CONTRAST_WINDOW = 15
RELATIVE_WINDOW = 30
"""How far back a contrast still reaches a claim made in a relative clause that describes what it names."""
CONTRAST_NEXT = 2
BE = frozenset("is are was were be isn't aren't wasn't weren't".split())


_OTHER_KINDS = frozenset("alternative alternatives variant variants extension extensions".split())
_NAMING = frozenset("like such include includes including to is are".split())
_KIND_OF = frozenset("an newer simpler cheaper popular common main recent".split())
_EDGE = frozenset("advantage advantages improvement edge benefit upgrade".split())
_NOT = frozenset("not isn't aren't wasn't weren't".split())


def _sets_against(a: Analysis, k: int) -> bool:
    """Token k sets something against the subject ("unlike", "different from", "compared to", "in contrast",
    "it's not the same as", "whereas", "the advantage over", "alternatives like DPO", "rather than", and a thing
    named after "than" or "not" and described after a comma: "better than top-k, which ...", "not top-k, which")."""
    low = a.tokens[k].low
    if low == "over":  # "the advantage over top-k, which always keeps a fixed number"
        return k > 0 and a.tokens[k - 1].low in _EDGE
    if low == "whereas":  # "Whereas top-k keeps a fixed number, top-p ..."; ", whereas X is Y" asserts Y of X
        return k == 0 or a.tokens[k - 1].sentence != a.tokens[k].sentence
    if low in _OTHER_KINDS:  # "alternatives like DPO skip the reward model", "variants include self-consistency"
        return ((k + 1 < len(a.tokens) and a.tokens[k + 1].low in _NAMING)
                or (k > 0 and a.tokens[k - 1].low in _KIND_OF))
    if low == "than":  # "rather than keeping a fixed number"; "more adaptive than top-k, which keeps forty tokens"
        return _rather_than(a, k) or _described_after(a, k)
    if low in _NOT and k + 2 < len(a.tokens) and (not _VERB_FORM.search(a.tokens[k + 1].low)
                                                  or a.tokens[k + 2].low in _RELATIVE):  # "it's not pruning, where"
        return _described_after(a, k)  # "it's not top-k, which keeps a fixed number" (not "not trained on X, which")
    if low == "same":
        return (k + 1 < len(a.tokens) and a.tokens[k + 1].low == "as"
                and any(a.tokens[j].low in _NOT for j in range(max(0, k - 2), k)))
    if low not in _CONTRAST:
        return False
    after = _CONTRAST_WITH.get(low)
    return after is None or (k + 1 < len(a.tokens) and a.tokens[k + 1].low in after.split())


_VERB_FORM = re.compile(r"(?:ed|ing|en|ly)$")
NAMED_WITHIN = 10
"""How many words a thing named after "than" or "not" may take before ", which" describes it."""


def _names_only(a: Analysis, k: int) -> bool:
    """Token k is a "than" or "not" that sets something against the subject only by what the relative clause after
    it says ("not in the vocabulary is mapped to an unknown token, which ..." is still the speaker's claim)."""
    return a.tokens[k].low in _NOT or (a.tokens[k].low == "than" and not _rather_than(a, k))


def _rather_than(a: Analysis, k: int) -> bool:
    return k > 0 and a.tokens[k - 1].low == "rather"


def _described_after(a: Analysis, k: int) -> bool:
    """What token k names is then described in a relative clause after a comma ("than top-k, which ...")."""
    s = a.tokens[k].sentence
    for j in range(k + 2, min(len(a.tokens), k + 2 + NAMED_WITHIN)):
        if a.tokens[j].sentence != s:
            return False
        if a.tokens[j].low in _RELATIVE:
            return "," in a.text[a.tokens[j - 1].end:a.tokens[j].start]
    return False


def _one_phrase(a: Analysis, i: int, j: int) -> bool:
    """Tokens i and j in one stretch of the sentence: no other clause between them, and no comma but one that
    opens examples or another name of what was named ("different from classic unsupervised learning, like
    clustering")."""
    pieces = a.text[a.tokens[i].end:a.tokens[j].start].split(",")
    return a.tokens[i].clause == a.tokens[j].clause and all(
        EXAMPLES.match(p.strip()) or _ALIAS.match(p.strip()) for p in pieces[1:])


_ALIAS = re.compile(r"(?:or|also called|also known as|aka|i\.?e\.?|that is)\b", re.I)
"""Another name for what was named, after a comma ("different from adversarial examples, or evasion attacks")."""


def contrasted(a: Analysis, first: int) -> bool:
    """The claim describes the thing set against the subject: "it differs from plain few-shot prompting, where the
    examples only show answers" says that of plain few-shot prompting; "unlike classic unsupervised learning such as
    clustering", "different from classical program synthesis" (the claim in the contrast's own clause) or "unlike a
    hard argmax that picks one token". Also a sentence that opens on "there" (not "there are") right after one
    that sets something against the subject or reports a belief ("That's different from RAG. There, a retriever
    fetches documents ...", "People mix it up with data parallelism: there every GPU keeps a full copy"), and the
    part after a colon that ends a sentence reporting a confusion or a belief ("easy to confuse with prompt tuning,
    which is a training method: you learn embeddings by gradient descent"; not after a mere comparison: "seen versus
    unseen data: training examples have higher loss" is said of the subject). Not a claim in the next clause:
    "Unlike standard attention, FlashAttention is approximate" is said of the subject."""
    s = a.tokens[first].sentence
    back = [k for k in range(max(0, first - CONTRAST_WINDOW), first) if a.tokens[k].sentence == s]
    at = next((k for k in reversed(back) if _sets_against(a, k)), None)
    relative = at is not None and any(a.tokens[k].low in _RELATIVE for k in range(at + 1, first))
    if at is not None and (relative or (not _names_only(a, at) and (first - at <= CONTRAST_NEXT
                                                                     or _one_phrase(a, at, first)))):
        return True
    # a longer description of the thing set against the subject, in a relative clause ("different from the
    # statistical sense in the bias-variance trade-off, where bias means a model's systematic error ...")
    far = [k for k in range(max(0, first - RELATIVE_WINDOW), first - CONTRAST_WINDOW) if a.tokens[k].sentence == s]
    at = next((k for k in reversed(far) if _sets_against(a, k)), None)
    if at is not None and any(a.tokens[k].low in _RELATIVE and a.tokens[k].clause == a.tokens[first].clause
                              and "," not in a.text[a.tokens[k].end:a.tokens[first].start] for k in range(at + 1, first)):
        return True
    opening = first
    while opening > 0 and a.tokens[opening - 1].sentence == s:
        opening -= 1
    if s - 1 in a.distanced and opening > 0 and ":" in a.text[a.tokens[opening - 1].end:a.tokens[opening].start]:
        return True  # "easy to confuse with prompt tuning, which is a training method: you learn embeddings ..."
    if a.tokens[opening].low != "there" or (opening + 1 < len(a.tokens) and a.tokens[opening + 1].low in BE
                                            and a.text[a.tokens[opening].end:a.tokens[opening].end + 1] != ","):
        return False  # "There are two kinds" is no pointer back
    return s - 1 in a.distanced or any(a.tokens[k].sentence == s - 1 and _sets_against(a, k)
                                       for k in range(max(0, opening - 40), opening))


def in_whereas(a: Analysis, first: int) -> bool:
    """The claim's words all in a "whereas" clause: ", whereas fine-tuning bakes behavior into the weights" says
    it of the thing set against the subject, not of the subject."""
    s = a.tokens[first].sentence
    return any(t.low == "whereas" and t.sentence == s for t in a.tokens[:first])


_AGAINST = frozenset("to than over from".split())
"""Words before a thing the question sets against its subject: "alternatives to standard attention", "better
than RNNs", "the advantage over full fine-tuning", "different from pruning"."""


def named_against(question: tuple[str, ...], own: frozenset[str], a: Analysis, hits: list[int]) -> bool:
    """A point's word named, with a word the point does not use, as the thing the question sets against its
    subject (`question`: its words in order): "standard attention is quadratic", asked for alternatives to
    standard attention, says nothing of linear attention."""
    named = {(question[k], question[k + 1]) for k in range(1, len(question) - 1) if question[k - 1] in _AGAINST}
    named |= {(w, head) for kind, head in named if kind in _DEFAULT_KIND for w in _DEFAULT_KIND}
    t = a.tokens
    return any(i > 0 and t[i].term in own and t[i - 1].sentence == t[i].sentence and t[i - 1].term
               and t[i - 1].term not in own and (t[i - 1].low, t[i].low) in named for i in hits)


_DEFAULT_KIND = frozenset("standard normal vanilla regular plain ordinary classic traditional full".split())
"""Words for the usual kind of a thing, one as good as another: "normal attention" is the question's "standard
attention"."""


@lru_cache(maxsize=4096)
def confuses_a_sibling(claim: str, theirs: frozenset[str]) -> bool:
    """A misconception that gives the asked subject what belongs to a sibling, and says so by naming it ("Top-k keeps
    the tokens whose probability is above a threshold k (confusing it with top-p)"), not by comparing with it
    ("Few-shot chain-of-thought is cheaper than zero-shot")."""
    if not theirs:
        return False
    tokens = analyse(claim).tokens
    return bool(theirs & {t.term for t in tokens}) and not any(t.low == "than" for t in tokens)


def of_a_sibling(a: Analysis, hits: list[int], names: tuple[frozenset[str], frozenset[str]]) -> bool:
    """A claim said of a sibling the bank marks as distinct from the asked question (`Question.distinct_from`), by
    its name: "top-k keeps a fixed number of tokens, whereas top-p adds tokens until the cumulative probability
    passes 0.9" says top-p's mechanism of top-p, not of top-k. `names`: (the words that name the sibling and not
    the asked subject, those that name the asked subject and not the sibling), e.g. ({p, nucleus}, {k}) asked about
    top-k. The claim is the sibling's when the nearest of those words before it in its sentence names the sibling
    and is what its part of the sentence opens on (analyse.Token.part: "whereas top-p adds ...", "Top-p instead
    ..."), not a word in passing ("compared to top-p it keeps ...")."""
    theirs, ours = names
    if not theirs or not hits:
        return False
    first = min(hits)
    s = a.tokens[first].sentence
    for k in range(first - 1, -1, -1):
        t = a.tokens[k]
        if t.sentence != s or t.term in ours:
            return False
        if t.term in theirs:
            return _opens_its_part(a, k)
    return False


def _opens_its_part(a: Analysis, k: int) -> bool:
    """Token k is what its part of the sentence opens on: at most one content word before it there (the "top" of
    "top-p")."""
    t, before = a.tokens[k], 0
    for i in range(k - 1, -1, -1):
        x = a.tokens[i]
        if (x.sentence, x.part) != (t.sentence, t.part):
            break
        before += bool(x.term and not x.function)
    return before <= 1
