"""Pilot tests of the history: the list, one attempt with its full feedback and the comparison with the previous
attempt, the side-by-side comparison, re-grading (one answer, every ungraded one, a whole session) with a tiny
test grader in a worker, disputing a grade, and deleting with a confirmation. Seeded with test_review_service's
three sessions at fixed times."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.widgets import DataTable, Input

from _review_seed import FixedGrader
from interviewer.app import reviewing
from interviewer.core.models import AttemptStatus, Grade, GraderInfo
from interviewer.grading.base import Grader
from interviewer.store import history
from tui_helpers import screen_is, tui_app, until, visible_text


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Dates are shown in local time: pin it, so '2025-03-04 09:00' is what the seed wrote."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class SlowGrader(Grader):
    """Answers after `release` is set, so a test can act while a re-grade is running."""

    name = "slow"

    def __init__(self, score: float = 77.0) -> None:
        self.score = score
        self.release = asyncio.Event()
        self.calls = 0

    async def grade(self, request):
        self.calls += 1
        await self.release.wait()
        return Grade(score=self.score, verdict="solid", criteria=[], summary="slow",
                     grader=GraderInfo(backend="slow", model="s1", rubric_id=request.rubric.id))


async def open_history(pilot):
    app = pilot.app
    await until(pilot, screen_is(app, "HistoryScreen"), what="the history")
    await pilot.pause()
    return app.screen


async def select(pilot, attempt_id: int) -> None:
    scr = pilot.app.screen
    table = scr.query_one(DataTable)
    table.move_cursor(row=next(i for i, r in enumerate(scr.rows) if r.attempt_id == attempt_id))
    await pilot.pause()


def row_cells(scr, attempt_id: int) -> dict[str, str]:
    """The row's cells by column key (id, when, sess, q, score, grader; sess and grader from 100 columns)."""
    table = scr.query_one(DataTable)
    return {k.value: str(c) for k, c in zip(table.columns, table.get_row(str(attempt_id)), strict=True)}


async def test_history_lists_every_attempt_newest_first(services, seeded):  # noqa: F811
    app = tui_app(services, start="history")
    async with app.run_test(size=(120, 40)) as pilot:
        scr = await open_history(pilot)
        ids = seeded["ids"]
        assert [r.attempt_id for r in scr.rows] == sorted(ids.values(), reverse=True)
        assert scr.query_one(DataTable).row_count == 10
        cells = row_cells(scr, ids["a1_3"])
        assert cells["when"] == "2025-03-04 09:00" and cells["score"] == "45" and cells["grader"] == "test:m1"
        assert seeded["bank"].get(seeded["A1"]).question in cells["q"]
        assert row_cells(scr, ids["t1_3"])["score"] == "ungraded" and row_cells(scr, ids["p2_7"])["score"] == "skipped"
        assert row_cells(scr, ids["a1_0"])["sess"] == str(seeded["sessions"][0].id)


async def test_open_an_attempt_its_feedback_and_the_comparison(services, seeded):  # noqa: F811
    app = tui_app(services, start="history")
    bank = seeded["bank"]
    async with app.run_test(size=(100, 40)) as pilot:
        await open_history(pilot)
        await select(pilot, seeded["ids"]["a1_3"])
        await pilot.press("enter")
        await until(pilot, screen_is(app, "AttemptScreen"), what="the attempt")
        scr = app.screen
        text = visible_text(scr)
        assert bank.get(seeded["A1"]).question in text
        assert "my answer to" in visible_text(scr.query_one("#your-answer"))  # the answer itself
        assert "45" in visible_text(scr.query_one("#headline")) and scr.query("#key-points")
        cmp_ = visible_text(scr.query_one("#attempt-compare"))
        assert "+10 points" in cmp_ and "Still missed:" in cmp_
        assert bank.get(seeded["A1"]).key_points[1].text[:30] in cmp_
        assert not scr.query_one("#attempt-override").display  # no dispute yet
        await pilot.press("c")
        await until(pilot, screen_is(app, "CompareScreen"), what="the comparison")
        grid = visible_text(app.screen.query_one("#compare-grid"))
        a0, a3 = seeded["ids"]["a1_0"], seeded["ids"]["a1_3"]
        assert f"#{a0}" in grid and f"#{a3}" in grid and grid.index(f"#{a0}") < grid.index(f"#{a3}")
        score_line = next(ln for ln in grid.splitlines() if ln.strip().startswith("score"))
        assert score_line.split()[1:] == ["35", "45"]
        assert "+10" in next(ln for ln in grid.splitlines() if ln.strip().startswith("change"))
        assert "2 attempts at this question" in visible_text(app.screen.query_one("#compare-head"))


