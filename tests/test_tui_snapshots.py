"""Snapshot tests (pytest-textual-snapshot) of the key screens at 80x24 and 120x40.

Deterministic by construction: frozen clock, seeded question order, the deterministic KeywordGrader, no
cursor blink. Regenerate after a deliberate change with `pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import TextArea

from interviewer.practice import Practice, SessionOptions
from tui_helpers import FrozenClock, KeywordGrader, screen_is, tui_app, type_text, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ANSWER = ("Self-attention lets every token look at every other token in the sequence, um, using queries, keys and "
          "values. The scores are scaled by the square root of the key dimension and pass through a softmax.")


async def seed_history(services) -> None:
    """Three graded answers in three topics (covering 1, 2 and 3 key points), so home has figures to show."""
    bank = services.bank()
    picks = [(next(q for q in bank.questions if q.topic == t), k) for t, k in
             (("Attention Mechanisms", 1), ("Prompt Engineering", 2), ("Evaluation & Metrics", 3))]
    p = Practice.start(services, SessionOptions(count=3), clock=FrozenClock(), questions=[q for q, _ in picks])
    p.grader = KeywordGrader()
    for q, k in picks:
        a = p.submit(q, ". ".join(kp.alternatives[0] for kp in q.key_points[:k]), started_at=p.clock())
        await p.grade(a)
        p.advance()
    p.finish()


def app_for(services, **kw):
    services._grader = KeywordGrader(follow_up="How would you explain the scaling factor to a new colleague?")
    return tui_app(services, **kw)


async def no_blink(pilot) -> None:
    for ta in pilot.app.screen.query(TextArea):
        ta.cursor_blink = False
    await pilot.pause()


async def to_question(pilot) -> None:
    app = pilot.app
    await until(pilot, screen_is(app, "QuestionScreen"))
    await type_text(pilot, ANSWER)
    app.clock.advance(75)
    app.screen.query_one("#timer").tick()  # do not wait for the half-second redraw
    await no_blink(pilot)


async def to_feedback(pilot) -> None:
    await to_question(pilot)
    await pilot.press("ctrl+s")
    await until(pilot, screen_is(pilot.app, "FeedbackScreen"))
    await pilot.pause()


async def to_summary(pilot) -> None:
    await to_feedback(pilot)
    await pilot.press("n")
    await until(pilot, screen_is(pilot.app, "QuestionScreen"))
    await pilot.press("ctrl+d")
    await until(pilot, screen_is(pilot.app, "FeedbackScreen"))
    await pilot.press("n")
    await until(pilot, screen_is(pilot.app, "SummaryScreen"))
    await pilot.pause()


def session(**kw) -> SessionOptions:
    return SessionOptions(count=2, order="in-order", topics=["Attention Mechanisms"], timer_s=120, **kw)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, services, size):
    """Home: the bank panel (title, 100 questions in 10 topics, practised 3 of 100, an average with its verdict,
    due 0, the three weakest topics with scores), the grader panel saying offline, the topics table with done
    counts, averages and bars for the three practised topics, the action buttons and the footer keys."""
    asyncio.run(seed_history(services))
    assert snap_compare(app_for(services), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_question(snap_compare, services, size):
    """Question 1/2 of an Attention Mechanisms session: the question in a titled box (topic, difficulty), the
    typed answer in the editor, the live line (36 words, about 0:14 spoken, 1 filler) and the countdown timer
    at 1:15 with 0:45 left of 2:00, the Submit / Skip / I don't know / End session buttons and the footer."""
    assert snap_compare(app_for(services, start=session()), terminal_size=size, run_before=to_question)


@pytest.mark.parametrize("size", SIZES)
def test_feedback(snap_compare, services, size):
    """Feedback for that answer: score / 100 with verdict and bar, the verdict band's meaning, who graded it,
    the summary, criteria (coverage with level and rationale, the others 'not assessed'), key points covered
    with the quoted words first and missed after; at 120x40 also misconceptions, wording and more."""
    assert snap_compare(app_for(services, start=session()), terminal_size=size, run_before=to_feedback)


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare, services, size):
    """Session summary: headline (1 answered, the average and verdict, time answering), the table with the
    graded question (score, verdict, time 1:15) and the 'didn't know' one, topics weakest first with a bar,
    the weakest key points, and what to practise next (including reading the reference answer)."""
    assert snap_compare(app_for(services, start=session()), terminal_size=size, run_before=to_summary)
