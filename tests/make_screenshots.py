"""Write docs/screenshots/*.svg: each screen of the app as a person sees it, on the real offline grader.

Run: .venv/bin/python tests/make_screenshots.py   (uses a throwaway INTERVIEWER_HOME; nothing of yours is read)
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "docs" / "screenshots"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "tui"))
os.environ["INTERVIEWER_HOME"] = tempfile.mkdtemp(prefix="interviewer-shots-")

from test_tui_snapshots import seed_history, seed_sessions  # noqa: E402

from interviewer.app.practice import SessionOptions  # noqa: E402
from interviewer.app.services import Services  # noqa: E402
from tui_helpers import KeywordGrader, screen_is, tui_app, type_text, until  # noqa: E402

ANSWER = ("Self-attention lets every token in a sequence attend to every other token, including itself. Each "
          "token gets a query, a key and a value; the weights come from query-key dot products, um, scaled by "
          "the square root of the key dimension and normalised with a softmax, and the output is a weighted sum "
          "of the value vectors. It captures long-range dependencies and processes all positions in parallel.")


def save(app, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
    print("wrote", OUT / f"{name}.svg")


async def main(size=(100, 32)) -> None:
    svc = Services.create()
    await seed_history(svc)
    svc.grader = None  # the real configured grader (offline) from here on
    from dataclasses import replace

    # the settings screen names the config file: show where it usually is, not this throwaway folder
    svc.locations = replace(svc.locations, config_dir=Path("/home/you/.config/interviewer"))
    opts = SessionOptions(count=3, order="in-order", topics=["Attention Mechanisms"], timer_s=120)
    app = tui_app(svc)
    async with app.run_test(size=size) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.pause()
        save(app, "home")
        await pilot.press("p")
        await until(pilot, screen_is(app, "SetupScreen"))
        save(app, "setup")
        await pilot.press("escape")
        await pilot.press("s")
        await until(pilot, screen_is(app, "SettingsScreen"))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "nothing to connect" in str(app.screen.query_one("#check-results").content))
        save(app, "settings")
    app = tui_app(svc, start=opts)
    async with app.run_test(size=size) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, ANSWER)
        app.clock.advance(83)
        app.screen.query_one("#timer").tick()
        save(app, "question")
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"))
        save(app, "feedback")
        await pilot.press("n")
        await until(pilot, screen_is(app, "QuestionScreen"))
        await pilot.press("ctrl+d")
        await until(pilot, screen_is(app, "FeedbackScreen"))
        await pilot.press("escape")
        await until(pilot, screen_is(app, "SummaryScreen"))
        save(app, "summary")
    svc.grader = KeywordGrader(fail="could not reach http://127.0.0.1:11434 (connection refused)")
    app = tui_app(svc, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=size) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, "Attention weighs every token by its relevance to the others.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_is(app, "GradingScreen")() and app.screen.failed)
        save(app, "grading-failed")
    svc.close()
    await review_shots(size)


async def review_shots(size) -> None:
    """The review dashboard, the history, one attempt and the comparison, on four sessions over twelve days
    (test_tui_snapshots.seed_sessions) in a home of their own, with the clock at 2025-03-14."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    home = tempfile.mkdtemp(prefix="interviewer-shots-review-")
    svc = Services.create(env={**os.environ, "INTERVIEWER_HOME": home})
    seed_sessions(svc)
    app = tui_app(svc, start="review")
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None)
        await pilot.pause()
        save(app, "review")
        await pilot.press("h")
        await until(pilot, screen_is(app, "HistoryScreen"))
        await pilot.pause()
        save(app, "history")
        await pilot.press("down", "enter")
        await until(pilot, screen_is(app, "AttemptScreen"))
        await pilot.pause()
        save(app, "attempt")
        await pilot.press("c")
        await until(pilot, screen_is(app, "CompareScreen"))
        await pilot.pause()
        save(app, "compare")
        await pilot.press("escape", "escape")
        await until(pilot, screen_is(app, "HistoryScreen"))
        await pilot.press("f1")
        await until(pilot, screen_is(app, "HelpScreen"))
        await pilot.pause()
        save(app, "help")
        await pilot.press("g")
        await until(pilot, screen_is(app, "GradingHelpScreen"))
        await pilot.pause()
        save(app, "how-grading-works")
    svc.close()


if __name__ == "__main__":
    asyncio.run(main())