@pytest.mark.slow
async def test_regrade_runs_in_a_worker_and_keeps_every_grade(services, seeded):  # noqa: F811
    grader = SlowGrader(77.0)
    services.grader = grader
    a13 = seeded["ids"]["a1_3"]
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_history(pilot)
        await select(pilot, a13)
        await pilot.press("enter")
        await until(pilot, screen_is(app, "AttemptScreen"))
        await pilot.press("r")
        await until(pilot, screen_is(app, "RegradeDialog"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: grader.calls == 1, what="the grader called")
        # the UI goes on while the grader works: scroll, step back to the history and move about
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HistoryScreen"))
        table = app.screen.query_one(DataTable)
        before = table.cursor_row
        await pilot.press("down")
        assert table.cursor_row == before + 1
        assert "Re-grading 0 of 1" in visible_text(app.screen.query_one("#history-status"))
        grader.release.set()
        await until(pilot, lambda: "Re-graded 1 of 1" in visible_text(app.screen.query_one("#history-status")),
                    what="the re-grade done")
        assert row_cells(app.screen, a13)["score"] == "77" and row_cells(app.screen, a13)["grader"] == "slow:s1 +1"
        await select(pilot, a13)
        await pilot.press("enter")
        await until(pilot, screen_is(app, "AttemptScreen"))
        scr = app.screen
        assert "77" in visible_text(scr.query_one("#headline"))  # the newest grade is shown
        assert "Grade 2 of 2 (newest)" in visible_text(scr.query_one("#attempt-grades"))
        await pilot.press("left_square_bracket")  # one key to the older one
        await pilot.pause()
        assert "45" in visible_text(scr.query_one("#headline"))
        assert "Grade 1 of 2 (older)" in visible_text(scr.query_one("#attempt-grades"))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "77" in visible_text(scr.query_one("#headline"))
    assert [g.grade.score for g in services.store.grades_for(a13)] == [77.0, 45.0]


async def test_esc_on_the_history_stops_a_running_regrade(services, seeded):  # noqa: F811
    grader = SlowGrader(99.0)
    services.grader = grader
    t13 = seeded["ids"]["t1_3"]
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        scr = await open_history(pilot)
        await pilot.press("u")
        await until(pilot, screen_is(app, "RegradeDialog"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: grader.calls == 1)
        await pilot.press("escape")  # stops the re-grade; the screen stays
        await until(pilot, lambda: "stopped after 0 of 1" in visible_text(scr.query_one("#history-status")))
        assert screen_is(app, "HistoryScreen")()
        await pilot.press("escape")  # nothing running now: back
        await until(pilot, lambda: not screen_is(app, "HistoryScreen")())
    assert services.store.get_attempt(t13).status is AttemptStatus.ungraded  # kept as it was
    assert services.store.grades_for(t13) == []


async def test_regrade_every_ungraded_answer_and_a_whole_session(services, seeded):  # noqa: F811
    services.grader = FixedGrader(88.0)
    ids = seeded["ids"]
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        scr = await open_history(pilot)
        await pilot.press("u")
        await until(pilot, screen_is(app, "RegradeDialog"))
        assert "Grade the 1 answer saved without a grade?" in visible_text(app.screen)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: services.store.get_attempt(ids["t1_3"]).status is AttemptStatus.graded)
        await until(pilot, lambda: screen_is(app, "HistoryScreen")() and row_cells(scr, ids["t1_3"])["score"] == "88")
        await select(pilot, ids["a1_0"])  # session 1: three answers
        await pilot.press("S")
        await until(pilot, screen_is(app, "RegradeDialog"))
        assert "Re-grade the 3 answers of session" in visible_text(app.screen)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: all(len(services.store.grades_for(ids[k])) == 2
                                       for k in ("a1_0", "t1_0", "p1_0")), what="the session re-graded")
        await until(pilot, lambda: row_cells(scr, ids["p1_0"])["score"] == "88")
    assert len(services.store.grades_for(ids["a1_3"])) == 1  # other sessions untouched


