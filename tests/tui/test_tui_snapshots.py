"""Snapshot tests (pytest-textual-snapshot) of the key screens at 80x24 and 120x40.

Deterministic by construction: frozen clock, seeded question order, the deterministic KeywordGrader, no
cursor blink. Regenerate after a deliberate change with `pytest tests/tui/test_tui_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.widgets import TextArea

from _review_seed import add, day, regrade_at
from interviewer.app.practice import Practice, SessionOptions
from interviewer.core.models import AttemptKind
from interviewer.store import history
from tui_helpers import FrozenClock, KeywordGrader, screen_is, tui_app, type_text, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ANSWER = ("Self-attention lets every token look at every other token in the sequence, um, using queries, keys and "
          "values. The scores are scaled by the square root of the key dimension and pass through a softmax.")


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Dates are shown in local time: pin it so the pictures do not depend on the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seed_sessions(services) -> dict[str, int]:
    """Four sessions over twelve days (from 2025-03-01) for the review and history pictures: Attention weak
    and improving, Evaluation weak, Prompt Engineering middling, Training strong, one answer ungraded, one
    skipped; the last attention answer re-graded by another grader and disputed. Key points by their real ids,
    so the dashboard names them in the bank's words."""
    bank = services.bank()
    by: dict[str, list] = {}
    for q in bank.questions:
        by.setdefault(q.topic, []).append(q)
    A, T, P, E = (by[t] for t in ("Attention Mechanisms", "Training & Fine-tuning", "Prompt Engineering",
                                  "Evaluation & Metrics"))
    st = services.store

    def kps(q, marks: str) -> dict[str, str]:
        names = {"c": "covered", "p": "partial", "m": "missing"}
        return {kp.id: names[m] for kp, m in zip(q.key_points, marks, strict=False)}

    s = [st.start_session(bank.id).id for _ in range(4)]
    ids = {
        "a0_0": add(st, A[0].id, day(0), 35, kps(A[0], "cmmpm"), session_id=s[0]),
        "t0_0": add(st, T[0].id, day(0, 1), 85, kps(T[0], "ccp"), session_id=s[0]),
        "p0_0": add(st, P[0].id, day(0, 2), 60, kps(P[0], "cmc"), session_id=s[0]),
        "a0_4": add(st, A[0].id, day(4), 45, kps(A[0], "cmppm"), session_id=s[1]),
        "a1_4": add(st, A[1].id, day(4, 1), 50, kps(A[1], "mcc"), session_id=s[1]),
        "t0_4": add(st, T[0].id, day(4, 2), None, session_id=s[1]),
        "p0_4": add(st, P[0].id, day(4, 3), 70, kps(P[0], "cpc"), session_id=s[1]),
        "a1_8": add(st, A[1].id, day(8), 55, kps(A[1], "mcc"), session_id=s[2]),
        "t1_8": add(st, T[1].id, day(8, 1), 90, kps(T[1], "cc"), session_id=s[2]),
        "p1_8": add(st, P[1].id, day(8, 2), None, kind=AttemptKind.skipped, session_id=s[2]),
        "e0_12": add(st, E[0].id, day(12), 40, kps(E[0], "mcm"), session_id=s[3]),
        "a0_12": add(st, A[0].id, day(12, 1), 58, kps(A[0], "cmcpc"), session_id=s[3]),
        "e1_12": add(st, E[1].id, day(12, 2), 75, kps(E[1], "ccp"), session_id=s[3]),
    }
    regrade_at(st, ids["a0_12"], day(12, 5), 64, kps(A[0], "cpccc"), backend="offline")
    history.add_override(st, ids["a0_12"], 70.0, "I did explain the weighted sum of the values",
                         now=day(12, 6))
    return ids


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
    services.grader = KeywordGrader(follow_up="How would you explain the scaling factor to a new colleague?")
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


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_feedback(snap_compare, services, size):
    """Feedback for that answer: score / 100 with verdict and bar, the verdict band's meaning, who graded it,
    the summary, criteria (coverage with level and rationale, the others 'not assessed'), key points covered
    with the quoted words first and missed after; at 120x40 also misconceptions, wording and more."""
    assert snap_compare(app_for(services, start=session()), terminal_size=size, run_before=to_feedback)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare, services, size):
    """Session summary: headline (1 answered, the average and verdict, 1:15 answering: the 'I don't know' one
    took no time, so no 'in all'), the table with the graded question (score, verdict, time 1:15) and the
    'I don't know' one, topics weakest first with a bar, the weakest key points, and what to practise next
    (including reading the reference answer)."""
    assert snap_compare(app_for(services, start=session()), terminal_size=size, run_before=to_summary)


