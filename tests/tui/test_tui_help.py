"""F1 shows this screen's keys with what each does (from the screen's own bindings, so every key listed exists),
the keys that work everywhere, and from there (g) how grading works; F1 again, or esc, closes it."""

from __future__ import annotations

import pytest

from tui_helpers import screen_is, tui_app, until, visible_text


@pytest.mark.slow
async def test_f1_lists_this_screens_keys_and_what_they_do(services):
    app = tui_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.press("f1")
        await until(pilot, screen_is(app, "HelpScreen"))
        text = " ".join(visible_text(app.screen).split())
        assert "Keys on this screen" in text and "Everywhere" in text
        assert "p Practise Choose topics" in text and "q Quit Leave the app" in text
        assert "Scroll Left" not in text and "Focus Next" not in text  # not Textual's generic key list
        await pilot.press("g")
        await until(pilot, screen_is(app, "GradingHelpScreen"))
        page = " ".join(visible_text(app.screen).split())
        assert "60% from the rubric's criteria, 40% from the key points" in page and "interview-ready" in page
        assert "never calls an answer 'interview-ready': its top band is 'complete'" in page  # the offline grader
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HelpScreen"))
        await pilot.press("f1")
        await until(pilot, screen_is(app, "HomeScreen"))


async def test_each_screen_gets_its_own_keys(services):
    app = tui_app(services, start="history")
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, screen_is(app, "HistoryScreen"))
        await pilot.press("f1")
        await until(pilot, screen_is(app, "HelpScreen"))
        text = " ".join(visible_text(app.screen).split())
        assert "Help · History" in app.screen.query_one("#help-box").border_title
        assert "Dispute Set your own score" in text and "S Re-grade session" in text and "Practise" not in text
