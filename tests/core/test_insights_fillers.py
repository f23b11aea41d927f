"""'like' is a filler only where it is one: "methods like adapters", ", like elastic weight consolidation" and
"it is like a lookup table" are words of the answer; "like," and "um like" are fillers. It is never reported as
a repeated word either."""

from __future__ import annotations

import pytest

from interviewer.core.insights import count_fillers, wording_insights

NOT_FILLERS = [
    "Catastrophic forgetting is handled with methods like elastic weight consolidation, like adapters, or replay.",
    "Regularisers, like elastic weight consolidation, keep old weights close.",
    "It is like a lookup table over the keys.",
    "Subword tokenizers like BPE, like WordPiece, split rare words.",
]
FILLERS = [
    ("It was, like, really slow.", 1),
    ("Like, it works.", 1),
    ("um like the model attends", 1),
    ("like you know it mixes tokens", 1),
]


@pytest.mark.parametrize("text", NOT_FILLERS)
def test_like_meaning_such_as_or_comparing_is_not_a_filler(text):
    assert "like" not in count_fillers(text)


@pytest.mark.parametrize(("text", "n"), FILLERS)
def test_like_as_a_filler_counts(text, n):
    assert count_fillers(text).get("like") == n


def test_like_is_not_a_repeated_word():
    w = wording_insights("Methods like adapters, like LoRA, like prefix tuning, like prompt tuning all help.")
    assert "like" not in dict(w.repeated_words) and w.filler_count == 0


@pytest.mark.parametrize(("answer", "used"), [
    ("then you fine-tune a bit afterwards", []),  # "a bit" is not "8 bit": a number is part of the term
    ("weights go down to 8-bit integers", ["8 bit"]),
    ("store them as 8 bit ints", ["8 bit"]),
    ("the KV-cache and top-k", ["KV cache", "top-k"]),
])
def test_a_key_term_is_used_only_when_all_its_parts_are_said(answer, used):
    assert wording_insights(answer, ["8 bit", "KV cache", "top-k"]).key_terms_used == used
