"""app.wording and where it is used: one word per state of an answer, prose tidied, a note as a sentence,
Markdown read as plain text, short quotes in their place in the answer; the Markdown report says them the
same way."""

from __future__ import annotations

from _review_seed import add, day
from interviewer.app import wording
from interviewer.app.export_report import render_markdown
from interviewer.core.models import AttemptKind, Grade, GraderInfo, KeyPointResult, KeyPointStatus


def test_one_word_per_state():
    assert wording.state(AttemptKind.skipped) == "skipped"
    assert wording.state(AttemptKind.dont_know) == "I don't know"
    assert wording.state("answer", "pending") == wording.state("answer", "ungraded") == "ungraded"
    assert wording.state("unanswered") == "not reached"
    assert wording.score_label(71.6, overridden=True) == "72*" and wording.score_label(None, "dont_know") == \
        "I don't know"


def test_tidy_and_sentence():
    assert wording.tidy("what is function calling in LLMs??") == "what is function calling in LLMs?"
    assert wording.tidy("Wait... fine.. ok ?.") == "Wait... fine. ok?"
    assert wording.sentence("the answer is 50,000 characters long") == "The answer is 50,000 characters long."
    assert wording.sentence("Is it?") == "Is it?"


def test_markdown_as_plain_text():
    md = "Intro with `code`.\n\n- **Encoder-only** (e.g., BERT): reads\n- *Decoder* writes\n\n1. one\n2. two"
    assert wording.plain_markdown(md) == ("Intro with code.\n\n- Encoder-only (e.g., BERT): reads\n- Decoder "
                                          "writes\n\n1. one\n2. two")
    assert wording.looks_like_markdown(md) and not wording.looks_like_markdown("Plain words, no marks.")


def test_a_short_quote_comes_with_its_place_in_the_answer():
    answer = "So um attention is a weighted sum of the values, using queries and keys with softmax, scaled."
    assert wording.quote_in_context("softmax", answer) == ("…queries and keys with ", "softmax", ", scaled.")
    assert wording.quote_in_context("queries and keys", answer) == ("", "queries and keys", "")
    assert wording.quote_in_context("not there", answer) == ("", "not there", "")


def test_the_markdown_report_uses_the_same_words(services):
    st = services.store
    q = services.bank().get("llm-q029")
    a = add(st, q.id, day(0), None, kind=AttemptKind.dont_know, answer="")
    b = add(st, q.id, day(1), None, answer="It uses softmax over the scores, then a weighted sum.")
    grade = Grade(score=50, verdict="partial", criteria=[], summary="Covered one??", follow_up="Why scale??",
                  key_points=[KeyPointResult(key_point_id=q.key_points[0].id, status=KeyPointStatus.covered,
                                             evidence="softmax")], grader=GraderInfo(backend="test"))
    st.add_grade(b, grade)
    md, _n = render_markdown(services, now=day(2))
    assert "*“I don't know”.*" in md and "didn't know" not in md
    assert "“It uses **softmax** over the scores, then…”" in md
    assert "Covered one?" in md and "Why scale?*" in md and "??" not in md
    assert a and b


def test_what_to_practise_next_names_a_topic_not_practised_yet(services):
    """After a solid session, the suggestion names a topic with no answer at all, never the one just done."""
    import asyncio

    from interviewer.app.practice import Practice, SessionOptions
    from tui_helpers import FrozenClock, KeywordGrader

    bank = services.bank()
    q = next(q for q in bank.questions if q.topic == "Attention Mechanisms")
    p = Practice.start(services, SessionOptions(count=1), clock=FrozenClock(), questions=[q])
    p.grader = KeywordGrader()
    a = p.submit(q, ". ".join(kp.alternatives[0] for kp in q.key_points), started_at=p.clock())
    asyncio.run(p.grade(a))
    p.advance()
    steps = " ".join(p.finish().next_steps)
    first_untried = next(t for t in bank.topics() if t != "Attention Mechanisms")
    assert "Solid work: 'Attention Mechanisms'" in steps and f"such as '{first_untried}'" in steps