async def review_loaded(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, services, size):
    """Review dashboard: the headline (12 answers, 11 graded, 1 not answered (the skip), the average and verdict,
    2 weak topics, 3 due); the
    score trend (a sparkline of 4 days practised, with first, latest, low and high) beside the 3 questions due
    (most overdue first, days overdue or 'today'); the topics table, weakest first: Attention Mechanisms and
    Evaluation & Metrics marked weak in red, bars and mastery numbers, trend arrows, attempts and last
    practised, unpractised topics dimmed as new (at 80x24 the first rows; at 120x40 all of them, the
    definition of weak under the table and the first key points 'You often leave out' with how often: 'missed
    n/m', or 'missed 2, partly 1 of 3' for a point also covered in part);
    the buttons (Due session, Weakest first, Drill a topic, History, Back) and the footer keys."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="review"), terminal_size=size, run_before=review_loaded)


async def history_loaded(pilot) -> None:
    await until(pilot, screen_is(pilot.app, "HistoryScreen"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare, services, size):
    """History: the hint line (u, S, X), then every attempt newest first: id, date (short at 80 columns, full
    at 120), session, question, score (70* for the disputed answer, 'ungraded', 'skipped') and grader
    ('offline:m1 +1' where a second grade exists); the cursor on the newest row; the Open / Compare / Re-grade /
    Dispute / Delete / Back buttons and the footer keys."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=history_loaded)


