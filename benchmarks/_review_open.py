"""Opening the TUI's review screen, timed, with whichever interviewer is on PYTHONPATH (scale.py runs it for the
code before this work and for this code, side by side). Prints one JSON line.

    python benchmarks/_review_open.py N HOME

Seeds N answers into HOME (benchmarks/_seed.py) unless it holds a database already, brings the FSRS schedule up
to date (the one-off replay a first open after a bulk write pays), then in one app (Textual Pilot, headless,
100x30): the first open of the session (the app imports the screens' modules in a thread while the home screen is
shown; the code before this work imported them on the first open), then 7 more, each from the keypress to the
figures drawn. CPU is this process's own (time.process_time) per open.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
N, HOME = int(sys.argv[1]), sys.argv[2]
os.environ["INTERVIEWER_HOME"] = HOME
NOW = datetime(2025, 1, 2, tzinfo=UTC)


async def opens(svc) -> dict:
    from interviewer.tui.app import make_app

    def shown(app) -> bool:
        return type(app.screen).__name__ == "ReviewScreen" and getattr(app.screen, "report", None) is not None

    app = make_app(svc, tts_program=None, check_backend=False, offer_drafts=False)
    walls, cpus = [], []
    async with app.run_test(size=(100, 30)) as pilot:
        while type(app.screen).__name__ != "HomeScreen" or not app.screen.is_mounted:
            await pilot.pause(0.005)
        await pilot.pause(0.3)
        for _ in range(8):
            t, c = time.perf_counter(), time.process_time()
            app.navigate("review")
            while not shown(app):
                await pilot.pause(0.002)
            await pilot.pause()  # the frame with the figures
            walls.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
            app.pop_screen()
            await pilot.pause(0.3)
    return {"first": walls[0], "first_cpu": cpus[0], "median": statistics.median(walls[1:]),
            "cpu": statistics.median(cpus[1:]), "all": [round(w) for w in walls]}


def main() -> None:
    from interviewer.app import reviewing
    from interviewer.app.services import Services
    from interviewer.store.repo import Store

    loc = Services.create()
    if not loc.locations.db_path.exists():
        from _seed import seed_history

        seed_history(loc, N, end=NOW - timedelta(hours=1))
    # No backups dir: the dashboard is measured, not the start-up checks (startup.py covers those).
    svc = Services.create(store=Store.open(loc.locations.db_path))
    svc.banks  # noqa: B018 - the bank is loaded before the first open, as in the app
    reviewing.report(svc)  # the one-off replay of every FSRS card after the bulk write
    print(json.dumps(asyncio.run(opens(svc))))
    svc.close()


if __name__ == "__main__":
    main()
