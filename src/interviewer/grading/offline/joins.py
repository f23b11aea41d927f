"""Where one statement ends and another begins inside a sentence: ", and" or ", or" that starts another statement,
"and" between two subjects each with its own verb or two verbs each with its own object, ", like" that opens an
example, ", while" that sets what follows against what came before. A claim's words do not run across them (`said`).
"""

from __future__ import annotations

from .analyse import Analysis
from .contrast import BE


def parallel_verbs(a: Analysis, i: int, k: int, j: int) -> bool:
    """"keeping common words whole and breaking rare ones into pieces": two verbs in -ing joined by the "and" at k,
    each with its own object; the words before the "and" are the first one's, the word j right after it is the
    second verb, whose object is new (not "them": "taking common words and splitting them" splits the same words)."""
    t = a.tokens
    if j != k + 1 or not t[j].low.endswith("ing") or j + 1 >= len(t) or t[j + 1].low in _BACK_OBJECTS:
        return False
    return any(t[m].low.endswith("ing") and not t[m].function and t[m].sentence == t[i].sentence
               for m in range(max(0, i - 2), i))


_BACK_OBJECTS = frozenset("them it these those each all both up down".split())


def example_opens(a: Analysis, k: int) -> bool:
    """", like ..." (", classically", ", for example") opens an example of what the clause before it says: a phrase's
    words do not run into it ("the keys and values from another, like a decoder querying the encoder" does not say
    "keys and values from the decoder")."""
    low = a.tokens[k].low
    if low == "example" and k > 1 and a.tokens[k - 1].low == "for":  # ", for example"
        k, low = k - 1, "like"
    return low in _EXAMPLE_WORDS and k > 0 and "," in a.text[a.tokens[k - 1].end:a.tokens[k].start]


_EXAMPLE_WORDS = frozenset("like classically typically".split())
"""After a comma they open an example ("from another, classically the decoder querying the encoder's output")."""


def comma_while(a: Analysis, k: int) -> bool:
    """", while" sets what follows against what came before ("open-domain answers are prone to hallucination,
    while a closed-domain bot is accurate within scope"); a bare "while" is mostly time ("while training"). It
    splits a claim's own words (`contradict`) and a signal's (`said`), unless the signal itself says "while": one said
    across it on purpose ("training uses labeled data, while inference ... uses its own predictions") still matches,
    and "accuracy suits classification tasks, while perplexity is for language models" no longer says "classification
    uses perplexity"."""
    return (a.tokens[k].low in ("while", "whilst") and k > 0
            and "," in a.text[a.tokens[k - 1].end:a.tokens[k].start])


_BACK = frozenset("that that's this it it's so which".split())


def and_another(a: Analysis, k: int) -> bool:
    """", and" or ", or" starts another statement ("during training the weights change, and during inference you
    just give it an input" says nothing of weights changing at inference; "that's tensor parallelism, or by putting
    layers on different GPUs" puts no layers anywhere for tensor parallelism), unless what follows points back at
    what came before ("a bidirectional LSTM, and that's what GPT uses")."""
    return (a.tokens[k].low in ("and", "or") and k + 1 < len(a.tokens) and a.tokens[k + 1].low not in _BACK
            and "," in a.text[a.tokens[k - 1].end:a.tokens[k].start] and not _alias(a, k))


ALIAS_WORDS = 3
"""At most this many words between ", or" and the comma that closes another name for what came before."""


def _alias(a: Analysis, k: int) -> bool:
    """", or Y," between commas gives another name for what came before ("Jailbreaking, or prompt injection, is
    when ..."), and the statement goes on after it: the ", or" starts no other statement."""
    t = a.tokens
    return t[k].low == "or" and any(
        j + 1 < len(t) and t[j + 1].sentence == t[k].sentence and "," in a.text[t[j].end:t[j + 1].start]
        for j in range(k + 1, min(k + 1 + ALIAS_WORDS, len(t))))


def new_subject(a: Analysis, k: int, j: int) -> bool:
    """The "and" at k joins two statements, each with its own "is"/"are": one before it, and one right after the
    word j that follows it ("encoder-only is like BERT and decoder-only is like GPT" says nothing of BERT being
    decoder-only). Not a list that is one subject ("Q, K and V are the raw embeddings"), nor "BERT and GPT are
    both decoder-only", where the verb comes before the claim's next word."""
    s = a.tokens[k].sentence
    verb = next((m for m in range(k - 1, -1, -1) if a.tokens[m].sentence != s or a.tokens[m].low in BE), -1)
    if verb < 0 or a.tokens[verb].sentence != s or "," in a.text[a.tokens[verb].end:a.tokens[k].start]:
        return False  # no "is" of its own before the "and", in one stretch with it
    n = j + 1
    while n < len(a.tokens) and a.text[a.tokens[n - 1].end:a.tokens[n].start] == "-":  # a hyphenated word's rest
        n += 1
    return n < len(a.tokens) and a.tokens[n].low in BE and a.tokens[n].sentence == s
