"""Batch grading: `interviewer eval` throughput against the fake OpenAI-compatible server answering after 200 ms,
at concurrency 1, 8 and 32 (and 64, past the range asked about), to show the speed-up is near-linear up to the
configured `--concurrency`.

Each run is the real CLI in its own process (`interviewer --base-url URL eval FILE --backend openai --concurrency C
--json`) grading labelled answers made from the shipped calibration set (each answer made unique, so nothing can
be served from a cache); the fake server (tests/fakes) runs in this process on 127.0.0.1 and builds a valid grade
for every request. Throughput is the eval report's own (answers / seconds of grading, excluding process start);
"ideal" is C answers per 200 ms, over ceil(N / C) waves. Writes the `batch-eval` section of docs/benchmarks.md.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from _report import write_section  # noqa: E402

from fakes import FakeLLMServer, auto_grade  # noqa: E402
from fakes.llm_server import _Server  # noqa: E402

LATENCY_S = 0.2
RUNS = [(1, 16), (8, 64), (32, 96), (64, 192)]  # (concurrency, answers): whole waves of C
KEY = "sk-test-batch-NOT-A-KEY"


def labelled_file(n: int, path: Path) -> Path:
    src = [json.loads(line) for line in (ROOT / "data" / "calibration" / "llm-100-calibration.jsonl").read_text().splitlines()
           if line.strip()]
    with path.open("w") as f:
        for i in range(n):
            rec = dict(src[i % len(src)])
            rec["answer"] = f"{rec['answer']} (take {i})"
            f.write(json.dumps(rec) + "\n")
    return path


def child_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_eval(url: str, file: Path, concurrency: int, home: Path) -> tuple[dict, float]:
    env = {**os.environ, "INTERVIEWER_HOME": str(home), "OPENAI_API_KEY": KEY}
    cmd = [str(Path(sys.executable).parent / "interviewer"), "--base-url", url, "eval", str(file), "--backend",
           "openai", "--model", "fake-model", "--concurrency", str(concurrency), "--json"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate(timeout=300)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise RuntimeError(f"eval failed ({proc.returncode}): {stderr[-500:]}")
    assert KEY not in stdout and KEY not in stderr
    return json.loads(stdout), wall


def at32_rate(rows: list[dict]) -> float:
    return next(r for r in rows if r["c"] == 32)["rate"]


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    home = tmp / "home"
    rows = []
    # The fake server is a ThreadingHTTPServer whose listen backlog is 5: with more connections opening at once
    # the kernel refuses some and the client retries them. A model server has a deep backlog; so does this one
    # here, so the figures are the app's, not the fake's.
    _Server.request_queue_size = 256
    with FakeLLMServer(responder=lambda rec: dataclasses.replace(auto_grade(rec), delay=LATENCY_S)) as srv:
        for c, n in RUNS:
            before, cpu0, srv0 = len(srv.chat_requests), child_cpu(), time.process_time()
            rep, wall = run_eval(srv.openai_url, labelled_file(n, tmp / f"labels-{n}.jsonl"), c, home)
            cpu = child_cpu() - cpu0  # the eval process, start to exit
            srv_cpu = time.process_time() - srv0  # this process: the fake server's threads
            assert rep["graded"] == n and rep["failed"] == 0, rep.get("errors")
            reqs = srv.chat_requests[before:]
            assert len(reqs) == n  # one request per answer: no retries, no re-asks
            # From the first request's arrival to the last reply: the app's pace once its client is loaded (the
            # eval's own clock also counts importing the OpenAI SDK on the first request, ~1 s).
            span = max(r.at for r in reqs) + LATENCY_S - min(r.at for r in reqs)
            ideal = n / (math.ceil(n / c) * LATENCY_S)
            rows.append({"c": c, "n": n, "seconds": span, "rate": n / span, "eval_rate": rep["answers_per_s"],
                         "ideal": ideal, "wall": wall, "cpu": cpu, "srv_cpu": srv_cpu})
            print(rows[-1], flush=True)
    base = rows[0]["rate"]
    lines = ["| concurrency | answers | first request to last reply (s) | answers/s | speed-up vs 1 | ideal answers/s "
             "| of ideal | answers/s by the eval's clock | whole command (s) | eval CPU (s) | fake server CPU (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['c']} | {r['n']} | {r['seconds']:.2f} | {r['rate']:.1f} | {r['rate'] / base:.1f}x | "
                     f"{r['ideal']:.0f} | {r['rate'] / r['ideal']:.0%} | {r['eval_rate']:.1f} | {r['wall']:.2f} | "
                     f"{r['cpu']:.2f} | {r['srv_cpu']:.2f} |")
    per_answer = (rows[-1]["cpu"] - rows[0]["cpu"]) / (rows[-1]["n"] - rows[0]["n"])  # marginal CPU per answer
    start_cpu = rows[0]["cpu"] - rows[0]["n"] * per_answer
    busy32 = per_answer * at32_rate(rows)
    r32 = next(r for r in rows if r["c"] == 32)
    at32 = next(r for r in rows if r["c"] == 32)
    scaled = {r["c"]: r["rate"] / base / r["c"] for r in rows}  # speed-up per unit of concurrency
    linear = all(scaled[c] >= 0.75 for c in (8, 32))
    body = f"""Method: `benchmarks/batch_eval.py`. The real `interviewer eval` command (openai backend, the OpenAI SDK)
against the fake OpenAI-compatible server (tests/fakes) on 127.0.0.1, which answers every request with a valid
grade after {LATENCY_S * 1000:.0f} ms. Answers from the shipped calibration set, each made unique; one request
per answer in every run (no retries). Throughput is answers over the time from the first request's arrival to
the last reply, i.e. once the client is loaded (the eval's own clock, also shown, includes importing the OpenAI
SDK on the first request); ideal is concurrency answers per {LATENCY_S * 1000:.0f} ms over whole waves. The fake
server's listen backlog is raised from 5 to 256 for this run, as a real model server's would be. One run each.

**Speed-up {'near-linear' if linear else 'NOT near-linear'} up to concurrency 32**: {rows[1]['rate'] / base:.1f}x at 8
({scaled[8]:.0%} of linear), {at32['rate'] / base:.1f}x at 32 ({scaled[32]:.0%} of linear); at 64 it flattens
({scaled[64]:.0%} of linear).

{chr(10).join(lines)}

What bends the curve is the app's CPU per answer, not waiting: each answer costs the eval process about
{per_answer * 1000:.1f} ms of CPU (the OpenAI SDK's request and response handling most of it, then the prompt,
the reply's schema validation and the evidence check; see the grading-overhead section) on its one event loop,
on top of ~{start_cpu:.1f} s to start and import the SDK. Here every wave's replies arrive together after 200 ms,
so the loop handles them one after another: at 32 in flight that is 32 x {per_answer * 1000:.1f} ms =
{32 * per_answer * 1000:.0f} ms added to each 200 ms wave ({busy32:.0%} of a core on average, in bursts). The fake
server is not the limit ({r32['srv_cpu']:.2f} s of CPU in {r32['seconds']:.2f} s at 32). A real model's replies
arrive spread out, which hides most of it. `--concurrency` accepts up to 256; the default is 4.
"""
    write_section("batch-eval", "Batch grading: `interviewer eval` at concurrency 1, 8, 32", body)
    print(body)


if __name__ == "__main__":
    main()
