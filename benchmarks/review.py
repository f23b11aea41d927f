"""Review figures at scale: how long the dashboard report, the schedule sync, due selection, history paging,
exports and import take on a history of 1,000 answers (months of daily practice) and 10,000 (a very heavy
user), over the 100-question bank, each graded with 5 key points, 5% overridden, 5% ungraded.
Writes the `review` section of docs/benchmarks.md."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402

SIZES = [int(x) for x in os.environ.get("REVIEW_BENCH_SIZES", "1000,10000").split(",")]


def seed(services, n: int) -> None:
    from interviewer.core.models import Grade, GraderInfo, KeyPointResult, KeyPointStatus
    from interviewer.core.scoring import verdict_for
    from interviewer.store import transfer

    rnd = random.Random(7)
    bank = services.bank()
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    attempts = []
    for i in range(n):
        q = bank.questions[i % len(bank.questions)]
        at = t0 + timedelta(minutes=40 * i)
        rec = {"id": i + 1, "session_id": None, "bank_id": bank.id, "question_id": q.id, "prompt": q.question,
               "answer": f"answer {i} " + "words " * 60, "kind": "answer", "status": "graded", "error": None,
               "parent_id": None, "started_at": None, "submitted_at": at, "duration_s": 60.0,
               "grades": [], "overrides": []}
        if rnd.random() < 0.05:
            rec["status"], rec["error"] = "ungraded", "timeout"
        else:
            score = round(rnd.uniform(20, 100), 1)
            kps = [KeyPointResult(key_point_id=kp.id, status=rnd.choice(list(KeyPointStatus)))
                   for kp in q.key_points[:5]]
            rec["grades"].append({"created_at": at + timedelta(seconds=5), "grade": Grade(
                score=score, verdict=verdict_for(score), criteria=[], key_points=kps, summary="s",
                grader=GraderInfo(backend="offline"))})
            if rnd.random() < 0.05:
                rec["overrides"].append({"score": 75.0, "reason": "disputed", "created_at": at + timedelta(minutes=1)})
        attempts.append(rec)
    transfer.restore(services.store, [], attempts)


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, out


def measure(n: int) -> tuple[list[tuple[str, float]], float]:
    tmp = Path(tempfile.mkdtemp())
    os.environ["INTERVIEWER_HOME"] = str(tmp / "home")
    from interviewer.app import exporting, reviewing, scheduling
    from interviewer.app.services import Services
    from interviewer.store import history

    svc = Services.create()
    t = time.perf_counter()
    seed(svc, n)
    seed_ms = (time.perf_counter() - t) * 1000
    now = datetime(2025, 1, 1, tzinfo=UTC)
    t = time.perf_counter()
    scheduling.sync(svc.store, now=now)
    cold_sync = (time.perf_counter() - t) * 1000
    rows = [("seed through the import path (one transaction)", seed_ms),
            ("schedule sync, cold (every card replayed)", cold_sync)]
    rows.append(("schedule sync, warm (nothing changed)", timed(lambda: scheduling.sync(svc.store, now=now))[0]))
    rows.append(("review report (topics, key points, due, trend)", timed(lambda: reviewing.report(svc, now=now))[0]))
    rows.append(("due questions for a session", timed(lambda: reviewing.due_questions(svc, now=now, limit=10))[0]))
    rows.append(("weakest questions", timed(lambda: reviewing.weakest_questions(svc, limit=10))[0]))
    rows.append(("history page (50 newest)", timed(lambda: history.history(svc.store, limit=50))[0]))
    rows.append(("attempt detail with comparison", timed(lambda: reviewing.attempt_detail(svc, n // 2))[0]))
    out = tmp / "out"
    for fmt in ("json", "csv", "md", "anki"):
        rows.append((f"export {fmt}", timed(lambda f=fmt: exporting.export(svc, f, out / f"x.{f}", now=now),
                                            repeat=1)[0]))
    os.environ["INTERVIEWER_HOME"] = str(tmp / "home2")
    svc2 = Services.create()
    rows.append(("import json into an empty database (validate + restore + sync)",
                 timed(lambda: exporting.import_history(svc2, out / "x.json", now=now), repeat=1)[0]))
    size = (out / "x.json").stat().st_size / 1e6
    svc.close()
    svc2.close()
    return rows, size


def main() -> None:
    results = {n: measure(n) for n in SIZES}
    names = [name for name, _ in results[SIZES[0]][0]]
    head = "| operation | " + " | ".join(f"{n:,} answers (ms)" for n in SIZES) + " |"
    sep = "|---|" + "---:|" * len(SIZES)
    lines = [f"| {name} | " + " | ".join(
        (f"{results[n][0][i][1]:,.1f}" if results[n][0][i][1] < 10 else f"{results[n][0][i][1]:,.0f}") for n in SIZES)
        + " |" for i, name in enumerate(names)]
    sizes = ", ".join(f"{results[n][1]:.1f} MB for {n:,}" for n in SIZES)
    body = ("Answers spread over the 100-question bank, each graded with 5 key points, 5% overridden, 5% ungraded; "
            f"median of 5 runs except the exports and import (1 run). JSON export size: {sizes}. The Markdown "
            "report validates every newest grade with pydantic (~0.1 ms each), which is most of its time.\n\n"
            + "\n".join([head, sep, *lines]))
    print(body)
    write_section("review", "Review: report, schedule, exports at scale", body)


if __name__ == "__main__":
    main()
