"""A key point's alternative phrasings must say the point: each case here is a phrasing the built-in bank had that
says something else (another fact, another key point's fact, or the opposite) or that any answer on the topic says
("related", "complex"), found by reading every phrasing against its point, and what the offline grader now makes of
an answer that says only it."""

from __future__ import annotations

import pytest

from interviewer.core.models import KeyPointStatus


def status(g, kp_id: str) -> KeyPointStatus:
    return next(k.status for k in g.key_points if k.key_point_id == kp_id)


@pytest.mark.parametrize(("qid", "kp", "answer"), [
    # model size is not training data
    ("llm-q001", "k1", "An LLM is a transformer neural network with billions of parameters that generates text."),
    # standard attention's memory is the opposite of FlashAttention's
    ("llm-q058", "k4", "FlashAttention computes exact attention in tiles; the usual attention matrix is n squared."),
    # another bottleneck is no way round the quadratic one
    ("llm-q089", "k5", "Attention compares every pair of tokens, so it is quadratic, and decoding is limited by "
                       "memory bandwidth."),
    # a fixed k's limit is not the k = 1 case ("fifty most likely ones" said "k ... one")
    ("llm-q044", "k4", "Top-k keeps the k most likely tokens, so if k is fifty you ignore everything below the fifty "
                       "most likely ones."),
    # loss scaling is for underflow; overflow is the other failure
    ("llm-q093", "k5", "Mixed precision trains in FP16 with an FP32 master copy, and you watch for overflow."),
])
def test_a_phrasing_that_says_another_thing_does_not_cover_the_point(grade, qid, kp, answer):
    assert status(grade(qid, answer), kp) is not KeyPointStatus.covered


def test_a_phrasing_moved_to_the_point_it_says(grade):
    # "after each sublayer" is where layer normalization goes (k3), not the order of the block (k5)
    g = grade("llm-q010", "Each block has multi-head self-attention, and there is a normalization after each "
                          "sublayer.")
    assert status(g, "k3") is KeyPointStatus.covered
    assert status(g, "k5") is KeyPointStatus.missing


@pytest.mark.parametrize(("qid", "kp", "answer"), [
    # words any answer on the topic says were phrasings of a point, each worth part of it
    ("llm-q067", "k4", "Alignment and safety are related ideas, and people talk about both a lot."),
    ("llm-q068", "k5", "Red teaming is when a team tries to break the model with adversarial prompts so that someone "
                       "can fix it."),
    ("llm-q075", "k1", "Code generation is using AI to write code, like Copilot."),
    ("llm-q069", "k2", "Interpretability is about understanding models, which are complex."),
])
def test_a_word_every_answer_says_shows_nothing_of_the_point(grade, qid, kp, answer):
    assert status(grade(qid, answer), kp) is KeyPointStatus.missing