async def attempt_open(pilot) -> None:
    await history_loaded(pilot)
    await pilot.press("down", "enter")
    await until(pilot, screen_is(pilot.app, "AttemptScreen"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_attempt(snap_compare, services, size):
    """One attempt from the history (the disputed attention answer): the question, number, date, session,
    topic, difficulty and score 70*; 'Grade 2 of 2 (newest)' by offline with the [ / ] hint; 'Your score' 70
    with the grader's 64 and the reason; the comparison with the previous attempt (+25 points, newly covered
    and still missed key points in the bank's words); then the newest grade's feedback (64, verdict, bar);
    the buttons (Older grade first) and the footer."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=attempt_open)


# --------------------------------------------------------------------------- every other screen and dialog


async def loading(pilot) -> None:
    await pilot.pause()


@pytest.mark.slow
def test_home_before_the_services_are_loaded(snap_compare, isolated_home):
    """The first paint of `interviewer` (services loaded after it): the header, the bank panel saying
    'Reading your bank and history…', the action row without 'Grade kept' and the footer with its keys."""
    import threading

    gate = threading.Event()

    def load():
        gate.wait(30)
        from interviewer.app.services import Services

        return Services.create()

    app = tui_app(None, load_services=load)
    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=loading)
    finally:
        gate.set()


async def to_setup(pilot) -> None:
    await until(pilot, screen_is(pilot.app, "HomeScreen"))
    await pilot.press("p")
    await until(pilot, screen_is(pilot.app, "SetupScreen"))
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_setup(snap_compare, services, size):
    """New session: the hint (no topic ticked means all), the topics with their question counts, questions 5,
    order Random, difficulty Any, timer Off, mock interview unticked, grader offline, the model field's hint;
    Start / Back and the footer (^s Start, esc Back, f1 Help)."""
    assert snap_compare(app_for(services), terminal_size=size, run_before=to_setup)


async def to_settings(pilot) -> None:
    await until(pilot, screen_is(pilot.app, "HomeScreen"))
    await pilot.press("s")
    await until(pilot, screen_is(pilot.app, "SettingsScreen"))
    await pilot.press("ctrl+t")
    await until(pilot, lambda: "nothing to connect" in str(pilot.app.screen.query_one("#check-results").content))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare, services, size):
    """Settings: 'Defaults in use; Save writes them to /home/you/.config/interviewer/config.toml' (the file does
    not exist yet), grader offline, empty model and base URL with their hints, the key-variable line (none needed
    offline), timer 0, each question's own rubric; after Test connection: '✓ nothing to connect to'."""
    from dataclasses import replace
    from pathlib import Path

    services.store  # noqa: B018 - opened where the test put it; only the config path shown is made fixed
    services.locations = replace(services.locations, config_dir=Path("/home/you/.config/interviewer"))
    assert snap_compare(app_for(services), terminal_size=size, run_before=to_settings)


async def to_grading_failed(pilot) -> None:
    app = pilot.app
    # The failing call takes a while, as a real one does: the elapsed line has ticked before the failure shows
    # (the failure must not keep it, so the picture does not depend on the machine's speed).
    app.services.grader = KeywordGrader(fail="could not reach http://127.0.0.1:11434 (connection refused)", delay=0.4)
    await until(pilot, screen_is(app, "QuestionScreen"))
    await type_text(pilot, "Attention weighs every token by its relevance to the others.")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: screen_is(app, "GradingScreen")() and app.screen.failed)
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_grading_failed(snap_compare, services, size):
    """Grading failed: 'Grading your answer with keyword-test', the question, 'Grading failed:' with the reason
    and the hint, that the answer is saved, the Retry / Grade offline / Keep for later buttons and their keys."""
    app = tui_app(services, start=session(), clock=FrozenClock())
    assert snap_compare(app, terminal_size=size, run_before=to_grading_failed)


async def to_restore(pilot) -> None:
    await until(pilot, screen_is(pilot.app, "RestoreDraftScreen"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_restore_draft(snap_compare, services, size):
    """At start, an unfinished answer: 'You have an unfinished answer (9 words, last saved …)', the question,
    the draft, Restore / Discard / Later."""
    p = Practice.start(services, SessionOptions(count=1, order="in-order"), clock=FrozenClock())
    p.save_draft(p.current.question, "Attention weighs tokens by their query key similarity.",
                 started_at=FrozenClock()())
    services.store.conn.execute("UPDATE drafts SET updated_at = '2025-03-14T09:31:00+00:00'")
    assert snap_compare(app_for(services, offer_drafts=True), terminal_size=size, run_before=to_restore)


async def to_compare(pilot) -> None:
    await attempt_open(pilot)
    await pilot.press("c")
    await until(pilot, screen_is(pilot.app, "CompareScreen"))
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_compare(snap_compare, services, size):
    """Compare: the question, '4 attempts at this question', this attempt against the one before (+25 points,
    newly covered and still missed key points), and the grid: each key point's ✓ ~ ✗ per attempt, the scores
    (70* for the disputed one) and the changes."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=to_compare)


async def to_help(pilot) -> None:
    await history_loaded(pilot)
    await pilot.press("f1")
    await until(pilot, screen_is(pilot.app, "HelpScreen"))
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, services, size):
    """F1 on the history: 'Help · History', what the screen shows, its keys each with what it does (Open,
    Compare, Re-grade, Dispute, Delete, Grade ungraded, Re-grade session, Delete session, Back), the keys that
    work everywhere; 'g how grading works · esc close' on the border."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=to_help)


async def to_grading_help(pilot) -> None:
    await to_help(pilot)
    await pilot.press("g")
    await until(pilot, screen_is(pilot.app, "GradingHelpScreen"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_how_grading_works(snap_compare, services, size):
    """'How grading works': the score (60% criteria, 40% key points, only assessed criteria count, quotes must
    be in the answer), the verdict bands, the offline grader, a model as grader, your score, weak and due."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=to_grading_help)


async def to_delete(pilot) -> None:
    await history_loaded(pilot)
    await pilot.press("x")
    await until(pilot, screen_is(pilot.app, "ConfirmDialog"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_confirm_delete(snap_compare, services, size):
    """Delete this answer?: which answer, to which question, when, with every grade and override; 'This cannot
    be undone.'; Delete (y) in red and Cancel (n) with the focus."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=to_delete)


async def to_dispute(pilot) -> None:
    await history_loaded(pilot)
    await pilot.press("down", "down")
    await pilot.press("e")
    await until(pilot, screen_is(pilot.app, "OverrideDialog"))
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_dispute(snap_compare, services, size):
    """Dispute this grade: the answer and question, the grader's score, what your score does; the score and
    reason fields with their hints; Save (ctrl+s) / Cancel (esc)."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=to_dispute)


async def to_regrade(pilot) -> None:
    await history_loaded(pilot)
    await pilot.press("down", "down")
    await pilot.press("r")
    await until(pilot, screen_is(pilot.app, "RegradeDialog"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_regrade(snap_compare, services, size):
    """Re-grade answer #n?: grader 'as configured (offline)', the model field's hint, rubric 'each question's
    own', that every grade is kept; Re-grade (ctrl+s) / Cancel (esc)."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="history"), terminal_size=size, run_before=to_regrade)


async def to_topic_picker(pilot) -> None:
    await review_loaded(pilot)
    await pilot.press("t")
    await until(pilot, screen_is(pilot.app, "TopicPicker"))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_topic_picker(snap_compare, services, size):
    """Drill a topic: the hint and every topic with questions, weakest first with its mastery ('weak' in red)
    and the unpractised ones as 'new'."""
    seed_sessions(services)
    assert snap_compare(app_for(services, start="review"), terminal_size=size, run_before=to_topic_picker)


async def to_skipped_feedback(pilot) -> None:
    """Skip llm-q001, go on, skip llm-q002 (a reference written in Markdown)."""
    for i in range(2):
        await until(pilot, screen_is(pilot.app, "QuestionScreen"))
        await pilot.press("ctrl+n")
        await until(pilot, screen_is(pilot.app, "FeedbackScreen"))
        if i == 0:
            await pilot.press("n")
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_feedback_skipped(snap_compare, services, size):
    """A skipped question's page: 'Skipped. Here is what a good answer covers.', the key points to cover and
    the reference answer drawn from its Markdown (no ** or raw list marks)."""
    opts = SessionOptions(count=2, order="in-order", topics=["Fundamentals & Architecture"])
    assert snap_compare(app_for(services, start=opts), terminal_size=size, run_before=to_skipped_feedback)
