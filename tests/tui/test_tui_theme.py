"""A theme chosen in the command palette is saved in config.toml ([ui] theme) and used at the next start, from
the first paint; what else is in config.toml is kept as it was; a theme name the app does not know is ignored."""

from __future__ import annotations

from interviewer.config import load_config
from interviewer.tui.theme import saved_theme
from tui_helpers import screen_is, tui_app, until


async def test_a_chosen_theme_is_saved_and_used_next_time(services):
    path = services.locations.config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[practice]\ntimer = 90\n')
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        app.theme = "nord"  # what the palette's "Change theme" does
        await pilot.pause()
    cfg = load_config(path, env={})
    assert cfg.ui.theme == "nord" and cfg.practice.timer == 90 and services.config.ui.theme == "nord"
    assert saved_theme(path) == "nord"
    app2 = tui_app(None, load_services=lambda: services, theme=saved_theme(path))
    async with app2.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app2.theme == "nord"  # from the first paint, before the services are loaded


async def test_an_unknown_or_unreadable_theme_is_ignored(services, tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text("[ui\ntheme = ")
    assert saved_theme(bad) == "" and saved_theme(tmp_path / "missing.toml") == ""
    app = tui_app(services, theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        assert app.theme == "textual-dark"
