"""The offline grader's sentences read right: capitals kept in acronyms and names (LLMs, RAG, GPT-4), no doubled
question mark when the question ends in one, "all 4" / "the one" key point instead of "4 of 4" / "1 of 1", a
similarity shown as a percentage that never passes 100%, and the note about a cut answer first and capitalised."""

from __future__ import annotations

from interviewer.core.models import Bank, KeyPointStatus
from interviewer.grading.answer import MAX_ANSWER_CHARS
from interviewer.grading.base import GradeRequest
from interviewer.grading.offline import feedback as fb
from interviewer.grading.offline.grader import OfflineGrader


def test_lower_first_keeps_acronyms_names_and_I():
    assert fb._lower_first("LLMs are static after training") == "LLMs are static after training"
    assert fb._lower_first("RAG's retriever") == "RAG's retriever"
    assert fb._lower_first("GPT-4 is larger") == "GPT-4 is larger"
    assert fb._lower_first("FlashAttention tiles the matrix") == "FlashAttention tiles the matrix"
    assert fb._lower_first("I'd say") == "I'd say" and fb._lower_first("I think") == "I think"
    assert fb._lower_first("Attention weighs tokens.") == "attention weighs tokens"


def test_covered_counts_read_as_english():
    assert fb._covered(4, 4, 0) == "Covered all 4 key points."
    assert fb._covered(1, 1, 0) == "Covered the one key point."
    assert fb._covered(0, 1, 1) == "Covered the one key point partly."
    assert fb._covered(0, 1, 0) == "Did not cover the one key point."
    assert fb._covered(0, 3, 0) == "Covered none of the 3 key points."
    assert fb._covered(2, 5, 1) == "Covered 2 of 5 key points, 1 partly."


def _grade(services, question_id: str, answer: str):
    bank: Bank = services.bank()
    q = bank.get(question_id)
    return q, OfflineGrader().grade_sync(GradeRequest(question=q, rubric=services.rubric_for(q), answer=answer))


def test_a_question_ending_in_a_question_mark_is_not_asked_twice(services):
    q = next(q for q in services.bank().questions if q.question.rstrip().endswith("?"))
    _, g = _grade(services, q.id, q.reference + " " + " ".join(kp.text for kp in q.key_points))
    assert all(s.status is KeyPointStatus.covered for s in g.key_points) or g.follow_up
    assert "??" not in g.follow_up and "?." not in g.follow_up and "??" not in g.summary


def test_similarity_is_a_percentage_at_most_100(services):
    q = services.bank().questions[0]
    _, g = _grade(services, q.id, (q.reference + " ") * 20)
    rationale = next(c.rationale for c in g.criteria if c.level is not None and "similarity" in c.rationale)
    assert "0-1 scale" not in rationale
    pct = int(rationale.rsplit("key points ", 1)[1].split("%")[0])
    assert 0 <= pct <= 100


def test_the_note_about_a_cut_answer_comes_first_and_reads_as_a_sentence(services):
    q = services.bank().questions[0]
    _, g = _grade(services, q.id, (q.reference + " ") * (MAX_ANSWER_CHARS // len(q.reference) + 5))
    first = g.notes[0]
    assert first[0].isupper() and first.endswith(".") and f"only the first {MAX_ANSWER_CHARS:,}" in first
