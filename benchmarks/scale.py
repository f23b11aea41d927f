"""Scale: the review dashboard and the history queries with 10,000 and 100,000 answers in the database.

Target: the review screen opens in under 200 ms at 100,000 answers. The history is written by _seed.py
(real offline and LLM-sized grades, executemany in one transaction, through the m002 triggers). Each figure
is the median of several runs in this process; "after a session" adds 10 graded answers first (what the
screen meets after practice: ten questions whose FSRS cards and key-point figures must be brought up to date).
Writes the `scale` section of docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from _seed import seed_history  # noqa: E402

SIZES = [int(x) for x in os.environ.get("SCALE_BENCH_SIZES", "10000,100000").split(",")]
NOW = datetime(2025, 1, 2, tzinfo=UTC)
TARGET_MS = 200
ROOT = Path(__file__).resolve().parent.parent
REVIEW_BEFORE_COMMIT = "7183ea2"
"""The code before the review screen was built in one pass (issue 16); its review open is measured side by side."""

# The same measurements made with the code before the m002 fact tables (commit fd1ad7c, same seed, same
# machine, 2026-11-28): review code read every attempt's newest grade and key points on each open.
BEFORE = {10_000: {"report": 867, "report_first": 945, "weakest": 252, "due": 188},
          100_000: {"report": 9944, "report_first": 12327, "weakest": 1268, "due": 1602}}


def median_ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def once_ms(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def add_session(svc, at: datetime, n: int = 10) -> None:
    """n graded answers now, through the Store API the practice flow uses."""
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.offline.grader import OfflineGrader

    grader = OfflineGrader()
    bank = svc.bank()
    st = svc.store
    s = st.start_session(bank.id)
    for i in range(n):
        q = bank.questions[(i * 7 + int(at.timestamp())) % len(bank.questions)]
        a = st.add_attempt(bank_id=bank.id, question_id=q.id, prompt=q.question, answer=q.reference,
                           session_id=s.id)
        st.add_grade(a.id, grader.grade_sync(GradeRequest(question=q, rubric=svc.rubric_for(q), answer=q.reference)))


async def tui_review(svc) -> dict[str, float]:
    """The TUI's review screen (Textual Pilot, headless, 100x30): from the keypress that opens it to its figures
    drawn, median of 5 opens, split into the screen's own build (compose, styles, layout), the figures
    (reviewing.report) and drawing them; and the home screen's first paint with its figures."""
    from interviewer.app import reviewing
    from interviewer.tui.app import make_app

    marks: dict[str, float] = {}
    report = reviewing.report

    def timed_report(*a, **kw):
        marks["r0"] = time.perf_counter()
        try:
            return report(*a, **kw)
        finally:
            marks["r1"] = time.perf_counter()

    def shown(app) -> bool:
        return type(app.screen).__name__ == "ReviewScreen" and getattr(app.screen, "report", None) is not None

    app = make_app(svc, tts_program=None, check_backend=False, offer_drafts=False)
    t0 = time.perf_counter()
    reviewing.report = timed_report
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            while type(app.screen).__name__ != "HomeScreen" or not app.screen.is_mounted:
                await pilot.pause(0.005)
            await pilot.pause()
            home = (time.perf_counter() - t0) * 1000
            opens, build, figures, draw, cpu = [], [], [], [], []
            for _ in range(6):
                t, c = time.perf_counter(), time.process_time()
                app.navigate("review")
                while not shown(app):
                    await pilot.pause(0.002)
                await pilot.pause()  # the frame with the figures
                end = time.perf_counter()
                opens.append((end - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                build.append((marks["r0"] - t) * 1000)
                figures.append((marks["r1"] - marks["r0"]) * 1000)
                draw.append((end - marks["r1"]) * 1000)
                app.pop_screen()
                await pilot.pause(0.2)
    finally:
        reviewing.report = report
    med = statistics.median
    return {"tui_review_first": opens[0], "tui_review": med(opens[1:]), "tui_review_cpu": med(cpu[1:]),
            "tui_review_build": med(build[1:]), "tui_review_figures": med(figures[1:]),
            "tui_review_draw": med(draw[1:]), "tui_home": home}


def review_before_after(n: int, rounds: int = 2) -> dict | None:
    """The review screen's open at n answers with the code at REVIEW_BEFORE_COMMIT (from `git archive`) and with
    this code, alternating, each in a process of its own with a history of its own (benchmarks/_review_open.py).
    None when git or the commit is not available."""
    import json

    tmp = Path(tempfile.mkdtemp())
    old = tmp / "before"
    old.mkdir()
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", REVIEW_BEFORE_COMMIT, "src", "data", "rubrics"],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    trees = {"before": old / "src", "now": ROOT / "src"}
    script = str(Path(__file__).resolve().parent / "_review_open.py")
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    for _ in range(rounds):
        for k, src in trees.items():
            out = subprocess.run([sys.executable, script, str(n), str(tmp / f"home-{k}")], capture_output=True,
                                 text=True, env={**os.environ, "PYTHONPATH": str(src)}, check=True)
            runs[k].append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = statistics.median
    return {k: {f: med(r[f] for r in v) for f in ("first", "median", "cpu")} for k, v in runs.items()}


def measure(n: int) -> dict[str, float]:
    home = Path(tempfile.mkdtemp()) / "home"
    os.environ["INTERVIEWER_HOME"] = str(home)
    from interviewer.app import reviewing
    from interviewer.app.services import Services
    from interviewer.store import history
    from interviewer.store.repo import Store

    loc = Services.create()
    counts = seed_history(loc, n, end=NOW - timedelta(hours=1))
    # No backups dir: this measures the dashboard, not the start-up checks (benchmarks/startup.py does).
    svc = Services.create(store=Store.open(loc.locations.db_path))
    svc.banks  # noqa: B018 - load the bank outside the timings
    r: dict[str, float] = {"write": counts["write_s"] * 1000, "migrate": counts["migrate_s"] * 1000,
                           "rows": counts["attempts"]}
    svc.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    r["db_mb"] = os.path.getsize(svc.locations.db_path) / 1e6
    r["report_first"] = once_ms(lambda: reviewing.report(svc, now=NOW))
    r["report"] = median_ms(lambda: reviewing.report(svc, now=NOW))
    after, writes = [], []
    for k in range(3):
        writes.append(once_ms(lambda k=k: add_session(svc, NOW + timedelta(minutes=k))) / 10)
        after.append(once_ms(lambda: reviewing.report(svc, now=NOW + timedelta(hours=1))))
    r["report_after_session"] = statistics.median(after)
    r["store_answer"] = statistics.median(writes)
    r["report_since"] = median_ms(lambda: reviewing.report(svc, now=NOW, since=NOW - timedelta(days=30)), 3)
    r["due"] = median_ms(lambda: reviewing.due_questions(svc, now=NOW, limit=10))
    r["weakest"] = median_ms(lambda: reviewing.weakest_questions(svc, limit=10))
    r["history"] = median_ms(lambda: history.history(svc.store, limit=50))
    r["detail"] = median_ms(lambda: reviewing.attempt_detail(svc, n // 2))
    r["question_stats"] = median_ms(svc.store.question_stats)
    from interviewer.app.practice import bank_overview

    r["home_figures"] = median_ms(lambda: (reviewing.ungraded_count(svc), bank_overview(svc, None, NOW)), 3)
    r.update(asyncio.run(tui_review(svc)))
    svc.close()
    from interviewer.store import faults

    r["quick_check"] = median_ms(lambda: faults.check_integrity(loc.locations.db_path, loc.locations.backups_dir), 3)
    env = {**os.environ, "INTERVIEWER_HOME": str(home)}
    cmd = [str(Path(sys.executable).parent / "interviewer"), "stats"]
    for key in ("stats_first_of_day", "stats"):  # the first start of a day makes the daily backup
        r[key] = once_ms(lambda: subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True))
    return r


def fmt(ms: float) -> str:
    return f"{ms:,.1f}" if ms < 10 else f"{ms:,.0f}"


def main() -> None:
    res = {n: measure(n) for n in SIZES}
    for n, r in res.items():
        print(n, {k: round(v, 1) for k, v in r.items()}, flush=True)
    big = max(SIZES)
    ba = review_before_after(big)
    print(ba, flush=True)
    rows = [
        ("**TUI review screen: keypress to figures drawn** (Textual, headless; median of 5 opens)", "tui_review",
         False),
        ("  CPU of this process per open", "tui_review_cpu", False),
        ("  of which: before the figures (the key, the screen's creation)", "tui_review_build", False),
        ("  of which: the figures (reviewing.report, read as the screen is composed)", "tui_review_figures", False),
        ("  of which: the screen composed with its figures, styled, laid out and drawn", "tui_review_draw", False),
        ("TUI review screen, first open of a session", "tui_review_first", False),
        ("review figures alone (reviewing.report, warm)", "report", True),
        ("review figures right after a 10-answer session", "report_after_session", False),
        ("review figures, first time after the history was written (every FSRS card replayed)", "report_first", True),
        ("review figures for the last 30 days (`stats --since`)", "report_since", False),
        ("due questions for a session", "due", True),
        ("weakest questions for a session", "weakest", True),
        ("TUI home screen: app start to first paint with figures (in-process, headless)", "tui_home", False),
        ("home screen figures (due, weakest topics, question stats, answers kept)", "home_figures", False),
        ("Store.question_stats (setup screen, selection)", "question_stats", False),
        ("`interviewer stats`, whole process, first start of the day (daily backup + integrity check)",
         "stats_first_of_day", False),
        ("`interviewer stats`, whole process, later starts (no integrity check after a clean shutdown)", "stats", False),
        ("integrity check alone (PRAGMA quick_check: after an unclean shutdown, before the daily backup)", "quick_check", False),
        ("history page (50 newest)", "history", False),
        ("attempt detail with comparison", "detail", False),
    ]
    head = "| measure | " + " | ".join(f"{n:,} answers (ms)" for n in SIZES) + " |"
    lines = [head, "|---|" + "---:|" * len(SIZES)]
    for label, key, has_before in rows:
        if not all(key in res[n] for n in SIZES):
            continue
        cells = []
        for n in SIZES:
            before = BEFORE.get(n, {}).get(key) if has_before else None
            cells.append(fmt(res[n][key]) + (f" (before: {before:,})" if before else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| store one graded answer (save + offline grade + grade row, with the m002 triggers) | "
                 + " | ".join(fmt(res[n]["store_answer"]) for n in SIZES) + " |")
    lines.append("| writing the history (executemany, one transaction) | "
                 + " | ".join(f"{res[n]['write'] / 1000:,.1f} s" for n in SIZES) + " |")
    lines.append("| migration m002 on that history (facts computed in bulk, once, on upgrade) | "
                 + " | ".join(f"{res[n]['migrate'] / 1000:,.1f} s" for n in SIZES) + " |")
    lines.append("| database size | " + " | ".join(
        f"{res[n]['db_mb']:,.0f} MB ({res[n]['db_mb'] * 1e6 / res[n]['rows'] / 1024:.1f} KB per answer)"
        for n in SIZES) + " |")
    verdict = ("met" if res[big]["tui_review"] < TARGET_MS and res[big]["report_after_session"] < TARGET_MS
               else "NOT met")
    if ba is None:
        ba_text = f"(Before/after skipped: `git archive {REVIEW_BEFORE_COMMIT}` is not available here.)"
    else:
        b, w = ba["before"], ba["now"]
        ba_text = "\n".join([
            f"**Before and after** at {big:,} answers, side by side in this run: the code at commit "
            f"{REVIEW_BEFORE_COMMIT} (before the screen was built in one pass) and this code, each in a process of "
            "its own with a history of its own (`benchmarks/_review_open.py`, 2 rounds, alternating):", "",
            "| review screen, keypress to figures drawn | before (ms) | now (ms) |", "|---|---:|---:|",
            f"| median of 7 opens | {b['median']:,.0f} | {w['median']:,.0f} |",
            f"| CPU per open | {b['cpu']:,.0f} | {w['cpu']:,.0f} |",
            f"| first open of a session | {b['first']:,.0f} | {w['first']:,.0f} |"])
    body = f"""Method: `benchmarks/scale.py`. A history of N answers over the 100-question bank (~25 a day in sessions of
five; 5% ungraded, 2% skipped, 5% overridden, 3% re-graded, 5% with a follow-up; 60% offline grades of ~2.2 KB
JSON, 40% LLM-sized ones of ~2.8 KB) written with `executemany` in one transaction. Medians of 7 runs (3 for
"after a session", "since" and the home figures), in one process, on a machine shared with other work. The
database is opened without the start-up checks (quick_check, daily backup): benchmarks/startup.py covers those.

**Target: the review screen opens in under {TARGET_MS} ms with {big:,} answers: {verdict}** ({fmt(res[big]['tui_review'])} ms
from keypress to figures drawn in the TUI; the figures alone take {fmt(res[big]['report'])} ms, and
{fmt(res[big]['report_after_session'])} ms right after a 10-answer session).

{chr(10).join(lines)}

{ba_text}

What made the open fast. The figures were already cheap (below); the time was Textual building the dashboard and
drawing it twice: composed empty, laid out and drawn, then the figures read in a worker and every panel laid
out and drawn again. Now the figures are read as the screen is composed (~{fmt(res[big]['report'])} ms here; when
FSRS cards must be replayed first, that still runs in a thread and the panels fill in after), each panel is one
Static (the dashboard has ~10 widgets, was ~30), the panels' Rich tables are rendered once per width
(`tui/widgets/once.py`: Textual renders a Static's content once to measure its height and again to draw it), the
trend is a text sparkline instead of a Sparkline widget, and the footer is one widget redrawn only when its keys
change (Textual's rebuilt a widget per key on every screen switch, about 40 ms of each). Since 2026-12-07
(264 -> 112 ms at 100,000 answers): the app freezes its start-up heap once the screens are imported
(`gc.freeze`, tui/app.py: a full collection walked ~90,000 start-up objects, 40-75 ms, and landed in about
every other open; it costs one collection at start, ~40 ms of CPU after the home figures, benchmarks/startup.py),
the panels' renders really are once per width (the paint had rendered each a second time at its measured
height), and the spoken answers' trend reads the deliveries first (it walked every attempt: ~23 ms with none
spoken).

How: the dashboard no longer reads the history. Migration m002 adds SQL triggers that keep, for every write
(grading, re-grading, overrides, deletes and their cascades, imports), one narrow row per scored answer
(`attempt_scores`), integer tallies per question, session and key point, per-day score sums, and a mark on
each question whose FSRS card must be replayed. Opening the dashboard reads the tallies and each question's
newest 93 scored answers from a covering index (mastery weighs each older answer 0.8x, so older ones move it
by under 1e-6 points); key-point recency figures are cached per question and recomputed only for questions
answered since; the schedule sync replays only marked questions and carries a card forward through new reviews
instead of replaying from the first. A test (tests/store/test_review_facts.py) runs random mixes of every kind of write
and checks the tallies against the base tables and the fast dashboard against the whole-history one.

The first open after a history is written is the one-off cost of replaying every question's FSRS card (and,
after upgrading, migration m002 itself, measured above). Reports with `--since` read the
answers in the range from the base tables. The "before" figures are the same measurements with the code at
commit fd1ad7c (before m002), same seed, same machine, same day.
"""
    write_section("scale", "Scale: review dashboard and history at 10,000 and 100,000 answers", body)
    print(body)


if __name__ == "__main__":
    main()
