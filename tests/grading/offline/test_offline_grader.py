"""The offline grader on real bank questions: good spoken answers cover their points, wrong or empty ones score
low, the Grade is honest about what was not assessed, and the shape of the feedback is right."""

from __future__ import annotations

import pytest

from interviewer.core.models import KeyPointStatus, Question
from interviewer.core.scoring import overall_score
from interviewer.grading.base import GradeRequest
from interviewer.grading.offline.grader import OfflineGrader


@pytest.fixture(scope="module")
def grader():
    return OfflineGrader()


@pytest.fixture
def grade(services, grader):
    def _grade(question_id: str, answer: str):  # as the app grades: with the bank the question comes from
        bank, q = services.find_question(question_id)
        return grader.grade_sync(GradeRequest(question=q, rubric=services.rubric_for(q), answer=answer,
                                              bank=tuple(bank.questions)))
    return _grade


GOOD_SELF_ATTENTION = (
    "Um, so self-attention is where every token in the sequence looks at all the other tokens, including itself. "
    "You compute queries and keys, take the dot product, softmax it, and then use those weights for a weighted sum "
    "of the value vectors. So it captures relationships between positions, even long-range dependencies, and "
    "unlike an RNN it does all positions at once, in parallel.")


def test_good_spoken_answer_covers_its_points(grade):
    g = grade("llm-q029", GOOD_SELF_ATTENTION)
    statuses = [kp.status for kp in g.key_points]
    assert statuses.count(KeyPointStatus.covered) >= 4
    assert g.score >= 80 and g.verdict == "complete"  # the offline grader's top band (core.scoring.OFFLINE_NAMES)
    assert not g.flags


def test_evidence_is_copied_verbatim_from_the_answer(grade):
    g = grade("llm-q029", GOOD_SELF_ATTENTION)
    for kp in g.key_points:
        if kp.status is not KeyPointStatus.missing:
            assert kp.evidence and kp.evidence in GOOD_SELF_ATTENTION
        else:
            assert kp.evidence is None


def test_wrong_answer_scores_low(grade):
    g = grade("llm-q021", "Tokenization is when you replace credit card numbers with random tokens so payments "
                          "are secure, um, it's for PCI compliance.")
    assert g.score < 40 and g.verdict == "needs work"


def test_empty_answer_scores_zero_with_a_clear_summary(grade):
    for empty in ("", "   ", "... ?! ---"):
        g = grade("llm-q001", empty)
        assert g.score == 0
        assert all(kp.status is KeyPointStatus.missing for kp in g.key_points)
        assert "No answer" in g.summary


def test_partial_answer_is_between(grade):
    good = grade("llm-q005", "The context window is the maximum number of tokens the model can process in one "
                             "input, so it limits how much text it can consider at once. The prompt, the history and "
                             "the generated output all share it, and modern models go from 2K to 200K tokens.")
    partial = grade("llm-q005", "It's like how much text the model can remember, the max amount of tokens you can "
                                "give it.")
    wrong = grade("llm-q005", "It's the window in the app where you type, like the chat box.")
    assert good.score > partial.score > wrong.score


def test_not_assessed_criteria_are_none_with_reason(grade, services):
    g = grade("llm-q029", GOOD_SELF_ATTENTION)
    rubric = services.rubric("default")
    by_id = {c.criterion_id: c for c in g.criteria}
    assert set(by_id) == {c.id for c in rubric.criteria}
    assert by_id["coverage"].level is not None
    # Correctness is judged from the wrong claims found (none here), as far as the grader can check, and says so.
    assert by_id["correctness"].level == by_id["coverage"].level
    assert "No wrong claim found" in by_id["correctness"].rationale
    for cid in ("clarity", "depth"):
        assert by_id[cid].level is None
        assert by_id[cid].rationale == "not assessed by the offline grader"
    # The score is exactly what core.scoring makes of what was assessed.
    assert g.score == overall_score(g.criteria, rubric.weights(), g.key_points)
    assert any("LLM backend" in n for n in g.notes)
    assert any("template" in n for n in g.notes)


def test_comparison_rubric_question(grade):
    g = grade("llm-q017", "Full fine-tuning updates all the weights, so it needs way more compute and memory and a "
                          "full copy per task. PEFT, like LoRA or adapters, freezes the base and trains only a small "
                          "subset, so it's cheaper and keeps comparable performance.")
    by_id = {c.criterion_id: c for c in g.criteria}
    assert by_id["coverage"].level >= 3
    assert by_id["sides"].level == by_id["coverage"].level  # the correctness-type criterion: no wrong claim
    assert by_id["contrast"].level is None and not g.misconceptions and not g.flags
    assert g.grader.rubric_id == "comparison" and g.grader.backend == "offline"


