"""The offline grader's table of opposites: words that turn a true statement into a false one when swapped.

Owns only data, like `synonyms.py`. Two kinds:
- ANTONYMS: inverted relationships (exact/approximate, higher/lower, parallel/sequential, linear/quadratic ...).
  "FlashAttention computes exact attention" becomes false as "FlashAttention computes approximate attention".
  (Order words, before/after, are matched in misconception phrasings instead: see MARKERS.)
- ROLES: the two sides of one mechanism (encoder/decoder, draft/target, teacher/student ...). Swapping them keeps
  every word of the topic and inverts the meaning, so a swapped-role cue only counts in the cue's word order.

Groups are general technical English, never written for one question or one data set (a per-question opposite
would be tuning on the answers). Each side is a tuple of surface words; `analyse.term` folds their forms.
Function words the analyser ignores (before, after) are matched by their surface form (see `MARKERS`).
"""

from __future__ import annotations

import re

ANTONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("exact", "exactly", "lossless", "precise"), ("approximate", "approximation", "approximately", "lossy",
                                                   "estimate", "estimated")),
    (("higher", "high", "increase", "increases", "increased", "raise", "raises", "grow", "grows"),
     ("lower", "low", "decrease", "decreases", "decreased", "reduce", "reduces", "shrink", "shrinks")),
    (("more",), ("less", "fewer")),
    (("larger", "bigger"), ("smaller",)),
    (("faster", "quicker"), ("slower",)),
    (("better", "improves", "improve"), ("worse", "hurts", "degrades")),
    (("parallel", "simultaneously", "concurrently", "simultaneous", "concurrent"),
     ("sequential", "sequentially", "serial", "serially")),
    (("dense",), ("sparse",)),
    (("bidirectional",), ("unidirectional", "causal")),
    (("supervised",), ("unsupervised",)),
    (("deterministic",), ("random", "stochastic", "randomly")),
    (("linear", "linearly"), ("quadratic", "quadratically", "exponential", "exponentially")),
    (("frozen",), ("updated", "trainable", "retrained")),
    (("cheaper", "cheap"), ("expensive", "costly")),
    (("global",), ("local",)),
    (("longer",), ("shorter",)),
)

ROLES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("encoder", "encoders"), ("decoder", "decoders")),
    (("draft",), ("target", "verifier")),
    (("teacher",), ("student",)),
    (("actor",), ("critic",)),
)
# Not here, on purpose: before/after (an answer says "before release" of one thing and "after release" of another
# too often; order errors are caught by the misconceptions' own phrasings, which keep before/after as markers),
# retriever/generator and prefill/decode. Their terms fold into broad synonym groups
# ("generator" meets "output", "decode" meets "decoder"), so a swap would fire on sentences that swap nothing.

MARKERS: dict[str, tuple[str, ...]] = {
    "before": ("before", "prior", "earlier"),
    "after": ("after", "afterwards", "later"),
    "between": ("between", "across", "among"),
    "all": ("all", "every", "each", "entire", "everything"),
    "only": ("only", "solely", "merely"),
    "same": ("same", "identical"),
    "always": ("always", "never", "guaranteed", "guarantees", "necessarily"),
}
"""Small words that carry the meaning of a claim ("attention across layers", "runs all experts", "only the last
token"): the analyser treats most as function words, so in a claim they are matched by their surface form."""

BREAKS = frozenset("""different differs differ unlike unrelated independent than followed instead rather versus vs
whereas compared opposed but however although though""".split())
"""Words that, between two words of a claim, make them two things compared rather than one thing said: "X is
different from Y" does not say "X is Y"; "the original was post-LN, after the residual add, but modern LLMs are
pre-LN" does not say "post-LN is what modern LLMs use". ("then" breaks a claim too unless the claim itself says
it: "train a reward model, and then use RL on the LLM" is not "train the reward model using RL".)"""

PRIVATIVE = frozenset("""drop drops dropped remove removes removed omit omits omitted skip skips skipped lack lacks
lacking replace replaces replaced replacing eliminate eliminates eliminated abandon abandons abandoned""".split())
"""Verbs that take away, between two words of a claim: "decoder-only models like GPT drop cross-attention" does
not say "GPT uses cross-attention", nor "the transformer replaced the recurrence with self-attention" that the
transformer has recurrence."""

BLOCKERS = frozenset("""prevent prevents prevented prevents stop stops stopped avoid avoids avoided instead far nothing
impossible nobody neither""".split())
"""Words just before a claim that turn it away ("prevents the model from looking at future tokens", "instead of
updating the weights"): the claim is not made."""

POLARITY = ("prevent", "prevents", "avoid", "avoids", "stop", "stops", "eliminate", "eliminates", "reduce",
            "reduces", "cut", "cuts", "mitigate", "mitigates", "without", "instead", "limit", "limits", "limited",
            "lack", "lacks", "miss", "misses", "fail", "fails", "risk", "risks", "unlike", "rather", "capped",
            "cap", "caps", "preventing", "avoiding", "stopping", "eliminating", "reducing", "cutting", "mitigating",
            "limiting", "lacking", "failing")