@pytest.mark.slow
async def test_a_failing_regrade_keeps_the_older_grade_and_says_why(services, seeded):  # noqa: F811
    services.grader = FixedGrader(fail=True)
    a0 = seeded["ids"]["a1_0"]
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        scr = await open_history(pilot)
        await select(pilot, a0)
        await pilot.press("r")
        await until(pilot, screen_is(app, "RegradeDialog"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Not graded" in visible_text(scr.query_one("#history-status")))
        assert "the test grader refused" in visible_text(scr.query_one("#history-status"))
        assert row_cells(scr, a0)["score"] == "35"
    assert services.store.get_attempt(a0).status is AttemptStatus.graded


async def test_dispute_a_grade_with_a_reason_and_it_counts(services, seeded):  # noqa: F811
    a13 = seeded["ids"]["a1_3"]
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        scr = await open_history(pilot)
        before = reviewing.report(services, now=app.clock()).topics[0]
        await select(pilot, a13)
        await pilot.press("e")
        await until(pilot, screen_is(app, "OverrideDialog"))
        dlg = app.screen
        dlg.query_one("#score", Input).value = "80"
        await pilot.press("ctrl+s")  # no reason yet: refused, the dialog stays
        await pilot.pause()
        assert screen_is(app, "OverrideDialog")() and "needs a reason" in visible_text(dlg.query_one("#override-error"))
        dlg.query_one("#score", Input).value = "180"
        dlg.query_one("#reason", Input).value = "I explained the weighted sum of values"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "0 to 100" in visible_text(dlg.query_one("#override-error"))
        dlg.query_one("#score", Input).value = "80"
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "HistoryScreen"))
        assert row_cells(scr, a13)["score"] == "80*"
        ov = history.overrides_for(services.store, a13)
        assert [(o.score, o.reason) for o in ov] == [(80.0, "I explained the weighted sum of values")]
        # it is used: mastery, and the attempt screen (score, reason, the comparison)
        after = next(t for t in reviewing.report(services, now=app.clock()).topics if t.key == before.key)
        assert after.mastery > before.mastery
        await pilot.press("enter")
        await until(pilot, screen_is(app, "AttemptScreen"))
        shown = visible_text(app.screen.query_one("#attempt-override"))
        assert "80" in shown and "the grader gave 45" in shown and "weighted sum of values" in shown
        assert "+45 points" in visible_text(app.screen.query_one("#attempt-compare"))


@pytest.mark.slow
async def test_delete_an_attempt_and_a_session_after_confirming(services, seeded):  # noqa: F811
    ids = seeded["ids"]
    st = services.store
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        scr = await open_history(pilot)
        await select(pilot, ids["p1_3"])
        await pilot.press("x")
        await until(pilot, screen_is(app, "ConfirmDialog"))
        assert f"Answer #{ids['p1_3']}" in visible_text(app.screen)
        await pilot.press("n")  # cancelled: nothing goes
        await until(pilot, screen_is(app, "HistoryScreen"))
        assert st.get_attempt(ids["p1_3"]) is not None
        await pilot.press("x")
        await until(pilot, screen_is(app, "ConfirmDialog"))
        await pilot.press("y")
        await until(pilot, lambda: st.get_attempt(ids["p1_3"]) is None)
        await until(pilot, lambda: len(scr.rows) == 9)
        assert ids["p1_3"] not in [r.attempt_id for r in scr.rows]
        s3 = seeded["sessions"][2].id
        await select(pilot, ids["a2_7"])
        await pilot.press("X")
        await until(pilot, screen_is(app, "ConfirmDialog"))
        assert f"Session {s3}: all 3 of its answers" in visible_text(app.screen)
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HistoryScreen"))
        assert st.get_session(s3) is not None
        await pilot.press("X")
        await until(pilot, screen_is(app, "ConfirmDialog"))
        await pilot.click("#yes")
        await until(pilot, lambda: st.get_session(s3) is None)
        await until(pilot, lambda: len(scr.rows) == 6)
        # deleting from the attempt screen goes back to the list
        await select(pilot, ids["a1_0"])
        await pilot.press("enter")
        await until(pilot, screen_is(app, "AttemptScreen"))
        await pilot.press("x")
        await until(pilot, screen_is(app, "ConfirmDialog"))
        await pilot.press("y")
        await until(pilot, screen_is(app, "HistoryScreen"))
        assert st.get_attempt(ids["a1_0"]) is None and len(scr.rows) == 5


async def test_every_kind_of_attempt_opens(services, seeded):  # noqa: F811
    """Ungraded (with the reason), skipped, and a follow-up answer (its prompt, no comparison) all open."""
    from _review_seed import add, day

    ids = seeded["ids"]
    fu = add(services.store, seeded["A1"], day(3, 0.5), 62, {"k2": "covered"}, parent_id=ids["a1_3"],
             session_id=seeded["sessions"][1].id)
    services.store.conn.execute("UPDATE attempts SET prompt = 'Why scale by the square root?' WHERE id = ?", (fu,))
    app = tui_app(services, start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        scr = await open_history(pilot)
        assert f"↳ follow-up to #{ids['a1_3']}" in row_cells(scr, fu)["q"]
        for aid, expect in ((ids["t1_3"], "grader unreachable"), (ids["p2_7"], "Skipped"),
                            (fu, "Why scale by the square root?")):
            await select(pilot, aid)
            await pilot.press("enter")
            await until(pilot, screen_is(app, "AttemptScreen"))
            text = visible_text(app.screen)
            assert expect in text, (aid, text[:500])
            if aid == fu:
                assert not app.screen.query_one("#attempt-compare").display
            await pilot.press("escape")
            await until(pilot, screen_is(app, "HistoryScreen"))
