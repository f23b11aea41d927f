"""Nothing typed is lost: the app is killed with SIGKILL mid-answer, and a new app instance finds the draft and
restores it. Also: the first screen comes up without importing any LLM client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from interviewer.app.services import Services
from tui_helpers import screen_is, tui_app, until

TESTS = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, {tests!r})
    from interviewer.app.practice import SessionOptions
    from interviewer.app.services import Services
    from tui_helpers import screen_is, tui_app, type_text, until

    async def main():
        svc = Services.create()
        app = tui_app(svc, autosave_interval=0.1, start=SessionOptions(count=1, order="in-order"))
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, screen_is(app, "QuestionScreen"))
            await type_text(pilot, "Attention lets every token look at every other token")
            await until(pilot, lambda: app.screen.draft_saves >= 1)
            await type_text(pilot, " (typed after the last autosave)")
            print("READY", flush=True)
            await asyncio.sleep(120)

    asyncio.run(main())
""")


@pytest.mark.slow
async def test_draft_survives_sigkill_and_is_restored(isolated_home):
    env = {**os.environ, "INTERVIEWER_HOME": str(isolated_home)}
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(tests=str(TESTS))], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = child.stdout.readline()
        assert line.strip() == "READY", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    svc = Services.create()
    [d] = svc.store.drafts()
    assert d["text"].startswith("Attention lets every token look at every other token")
    app = tui_app(svc, offer_drafts=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "RestoreDraftScreen"), what="restore offer")
        await pilot.press("r")
        await until(pilot, screen_is(app, "QuestionScreen"))
        assert app.screen.text == d["text"]
        assert app.screen.item.question.id == d["question_id"]
    svc.close()


def test_first_screen_imports_no_llm_client(isolated_home):
    code = textwrap.dedent(f"""
        import asyncio, sys
        sys.path.insert(0, {str(TESTS)!r})
        from interviewer.app.services import Services
        from tui_helpers import screen_is, tui_app, until

        async def main():
            svc = Services.create(overrides={{"grader": {{"backend": "openai", "model": "m",
                                                         "base_url": "http://127.0.0.1:9/v1"}}}})
            app = tui_app(svc)
            async with app.run_test(size=(80, 24)) as pilot:
                await until(pilot, screen_is(app, "HomeScreen"))
                await pilot.press("p")
                await until(pilot, screen_is(app, "SetupScreen"))
                print(sorted(m for m in ("openai", "litellm", "httpx") if m in sys.modules))

        asyncio.run(main())
    """)
    env = {**os.environ, "INTERVIEWER_HOME": str(isolated_home)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"
