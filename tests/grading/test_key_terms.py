"""The wording section's "Key terms you could add" agrees with the key points: a point the grade found made in other
words is not a term to add."""

from __future__ import annotations

from interviewer.core.models import Grade, GraderInfo, KeyPointResult, KeyPointStatus
from interviewer.grading.service import key_terms, with_insights


def _grade(statuses: dict[str, str]) -> Grade:
    return Grade(score=40, verdict="partial", criteria=[], grader=GraderInfo(backend="t"),
                 key_points=[KeyPointResult(key_point_id=k, status=KeyPointStatus(s)) for k, s in statuses.items()])


def test_a_point_made_in_other_words_is_not_a_term_to_add(services):
    _, q = services.find_question("llm-q044")
    terms = dict(zip((kp.id for kp in q.key_points), key_terms(q), strict=True))
    answer = "At each step you keep only the k most probable tokens and sample one of them."
    assert terms["k1"].lower() not in answer.lower()  # k1 is made, but not in its term's words
    covered_k1 = with_insights(_grade({"k1": "covered", "k2": "partial", "k3": "missing", "k4": "missing"}), q,
                               answer).insights
    assert covered_k1 is not None
    assert terms["k1"] not in covered_k1.key_terms_missed and terms["k1"] not in covered_k1.key_terms_used
    # a point only partly made, or missed, still suggests its term
    assert {terms["k2"], terms["k3"], terms["k4"]} <= set(covered_k1.key_terms_missed)
    missed_k1 = with_insights(_grade({"k1": "missing", "k2": "partial", "k3": "missing", "k4": "missing"}), q,
                              answer).insights
    assert missed_k1 is not None and terms["k1"] in missed_k1.key_terms_missed


def test_a_term_said_is_used_whatever_the_grade(services):
    _, q = services.find_question("llm-q044")
    terms = key_terms(q)
    answer = "Keep the " + terms[0] + " at each step."
    insights = with_insights(_grade({"k1": "covered"}), q, answer).insights
    assert insights is not None and terms[0] in insights.key_terms_used
