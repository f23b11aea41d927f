"""Right answers are not told they said something wrong: the ways a right sentence brushed a wrong claim's words
(a denial of the failure a point prevents, "not the same as", a comparison across ", while", a likeness, a
preference, a prevention) each read as the claim and capped the grade below "solid". Each wrong claim is still
caught when it is said."""

from __future__ import annotations

import pytest

from interviewer.core.models import KeyPointStatus


def ids(g) -> list[str]:
    return [m.id for m in g.misconceptions]


def test_denying_the_failure_a_point_prevents_agrees_with_it(grade):
    # "vanishing gradients" is a phrasing of llm-q091 k3 ("Stabilizes training and gradient flow"): saying the
    # gradients don't vanish is the point, not its denial
    g = grade("llm-q091", "Layer norm rescales each token's features to zero mean and unit variance. That keeps "
                          "training stable, so gradients don't explode or vanish, which lets you stack many layers.")
    assert ids(g) == []
    assert next(k for k in g.key_points if k.key_point_id == "k3").status is KeyPointStatus.covered
    denied = grade("llm-q091", "Layer norm doesn't stabilize training or help gradient flow at all.")
    assert "k3" in ids(denied)


def test_not_the_same_as_is_no_claim_that_it_is_the_same(grade):
    assert ids(grade("llm-q064", "Jailbreaking means tricking a model into ignoring its safety rules, with role-play "
                                 "or clever framing. It's related to, but not the same as, prompt injection.")) == []
    assert "m2" in ids(grade("llm-q064", "Jailbreaking is the same thing as prompt injection."))


def test_a_comparison_across_while_is_two_statements(grade):
    g = grade("llm-q051", "Accuracy is the share of predictions you get right, mostly for classification tasks, "
                          "while perplexity is used for language models and measures how surprised the model is.")
    assert ids(g) == []
    assert "m6" in ids(grade("llm-q051", "Perplexity is used for classification, while accuracy is the metric "
                                         "for language models."))


def test_a_likeness_is_not_the_claim(grade):
    g = grade("llm-q097", "Softmax turns each row of scores into positive weights that sum to one. It's like a "
                          "smooth, differentiable version of picking the most relevant token.")
    assert "m1" not in ids(g)
    assert "m1" in ids(grade("llm-q097", "Softmax just picks the single most relevant token to attend to."))


def test_a_denied_noun_does_not_deny_the_next_clause(grade):
    g = grade("llm-q002", "Since there's no recurrence you add positional encodings so the model knows the word "
                          "order.")
    assert "m2" not in ids(g)
    assert "m2" in ids(grade("llm-q002", "You don't need positional encodings in a transformer."))


@pytest.mark.parametrize(("qid", "right", "wrong", "mid"), [
    ("llm-q091", "It doesn't depend on the batch, which is why transformers prefer it over batch norm.",
     "Transformers use batch norm.", "m13"),
    ("llm-q030", "The square root scaling keeps the scores from getting too large.",
     "The scaling makes the scores larger so the softmax is not too flat.", "m5"),
])
def test_what_is_preferred_over_or_kept_from_is_turned_away(grade, qid, right, wrong, mid):
    assert mid not in ids(grade(qid, right))
    assert mid in ids(grade(qid, wrong))


def test_everything_is_a_claim_about_all_of_it(grade):
    # "everything runs at 16 bit" (llm-q093 m1) had shrunk to "runs 16 bit", said by every right answer
    right = grade("llm-q093", "The heavy matrix multiplies run in 16-bit, which is faster, while an FP32 master "
                              "copy of the weights is kept so accuracy holds.")
    assert "m1" not in ids(right)
    assert "m1" in ids(grade("llm-q093", "Mixed precision means everything runs at 16 bit."))

