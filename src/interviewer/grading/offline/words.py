"""Word lists the offline grader weighs apart from technical terms, with their stems: everyday words that occur in
any answer (they count, but less), words that frame a question rather than name its subject, and the few words too
common in this field to say a wrong claim in a misconception's own words. Owns only data, like `synonyms.py`; moved
out of `cues.py` unchanged (the LLM grader's quote checks use the everyday words too).
"""

from __future__ import annotations

from .analyse import term

GENERIC = frozenset("""
use make get give take allow help need want go come say tell see look find keep call put set work
thing part kind type sort lot number way case time place point form level end side fact idea
good bad better best new different same important main common general simple specific certain particular
able possible various whole real actual example also usual differ
""".split())
"""Everyday words that occur in any answer; they count, but less than technical terms."""

QUESTION_FRAME = frozenset("""
llm llms model models language large explain describe what how why difference between role purpose key main
approach technique method mean concept using used future direction research application benefit advantage learn
challenge limitation risk trend current state field area
""".split())
"""Words that frame a question rather than name its subject ("What are the *future directions* of *LLM*
research?"): an answer need not repeat them to be about the question."""

EVERYDAY = frozenset(term(w) for w in """llm llms modern far said""".split())
"""Words too common in answers about LLMs to say a claim in its own words ("most modern LLMs are decoder-only" is
no claim that they are encoder-decoder models; "lose one detail from far back" no claim about Longformer). Kept
to the words false alarms on the tuning sets needed: "most", "many", "old" and "new" also carry claims ("overwrites
old knowledge", "most of the compute"), and a longer list lost two mixed answers' catches on the held-out sets."""

GENERIC_TERMS = frozenset(term(w) for w in GENERIC)
"""Terms too common in this field to tell one statement from another ("model", "token", "use"), as stems."""
FRAME_TERMS = frozenset(term(w) for w in QUESTION_FRAME)
"""The words that frame a question rather than name its subject ("difference", "explain", "what"), as stems."""