def test_follow_up_probes_the_weakest_missing_point(grade, services):
    _, q = services.find_question("llm-q005")
    g = grade("llm-q005", "The context window is the maximum number of tokens the model can process in one input.")
    missing = [kp.key_point_id for kp in g.key_points if kp.status is KeyPointStatus.missing]
    assert missing
    texts = {kp.id: kp.text for kp in q.key_points}
    assert any(texts[m].rstrip(".").lower()[:30] in g.follow_up.lower() for m in missing)
    assert g.follow_up.endswith("?")
    assert g.better_answer and g.summary.startswith("Covered")


def test_spoken_typos_and_fillers_still_match(grade):
    clean = grade("llm-q093", "Mixed precision training uses both 16-bit and 32-bit floating point, which reduces "
                              "memory usage and speeds up training on modern GPUs.")
    typos = grade("llm-q093", "Um, so mixed precison training, like, uses both 16 bit and 32 bit floatin point, which "
                              "uh reduces memmory usage and, you know, speeds up trainning on modern GPUs.")
    assert typos.score >= clean.score - 10
    assert sum(kp.status is not KeyPointStatus.missing for kp in typos.key_points) >= 3


def test_synonyms_and_multiword_terms(grade):
    # "smallest-magnitude weights" vs "lowest ... weights"; "needs less memory" vs "requires less memory".
    g = grade("llm-q053", "Pruning removes the lowest magnitude weights or even whole heads, so you get a sparser "
                          "smaller model that requires less memory and compute at inference.")
    assert sum(kp.status is KeyPointStatus.covered for kp in g.key_points) >= 3


def test_negation_does_not_count_as_coverage(grade, services):
    _, q = services.find_question("llm-q009")
    yes = grade("llm-q009", "The model adapts using examples in the prompt and the weights are not updated.")
    no = grade("llm-q009", "The model adapts using examples in the prompt and the weights are updated by gradient "
                           "descent.")
    k2_yes = next(kp for kp in yes.key_points if kp.key_point_id == "k2")
    k2_no = next(kp for kp in no.key_points if kp.key_point_id == "k2")
    assert q.key_points[1].text.startswith("No weight updates")  # a negative point
    assert k2_yes.status is not KeyPointStatus.missing
    assert k2_no.status is KeyPointStatus.missing


def test_not_bidirectional_is_not_bidirectional():
    q = Question(id="t-bert", number=1, topic="t", question="How does BERT read its input?",
                 reference="BERT is bidirectional: each token sees context on both sides.",
                 key_points=[{"id": "k1", "text": "BERT is bidirectional", "alternatives": ["bidirectional",
                                                                                          "both directions"]}])
    from interviewer.core.models import Criterion, Level, Rubric

    rubric = Rubric(id="cov", name="c", version=1, criteria=[Criterion(
        id="coverage", name="c", weight=1, description="cov", offline=True,
        levels=[Level(level=i, description=f"level {i}") for i in range(5)])])
    g = OfflineGrader()
    said = g.grade_sync(GradeRequest(q, rubric, "BERT is bidirectional, it reads both ways."))
    denied = g.grade_sync(GradeRequest(q, rubric, "BERT is not bidirectional, it reads left to right."))
    assert said.key_points[0].status is KeyPointStatus.covered
    assert denied.key_points[0].status is KeyPointStatus.missing
    assert denied.score < said.score


def test_deterministic_and_fast_enough_to_not_matter(grade):
    a = grade("llm-q029", GOOD_SELF_ATTENTION)
    b = grade("llm-q029", GOOD_SELF_ATTENTION)
    assert a.model_dump(exclude={"latency_ms"}) == b.model_dump(exclude={"latency_ms"})
    assert a.latency_ms >= 0


async def test_async_interface(services):
    _, q = services.find_question("llm-q001")
    g = await OfflineGrader().grade(GradeRequest(q, services.rubric_for(q), "An LLM is a transformer trained on "
                                                 "huge amounts of text that generates human-like text."))
    assert g.grader.backend == "offline" and 0 < g.score <= 100


def test_factory_builds_the_offline_grader(services):
    grader = services.make_grader("offline")
    assert isinstance(grader, OfflineGrader) and grader.name == "offline"


def test_an_honest_spoken_summary_of_summarization_covers_its_points(grade):
    """"Makes a long text shorter", "copies the important sentences", "writes its own version": the key points as
    a nervous candidate says them (the eighth held-out set's weak answer scored 30 below a paraphrasing answer
    given for summarization, 50)."""
    g = grade("llm-q080", "Summarization is when the model takes an article and makes a long text shorter. There "
                          "are two kinds, one that copies the important sentences and one that writes its own "
                          "version.")
    covered = {k.key_point_id for k in g.key_points if k.status.value == "covered"}
    assert {"k1", "k2", "k3"} <= covered, [(k.key_point_id, k.status, k.evidence) for k in g.key_points]


def test_normalizing_the_values_inside_the_network_is_layer_norm_s_gist(grade):
    """How honest weak answers on four sets say layer norm's first point (the eighth's scored 23, below batch norm
    explained under layer norm's name, 41.9)."""
    g = grade("llm-q091", "Layer norm normalizes the values inside the network so training is more stable.")
    assert next(k.status.value for k in g.key_points if k.key_point_id == "k1") == "covered"
