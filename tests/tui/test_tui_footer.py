"""The footer (tui/widgets/footer.py): this screen's keys on one line; at 80 columns the way out and help stay
(the keys at the end go first, with a "…"); a key that becomes available is shown; a click presses the key."""

from __future__ import annotations

import pytest

from interviewer.tui.widgets.footer import Footer
from tui_helpers import screen_is, tui_app, until


def line(app) -> str:
    return str(app.screen.query_one(Footer).render())


async def test_footer_shows_the_keys_and_a_key_that_becomes_available(services):
    app = tui_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        footer = app.screen.query_one(Footer)
        keys = {k.key: k for k in footer.keys}
        assert "p" in keys and "g" not in keys  # nothing kept for later yet: "grade kept" is not offered
        shown = line(app)
        assert "p Practise" in shown and "q Quit" in shown and "f1 Help" in shown and "^p palette" in shown
        app.screen.pending = 1  # an answer kept for later: the "g" binding becomes available
        app.screen.refresh_bindings()
        await pilot.pause(0.1)
        assert {k.key: k for k in footer.keys}["g"].enabled and "g Grade kept" in line(app)


@pytest.mark.parametrize("start", [None, "review", "history"])
async def test_at_80_columns_quit_back_and_help_stay(services, start):
    app = tui_app(services, start=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        shown = line(app)
        assert "f1 Help" in shown
        assert ("q Quit" in shown) if start is None else ("esc Back" in shown)
        assert len(shown) <= 80


async def test_a_click_on_a_key_presses_it(services):
    app = tui_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        footer = app.screen.query_one(Footer)
        footer.render()
        start, _end, key = next(s for s in footer._spans if s[2].key == "r")
        await pilot.click(Footer, offset=(start + 1, 0))
        await until(pilot, screen_is(app, "ReviewScreen"))
