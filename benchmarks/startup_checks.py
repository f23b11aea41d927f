"""Start-up checks at 100,000 answers: what opening the database costs now that the integrity check runs only when
it can matter (issue 14), against the old rule (PRAGMA quick_check on every start), side by side in one run.

A history of N answers (benchmarks/_seed.py) in a home of its own. Measured, each a median of several runs:
- opening the database the way every command does (Store.open with the backups folder): a clean start (the
  last process closed it; a backup from today exists), after an unclean shutdown (a dead process's marker:
  the check runs), and on the first start of a day (the check, then the daily backup);
- the check alone (what the old code added to every start);
- `interviewer stats` as a whole process, on a clean start and after an unclean shutdown.

Run: `python benchmarks/startup_checks.py` (SCALE_BENCH_SIZES=10000 for a quick run); writes the
`startup-checks` section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from _seed import seed_history  # noqa: E402

SIZES = [int(x) for x in os.environ.get("SCALE_BENCH_SIZES", "100000").split(",")]
RUNS = 7


def med(fn, runs: int = RUNS, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(n: int) -> dict[str, float]:
    home = Path(tempfile.mkdtemp()) / "home"
    os.environ["INTERVIEWER_HOME"] = str(home)
    from interviewer.app.services import Services
    from interviewer.store import backup, health
    from interviewer.store.repo import Store

    loc = Services.create()
    seed_history(loc, n, end=datetime(2025, 1, 1, tzinfo=UTC))
    db, bdir = loc.locations.db_path, loc.locations.backups_dir
    Store.open(db, bdir).close()  # the first start of the day: its backup exists from here on
    dead = health.marker(db, pid=2 ** 22 + 4321)

    def open_close() -> None:
        Store.open(db, bdir).close()

    def old_rule() -> None:  # what every start did before: the read-only check, then the open
        conn = health.open_read_only(db)
        health.integrity_problem(conn)
        conn.close()
        Store.open(db, bdir).close()

    def first_of_day() -> None:
        for p in backup.backups(bdir):
            p.unlink()

    def check_alone() -> None:
        conn = health.open_read_only(db)
        health.integrity_problem(conn)
        conn.close()

    r = {"clean": med(open_close), "old": med(old_rule), "check": med(check_alone),
         "unclean": med(open_close, before=dead.touch), "day": med(open_close, runs=3, before=first_of_day)}
    cmd = [str(Path(sys.executable).with_name("interviewer")), "stats"]
    env = {**os.environ, "INTERVIEWER_HOME": str(home)}

    def stats() -> None:
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    r["stats_clean"] = med(stats, runs=5)
    r["stats_unclean"] = med(stats, runs=5, before=dead.touch)
    r["db_mb"] = db.stat().st_size / 1e6
    shutil.rmtree(home.parent, ignore_errors=True)
    return r


def fmt(ms: float) -> str:
    return f"{ms:,.1f}" if ms < 10 else f"{ms:,.0f}"


def main() -> None:
    res = {n: measure(n) for n in SIZES}
    for n, r in res.items():
        print(n, {k: round(v, 1) for k, v in r.items()}, flush=True)
    head = " | ".join(f"{n:,} answers (ms)" for n in SIZES)
    rows = [
        ("open the database, clean start (no check: the last process closed it, today's backup exists)", "clean"),
        ("open the database, old rule: quick_check on every start, side by side", "old"),
        ("the integrity check alone (PRAGMA quick_check)", "check"),
        ("open the database after an unclean shutdown (a dead process's marker: the check runs)", "unclean"),
        ("open the database, first start of a day (the check, then the daily backup)", "day"),
        ("`interviewer stats`, whole process, clean start", "stats_clean"),
        ("`interviewer stats`, whole process, after an unclean shutdown", "stats_unclean"),
    ]
    lines = [f"| measure | {head} |", "|---|" + "---:|" * len(SIZES)]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(fmt(res[n][key]) for n in SIZES) + " |")
    sizes = ", ".join(f"{res[n]['db_mb']:.0f} MB" for n in SIZES)
    saved = {n: res[n]["old"] - res[n]["clean"] for n in SIZES}
    body = f"""Method: `benchmarks/startup_checks.py`. A seeded history (benchmarks/_seed.py; database {sizes}), opened with
`Store.open` and its backups folder, as every command and the app do. Medians of {RUNS} runs (3 for the first
start of a day, 5 for whole processes), all in one run, on a machine shared with other work. "Old rule" is the
integrity check the code ran before issue 14 on every start, measured here in front of today's open.

{chr(10).join(lines)}

A clean start no longer pays for the check: {", ".join(f"{saved[n]:,.0f} ms saved at {n:,} answers" for n in SIZES)}.
The check still runs when it can matter: after an unclean shutdown (each process leaves a marker beside the
database and removes it when it closes; a marker whose process is gone means it died with the database open)
and before the daily backup, so a damaged file never becomes a backup; `db check` and `doctor` run it on
demand. Any query that meets a damaged page in between ends in the same 'damaged' message (store.faults).
"""
    write_section("startup-checks", "Start-up checks: the integrity check only when it can matter", body)


if __name__ == "__main__":
    main()
