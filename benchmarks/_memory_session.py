"""One 10-question practice session in the TUI, driven by Textual's Pilot (headless), then the process's peak RSS.
Run by memory.py in a fresh process per grader: `python benchmarks/_memory_session.py` with INTERVIEWER_HOME and
the grader settings (INTERVIEWER_BACKEND, _MODEL, _BASE_URL) in the environment. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

QUESTIONS = 10


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


async def session() -> dict:
    from textual.widgets import Input

    from interviewer.app.services import Services
    from interviewer.tui.app import make_app
    from tui_helpers import screen_is, type_text, until

    svc = Services.create()
    app = make_app(svc, tts_program=None, offer_drafts=False, seed=1)
    out: dict = {}
    t0 = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"), 60)
        await pilot.pause(1.0)  # the backend check after the first paint
        out["first_screen_rss_mb"] = rss_mb()
        await pilot.press("p")
        await until(pilot, screen_is(app, "SetupScreen"), 30)
        app.screen.query_one("#count", Input).value = str(QUESTIONS)
        app.screen.query_one("#order").value = "in-order"
        await pilot.press("ctrl+s")
        for i in range(QUESTIONS):
            await until(pilot, screen_is(app, "QuestionScreen"), 30, f"question {i + 1}")
            await type_text(pilot, app.screen.item.question.reference)
            await pilot.press("ctrl+s")
            await until(pilot, screen_is(app, "FeedbackScreen"), 120, f"feedback {i + 1}")
            grade = app.screen.answer.grade
            if grade is None:
                raise SystemExit(f"answer {i + 1} was not graded")
            out["backend"] = grade.grade.grader.backend
            await pilot.press("n")
        await until(pilot, screen_is(app, "SummaryScreen"), 30, "summary")
        out["end_rss_mb"] = rss_mb()
    out["seconds"] = time.perf_counter() - t0
    out["graded"] = sum(1 for a in svc.store.attempts() if a.status.value == "graded")
    out["peak_rss_mb"] = peak_mb()
    out["litellm_loaded"] = "litellm" in sys.modules
    out["openai_loaded"] = "openai" in sys.modules
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(session())))
