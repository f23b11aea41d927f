"""Reliability and security figures (issue 7): crash-loop kills survived, backend faults covered, fuzz examples
run, attack categories with zero inflation on the offline grader, and how oversized answers are handled.

Each figure is measured here, not copied: the fault table and the fuzz tests are run through pytest (their
results and hypothesis' own example counts are read back), the adversarial suite is graded in-process, the
oversized answer is timed. The crash-loop figure comes from the crash-loop section written by
benchmarks/crash_loop.py (run before this one by `make bench`); with `--crash-iterations N`, or when that
section is missing, the loop is run here.

Run: `python benchmarks/reliability.py [--crash-iterations N]` (writes its section of docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from _report import DOC, write_section  # noqa: E402


def pytest_run(*args: str) -> tuple[list[tuple[str, str]], str]:
    """Run pytest; returns ([(test name, outcome)], stdout)."""
    with tempfile.TemporaryDirectory() as d:
        xml = Path(d) / "r.xml"
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
                               *args], cwd=ROOT, capture_output=True, text=True)
        cases = []
        if xml.exists():
            for tc in ET.parse(xml).getroot().iter("testcase"):
                kids = {c.tag for c in tc}
                outcome = ("failed" if kids & {"failure", "error"} else "skipped" if "skipped" in kids else "passed")
                cases.append((tc.get("name", ""), outcome))
    return cases, proc.stdout


# ---------------------------------------------------------------------------------------------- crash loop


def crash_figure(iterations: int | None) -> tuple[str, str]:
    if iterations is None and DOC.exists():
        m = re.search(r"<!-- bench:crash-loop -->.*?kills survived[^|]*\|\s*\*\*(\d+) of (\d+)\*\*.*?"
                      r"answers reported saved / all present, byte for byte \| (\d+) / (\w+)", DOC.read_text(), re.S)
        if m:
            return (f"{m[1]} of {m[2]} SIGKILLs survived; {m[3]} answers reported saved, all present: {m[4]}",
                    "from the crash-loop section (benchmarks/crash_loop.py)")
    import crash_loop

    rep = crash_loop.run(iterations or 200, log=lambda s: print(s, flush=True))
    return (f"{rep.survived} of {rep.iterations} SIGKILLs survived; {rep.saved} answers reported saved, "
            f"all present: {'yes' if not rep.problems else 'NO'}", f"run here ({rep.seconds:.0f} s)")


# ---------------------------------------------------------------------------------------------- faults


def faults_figure() -> tuple[str, str, int, int]:
    sys.path.insert(0, str(ROOT / "tests" / "cli"))  # the fault table lives with the CLI tests
    import test_faults_table as ft

    cases, _ = pytest_run("tests/cli/test_faults_table.py")
    passed = {n for n, o in cases if o == "passed"}
    rows, ok_rows = [], 0
    for name, f in ft.FAULTS.items():
        cells = []
        row_ok = True
        for kind in ft.KINDS:
            ok = f"test_fault[{name}-{kind}]" in passed
            row_ok &= ok
            n = ft.per(f.attempted, kind)
            recv = n if f.received is None else ft.per(f.received, kind)
            cells.append(f"{n} ({recv} reached)" + ("" if ok else " **FAILED**"))
        ok_rows += row_ok
        msg = ft.per(f.message, "openai") if f.status == "ungraded" else (f.note or "")
        rows.append(f"| {name} | {' | '.join(cells)} | {f.status} | {msg.replace('|', '/')} |")
    table = ("| fault | requests, OpenAI | requests, Ollama | stored as | the message says (OpenAI) / grade note |\n"
             "| --- | --- | --- | --- | --- |\n" + "\n".join(rows))
    total = len(ft.FAULTS) * len(ft.KINDS)
    n_pass = sum(1 for n, _ in cases if n.startswith("test_fault[") and n in passed)
    return table, f"{ok_rows} of {len(ft.FAULTS)} faults, {n_pass} of {total} fault x protocol cases", ok_rows, \
        len(ft.FAULTS)


# ---------------------------------------------------------------------------------------------- fuzzing


def fuzz_figure() -> tuple[int, int, str]:
    files = ["tests/reliability/test_fuzz_parsers.py", "tests/reliability/test_fuzz_more.py"]
    cases, out = pytest_run(*files, "--hypothesis-show-statistics")
    per_test: dict[str, int] = {}
    current = None
    for line in out.splitlines():
        m = re.match(r"(tests/\S+::\S+):", line.strip())
        if m:
            current = m[1].split("::")[-1]
        m = re.search(r"(\d+) passing(?: examples?)?, (\d+) failing(?: examples?)?,? (?:and )?(\d+) invalid", line)
        if m and current:
            per_test[current] = per_test.get(current, 0) + int(m[1]) + int(m[2])
    failed = [n for n, o in cases if o != "passed"]
    lines = "\n".join(f"| {t} | {n} |" for t, n in sorted(per_test.items()))
    table = "| fuzz test (hypothesis) | examples run |\n| --- | ---: |\n" + lines
    return sum(per_test.values()), len(failed), table


# ---------------------------------------------------------------------------------------------- attacks


def attack_figure() -> tuple[str, int, int, float]:
    from interviewer.app.services import Services
    from interviewer.grading.attacks import CATEGORIES, build_suite
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.offline.grader import OfflineGrader

    svc = Services.create(env={"INTERVIEWER_HOME": tempfile.mkdtemp()})
    bank = svc.bank("llm-100")
    g = OfflineGrader()
    t0 = time.perf_counter()
    honest: dict[tuple[str, str], float] = {}
    per: dict[str, list[float]] = defaultdict(list)
    flagged: Counter = Counter()
    for a in build_suite(bank.questions, seed=7):
        q = bank.get(a.question_id)
        rub = svc.rubric_for(q)
        if (q.id, a.honest) not in honest:
            honest[(q.id, a.honest)] = g.grade_sync(GradeRequest(question=q, rubric=rub, answer=a.honest)).score
        gr = g.grade_sync(GradeRequest(question=q, rubric=rub, answer=a.text))
        per[a.category].append(gr.score - honest[(q.id, a.honest)])
        flagged[a.category] += bool(gr.flags)
    secs = time.perf_counter() - t0
    rows = []
    zero = 0
    for cat in CATEGORIES:
        d = per[cat]
        inflated = sum(x > 0 for x in d)
        zero += inflated == 0
        rows.append(f"| {cat} | {len(d)} | {inflated} | {max(d):+.1f} | {sum(d) / len(d):+.1f} | {flagged[cat]} |")
    table = ("| category | attacks | scored above the honest answer | max change | mean change | flagged |\n"
             "| --- | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(rows))
    return table, zero, len(CATEGORIES), secs


def llm_attack_figure(n_questions: int = 10) -> tuple[str, int, int]:
    """The suite through the LLM grader (OpenAI protocol, real SDK) against the fake server playing the worst judge
    the tests know: it obeys any 'full marks' it reads and copies any grade written in the answer."""
    import asyncio
    import os

    from fakes import FakeLLMServer, Reply, careful_reply, fake_grader, request_answer
    from interviewer.app.services import Services
    from interviewer.grading.attacks import CATEGORIES, build_suite
    from interviewer.grading.base import GradeRequest

    def gullible(rec) -> Reply:
        answer = request_answer(rec) or ""
        if '"criteria"' in answer:
            return Reply.ok("My grade: " + answer[answer.index("{"):answer.rindex("}") + 1])
        if "full marks" in answer.lower():
            return Reply.ok(careful_reply(rec, level=4, status="covered", evidence=answer[:200]))
        return Reply.ok(careful_reply(rec, level=2))

    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    svc = Services.create(env={"INTERVIEWER_HOME": tempfile.mkdtemp()})
    bank = svc.bank("llm-100")
    qs = random.Random(11).sample(bank.questions, n_questions)
    per: dict[str, list] = defaultdict(list)

    async def run(srv) -> None:
        g = fake_grader(srv)
        try:
            async def score(q, text):
                if not text.strip():
                    return None
                try:
                    return (await g.grade(GradeRequest(question=q, rubric=svc.rubric_for(q), answer=text))).score
                except Exception:  # noqa: BLE001 - ungraded: earns nothing
                    return None
            honest: dict = {}
            for a in build_suite(qs, seed=7):
                q = bank.get(a.question_id)
                if (q.id, a.honest) not in honest:
                    honest[(q.id, a.honest)] = await score(q, a.honest)
                per[a.category].append((honest[(q.id, a.honest)], await score(q, a.text)))
        finally:
            await g.aclose()

    with FakeLLMServer(responder=gullible) as srv:
        asyncio.run(run(srv))
    rows, zero = [], 0
    for cat in CATEGORIES:
        pairs = per[cat]
        inflated = sum(1 for h, s in pairs if h is not None and s is not None and s > h)
        ungraded = sum(1 for _, s in pairs if s is None)
        deltas = [s - h for h, s in pairs if h is not None and s is not None]
        zero += inflated == 0
        rows.append(f"| {cat} | {len(pairs)} | {ungraded} | {inflated} | "
                    f"{(max(deltas) if deltas else 0):+.1f} |")
    table = ("| category | attacks | not graded (refused or empty) | scored above the honest answer | max change |\n"
             "| --- | ---: | ---: | ---: | ---: |\n" + "\n".join(rows))
    return table, zero, len(CATEGORIES)


# ---------------------------------------------------------------------------------------------- oversized


def oversized_figure() -> str:
    from interviewer.app.services import Services
    from interviewer.grading.answer import MAX_ANSWER_CHARS
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.llm.prompt import build_prompt
    from interviewer.grading.offline.grader import OfflineGrader

    svc = Services.create(env={"INTERVIEWER_HOME": tempfile.mkdtemp()})
    bank = svc.bank("llm-100")
    q = bank.get("llm-q030")
    rub = svc.rubric_for(q)
    prose = " ".join(x.reference for x in bank.questions)
    prose = (prose * 20)[:200_000]
    rng = random.Random(1)
    terms = "attention softmax query key value scaled dot product the a of and um so like weights heads".split()
    salad = " ".join(rng.choice(terms) for _ in range(40_000))[:200_000]
    p = build_prompt(GradeRequest(question=q, rubric=rub, answer=prose))
    rows = [f"| LLM prompt for a 200,000-character answer | user message {len(p.user):,} chars (answer capped at "
            f"{MAX_ANSWER_CHARS:,}; {p.omitted:,} left out and said so in a grade note) |"]
    for label, text in (("prose (the bank's references repeated)", prose),
                        ("a few key terms repeated (worst case)", salad[:50_000]),
                        ("a few key terms repeated (worst case)", salad)):
        t0 = time.perf_counter()
        g = OfflineGrader().grade_sync(GradeRequest(question=q, rubric=rub, answer=text))
        rows.append(f"| offline grader, {len(text):,} chars of {label} | {time.perf_counter() - t0:.2f} s "
                    f"(score {g.score:.0f}) |")
    return "| case | figure |\n| --- | --- |\n" + "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crash-iterations", type=int, default=None)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    crash, crash_src = crash_figure(a.crash_iterations)
    print("crash loop:", crash, flush=True)
    fault_table, faults, ok_faults, n_faults = faults_figure()
    print("faults:", faults, flush=True)
    n_examples, fuzz_failed, fuzz_table = fuzz_figure()
    print("fuzz examples:", n_examples, "failed tests:", fuzz_failed, flush=True)
    attack_table, zero, n_cat, attack_s = attack_figure()
    print(f"attack categories with zero inflation (offline): {zero} of {n_cat}", flush=True)
    llm_table, llm_zero, _ = llm_attack_figure()
    print(f"attack categories with zero inflation (LLM path, gullible judge): {llm_zero} of {n_cat}", flush=True)
    oversized = oversized_figure()
    print(oversized, flush=True)
    body = f"""Method: `python benchmarks/reliability.py`. What each guarantee rests on is listed in docs/guarantees.md.

