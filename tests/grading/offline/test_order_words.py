"""Order words carry the meaning of what they sit in: "after" and "before" say which thing comes first, so the
offline grader neither reads "X after Y" as the claim "X then Y" nor lets "after SFT" shrink to "SFT". And the
words quoted for a point are the ones that say it, not a word every point of the question uses."""

from __future__ import annotations

from interviewer.core.models import KeyPointStatus


def status(g, kp_id: str) -> KeyPointStatus:
    return next(k.status for k in g.key_points if k.key_point_id == kp_id)


def test_a_feed_forward_after_the_attention_is_not_the_claim_that_it_comes_first(grade):
    # An honest weak answer that puts the block in the right order was told it said the feed-forward comes first
    # (the signal "feed forward then attention" read across "after"), and every key point it showed was dropped.
    g = grade("llm-q010", "Okay, so I think it has an attention layer, that's the main part, and there's some "
                          "normalization in there, and maybe a feed-forward part after the attention. I don't "
                          "remember the exact order of things or what the other pieces are, honestly.")
    assert not g.misconceptions
    assert status(g, "k1") is KeyPointStatus.covered and status(g, "k4") is KeyPointStatus.covered
    assert g.score > 0


def test_the_feed_forward_said_to_come_first_is_still_the_claim(grade):
    for answer in ("The block is a feed-forward network, then attention, each with add and norm.",
                   "The feed-forward network comes first, and after it the self-attention, with residuals."):
        g = grade("llm-q010", answer)
        assert [m.id for m in g.misconceptions] == ["m4"], answer
        assert status(g, "k5") is KeyPointStatus.missing


def test_an_order_word_in_a_key_point_phrasing_is_part_of_it(grade):
    # "before deployment" (llm-q068 k3) was read as "deployment": said with its order word it now covers the point,
    # and "after deployment" does not
    before = grade("llm-q068", "Red teaming is adversarial testing where people try to break the model, and it is "
                               "done before deployment.")
    after = grade("llm-q068", "Red teaming is adversarial testing where people try to break the model. After "
                              "deployment you keep monitoring it.")
    assert status(before, "k3") is KeyPointStatus.covered
    assert status(after, "k3") is not KeyPointStatus.covered
    assert before.score > after.score


def test_an_order_word_on_the_wrong_side_does_not_say_the_phrasing(grade):
    # "after SFT" (llm-q015 k5): RLHF done before SFT says the other order and does not show the point
    told = "RLHF trains a reward model from human preference rankings and then optimizes the policy with PPO"
    right = grade("llm-q015", told + ", usually after SFT.")
    backwards = grade("llm-q015", told + "; it is done before SFT.")
    assert status(right, "k5") is KeyPointStatus.covered
    assert status(backwards, "k5") is KeyPointStatus.missing
    assert right.score > backwards.score


def test_evidence_is_the_place_with_the_point_s_own_words(grade):
    # "layer" is said by several of the block's key points: "a feed-forward layer" is no evidence of layer
    # normalization when the answer says "some normalization" elsewhere
    g = grade("llm-q010", "You have multi-head attention, then a feed-forward layer. There's also some "
                          "normalization somewhere, and residual connections around things.")
    k3 = next(k for k in g.key_points if k.key_point_id == "k3")
    assert k3.status is not KeyPointStatus.missing
    assert "normalization" in (k3.evidence or "") and "feed-forward" not in (k3.evidence or "")
