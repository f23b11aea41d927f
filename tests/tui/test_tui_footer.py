"""The footer (tui/widgets/footer.py) rebuilds its keys only when what it shows changes: the same keys are kept
across bindings signals that change nothing, and a key that becomes available is shown."""

from __future__ import annotations

from interviewer.tui.widgets.footer import Footer
from tui_helpers import screen_is, tui_app, until


def keys(footer):
    return {k.key: k for k in footer.query("FooterKey")}


async def test_footer_keeps_its_keys_until_the_bindings_change(services):
    app = tui_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.pause(0.2)
        footer = app.screen.query_one(Footer)
        before = keys(footer)
        assert "p" in before and "g" not in before  # nothing kept for later yet: "grade kept" is not offered
        for _ in range(3):  # signals that change nothing: focus moves and binding refreshes
            app.screen.refresh_bindings()
            app.screen.focus_next()
            await pilot.pause(0.1)
        assert {k: id(v) for k, v in keys(footer).items()} == {k: id(v) for k, v in before.items()}
        app.screen.pending = 1  # an answer kept for later: the "g" binding becomes available
        app.screen.refresh_bindings()
        await pilot.pause(0.2)
        after = keys(footer)
        assert "g" in after and not after["g"].has_class("-disabled")
