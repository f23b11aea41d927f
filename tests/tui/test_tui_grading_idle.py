"""While a grading call is in flight and another screen (the command palette) is on top, the grading screen stops
animating underneath it (its spinner redraws made every keypress in the palette twice as slow: benchmarks/
grading_overhead.py), and starts again when it is back on top."""

from __future__ import annotations

import asyncio

import pytest

from interviewer.app.practice import SessionOptions
from tui_helpers import KeywordGrader, screen_is, tui_app, type_text, until


@pytest.mark.slow
async def test_spinner_pauses_under_the_command_palette(services):
    slow = KeywordGrader(delay=60)
    services.grader = slow
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, "attention weighs every token")
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "GradingScreen"))
        await until(pilot, slow.started.is_set, what="grader called")
        grading = app.screen
        spinner = grading.query_one("#spinner")
        assert spinner.auto_refresh
        await pilot.press("ctrl+p")
        await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
        assert spinner.auto_refresh is None
        await pilot.pause(0.15)
        before = str(grading.query_one("#elapsed").render())
        await asyncio.sleep(0.35)
        await pilot.pause()
        assert str(grading.query_one("#elapsed").render()) == before  # the clock underneath is not redrawn
        await pilot.press("escape")
        await until(pilot, screen_is(app, "GradingScreen"))
        assert spinner.auto_refresh
        await until(pilot, lambda: str(grading.query_one("#elapsed").render()) != before, what="clock moves again")
        assert slow.calls == 1  # still the same call in flight