"""Words that make a key point's own phrases the thing it is *against* ("loss scaling prevents gradient
underflow"): such a point's phrases are not claims of its own, so saying them under a negation denies nothing."""

FAILURES = ("vanish", "vanishing", "vanishes", "explode", "exploding", "explodes", "unstable", "instability",
            "overfit", "overfitting", "overfits", "underflow", "overflow", "hallucinate", "hallucinates",
            "hallucination", "hallucinations", "forget", "forgetting", "collapse", "collapses", "diverge",
            "diverges", "divergence", "leak", "leaks", "leakage", "saturate", "saturates", "saturation")
"""Words that name a failure. A key point's phrasing that names one its own text does not ("vanishing gradients"
for "Stabilizes training and gradient flow") names what the point is against: saying it under a negation ("so
gradients don't explode or vanish") agrees with the point (`denials.against_a_failure`)."""

DISTANCING = (
    "misconception", "myth", "misunderstanding", "mistakenly", "wrongly", "incorrectly", "erroneously",
    "people think", "people assume", "people believe", "some say", "some people", "contrary to", "it's not true",
    "it is not true", "isn't true", "is false that", "a common mistake", "a common error",
    "once assumed", "once believed", "used to think", "used to believe", "used to assume",
    "pitfall", "a common trap", "the trap is",
)
"""A sentence that reports a belief in order to reject it ("a common misconception is that it's approximate")
is not the candidate making the claim."""
REPORTED = re.compile(
    r"\b(?:people|candidates|folks|beginners|newcomers|students|someone|somebody|you might|one might|"
    r"it's tempting to|it is tempting to)(?:\s+\w+){0,2}?\s+(?:think|thinks|thought|assume|assumes|assumed|"
    r"believe|believes|claim|claims|expect|expects|imagine|imagines|mix|mixes|confuse|confuses|"
    r"conflate|conflates|equate|equates|mistake|mistakes)\b"
    r"|\b(?:not to be confused with|confused with|mixed up with|mistaken for|conflated with)\b"
    r"|\b(?:confuse|confuses|confusing)\s+(?:it\s+|them\s+|this\s+)?with\b"
    r"|\b(?:mix|mixes|mixing)\s+(?:it\s+|them\s+|this\s+)?up\s+with\b"
    r"|\b(?:don't|do not|never)\s+(?:confuse|conflate|mix up)\b"
    r"|(?<!what\s)\b(?:people|some people|many people|folks)(?:\s+\w+)?\s+(?:say|says|said)\b(?=[^.!?]*\bbut\b)")
"""The same, said another way: someone else's belief ("people sometimes think LoRA compresses the model",
"people mix it up with beam search", "not to be confused with model ensembles, which run every model", "it's easy
to confuse with prompt tuning, which ...", "easy to mix up with X"; not "the output mixing with the residual
stream"); "don't confuse positional embeddings with segment embeddings, which mark ..."; "people sometimes say
FlashAttention fixes the quadratic problem, but it doesn't", where the "but" rejects it: without one, "when people
say GPT-3 has 175 billion tokens, that's its memory" is the speaker's claim, and "what people say" names a usage)."""
_OPENS = r"(?:^|(?<=[.!?]\s))"
"""Where a sentence opens."""
_NAMED = r"(?!(?:so|and|but|now|here|well|um|uh|it|this|that|these|they|then|also)\b)((?:[\w'-]+\s+){0,5}[\w'-]+)"
"""What it opens on: up to six words, not a connective or a pronoun ("So, ...", "It, ...")."""
OTHER_OPENING = re.compile(
    _OPENS + r"(?:(?:and|but)\s+)?" + _NAMED + r",?\s+(?:by contrast|in contrast)\b"
    r"|" + _OPENS + _NAMED + r"(?:,[^,.!?]{1,60},)?\s+(?:goes|works|runs|builds|does it|is|operates)\s+"
    r"(?:the\s+|in\s+the\s+)?(?:opposite|other|reverse)\s+(?:way|direction)\b"
    r"|" + _OPENS + r"(?:and\s+)?" + _NAMED + r"\s+(?:is|are)\s+different(?:\s+too|\s+again|\s+as\s+well)?\s*:")
"""A sentence that opens on another thing set against the subject: "Knowledge distillation, by contrast, trains a
smaller student model", "And BLEU or ROUGE by contrast compare n-grams" (not "So, by contrast, ..." or "It, by
contrast, ..."), "The Unigram method, used through SentencePiece, goes the opposite way: ...", "And plain few-shot
prompting is different too: ...". Group 1 (2 for "the opposite way", 3 for "is different:") is what it names; whether
that is the subject is the question's to say (`contradict`). "On the other hand" is left out: answers use it for
the next item of what was asked ("Sampling, on the other hand, picks ...")."""