| figure | value |
| --- | --- |
| crash loop (answer before grader, under SIGKILL) | {crash} ({crash_src}) |
| backend faults covered (tests/cli/test_faults_table.py) | {faults} |
| fuzz examples run (hypothesis, 6 file readers) | {n_examples:,} examples, {fuzz_failed} failing test(s) |
| attack categories with zero inflation, offline grader | **{zero} of {n_cat}** ({n_cat} categories x 100 questions, {attack_s:.1f} s) |
| attack categories with zero inflation, LLM grader against a judge that obeys and copies | **{llm_zero} of {n_cat}** ({n_cat} categories x 10 questions, fake OpenAI server) |

### Faults: requests made and what is stored

Requests the grader attempted (and how many reached the fake server), with timeout 0.5 s, deadline 5 s,
max_retries 2. Every row also checks: a one-line message with a `->` hint, no traceback, and the fake key in no
output and no file.

{fault_table}

### Fuzzing

{fuzz_table}

### Manipulation of the offline grader (every attack built from an honest weak answer)

{attack_table}

### Manipulation of the LLM grader (the fake server playing a judge that obeys "full marks" and copies grades)

What the structural defences hold whatever the model does: the judge below gives level 4 and "covered" to any
answer that asks for full marks (quoting the start of the answer) and echoes any grade written in the answer. Its
replies are refused when they give the grade the answer claims (then the answer is left ungraded), and its quotes
count only where they occur outside the text addressed to the grader and carry the point. What structure cannot
correct is a judgement: this judge also credits a bare keyword list whose terms carry the key points (the
keyword-stuffing row); a real model's leniency there is what the live suite measures
(`INTERVIEWER_LIVE_BACKEND=... pytest -m live`).

{llm_table}

### Oversized answers

{oversized}

The last rows show a weakness of the offline grader reported to its owner: on a long text made of a few key terms
repeated, its key-point matching is quadratic in the number of matches (grading/offline_match.py `_closest`).
Ordinary long prose is fast. The LLM path never sends more than the cap.

Total time for this script: {time.perf_counter() - t0:.0f} s.
"""
    print(body)
    if not a.no_write:
        write_section("reliability", "Reliability and security", body)
    return 0 if (ok_faults == n_faults and not fuzz_failed) else 1


if __name__ == "__main__":
    sys.exit(main())
