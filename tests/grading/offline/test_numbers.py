"""Numbers the offline grader reads: a key point about a number is not shown by a sentence that gives another
number of the same thing, "n^2" is "n squared" (not "two n"), and what something is compared with ("faster than
linearly") is not said of it. The cases come from the nineteenth held-out set (read and retired) and the tuning sets;
the answers here are written for these tests."""

from __future__ import annotations

import pytest

from interviewer.core.models import KeyPointStatus
from interviewer.grading.offline.analyse import analyse
from interviewer.grading.offline.quantities import Quantity, contradicted_by, stated


def status(g, kp_id: str) -> KeyPointStatus:
    return next(k.status for k in g.key_points if k.key_point_id == kp_id)


def quantities(text: str) -> list[tuple[float, float, str | None]]:
    return [(q.lo, q.hi, q.unit) for _, q in stated(analyse(text))]


@pytest.mark.parametrize("text, expected", [
    ("about 50K tokens", [(5e4, 5e4, "token")]),
    ("GPT-2 has 50,257 tokens", [(50257, 50257, "token")]),
    ("roughly 300 billion tokens", [(3e11, 3e11, "token")]),
    ("fifty thousand", [(5e4, 5e4, None)]),
    ("thirty two thousand", [(32e3, 32e3, None)]),
    ("a hundred thousand words", [(1e5, 1e5, "token")]),
    ("in the tens of thousands", [(1e4, 1e5, None)]),
    ("billions of parameters", [(1e9, 1e12, "param")]),
    ("a 70 billion parameter model", [(7e10, 7e10, "param")]),
    ("1.4 trillion tokens", [(1.4e12, 1.4e12, "token")]),
    ("7e9 params", [(7e9, 7e9, "param")]),
    ("768 dimensions", [(768, 768, "dim")]),
    ("GPT-3 could handle about 2,048 tokens", [(2048, 2048, "token")]),  # not a year: a comma, a unit
    ("a 2048 token context", [(2048, 2048, "token")]),
])
def test_quantities_are_read_in_the_ways_people_say_them(text, expected):
    assert quantities(text) == expected


@pytest.mark.parametrize("text", [
    "GPT-4 came out in 2023",  # a name and a year
    "by 2048 models will be bigger",  # a year: no comma and no unit it counts
    "about 95% of the time",  # a percentage
    "20 tokens per parameter, top 2 experts",  # counts under 100 with no magnitude
    "a 4-bit model on an A-100",
])
def test_names_years_percentages_and_small_counts_are_no_quantities(text):
    assert quantities(text) == []


def test_a_unit_is_not_read_across_a_comma():
    assert quantities("thirty two thousand, 7e9 params") == [(32e3, 32e3, None), (7e9, 7e9, "param")]


def test_a_number_disagrees_with_a_number_of_the_point_s_unit_or_of_no_unit_not_of_another():
    point = (Quantity(5e4, 5e4, "token"),)
    assert contradicted_by(point, [Quantity(3e11, 3e11, "token")])
    assert not contradicted_by(point, [Quantity(3e11, 3e11, "param")])  # another thing counted
    assert not contradicted_by(point, [Quantity(3e11, 3e11, "token"), Quantity(32e3, 32e3, None)])  # one agrees
    assert contradicted_by((Quantity(512, 512, None),), [Quantity(5e4, 5e4, "token")])  # a point with no unit
    assert not contradicted_by((Quantity(512, 512, None),), [Quantity(768, 768, "dim")])


def test_training_tokens_given_for_the_vocabulary_do_not_show_its_size(grade):
    g = grade("llm-q027", "So the vocabulary size of typical LLMs is measured in tokens seen during training. GPT-3 "
                          "was trained on roughly 300 billion tokens, and newer models on several trillion tokens.")
    assert status(g, "k2") is KeyPointStatus.missing, [(k.key_point_id, k.evidence) for k in g.key_points]


def test_the_right_number_still_shows_the_point(grade):
    g = grade("llm-q027", "I think it's usually in the tens of thousands of tokens. GPT-3 uses about fifty "
                          "thousand tokens, I want to say 50,257.")
    assert status(g, "k2") is KeyPointStatus.covered


def test_n_squared_written_as_a_power_is_not_two_n(grade):
    wrong = grade("llm-q034", "The computational cost is the six N D rule: at inference it's about two N FLOPs per "
                              "generated token.")
    assert status(wrong, "k1") is KeyPointStatus.missing, [(k.key_point_id, k.evidence) for k in wrong.key_points]
    right = grade("llm-q034", "It's O(n^2) in the sequence length.")
    assert status(right, "k1") is KeyPointStatus.covered


def test_what_something_is_compared_with_is_not_said_of_it(grade):
    g = grade("llm-q034", "I think it grows faster than linearly with the sequence length, because every token gets "
                          "compared with every other token.")
    assert g.misconceptions == [], [(m.claim, m.evidence) for m in g.misconceptions]
    made = grade("llm-q034", "Self-attention grows linearly with the sequence length, like an RNN.")
    assert made.misconceptions



def test_another_context_length_does_not_show_the_vocabulary_size(grade):
    """ "2,048 tokens" was read as a year, so "Early GPT-3 could handle about 2,048 tokens" showed "GPT models use
    about 50K tokens" from the name alone (the forty-fifth held-out set's off-topic answer, a context window told as
    the vocabulary size, 46 against its weak answer's 27; read and retired for that pair)."""
    g = grade("llm-q027", "The vocabulary size is how many tokens the model can take in. Early GPT-3 could handle "
                          "about 2,048 tokens, later models went much longer.")
    assert next(k for k in g.key_points if k.key_point_id == "k2").status is KeyPointStatus.missing


def test_a_number_said_with_no_unit_is_another_number_of_the_point_s_kind(grade):
    """"Early GPT-3 had 2,048, GPT-3.5 went to 4K": numbers with no unit after them, so they were no number of
    tokens and the name GPT-3 showed "GPT models use about 50K tokens" (the sixty-eighth held-out set's off-topic
    answer, a context window told as the vocabulary size, caught and still 27 against its weak answer's 23; read and
    retired for that pair). A number said with no unit in the words that show a point counts what the point counts,
    unless it agrees; one with another unit still does not (175B parameters)."""
    assert contradicted_by((Quantity(5e4, 5e4, "token"),), [Quantity(2048, 2048, None)])
    g = grade("llm-q027", "The vocabulary size is how many tokens the model can take in at once. Early GPT-3 had "
                          "2,048, GPT-3.5 went to 4K and then 16K.")
    assert status(g, "k2") is KeyPointStatus.missing, [(k.key_point_id, k.evidence) for k in g.key_points]
    right = grade("llm-q027", "GPT-3 uses 50,257 and BERT about 30K; both are subword vocabularies.")
    assert status(right, "k2") is KeyPointStatus.covered, [(k.key_point_id, k.evidence) for k in right.key_points]

