"""The feedback reads right: a reference written in Markdown is drawn (no ** or raw list marks on screen), a
one-word quote is shown in its place in the answer, a cut answer is said first (not last among the notes), notes
are sentences, and grader prose loses a doubled question mark."""

from __future__ import annotations

from interviewer.app.practice import Practice, SessionOptions
from interviewer.core.models import Grade, GraderInfo, KeyPointResult, KeyPointStatus
from interviewer.grading.answer import MAX_ANSWER_CHARS
from interviewer.tui.widgets.feedback_view import FeedbackView
from tui_helpers import FrozenClock, tui_app, until, visible_text


def grade_for(q, *, evidence: str = "softmax", notes=(), follow_up: str = "") -> Grade:
    kps = [KeyPointResult(key_point_id=q.key_points[0].id, status=KeyPointStatus.covered, evidence=evidence)]
    kps += [KeyPointResult(key_point_id=kp.id, status=KeyPointStatus.missing) for kp in q.key_points[1:]]
    return Grade(score=30, verdict="needs work", criteria=[], key_points=kps, summary="Good start??",
                 follow_up=follow_up, notes=list(notes), grader=GraderInfo(backend="offline"))


async def show(services, question, answer: str, grade: Grade) -> str:
    p = Practice.start(services, SessionOptions(count=1), clock=FrozenClock(), questions=[question])
    a = p.submit(question, answer, started_at=p.clock())
    app = tui_app(services)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        view = FeedbackView(question, a.attempt, grade, services.rubric_for(question), id="fv")
        await app.screen.mount(view)
        await until(pilot, lambda: view.is_mounted and view.query("Static"))
        return visible_text(view)


async def test_markdown_reference_is_drawn_and_short_quotes_are_shown_in_context(services):
    q = services.bank().get("llm-q003")
    assert "**" in q.reference
    answer = "Encoders read everything at once, and the decoder uses softmax over the vocabulary to pick tokens."
    text = await show(services, q, answer, grade_for(q, follow_up="What is an encoder??"))
    assert "**" not in text and "Encoder-only" in text
    assert "“…and the decoder uses softmax over the vocabulary to…”" in " ".join(text.split())
    assert "Good start?" in text and "??" not in text


async def test_a_cut_answer_is_said_first_and_notes_are_sentences(services):
    q = services.bank().questions[0]
    answer = ("Attention weighs every token. " * (MAX_ANSWER_CHARS // 20))
    note = f"the answer is {len(answer):,} characters long: only the first {MAX_ANSWER_CHARS:,} were graded"
    text = await show(services, q, answer, grade_for(q, notes=[note, "the summary is built from templates"]))
    flat = " ".join(text.split())
    assert flat.index("Only the start of your answer was graded") < flat.index("Key points")
    assert f"Your answer is {len(answer.strip()):,} characters long" in flat
    assert "The summary is built from templates." in flat and "the answer is" not in flat
