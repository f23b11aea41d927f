"""Offline grader: speed on one core and agreement with human graders.

Speed: every answer of the Mohler dev file graded with `OfflineGrader.grade_sync`, the process pinned to one
core; answers/s over warm passes (compiled questions cached, as in the app) plus the cold first pass, and
p50/p99 latency per answer. Target: under 5 ms an answer (>= 1,000 answers/s would be better still).

Agreement: on `../shared/asag/mohler-dev.jsonl` (Mohler, Bunescu and Mihalcea 2011, read from there, never
copied) against the two human graders' average, next to TF-IDF cosine to the reference and the two humans'
agreement with each other, all computed in this run; and on the shipped calibration set.

Correctness: the kinds of answer (strong, partial, weak, mixed, wrong, offtopic) of the frozen held-out set, the
development set and the calibration set, graded by this code and by the code before the offline grader judged
correctness (BEFORE_COMMIT, from `git archive`, with its own bank), side by side in one run; Mohler r for both.
Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import collections
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from _report import write_section  # noqa: E402

from interviewer.core.metrics import mae, pearson, quadratic_weighted_kappa, spearman, to_scale  # noqa: E402
from interviewer.core.rubric import load_rubric  # noqa: E402
from interviewer.grading.base import GradeRequest  # noqa: E402
from interviewer.grading.evaluate import load_records, run_eval  # noqa: E402
from interviewer.grading.offline.grader import OfflineGrader  # noqa: E402

MOHLER = ROOT.parent / "shared" / "asag" / "mohler-dev.jsonl"
WARM_PASSES = 3
BEFORE_COMMIT = "5a64e7d"
"""The code before issue 12 (coverage only: no misconceptions, no correctness), for the before/after figures."""
SETS = {
    "eightieth held-out": ROOT / "data" / "calibration" / "llm-100-heldout80.jsonl",
    "seventy-ninth held-out": ROOT / "data" / "calibration" / "llm-100-heldout79.jsonl",
    "seventy-eighth held-out": ROOT / "data" / "calibration" / "llm-100-heldout78.jsonl",
    "seventy-seventh held-out": ROOT / "data" / "calibration" / "llm-100-heldout77.jsonl",
    "seventy-sixth held-out": ROOT / "data" / "calibration" / "llm-100-heldout76.jsonl",
    "seventy-fifth held-out": ROOT / "data" / "calibration" / "llm-100-heldout75.jsonl",
    "seventy-fourth held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout74.jsonl",
    "seventy-third held-out": ROOT / "data" / "calibration" / "llm-100-heldout73.jsonl",
    "seventy-second held-out": ROOT / "data" / "calibration" / "llm-100-heldout72.jsonl",
    "seventy-first held-out": ROOT / "data" / "calibration" / "llm-100-heldout71.jsonl",
    "seventieth held-out": ROOT / "data" / "calibration" / "llm-100-heldout70.jsonl",
    "sixty-ninth held-out": ROOT / "data" / "calibration" / "llm-100-heldout69.jsonl",
    "sixty-eighth held-out (its two off-topic pairs retired)": ROOT / "data" / "calibration" / "llm-100-heldout68.jsonl",
    "sixty-seventh held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout67.jsonl",
    "sixty-sixth held-out": ROOT / "data" / "calibration" / "llm-100-heldout66.jsonl",
    "sixty-fifth held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout65.jsonl",
    "sixty-fourth held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout64.jsonl",
    "sixty-third held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout63.jsonl",
    "sixty-second held-out": ROOT / "data" / "calibration" / "llm-100-heldout62.jsonl",
    "sixty-first held-out": ROOT / "data" / "calibration" / "llm-100-heldout61.jsonl",
    "sixtieth held-out": ROOT / "data" / "calibration" / "llm-100-heldout60.jsonl",
    "fifty-ninth held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout59.jsonl",
    "fifty-eighth held-out (its two off-topic pairs retired)": ROOT / "data" / "calibration" / "llm-100-heldout58.jsonl",
    "fifty-seventh held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout57.jsonl",
    "fifty-sixth held-out (its two off-topic pairs retired)": ROOT / "data" / "calibration" / "llm-100-heldout56.jsonl",
    "fifty-fifth held-out": ROOT / "data" / "calibration" / "llm-100-heldout55.jsonl",
    "fifty-fourth held-out": ROOT / "data" / "calibration" / "llm-100-heldout54.jsonl",
    "fifty-third held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout53.jsonl",
    "fifty-second held-out": ROOT / "data" / "calibration" / "llm-100-heldout52.jsonl",
    "fifty-first held-out": ROOT / "data" / "calibration" / "llm-100-heldout51.jsonl",
    "fiftieth held-out": ROOT / "data" / "calibration" / "llm-100-heldout50.jsonl",
    "forty-ninth held-out": ROOT / "data" / "calibration" / "llm-100-heldout49.jsonl",
    "forty-eighth held-out": ROOT / "data" / "calibration" / "llm-100-heldout48.jsonl",
    "forty-seventh held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout47.jsonl",
    "forty-sixth held-out (its one off-topic pair retired)": ROOT / "data" / "calibration" / "llm-100-heldout46.jsonl",
    "forty-fifth held-out (its one off-topic pair, six right answers told wrong and its missed mixed claims retired)":
        ROOT / "data" / "calibration" / "llm-100-heldout45.jsonl",
    "forty-fourth held-out": ROOT / "data" / "calibration" / "llm-100-heldout44.jsonl",
    "forty-third held-out (off-topic and weak answers retired)": ROOT / "data" / "calibration" / "llm-100-heldout43.jsonl",
    "forty-second held-out": ROOT / "data" / "calibration" / "llm-100-heldout42.jsonl",
    "forty-first held-out (mixed and off-topic answers frozen)": ROOT / "data" / "calibration" / "llm-100-heldout41.jsonl",
    "fortieth held-out (mixed and wrong answers frozen)": ROOT / "data" / "calibration" / "llm-100-heldout40.jsonl",
    "thirty-ninth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout39.jsonl",
    "thirty-eighth held-out": ROOT / "data" / "calibration" / "llm-100-heldout38.jsonl",
    "thirty-seventh held-out": ROOT / "data" / "calibration" / "llm-100-heldout37.jsonl",
    "thirty-sixth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout36.jsonl",
    "thirty-fifth held-out": ROOT / "data" / "calibration" / "llm-100-heldout35.jsonl",
    "thirty-fourth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout34.jsonl",
    "thirty-third held-out": ROOT / "data" / "calibration" / "llm-100-heldout33.jsonl",
    "thirty-second held-out": ROOT / "data" / "calibration" / "llm-100-heldout32.jsonl",
    "thirty-first held-out": ROOT / "data" / "calibration" / "llm-100-heldout31.jsonl",
    "thirtieth held-out": ROOT / "data" / "calibration" / "llm-100-heldout30.jsonl",
    "twenty-ninth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout29.jsonl",
    "twenty-eighth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout28.jsonl",
    "twenty-seventh held-out": ROOT / "data" / "calibration" / "llm-100-heldout27.jsonl",
    "twenty-sixth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout26.jsonl",
    "twenty-fifth held-out": ROOT / "data" / "calibration" / "llm-100-heldout25.jsonl",
    "twenty-fourth held-out": ROOT / "data" / "calibration" / "llm-100-heldout24.jsonl",
    "twenty-third held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout23.jsonl",
    "twenty-second held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout22.jsonl",
    "twenty-first held-out": ROOT / "data" / "calibration" / "llm-100-heldout21.jsonl",
    "twentieth held-out": ROOT / "data" / "calibration" / "llm-100-heldout20.jsonl",
    "nineteenth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout19.jsonl",
    "eighteenth held-out": ROOT / "data" / "calibration" / "llm-100-heldout18.jsonl",
    "seventeenth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout17.jsonl",
    "sixteenth held-out": ROOT / "data" / "calibration" / "llm-100-heldout16.jsonl",
    "fifteenth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout15.jsonl",
    "fourteenth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout14.jsonl",
    "thirteenth held-out": ROOT / "data" / "calibration" / "llm-100-heldout13.jsonl",
    "twelfth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout12.jsonl",
    "eleventh held-out": ROOT / "data" / "calibration" / "llm-100-heldout11.jsonl",
    "tenth held-out": ROOT / "data" / "calibration" / "llm-100-heldout10.jsonl",
    "ninth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout9.jsonl",
    "eighth held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout8.jsonl",
    "seventh held-out": ROOT / "data" / "calibration" / "llm-100-heldout7.jsonl",
    "sixth held-out": ROOT / "data" / "calibration" / "llm-100-heldout6.jsonl",
    "fifth held-out": ROOT / "data" / "calibration" / "llm-100-heldout5.jsonl",
    "fourth held-out": ROOT / "data" / "calibration" / "llm-100-heldout4.jsonl",
    "third held-out": ROOT / "data" / "calibration" / "llm-100-heldout3.jsonl",
    "second held-out": ROOT / "data" / "calibration" / "llm-100-heldout2.jsonl",
    "first held-out (retired)": ROOT / "data" / "calibration" / "llm-100-heldout.jsonl",
    "tenth keyword-list": ROOT / "data" / "calibration" / "llm-100-lists10.jsonl",
    "ninth keyword-list": ROOT / "data" / "calibration" / "llm-100-lists9.jsonl",
    "eighth keyword-list (retired)": ROOT / "data" / "calibration" / "llm-100-lists8.jsonl",
    "seventh keyword-list": ROOT / "data" / "calibration" / "llm-100-lists7.jsonl",
    "sixth keyword-list": ROOT / "data" / "calibration" / "llm-100-lists6.jsonl",
    "fifth keyword-list (retired)": ROOT / "data" / "calibration" / "llm-100-lists5.jsonl",
    "fourth keyword-list (retired)": ROOT / "data" / "calibration" / "llm-100-lists4.jsonl",
    "third keyword-list (retired)": ROOT / "data" / "calibration" / "llm-100-lists3.jsonl",
    "second keyword-list (retired)": ROOT / "data" / "calibration" / "llm-100-lists2.jsonl",
    "first keyword-list (tuning)": ROOT / "data" / "calibration" / "llm-100-lists1.jsonl",
    "development": ROOT / "data" / "calibration" / "llm-100-dev.jsonl",
    "calibration": ROOT / "data" / "calibration" / "llm-100-calibration.jsonl",
}
KINDS = ("strong", "partial", "terse", "weak", "mixed", "wrong", "offtopic", "keywords")
SIX_KINDS = ("strong", "partial", "weak", "mixed", "wrong", "offtopic")


def tfidf_cosine(rows: list[dict]) -> list[float]:
    """The usual baseline: TF-IDF vectors (smoothed idf over the answers and references, no stemming, no
    stop list, tokens of 2+ word characters), cosine between answer and reference."""
    tok = re.compile(r"(?u)\b\w\w+\b")
    refs = {r["qid"]: r["reference"] for r in rows}
    docs = [tok.findall(r["answer"].lower()) for r in rows] + [tok.findall(t.lower()) for t in refs.values()]
    df = collections.Counter(w for d in docs for w in set(d))
    n = len(docs)
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}

    def vec(text: str) -> dict[str, float]:
        c = collections.Counter(tok.findall(text.lower()))
        v = {w: k * idf.get(w, 1.0) for w, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}

    out = []
    for r in rows:
        a, b = vec(r["answer"]), vec(r["reference"])
        out.append(sum(x * b.get(w, 0.0) for w, x in a.items()))
    return out


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            return "pinned to one core"
        except OSError:
            pass
    return "not pinned (no sched_setaffinity)"


def speed(records) -> dict:
    grader = OfflineGrader()
    reqs = [GradeRequest(r.question, r.rubric, r.answer, bank=r.bank) for r in records]
    t0 = time.perf_counter()
    for rq in reqs:
        grader.grade_sync(rq)
    cold = time.perf_counter() - t0
    lat: list[float] = []
    cpu: list[float] = []
    t0 = time.perf_counter()
    for _ in range(WARM_PASSES):
        for rq in reqs:
            s, c = time.perf_counter(), time.thread_time()
            grader.grade_sync(rq)
            cpu.append(time.thread_time() - c)
            lat.append(time.perf_counter() - s)
    warm = time.perf_counter() - t0
    lat.sort()
    cpu.sort()

    def pct(xs: list[float], p: float) -> float:
        return 1000 * xs[min(len(xs) - 1, int(len(xs) * p))]

    return {
        "n": len(reqs), "cold_s": cold, "cold_rate": len(reqs) / cold, "warm_rate": len(lat) / warm,
        "p50_ms": pct(lat, 0.5), "p99_ms": pct(lat, 0.99), "max_ms": lat[-1] * 1000,
        "cpu_p50_ms": pct(cpu, 0.5), "cpu_p99_ms": pct(cpu, 0.99), "cpu_mean_ms": 1000 * sum(cpu) / len(cpu),
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
    }


def bank_speed(records) -> dict:
    """What telling an answer to another question of the bank costs: the bank's profiles built on its first
    answer (cold, stems not yet cached), then each answer graded with and without its bank, alternately, warm."""
    import subprocess

    cold = ("import time, sys\n"
            "from interviewer.app.services import Services\n"
            "from interviewer.grading.offline.neighbours import NeighbourIndex\n"
            "qs = Services.create().bank().questions\n"
            "t = time.perf_counter(); NeighbourIndex(qs); print(time.perf_counter() - t)")
    builds = [float(subprocess.run([sys.executable, "-c", cold], capture_output=True, text=True, check=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout) for _ in range(5)]
    build = statistics.median(builds)  # each in a fresh process: stems not cached, as on an app's first answer
    grader = OfflineGrader()
    with_bank, without = [], []
    for _ in range(WARM_PASSES + 1):
        for r in records:
            for reqs, out in ((GradeRequest(r.question, r.rubric, r.answer, bank=r.bank), with_bank),
                              (GradeRequest(r.question, r.rubric, r.answer), without)):
                s = time.perf_counter()
                grader.grade_sync(reqs)
                out.append(time.perf_counter() - s)
    n = len(records)
    with_bank, without = with_bank[n:], without[n:]  # the first pass builds and caches: not timed
    m_with, m_without = statistics.median(with_bank) * 1000, statistics.median(without) * 1000
    return {"build_s": build, "n": n, "with_ms": m_with, "without_ms": m_without, "ratio": m_with / m_without,
            "bank": len(records[0].bank)}


def agreement(pred5: list[float], labels: list[float]) -> dict:
    return {
        "r": pearson(pred5, labels), "rho": spearman(pred5, labels),
        "qwk": quadratic_weighted_kappa([to_scale(p, 5) for p in pred5], [to_scale(v, 5) for v in labels], 0, 5),
        "mae": mae(pred5, labels),
    }


def graded_by(src: Path, paths: list[Path]) -> dict[str, list]:
    """Scores from the OfflineGrader of the tree at `src` (a child process, so two versions never mix)."""
    import subprocess

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(src), "INTERVIEWER_HOME": home}
        out = subprocess.run([sys.executable, str(HERE / "_grade_sets.py"), *map(str, paths)], env=env,
                             capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def before_tree() -> Path | None:
    import subprocess

    tmp = Path(tempfile.mkdtemp())
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_COMMIT, "src", "data", "rubrics"],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    return tmp / "src"


def kind_table(rows: list, rows_before: list | None) -> str:
    by: dict[str, list[float]] = collections.defaultdict(list)
    before: dict[str, list[float]] = collections.defaultdict(list)
    found: dict[str, int] = collections.Counter()
    for _g, level, _label, score, *wrong in rows:
        by[level].append(score)
        found[level] += 1 if wrong and wrong[0] else 0
    for _g, level, _label, score, *_ in rows_before or []:
        before[level].append(score)
    lines = ["| kind | n | mean, before | mean, now | reads as solid+ (60+), before | now | top band (80+), now "
             "| a wrong claim found, now |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for k in KINDS:
        v, b = by.get(k), before.get(k)
        if not v:
            continue
        solid = sum(1 for x in v if x >= 60)
        bsolid = sum(1 for x in b if x >= 60) if b else None
        tail = f"{sum(1 for x in v if x >= 80)} | {found[k]} ({found[k] / len(v):.0%}) |"
        lines.append(f"| {k} | {len(v)} | {statistics.mean(b):.1f} | **{statistics.mean(v):.1f}** | "
                     f"{bsolid} ({bsolid / len(b):.0%}) | **{solid} ({solid / len(v):.0%})** | {tail}" if b else
                     f"| {k} | {len(v)} | | **{statistics.mean(v):.1f}** | | **{solid} ({solid / len(v):.0%})** | "
                     f"{tail}")
    return "\n".join(lines)


def order_line(rows: list) -> str:
    per_q: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for g, level, _label, score, *_ in rows:
        per_q[g][level] = score
    parts = []
    for a, b in (("strong", "partial"), ("partial", "weak"), ("weak", "wrong"), ("weak", "offtopic"), ("weak", "keywords"),
                 ("terse", "keywords")):
        both = [d for d in per_q.values() if a in d and b in d]
        if both:
            parts.append(f"{b} above {a} in {sum(1 for d in both if d[b] > d[a])} of {len(both)}")
    return "; ".join(parts)


def offtopic_figures(rows: list) -> dict[str, float]:
    """Off-topic answers of one set: mean, how many reach 60, how many have a wrong claim found, and on how many
    questions the off-topic answer outscores the weak one (quoted in the prose below)."""
    off = [r for r in rows if r[1] == "offtopic"]
    per_q: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for g, level, _label, score, *_ in rows:
        per_q[g][level] = score
    return {"mean": statistics.mean(r[3] for r in off), "at60": sum(1 for r in off if r[3] >= 60),
            "caught": sum(1 for r in off if len(r) > 4 and r[4]),
            "above": sum(1 for d in per_q.values() if "offtopic" in d and "weak" in d and d["offtopic"] > d["weak"])}


def kind_figures(rows: list) -> dict[str, float]:
    """A six-kind set's figures for the prose: each kind's mean, wrong answers at 60+ and caught, right answers told
    they said something wrong, mixed answers' claims found, and wrong and off-topic answers above the weak one per
    question."""
    by: dict[str, list] = collections.defaultdict(list)
    per_q: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for r in rows:
        by[r[1]].append(r)
        per_q[r[0]][r[1]] = r[3]
    out = {f"{k}_mean": statistics.mean(x[3] for x in v) for k, v in by.items()}
    out |= {"wrong_at60": sum(1 for x in by["wrong"] if x[3] >= 60),
            "wrong_caught": sum(1 for x in by["wrong"] if len(x) > 4 and x[4]),
            "mixed_caught": sum(1 for x in by["mixed"] if len(x) > 4 and x[4]),
            "mixed_at80": sum(1 for x in by["mixed"] if x[3] >= 80),
            "right_told": sum(1 for k in ("strong", "partial", "weak") for x in by[k] if len(x) > 4 and x[4]),
            "strong_told": sum(1 for x in by["strong"] if len(x) > 4 and x[4]),
            "wrong_above": sum(1 for d in per_q.values() if d.get("wrong", -1) > d.get("weak", 101)),
            "offtopic_above": sum(1 for d in per_q.values() if d.get("offtopic", -1) > d.get("weak", 101))}
    return out


def list_figures(rows: list) -> dict[str, float]:
    """A keyword-list set's figures for the prose: the lists' mean and how many were flagged, how many scored above the
    weak answer to their question, and the terse answers' mean and how many were flagged as lists."""
    by: dict[str, list] = collections.defaultdict(list)
    per_q: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for r in rows:
        by[r[1]].append(r)
        per_q[r[0]][r[1]] = r[3]
    flagged = {k: sum(1 for x in v if len(x) > 5 and x[5]) for k, v in by.items()}
    return {"keywords_mean": statistics.mean(x[3] for x in by["keywords"]), "flagged": flagged["keywords"],
            "above_weak": sum(1 for d in per_q.values() if d.get("keywords", -1) > d.get("weak", 101)),
            "terse_mean": statistics.mean(x[3] for x in by["terse"]), "terse_flagged": flagged["terse"]}


LIST_FIGURES: dict[str, dict[str, float]] = {}
"""The keyword-list sets' figures (`list_figures`), by ordinal, filled by `correctness`."""

NEVER_READ = ("eightieth", "seventy-ninth", "seventy-fifth", "seventy-eighth", "seventy-seventh", "seventy-sixth", "seventy-third", "seventy-second", "sixty-ninth", "seventy-first", "seventieth", "sixty-sixth", "sixty-second", "sixty-first", "sixtieth", "fifty-fifth", "fifty-fourth", "fifty-second", "fifty-first", "fiftieth", "forty-ninth",
              "forty-eighth")
"""The six-kind sets of the nineteenth to thirtieth sessions whose answers were never read, by ordinal."""
FROZEN_LISTS = ("sixth", "seventh", "ninth", "tenth")
"""The keyword-list sets never tuned on, by ordinal."""
TUNED_LISTS = ("first", "second", "third", "fourth", "fifth", "eighth")
"""The keyword-list sets the list rules were chosen on, by ordinal."""

RIGHT_ANSWERS_READ_27 = {f"llm-100-heldout{n}": (
    "; in the twenty-seventh session its strong and partial answers told they said something wrong were read (by a "
    "script meant for tuning sets) and the false-alarm fixes of offline-9 chosen on them, so its count of right "
    "answers told wrong is optimistic since") for n in (2, 3, 4, 5, 6, 7, 42, 43, 44, 46, 47, 53, 56, 57, 58, 59, 64,
                                                          65, 67, 68)}
"""Sets whose right answers told wrong were read in the twenty-seventh session (data/calibration/README.md)."""
RIGHT_ANSWERS_READ_30 = {"llm-100-heldout63": ("; in the thirtieth session its one partial answer told it said "
                                               "something wrong (q080) was read, not tuned on")}
"""A set outside RIGHT_ANSWERS_READ_27 whose right answer told wrong was read in the thirtieth session (that session
read such answers of eleven sets, the others already in RIGHT_ANSWERS_READ_27; data/calibration/README.md)."""
RIGHT_ANSWERS_READ_27 |= {f"llm-100-lists{n}": ("; in the twenty-seventh session its one weak answer told it said "
                                                 "something wrong (q026) was read, not tuned on") for n in (7, 10)}

SIX_FIGURES: dict[str, dict[str, float]] = {}
"""The six-kind sets written from the thirty-ninth on (`kind_figures`), by ordinal, filled by `correctness`."""

OFFTOPIC_FIGURES: dict[str, dict[str, float]] = {
    name.split()[0]: {} for name, path in SETS.items()
    if (n := re.search(r"heldout(\d+)", path.name)) and int(n.group(1)) >= 8}
"""Each off-topic set's figures of this run (`offtopic_figures` and its number of questions), by the set's ordinal
("eighth", from the eighth held-out set on: weak and off-topic answers to every question), filled by `correctness`
for the prose."""


def correctness() -> tuple[str, float | None]:
    """The kinds-of-answer tables, before and after; returns (markdown, Mohler r before)."""
    paths = list(SETS.values()) + [MOHLER]
    now = graded_by(ROOT / "src", paths)
    old_src = before_tree()
    before = graded_by(old_src, paths) if old_src is not None else None
    r_before = None
    if before is not None:
        b = before[str(MOHLER)]
        r_before = pearson([x[3] / 20 for x in b], [x[2] for x in b])
    parts = []
    for name, path in SETS.items():
        rows = now[str(path)]
        if name.split()[0] in OFFTOPIC_FIGURES and "heldout" in path.name:  # "tenth keyword-list" is no off-topic set
            OFFTOPIC_FIGURES[name.split()[0]].update(offtopic_figures(rows), questions=len({r[0] for r in rows}))
        if {r[1] for r in rows} >= set(SIX_KINDS) and (n := re.search(r"heldout(\d+)", path.name)) and int(n.group(1)) >= 39:
            SIX_FIGURES[name.split()[0]] = kind_figures(rows)
        if "lists" in path.name:
            LIST_FIGURES[name.split()[0]] = list_figures(rows)
        fresh16 = ("written from the seed alone on 2026-12-05 (the sixteenth session, after its first grading "
                   "changes, none chosen on it) with the brief {b} (as OFFTOPIC14) by six writers who saw no bank, "
                   "code or other answers and reported nothing of them; committed whole before it was graded, read "
                   "once by per-kind figures with the code of its moment and the session-start code before this run; "
                   "its answers never read: **the honest figures for off-topic and weak answers**")
        retired16 = ("written the same way in the sixteenth session (brief {b}); read once by per-kind figures with "
                     "the code of its moment ({first}); then {what} were read and fixes chosen on them: a tuning set "
                     "since, optimistic")
        fresh19 = ("written from the seed alone on 2026-12-06 (the nineteenth session, {when}) with the brief {b} (as "
                   "HELDOUT39: all six kinds for every question) by eight writers who saw no bank, code or other "
                   "answers and reported nothing of them; committed whole before it was graded, read once by per-kind "
                   "figures ({first}) before this run; its answers never read: **honest for every kind**")
        lists19 = ("written from the seed alone on 2026-12-06 (the nineteenth session) with the brief {b}: per question "
                   "a bare keyword list in the writer's own terms and punctuation, a terse note-form answer whose "
                   "statements relate their terms, and an honest weak answer, by four writers who saw no bank, code or "
                   "other answers; committed before it was graded; {use}")
        fresh20 = ("written from the seed alone on 2026-12-06 (the twentieth session, {when}) with the brief {b} (as "
                   "HELDOUT39: all six kinds for every question) by eight writers who saw no bank, code or other "
                   "answers and reported nothing of them; committed whole before it was graded, {first}; its answers "
                   "never read: **honest for every kind**")
        fresh21 = fresh20.replace("twentieth session", "twenty-first session")
        fresh22 = fresh20.replace("twentieth session", "twenty-second session")
        fresh23 = fresh20.replace("twentieth session", "twenty-third session")
        fresh24 = fresh20.replace("twentieth session", "twenty-fourth session")
        fresh25 = fresh20.replace("twentieth session", "twenty-fifth session")
        fresh29 = fresh20.replace("on 2026-12-06 (the twentieth session", "on 2026-12-07 (the twenty-ninth session")
        fresh30 = fresh20.replace("on 2026-12-06 (the twentieth session", "on 2026-12-07 (the thirtieth session")
        # a set whose off-topic pairs were read and tuned on after its first reading: its other kinds stay honest
        pairs_read = ("its answers never read: **honest for every kind**",
                      "its other answers never read: honest for strong, partial, mixed and wrong")
        part20, part21, part22, part23, part24 = (f.replace(*pairs_read)
                                                  for f in (fresh20, fresh21, fresh22, fresh23, fresh24))
        lists20 = ("written from the seed alone on 2026-12-06 (the twentieth session, {when}) with the brief {b} (as "
                   "KWLIST1) by four writers who saw no bank, code or other answers; committed before it was graded; "
                   "{use}")
        note = {"eightieth held-out": fresh30.format(
                    when="at its start, before any change (c645591, offline-11)", b="HELDOUT80",
                    first="read first by per-kind figures with 317be82, the thirtieth session's code (off-topic above the weak answer in "
                          "0 of 100), then by the benchmark"),
                "seventy-ninth held-out": fresh29.format(
                    when="after its grading changes, offline-11", b="HELDOUT79",
                    first="read first by per-kind figures with 9f03f4f, the twenty-ninth session's code (off-topic above the weak answer in "
                          "0 of 100), then by the benchmark"),
                "seventy-eighth held-out": fresh25.format(
                    when="after its first measurements, which changed no grade", b="HELDOUT78",
                    first="read first by per-kind figures with 9e8e388, the twenty-fifth session's code (off-topic above the weak answer in "
                          "0 of 100), then by the benchmark"),
                "seventy-seventh held-out": fresh25.format(
                    when="at its start", b="HELDOUT77",
                    first="read first by per-kind figures with 9e8e388, the twenty-fifth session's code (off-topic above the weak answer in "
                          "0 of 100), then by the benchmark"),
                "seventy-sixth held-out": fresh24.format(
                    when="after its last grading change", b="HELDOUT76",
                    first="read first by per-kind figures with 7dae750, grade for grade the twenty-fifth session's code (off-topic above the "
                          "weak answer in 0 of 100), then by the benchmark a session later"),
                "seventy-fifth held-out": fresh24.format(
                    when="while its grading changes were measured", b="HELDOUT75",
                    first="read first by per-kind figures with 7b3fd49, grade for grade the twenty-fifth session's code (off-topic above the weak answer in "
                          "0 of 100), then by the benchmark: **the headline**"),
                "seventy-fourth held-out (its one off-topic pair retired)": part24.format(
                    when="at its start, with the code of 2b7ea02", b="HELDOUT74",
                    first="read first by per-kind figures with 2b7ea02 (off-topic above the weak answer in 1 of 100: a "
                          "context window told as the vocabulary size, in words q027 m7 lacked, beside an honest weak "
                          "answer told it claimed a vocabulary of every word); that pair was then read and tuned on "
                          "(a q027 m7 signal; a claim hung on a denied word by a preposition is not made), so its "
                          "off-topic and weak figures are optimistic since"),
                "seventy-third held-out": fresh24.format(
                    when="at its start, with the code of 2b7ea02", b="HELDOUT73",
                    first="read first by per-kind figures with 2b7ea02 (off-topic above the weak answer in 0 of 100), "
                          "then by the benchmark; in the twenty-sixth session its q010 weak answer was read (one answer)").replace("its answers never read", "its other answers never read"),
                "seventy-second held-out": fresh24.format(
                    when="at its start, with the code of 2b7ea02", b="HELDOUT72",
                    first="read first by per-kind figures with 2b7ea02 (off-topic above the weak answer in 0 of 100), "
                          "then by the benchmark; in the twenty-sixth session its q010 weak answer was read (one answer)").replace("its answers never read", "its other answers never read"),
                "seventy-first held-out": fresh23.format(
                    when="after its last grading change 4f995fb and a first benchmark run", b="HELDOUT71",
                    first="read first by per-kind figures with 4f995fb (off-topic above the weak answer in "
                          "0 of 100), then by the benchmark; in the twenty-sixth session its q010 weak answer was read (one answer: the one told it said the feed-forward comes first, which led to the \"X after Y\" fix, so its weak figure is optimistic by that answer)").replace("its answers never read", "its other answers never read"),
                "seventieth held-out": fresh23.format(
                    when="after its last grading change 4f995fb", b="HELDOUT70",
                    first="first read by the benchmark with 4f995fb, and again by a second run; in the twenty-sixth session its q010 weak answer was read (one answer)").replace("its answers never read", "its other answers never read"),
                "sixty-ninth held-out": fresh23.format(
                    when="after its last grading change 4f995fb", b="HELDOUT69",
                    first="read first by per-kind figures with 4f995fb (off-topic above the weak answer in "
                          "0 of 100), then by two benchmark runs: **the headline**"),
                "sixty-eighth held-out (its two off-topic pairs retired)": part23.format(
                    when="after its grading change 9febd18", b="HELDOUT68",
                    first="read first by per-kind figures with 9febd18 (off-topic above the weak answer in 2 of 100); "
                          "those pairs were then read and tuned on (0ef3f93: a number said with no unit counts what "
                          "the point counts; 4f995fb: q043 m2 in other words), so its off-topic and weak figures are "
                          "optimistic since"),
                "sixty-seventh held-out (its one off-topic pair retired)": part23.format(
                    when="after its grading change 5ee8ed0", b="HELDOUT67",
                    first="read first by per-kind figures with 5ee8ed0 (off-topic above the weak answer in 1 of 100); "
                          "that pair was then read and tuned on (a q043 m2 signal: top-k's fixed number of the most "
                          "likely tokens told for top-p), so its off-topic and weak figures are optimistic since"),
                "sixty-sixth held-out": fresh23.format(
                    when="after its atlas change 8377126, while q019 m11 was measured", b="HELDOUT66",
                    first="read first by per-kind figures with 5ee8ed0 (off-topic above the weak answer in 0 of 100), "
                          "again with the final code 4f995fb (the same figures) and by the benchmark"),
                "sixty-fifth held-out (its one off-topic pair retired)": part23.format(
                    when="at its start, at de558d9", b="HELDOUT65",
                    first="read first by per-kind figures with de558d9 and with the atlas change 8377126 (the same "
                          "figures; off-topic above the weak answer in 1 of 100); that pair was then read and tuned on "
                          "(q019 m11: few-shot prompting told as prompt tuning), so its off-topic and weak figures are "
                          "optimistic since"),
                "sixty-fourth held-out (its one off-topic pair retired)": part22.format(
                    when="after its last grading change b577077", b="HELDOUT64",
                    first="first read by the benchmark with b577077, the last code of that session (off-topic above the "
                          "weak answer in 1 of 100); that pair was read in the twenty-third session and tuned on "
                          "(8377126: transpilers in the atlas), so its off-topic and weak figures are optimistic since"),
                "sixty-third held-out (its one off-topic pair retired)": part22.format(
                    when="after its grading change c6c4818", b="HELDOUT63",
                    first="read first by per-kind figures with 7ebf5ea (the same grades as c6c4818: off-topic above the "
                          "weak answer in 1 of 100); that pair was then read and tuned on (bf6970d: classical supervised "
                          "and unsupervised learning in the atlas), so its off-topic and weak figures are optimistic since"),
                "sixty-second held-out": fresh22.format(
                    when="at its start, after 454aee0", b="HELDOUT62",
                    first="read first by per-kind figures with the session-start code 454aee0 (off-topic above the weak "
                          "answer in 0 of 100), then by the benchmark with that session's final code and with this one"),
                "sixty-first held-out": fresh21.format(
                    when="after its last grading change (303a7bf, the same grades as 8ac7d9b)", b="HELDOUT61",
                    first="first read by the benchmark with 303a7bf, the last code of that session, and again with the "
                          "twenty-second and twenty-third sessions' final code"),
                "sixtieth held-out": fresh21.format(
                    when="while its last grading change 8ac7d9b, to the bank, was made", b="HELDOUT60",
                    first="read first by the benchmark with 8ac7d9b, again after a rule was dropped (2db0196: the same "
                          "figures), with the twenty-second session's final code and with this one"),
                "fifty-ninth held-out (its one off-topic pair retired)": part21.format(
                    when="after its grading change 9dca777", b="HELDOUT59",
                    first="read first by per-kind figures with 9dca777 (off-topic above the weak answer in 1 of 100, "
                          "with the session-start code 7b6995a too); that pair was then read and tuned on (8ac7d9b: "
                          "pre-training told for supervised fine-tuning), so its off-topic and weak figures are "
                          "optimistic since"),
                "fifty-eighth held-out (its two off-topic pairs retired)": part21.format(
                    when="after its grading change e4f809b, while 9ba221b was made", b="HELDOUT58",
                    first="read first by per-kind figures with 9ba221b (off-topic above the weak answer in 2 of 100, "
                          "with the session-start code 7b6995a too); those two pairs were then read and tuned on "
                          "(9dca777: top-k's count in digits told for top-p; layer norm's everyday phrasings), so its "
                          "off-topic and weak figures are optimistic since; a diagnostic also printed, by mistake, which "
                          "misconceptions eight of its wrong answers to six questions with a twin were told (ids, not the "
                          "answers)"),
                "fifty-seventh held-out (its one off-topic pair retired)": part20.format(
                    when="after its last grading change af1749b", b="HELDOUT57",
                    first="read first by the benchmark with af1749b (off-topic above the weak answer in 1 of 100, "
                          "with the session-start code 135615b too); the twenty-first session read that pair first "
                          "(Monte Carlo tree search for beam search) and tuned on it (bank q045, the atlas), so its "
                          "off-topic and weak figures are optimistic since"),
                "fifty-sixth held-out (its two off-topic pairs retired)": part20.format(
                    when="after its grading change ea37e44, while e8c4edd was made", b="HELDOUT56",
                    first="read first by the benchmark with e8c4edd (off-topic above the weak answer in 2 of 100, with "
                          "the session-start code 135615b too); those two pairs were then read and tuned on (af1749b: "
                          "top-k told for top-p is a misconception of q043; q077's weak answer's phrasings), so its "
                          "off-topic and weak figures are optimistic since"),
                "fifty-fifth held-out": fresh20.format(
                    when="after its grading change 0d0530e, while 0ff1883 was made", b="HELDOUT55",
                    first="read once by per-kind figures with 0ff1883 (the session-start code 135615b gives the same "
                          "but for wrong above weak 19 instead of 18) and by a diagnostic of all sets (off-topic above "
                          "weak, list flags) before this run"),
                "fifty-fourth held-out": fresh20.format(
                    when="after its grading change b809b12, while 0473aea was made", b="HELDOUT54",
                    first="read once by per-kind figures with 0473aea (the session-start code: the same but for wrong "
                          "above weak 10 instead of 9), again with 0ff1883 and by a diagnostic of all sets before this "
                          "run"),
                "fifty-third held-out (its one off-topic pair retired)": fresh19.format(
                    when="after its last grading change c6120e2", b="HELDOUT53",
                    first="with 734e032, off-topic above the weak answer in 1 of 100; the twentieth session read that "
                          "pair first (Monte Carlo tree search under beam search's name) and tuned on it (b809b12), "
                          "so its off-topic and weak figures are optimistic since"),
                "fifty-second held-out": fresh19.format(
                    when="after its grading change cc8da86", b="HELDOUT52",
                    first="with cc8da86; the later changes, to keyword lists only (95f244e, c6120e2), move none of its "
                          "answers"),
                "fifty-first held-out": fresh19.format(
                    when="after its grading change 8e86633", b="HELDOUT51",
                    first="with 8e86633; the keyword-list change since moved none of its answers"),
                "fiftieth held-out": fresh19.format(
                    when="after its grading change 8e86633", b="HELDOUT50",
                    first="with 8e86633 and with the session-start code 5efd65a, the same figures"),
                "forty-ninth held-out": fresh19.format(
                    when="early, while 8e86633 was being made", b="HELDOUT49",
                    first="with a878ebb, off-topic above the weak answer in 1 of 100, and with 8e86633, none; in "
                          "the twentieth session its one strong and one mixed answer flagged as part-lists were read "
                          "(not tuned on: left flagged)"),
                "forty-eighth held-out": fresh19.format(
                    when="at its start", b="HELDOUT48", first="with the session-start code 5efd65a"),
                "tenth keyword-list": lists20.format(when="after 401f45e, while 0d0530e was made", b="KWLIST10", use=(
                    "read first with 0d0530e (keyword lists above the honest weak answer 0 of 100, 1 with the "
                    "session-start code 135615b; terse answers flagged as lists 0, 0 with that code), again with "
                    "0ff1883: **frozen, the honest figures**")),
                "ninth keyword-list": lists20.format(when="after 401f45e, while 0d0530e was made", b="KWLIST9", use=(
                    "the same way at the same time (lists above the weak answer 0 of 100, 0 with the start code; terse "
                    "answers flagged 1, 4 with the start code; one honest weak answer flagged with both): **frozen, "
                    "the honest figures**")),
                "eighth keyword-list (retired)": lists20.format(when="after 0473aea", b="KWLIST8", use=(
                    "read first with 0473aea (lists above the weak answer 1 of 100, 1 with the start code; terse "
                    "flagged 3, 3), then its terse answers flagged as lists read with 0d0530e (3) and tuned on "
                    "(0ff1883): optimistic")),
                "seventh keyword-list": lists20.format(when="after 0473aea", b="KWLIST7", use=(
                    "read first with 0473aea (lists above the weak answer 1 of 100, 1 with the start code; terse "
                    "flagged 1, 1), again with 401f45e, 0d0530e and 0ff1883: frozen, never read")),
                "sixth keyword-list": lists19.format(b="KWLIST6", use=(
                    "written after the session's last grading change c6120e2 and first graded with it (keyword lists "
                    "above the honest weak answer in 1 of 100, 5 with the session-start code 5efd65a; terse answers "
                    "flagged as lists 2, 3 with that code); read again by per-kind figures in the twentieth session "
                    "(0473aea, 401f45e, 0d0530e, 0ff1883): frozen, never read")),
                "fifth keyword-list (retired)": lists19.format(b="KWLIST5", use=(
                    "the same way at the same time (lists above the weak answer 0 of 100, 5 with the session-start "
                    "code; terse answers flagged 2, 4 with that code); in the twentieth session its terse answers "
                    "flagged as lists were read (2, with 0d0530e) and tuned on (0ff1883): optimistic")),
                "fourth keyword-list (retired)": lists19.format(b="KWLIST4", use=(
                    "written while cc8da86 was being made and first graded with it (keyword lists above the honest "
                    "weak answer in 1 of 100, 6 with the session-start code; terse answers flagged as lists 5, 2 "
                    "with that code); in the twentieth session read where it went wrong (1 list above weak, 3 terse "
                    "flagged) and tuned on (401f45e): optimistic")),
                "third keyword-list (retired)": lists19.format(b="KWLIST3", use=(
                    "the same way at the same time (lists above the weak answer 0 of 100, 4 with the session-start "
                    "code; terse answers flagged 2, 3 with that code); in the twentieth session read where it went "
                    "wrong (1 terse flagged) and tuned on (401f45e): optimistic")),
                "second keyword-list (retired)": lists19.format(b="KWLIST2", use=(
                    "read first with 2d2398f (lists above the weak answer 3 of 100, 7 with the code before; terse "
                    "answers flagged 4, 6 before), then read where it went wrong and tuned on (cc8da86): optimistic")),
                "first keyword-list (tuning)": lists19.format(b="KWLIST1", use=(
                    "the short-list rule was chosen on it (lists above the weak answer 4 of 100 before it): "
                    "optimistic")),
                "forty-seventh held-out (its one off-topic pair retired)": (
                    "written from the seed alone on 2026-12-06 (the eighteenth session, after its last grading "
                    "change ac1edf2) with the brief HELDOUT47 (as HELDOUT39: all six kinds for every question) by "
                    "eight writers who saw no bank, code or other answers and reported nothing of them; committed "
                    "whole before it was graded and read first with ac1edf2 (off-topic above the weak answer in 1 of "
                    "100); the next session read that pair (the honest weak answer told off topic, its hedge \"not "
                    "totally sure\" counted as words off the question) and fixed it (8e86633), so that question's "
                    "off-topic and weak answers are optimistic; **every other answer was never read: honest**"),
                "forty-sixth held-out (its one off-topic pair retired)": (
                    "written from the seed alone on 2026-12-06 (the eighteenth session, after its grading change "
                    "5255b89) with the brief HELDOUT46 (as HELDOUT39) by eight writers who saw no bank, code or other "
                    "answers; committed whole before it was graded and read first with 5255b89's grading (off-topic "
                    "above the weak answer in 1 of 100); then that pair was read and the bank fixed (ac1edf2), so that "
                    "question's off-topic and weak answers are optimistic; **every other answer was never read: "
                    "honest**"),
                "forty-fifth held-out (its one off-topic pair, six right answers told wrong and its missed mixed claims retired)": (
                    "written from the seed alone on 2026-12-06 (at the start of the eighteenth session, the grading "
                    "of 8e54cdc) with the brief HELDOUT45 (as HELDOUT39) by eight writers who saw no bank, code or "
                    "other answers; committed whole before it was graded and read first with the session-start code "
                    "(off-topic above the weak answer in 1 of 100; 3 strong, 2 partial and 1 weak answer told wrong); "
                    "then that pair and those six answers were read and fixes chosen on them (f894454, 5255b89), so "
                    "those figures are optimistic; the next session read the mixed answers in which no wrong claim "
                    "was found (to see what the signals miss; nothing was tuned on them); **its wrong answers were "
                    "never read: honest**"),
                "forty-fourth held-out": (
                    "written from the seed alone on 2026-12-06 (the seventeenth session, after its last grading "
                    "change 8e54cdc) with the brief HELDOUT44 (as HELDOUT39: all six kinds for every question) by "
                    "eight writers who saw no bank, code or other answers and reported nothing of them; committed "
                    "whole before it was graded; its answers never read (per-kind figures only, with the code of "
                    "each change since): **honest for every kind**"),
                "forty-third held-out (off-topic and weak answers retired)": (
                    "written from the seed alone on 2026-12-06 (the seventeenth session, after its last grading "
                    "change 1b120dc) with the brief HELDOUT43 (as HELDOUT39: all six kinds for every question) by "
                    "eight writers who saw no bank, code or other answers and reported nothing of them; committed "
                    "whole before it was graded and read first with 1b120dc (off-topic above the weak answer in 2 of "
                    "100); then those two pairs were read and fixes chosen on them (8e54cdc), so its off-topic and "
                    "weak figures are optimistic; **its strong, partial, mixed and wrong answers were never read: "
                    "honest**"),
                "forty-second held-out": (
                    "written from the seed alone on 2026-12-06 (the seventeenth session, after its last grading "
                    "change e2790b3) with the brief HELDOUT42 (as HELDOUT39: all six kinds for every question) by "
                    "eight writers who saw no bank, code or other answers and reported nothing of them; committed "
                    "whole before it was graded, read by per-kind figures with e2790b3 and the session-start code, by "
                    "two benchmark runs, and once with a later session's code (the same figures) before this run; its answers never "
                    "read: **honest for every kind**"),
                "forty-first held-out (mixed and off-topic answers frozen)": (
                    "written the same way in the same session (brief HELDOUT41) while its last grading changes were "
                    "made; read first with 882b4bb (wrong 22.2, 10 of 100 at 60+; off-topic above the weak answer in "
                    "0 of 100; 6 strong answers told wrong); then its right answers told wrong and its wrong answers "
                    "at 60+ were read and fixes chosen on them (e2790b3), so its strong, partial, weak and wrong "
                    "figures are optimistic; **its mixed and off-topic answers were never read: honest**"),
                "fortieth held-out (mixed and wrong answers frozen)": (
                    "written the same way in the same session (brief HELDOUT40), after d74df63; read first with "
                    "d74df63 and cd2767b (wrong 17.2, 5 of 100 at 60+; off-topic above the weak answer in 2 of 100; "
                    "3 strong answers told wrong); then its right answers told wrong and its off-topic pairs were "
                    "read and fixes chosen on them (442c685), so its strong, partial, weak and off-topic figures are "
                    "optimistic; **its mixed and wrong answers were never read: honest**"),
                "thirty-ninth held-out (retired)": (
                    "written from the seed alone on 2026-12-06 (the seventeenth session) with the brief HELDOUT39 "
                    "by eight writers who saw no bank, code or other answers and reported nothing of them: all six "
                    "kinds for every question, the first such set since the seventh; committed whole before it was "
                    "graded and read first with f9d6d92 (wrong 15.9, 7 of 100 at 60+; off-topic above the weak "
                    "answer in 1 of 100; 5 strong answers told wrong); then its right answers told wrong and its "
                    "off-topic pair were read and fixes chosen on them (d74df63), and later its wrong answers above "
                    "the weak ones (882b4bb) and its uncaught mixed answers (1b120dc): every answer read, a tuning "
                    "set since, optimistic"),
                "thirty-eighth held-out": fresh16.format(b="OFFTOPIC38").replace(
                    "after its first grading changes, none chosen on it", "after its last grading change").replace(
                    "before this run", "before this run (a session later's code, read it only through this "
                    "benchmark); in the twentieth session its one off-topic pair above the weak answer was read and the "
                    "bank given phrasings of its weak answer (ea37e44): that pair optimistic since"),
                "thirty-seventh held-out": fresh16.format(b="OFFTOPIC37").replace(
                    "after its first grading changes, none chosen on it", "after its last grading change"),
                "thirty-sixth held-out (retired)": retired16.format(
                    b="OFFTOPIC36", first="off-topic above the weak answer in 0 of 100, 3 weak answers told wrong",
                    what="its weak answers told wrong"),
                "thirty-fifth held-out": fresh16.format(b="OFFTOPIC35"),
                "thirty-fourth held-out (retired)": retired16.format(
                    b="OFFTOPIC34", first="off-topic above the weak answer in 0 of 100, 2 weak answers told wrong",
                    what="its weak answers told wrong"),
                "thirty-third held-out": fresh16.format(b="OFFTOPIC33"),
                "thirty-second held-out": fresh16.format(b="OFFTOPIC32"),
                "thirty-first held-out": fresh16.format(b="OFFTOPIC31"),
                "thirtieth held-out": fresh16.format(b="OFFTOPIC30"),
                "twenty-ninth held-out (retired)": retired16.format(
                    b="OFFTOPIC29", first="off-topic above the weak answer in 2 of 100", what="its per-answer results"),
                "twenty-eighth held-out (retired)": ("written from the seed alone on 2026-12-05 (the fifteenth "
                                                     "session, after its last grading change) with the brief "
                                                     "OFFTOPIC28 (as OFFTOPIC14); read once by per-kind figures with "
                                                     "that code (d42369f: off-topic above the weak answer in 1 of "
                                                     "100); in the sixteenth session its per-answer results were read "
                                                     "and fixes chosen on them: a tuning set since, optimistic"),
                "twenty-seventh held-out": ("written from the seed alone on 2026-12-05 (the fifteenth session, while "
                                            "its last grading changes were made, none chosen on it) with the brief "
                                            "OFFTOPIC27 (as OFFTOPIC14) by six writers who saw no bank, code or other "
                                            "answers and reported nothing of them; committed whole before it was "
                                            "graded, read once by per-kind figures with a later session's code and the "
                                            "session-start code before this run: **the honest figures for off-topic "
                                            "and weak answers**"),
                "twenty-sixth held-out (retired)": ("written the same way in the same session (brief OFFTOPIC26); read "
                                                   "once by per-kind figures with the code of that moment (8d9f9b3: "
                                                   "off-topic above the weak answer in 1 of 100); then its per-answer "
                                                   "results were read and fixes chosen on them: a tuning set since, "
                                                   "optimistic"),
                "twenty-fifth held-out": ("written from the seed alone on 2026-12-05 (the fifteenth session, after its "
                                          "grading change 69d5b5c) with the brief OFFTOPIC25 (as OFFTOPIC14) by six "
                                          "writers who saw no bank, code or other answers and reported nothing of them; "
                                          "committed whole before it was graded, read by per-kind figures once with "
                                          "69d5b5c and the session-start code, once with a later session's code, before this run "
                                          "(data/calibration/README.md): **the honest figures for off-topic and weak "
                                          "answers**"),
                "twenty-fourth held-out": ("written the same way in the same session (brief OFFTOPIC24), after 69d5b5c; "
                                           "read by per-kind figures once with it and the session-start code, once "
                                           "with this code, before this run: **honest figures for off-topic and weak "
                                           "answers**"),
                "twenty-third held-out (retired)": ("written the same way in the same session (brief OFFTOPIC23); read "
                                                   "once by per-kind figures with the code of that moment (1862646: "
                                                   "off-topic above the weak answer in 1 of 100, 2 weak answers told "
                                                   "wrong); then its per-answer results were read and fixes chosen on "
                                                   "them: a tuning set since, optimistic"),
                "twenty-second held-out (retired)": ("written the same way in the same session (brief OFFTOPIC22); read "
                                                     "once by per-kind figures with the code of that moment (69eaf04: "
                                                     "off-topic above the weak answer in 1 of 100); then its per-answer "
                                                     "results were read and fixes chosen on them: a tuning set since, "
                                                     "optimistic"),
                "twenty-first held-out": ("written the same way in the same session (brief OFFTOPIC21), after its "
                                          "number-reading change; read by per-kind figures with the code of that moment "
                                          "(aeb0d20) and the session-start code, then twice more with later code of "
                                          "that session before this run; its answers never read: **honest figures for "
                                          "off-topic and weak answers**"),
                "twentieth held-out": ("written the same way at the start of the same session (brief OFFTOPIC20), "
                                       "before any of its grading changes; read by per-kind figures with the code of "
                                       "aeb0d20 and the session-start code, then twice more with later code of that "
                                       "session before this run; its answers never read: **honest figures for "
                                       "off-topic and weak answers**"),
                "nineteenth held-out (retired)": ("written from the seed alone on 2026-12-05 (the fourteenth session) "
                                                  "with the brief OFFTOPIC19 (as OFFTOPIC14); read by per-kind figures "
                                                  "with that session's final code (off-topic above the weak answer in 1 "
                                                  "of 100) and by its benchmark; then, in the fifteenth session, its "
                                                  "per-answer results were read and fixes chosen on them: a tuning set "
                                                  "since, optimistic"),
                "eighteenth held-out": ("written from the seed alone on 2026-12-05 (the fourteenth session, brief "
                                        "OFFTOPIC18, as OFFTOPIC14), before its last two grading changes; read by "
                                        "per-kind figures once with the code of that moment (fd6a66d) and the "
                                        "session-start code, once with that session's final code, by two benchmark "
                                        "runs, and once with a later session's code before this run, a session later: **honest "
                                        "figures for off-topic and weak answers**, its answers never read"),
                "seventeenth held-out (retired)": ("written the same way in the same session (brief OFFTOPIC17); read by "
                                                   "per-kind figures with f3bcce1 (off-topic above the weak answer in "
                                                   "1 of 100) and with fd6a66d (the same), and by two benchmark runs; "
                                                   "then its per-answer results were read and fixes chosen on them: a "
                                                   "tuning set since, optimistic"),
                "sixteenth held-out": ("written the same way in the fourteenth session (brief OFFTOPIC16), before its "
                                       "last grading changes; read by per-kind figures once with the code of that "
                                       "moment (f83487e), with f3bcce1, fd6a66d and b54aafb, by three benchmark runs, "
                                       "and once with a later session's code before this run, a session later: "
                                       "**honest figures for off-topic and weak answers**, its answers never read"),
                "fifteenth held-out (retired)": ("written the same way in the same session (brief OFFTOPIC15); read once "
                                                 "whole by per-kind figures with that session's code at the time "
                                                 "(f83487e): off-topic above the weak answer in 1 of 100, weak answers "
                                                 "told wrong 3; then its per-answer results were read and fixes chosen "
                                                 "on them, so it is a tuning set since: optimistic"),
                "fourteenth held-out (retired)": ("written from the seed alone on 2026-12-05 (the thirteenth session, "
                                                  "after its last grading change) with the brief OFFTOPIC14 by six "
                                                  "writers who reported nothing of their answers; read once by per-kind "
                                                  "figures in that session (off-topic above the weak answer in 2 of "
                                                  "100) and once more in its benchmark; then, in the fourteenth "
                                                  "session, its per-answer results were read and fixes chosen on them: "
                                                  "a tuning set since, optimistic"),
                "thirteenth held-out": ("written from the seed alone on 2026-12-05 (the thirteenth session) with the "
                                        "brief OFFTOPIC13 (as OFFTOPIC11) by six writers who saw no bank, code or other "
                                        "answers; committed whole before it was graded, read once by per-kind figures "
                                        "with that session's final code and its session-start code, then by its "
                                        "benchmark, and in this run a session later (data/calibration/README.md): "
                                        "**honest figures for off-topic and weak answers**"),
                "twelfth held-out (retired)": ("written the same way in the same session (brief OFFTOPIC12); read once "
                                               "whole by per-kind figures: off-topic above the weak answer in 3 of 100 "
                                               "with that session's code at the time (a6e37dc), 5 with the code it "
                                               "started from; then its per-answer results were read and fixes chosen on "
                                               "them, so it is a tuning set since: optimistic"),
                "eleventh held-out": ("written from the seed alone on 2026-12-05 (the thirteenth session) with the "
                                      "brief OFFTOPIC11 (as OFFTOPIC10) by six writers who saw no bank, code or other "
                                      "answers; each part committed before it was graded and read once by per-kind "
                                      "figures as it arrived (with the code of that moment and with the session-start "
                                      "code) before this run (data/calibration/README.md): **honest figures for "
                                      "off-topic and weak answers**"),
                "tenth held-out": ("written from the seed alone on 2026-12-05 (the twelfth session) with the brief "
                                   "OFFTOPIC10, which asks for neighbours from outside the bank's questions too, by "
                                   "writers who saw no bank, code or other answers; each part committed before it was "
                                   "graded and read by per-kind figures one to six times part by part and twice "
                                   "whole in that session, once more whole a session later, then by the benchmarks of "
                                   "that session and the next (data/calibration/README.md): **honest figures for "
                                   "off-topic and weak answers**, nothing tuned on it"),
                "ninth held-out (retired)": ("written from the seed alone on 2026-12-05 (the session after the eighth set's ninth "
                                   "reading) by writers who saw no bank, code or other answers: an honest weak and an "
                                   "off-topic answer to each question, the off-topic one confusing the asked concept "
                                   "with a neighbour; each writer's part committed before it was graded and read once "
                                   "before the benchmark read it whole twice, with one code, and three more times a "
                                   "session later, and once more a session after that (above the weak answer 2 of 100); then "
                                   "its per-answer results were read (the thirteenth session) and fixes chosen on them: "
                                   "a tuning set since, optimistic (data/calibration/README.md)"),
                "eighth held-out (retired)": ("written from the seed alone on 2026-12-04 (the session after the seventh) by "
                                    "four writers who saw no bank, code or other answers: a strong, an honest weak and "
                                    "an off-topic answer to each of the 100 questions, the off-topic one confusing the "
                                    "asked concept with a neighbour (half of them under the asked name); frozen before "
                                    "it was first graded; its per-kind figures read nine times (once with the grader "
                                    "the session started from, once midway, a third at that session's end; in the next "
                                    "session a fourth after its false-alarm fixes, a fifth after a second round of "
                                    "confusion signals for questions 76-100 and a sixth, the same figures, to check "
                                    "them; a seventh a session later, after confusion signals for questions 1-75 and "
                                    "false-alarm fixes, an eighth at that session's end after more false-alarm fixes, "
                                    "and a ninth at its end, after the list of everyday words was narrowed because the "
                                    "eighth run showed two mixed answers of the older sets no longer caught; a tenth to "
                                    "fourteenth a session later, a fifteenth to seventeenth a session after that, an "
                                    "eighteenth at the end of the next); in the thirteenth session its per-answer "
                                    "results were read and fixes chosen on them: a tuning set since, read after every "
                                    "change, optimistic"),
                "seventh held-out": ("written from the seed alone on 2026-12-04 (the session after the sixth) by four "
                                     "writers who saw no bank, code or other answers, for the 40 questions numbered 1, 4, "
                                     "6 and 9 mod 10, told to vary how a mixed answer's one wrong claim is said and not "
                                     "to pick the most obvious one; frozen before it was first graded; its per-kind "
                                     "figures read seven times (once before and once after a third round of widening "
                                     "the bank from knowledge, the same figures; a third after false-alarm fixes, a fourth "
                                     "after coverage level 4 was made to need every key point found, a fifth after the "
                                     "most specific of two claims said in the same words was made the one listed, a sixth "
                                     "after a phrase that says a word twice is matched, a seventh after the next session's "
                                     "changes, an eighth and a ninth a session later, a tenth (the same figures) to "
                                     "check them, an eleventh to a thirteenth a session after that, a fourteenth to an "
                                     "eighteenth a session later, a nineteenth to twenty-first a session after that, a "
                                     "twenty-second a session later, a twenty-third a session after that, a twenty-fourth and a twenty-fifth a session later, a twenty-sixth a session after that, a twenty-seventh and a twenty-eighth a session later, a twenty-ninth a session after that, a thirtieth a session later, when its one off-topic pair above the weak answer was also read and the bank given phrasings of its weak answer, a thirty-first to thirty-third a session after that, a thirty-fourth a session later, a thirty-fifth and a thirty-sixth a session after that, a thirty-seventh a session later, a thirty-eighth a session after that, a thirty-ninth and a fortieth a session later, a forty-first a session after that, a forty-second a session later, a forty-third to a forty-fifth a session after that, a forty-sixth and a forty-seventh (this run) a session later): **the honest "
                                     "figures** for mixed "
                                     "and wrong answers"),
                "sixth held-out": ("written the same way in the session before, for the fifth set's questions, and "
                                   "frozen; its per-kind figures read forty-eight times (five after signals for its "
                                   "questions were widened from train-part10, other answers to them; four after the "
                                   "bank was widened from knowledge; the eleventh to forty-eighth after the third round and later changes): optimistic, its "
                                   "questions tuned on through other answers and its figures read after every change"),
                "fifth held-out": ("written the same way in the session before and frozen; its per-kind figures "
                                   "read fifty-one times (the second to fifty-first after changes chosen on other sets; "
                                   "its questions tuned on since through train-part10; its one off-topic pair above "
                                   "the weak answer read in the twentieth session): a little optimistic"),
                "fourth held-out": ("written the same way earlier in that session and frozen; its per-kind figures "
                                    "read fifty-one times (the second to fifty-first after changes chosen on other sets; "
                                    "its questions tuned on since through train-part7; its one off-topic pair above "
                                    "the weak answer read and tuned on in the twentieth session, and again in the "
                                    "twenty-ninth (offline-11)): a little optimistic"),
                "third held-out": ("written the same way earlier on 2026-12-04 and frozen; its per-kind figures read "
                                   "fifty-five times (the second to fifty-fifth after changes chosen on other sets; its questions "
                                   "tuned on since through train-part6 and -8; its two off-topic pairs above the weak "
                                   "answer and a partial answer flagged as a list read in the twentieth session, the "
                                   "flag tuned on; the q096 pair tuned on in the twenty-ninth, offline-11): a little optimistic"),
                "second held-out": ("written the same way on 2026-12-04 and frozen; its per-kind figures read fifty-nine "
                                    "times (its two strong answers flagged as part-lists read in the twentieth "
                                    "session, one flag tuned away), and signals for its 40 questions were since widened from other answers "
                                    "to them (train-part5, -6, -7): a little optimistic"),
                "first held-out (retired)": ("the first held-out set, frozen before the misconceptions were written and read only "
                             "by its per-kind means (about nine times) until 2026-12-04; then retired to a tuning "
                             "set when the second replaced it: optimistic from then on (data/calibration/README.md)"),
                "development": "tuned on (signals written while looking at its misses): optimistic",
                "calibration": "written and tuned on with the first offline grader: optimistic"}[name]
        note += RIGHT_ANSWERS_READ_27.get(path.stem, "")
        note += RIGHT_ANSWERS_READ_30.get(path.stem, "")
        parts.append(f"**{name.capitalize()} set** (`{path.relative_to(ROOT)}`, {len(rows)} answers; {note})\n\n"
                     + kind_table(rows, before[str(path)] if before else None)
                     + f"\n\nPer question, now: {order_line(rows)}.")
    return "\n\n".join(parts), r_before


def main() -> int:
    if not MOHLER.exists():
        print(f"missing {MOHLER}: the Mohler dev file lives in ../shared/asag/ (never copied into the repo)")
        return 1
    pinned = pin_one_core()
    rubric = load_rubric(ROOT / "rubrics" / "default.toml")
    rows = [json.loads(line) for line in MOHLER.read_text().splitlines() if line.strip()]
    records, _ = load_records(MOHLER, default_rubric=rubric)
    sp = speed(records)

    grader = OfflineGrader()
    scores = [grader.grade_sync(GradeRequest(r.question, r.rubric, r.answer)).score for r in records]
    labels = [r["score_avg"] for r in rows]
    ours = agreement([s / 20.0 for s in scores], labels)
    tfidf_r = pearson(tfidf_cosine(rows), labels)
    humans_r = pearson([r["score_1"] for r in rows], [r["score_2"] for r in rows])
    by_q = collections.defaultdict(lambda: ([], []))
    for r, s in zip(rows, scores, strict=True):
        by_q[r["qid"]][0].append(s)
        by_q[r["qid"]][1].append(r["score_avg"])
    per_q = [pearson(p, y) for p, y in by_q.values()]
    per_q = [x for x in per_q if x is not None]

    with tempfile.TemporaryDirectory() as home:
        os.environ["INTERVIEWER_HOME"] = home
        from interviewer.app.services import Services

        svc = Services.create()
        cal, field = load_records(svc.locations.calibration_path, services=svc)
        report, items = asyncio.run(run_eval(cal, OfflineGrader(), label_field=field, label_max=5.0))
        nb = bank_speed(cal)
        svc.close()
    levels = collections.defaultdict(list)
    for it in items:
        levels[it.record.level].append(it.score)
    cal_qs = len({it.record.group for it in items})

    def f(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    F = OFFTOPIC_FIGURES  # short: the prose below names each set's figures many times
    FRESH16 = ("thirtieth", "thirty-first", "thirty-second", "thirty-third", "thirty-fifth", "thirty-seventh",
               "thirty-eighth")
    body = f"""
Method: `benchmarks/offline_grader.py`. Speed is `OfflineGrader.grade_sync` over all {sp['n']} answers of the
Mohler dev file, {pinned}: one cold pass (each question's key points derived and compiled on first sight),
then {WARM_PASSES} warm passes timed answer by answer (compiled questions are cached, as in the app).
Agreement maps the 0-100 score to 0-5 as score/20; QWK rounds both sides to whole points.

**Speed (one core)**

| measure | value |
| --- | --- |
| answers/s, warm | {sp['warm_rate']:,.0f} |
| answers/s, cold first pass | {sp['cold_rate']:,.0f} ({sp['cold_s']:.2f} s for the whole file) |
| CPU time per answer: mean / p50 / p99 | {sp['cpu_mean_ms']:.2f} / {sp['cpu_p50_ms']:.2f} / {sp['cpu_p99_ms']:.2f} ms (target: under 5 ms) |
| wall-clock latency p50 / p99 / max | {sp['p50_ms']:.2f} / {sp['p99_ms']:.2f} / {sp['max_ms']:.2f} ms |

Wall-clock percentiles include time the core spent on other processes (load average {sp['load']:.1f} on this
2-core machine during the run) and garbage-collection pauses; CPU time (`time.thread_time`) is the grader's own
cost.

The Mohler answers come with no bank. Answers to a bank question are also compared with the bank's other
questions (an answer to another question is off topic): on the {nb['n']} answers of the shipped calibration set,
graded with and without their bank ({nb['bank']} questions) alternately, warm, the median answer takes
{nb['with_ms']:.2f} ms with it and {nb['without_ms']:.2f} ms without (x{nb['ratio']:.2f}); the bank's profiles are
built once, on its first answer, in {nb['build_s'] * 1000:.0f} ms (median of 5 fresh processes: most of it stemming
words seen for the first time), off the app's event loop.

**Agreement with human graders, Mohler dev file** ({len(rows)} answers, {len(by_q)} questions, no curated key
points: they are derived from each reference; data from Mohler, Bunescu and Mihalcea (2011), "Learning to Grade
Short Answer Questions using Semantic Similarity Measures and Dependency Graph Alignments", ACL)

| grader | Pearson r | Spearman rho | QWK | MAE (0-5) |
| --- | --- | --- | --- | --- |
| human grader 1 vs grader 2 (ceiling) | {f(humans_r)} | | | |
| **offline grader** | **{f(ours['r'])}** | {f(ours['rho'])} | {f(ours['qwk'])} | {f(ours['mae'])} |
| TF-IDF cosine to the reference (baseline) | {f(tfidf_r)} | | | |

The offline grader is {ours['r'] - tfidf_r:+.3f} r above TF-IDF and {ours['r'] - humans_r:+.3f} r from the
human-human agreement (shared/asag/README.md gives 0.435 and 0.600 for these two; all-MiniLM-L6-v2 embedding
cosine reaches 0.486). Mean per-question r: {statistics.mean(per_q):.3f} over {len(per_q)} questions. The
MAE is large because the offline grader is stricter than these instructors (mean {statistics.mean(scores) / 20:.2f}
vs {statistics.mean(labels):.2f} on 0-5): it is calibrated for interview answers, not for class marks.
Tuned on this dev file only (a handful of global weights and thresholds, no per-question constants; the synonym
table is general technical English); the held-out half will tell whether it generalises.

**Calibration set** (`data/calibration/llm-100-calibration.jsonl`: {len(items)} hand-written spoken answers to
{cal_qs} bank questions, curated key points)

| Pearson r | Spearman rho | QWK | MAE (0-5) |
| --- | --- | --- | --- |
| {f(report.pearson)} | {f(report.spearman)} | {f(report.qwk)} | {f(report.mae)} |

Mean offline score by the answer's written quality: {', '.join(f'{k} {statistics.mean(v):.0f}' for k, v in
sorted(levels.items(), key=lambda kv: -statistics.mean(kv[1])))} (out of 100).
"""
    kinds, r_before = correctness()
    S63, S59, S58, S57 = (SIX_FIGURES[k] for k in ("sixty-third", "fifty-ninth", "fifty-eighth", "fifty-seventh"))
    S67, S65, S64 = SIX_FIGURES["sixty-seventh"], SIX_FIGURES["sixty-fifth"], SIX_FIGURES["sixty-fourth"]
    S68 = SIX_FIGURES["sixty-eighth"]
    S75, S74 = SIX_FIGURES["seventy-fifth"], SIX_FIGURES["seventy-fourth"]
    S56, S53 = SIX_FIGURES["fifty-sixth"], SIX_FIGURES["fifty-third"]
    S47, S46, S45 = SIX_FIGURES["forty-seventh"], SIX_FIGURES["forty-sixth"], SIX_FIGURES["forty-fifth"]
    S44, S43, S42, S40 = (SIX_FIGURES[k] for k in ("forty-fourth", "forty-third", "forty-second", "fortieth"))
    body += f"""
**Correctness: does a confidently wrong answer reach the top band (80+)?** Each set holds, per question, a strong,
a partial, a weak, a *mixed* (mostly right, one confidently stated misconception), a *wrong* (fluent, the right
terms, false central claims) and an *off-topic* answer, written from the seed's questions and references only
(`data/calibration/README.md`). "Before" is the code at {BEFORE_COMMIT} (coverage only) with its own bank, graded
in this run. Mohler dev r: before {f(r_before)}, now {f(ours['r'])} (must stay at or above 0.57). "A wrong claim
found" counts the answers in which the grader found at least one known misconception or key point said the other
way round: on wrong and mixed answers that is how often it catches the error, on strong and partial answers every
one is a false alarm (the writers' weak answers hold no false claim either, except in the calibration set).

{kinds}

What it still cannot catch: a wrong claim in words no signal of the question's misconceptions anticipates, and
no key point says the other way round (a paraphrase of a misconception: "the model keeps learning from each
prompt" when the signals say "updates its weights during inference"); wrong numbers ("a 4,096-token vocabulary");
wrong reasoning built from right statements; errors on questions whose bank entry lists no such misconception. It
does not judge clarity or depth at all. A wrong claim the answer makes *and* a right one it makes elsewhere about
the same point are read as the right one (a contradiction only counts when the point is not affirmed elsewhere:
"fine-tuning updates the weights" beside a point that in-context learning does not must not read as a denial).
It also raises false alarms: on answers nobody tuned to (the held-out sets) a few right answers
are told they said something wrong, when a misconception's words occur in a right sentence, and that caps them
below "solid" (on the seventh held-out set, 1 of 40 strong answers since the changes of the session that
brought a third confusion round for questions 26-50, none before; 1 to 5 in 40 on the older ones; 5 of 100
on the eighth). Right answers that set the subject against a neighbour or name a misconception to reject it are
where they come from: on 200 fresh ones (train-part14, first reading, 2026-12-04) 42 were told they said something
wrong with the grader that session started from, 47 after it added confusion misconceptions; the general fixes
chosen there (a belief reported as "people sometimes think ...", "people mix it up with ...", "not to be confused
with ..."; a claim in a contrast's own stretch or in a "there" sentence after it; ", or" and ", and" start another
statement; six signals made specific) left 6 (optimistic: tuned there). On 200 more fresh right answers written
the same way afterwards (train-part15, first reading) 24 were told they said something wrong, against 38 with the
code the session started from: about one right answer in eight that names a neighbour or a trap is still told so.
On 50 more (train-part17, first reading, the session after) 6 were: "distinct from X, where ...", "easy to confuse
with X, which is ...: ..." and three signals that said a right sentence's words; fixed there (optimistic since), and
1 of 50 written for other questions and read after the fixes; of its last 50 (read first a session later) 3, and one
flagged as a list ("it's not the same as X, which ...", "different from X, like Y, which ...", and "... on niche
topics, while ..." taken for a "Topics:" label), fixed since with five more general rules chosen on all the tuning
sets (right answers told wrong there 30 -> 21); and of 50 more, to questions 1-25, written that session and read
first after its confusion signals for questions 1-75, 4 (one read as off topic), fixed since: everyday words
("most modern LLMs are decoder-only") say no claim in its own words, "Prefix tuning, by contrast" names another thing,
and an answer that covers half the key points is not taken for an answer to a neighbouring question.

How much of this reaches answers nobody tuned to is what the seventh held-out set measures: its writers were told
to vary how a mixed answer's one wrong claim is said and not to pick the most obvious claim. There the grader
finds the wrong claim in 12 of 40 mixed answers, and 21 of 40 score 80+, the top band (which is why the
offline grader calls that band "complete", not "interview-ready": core/verdict_names.py). Wholly wrong answers are
still caught (35 of 40, mean 11.9, 1 of 40 at 60+): with several wrong claims, one is usually a claim the bank
knows. A third round of widening the bank from knowledge (296 new misconceptions and about 3,000 signals:
overstatements, wrong costs and scales, claims about neighbouring concepts; no false alarm on any tuning answer)
caught none more on the seventh set, read before and after it. So the older sets overstate what the offline grader
does for fresh answers: on the sixth, whose questions were tuned on through 200 other answers (train-part10) and
whose figures were read after every change, 5 of 40 mixed answers read 80+; on fresh answers 21 of 40 do. A mixed
answer's wrong claim is caught when it is one of the bank's misconceptions said in words close to one of its
signals, or a key point said with one word turned to its opposite; a wrong claim chosen and worded freely mostly
is not, and the answer then scores as its coverage says. What the grader misses, it now shows: an answer
that reads solid or better with no misconception found is listed the question's known misconceptions closest to
what it said, each with its correction. On the 28 such mixed answers of the seventh set (2026-12-04, judged once
by a helper from the writers' notes and the lists, counts only), the misconception the writer planted was among
the three listed in 16 (14 to 17 by three borderline calls), first in 12; the 5 that covered every key point
were asked about the first as the follow-up question, which was the planted one in 4. (Earlier widening, for the record: from other people's
answers to the same questions, train-part5 and train-part10, it moved the second and sixth sets' catches by one to
six answers; from knowledge, rounds one and two, 5,161 and 3,936 signals, the sixth set's mixed catches 20 -> 25 ->
27; after round three and the false-alarm fixes that came with it, 25.) Strong answers that name a trap to reject
it or set the subject against a neighbour are where false alarms come from: on 200 fresh right answers
(train-part12, first reading) 17 were told they said something wrong; the fixes chosen there ("a common pitfall is
...", a point that states a cap, eight signals) left 5. An answer to another question is told apart when it is much
closer to another question of the bank (its question, reference and key points as term profiles) than to the asked
one; not when the bank has no question on what it answers, nor when that question is a twin of the asked one
(top-p and top-k), and it shares most of the asked question's words: 1 of 40 off-topic answers on the seventh
held-out set reaches 60, and 1 of 40 outscores the weak answer to the same question. The eighth held-out set asks
this of every question, with off-topic answers that confuse the asked concept with a neighbour, half of them under
the asked name ("Top-p sampling, yeah, so you keep a fixed number of the most likely tokens"): in this run they
average {F['eighth']['mean']:.1f} (15.3 with the code the session that wrote it started from), {F['eighth']['at60']:.0f} of 100 reach 60,
the confusion itself is caught in {F['eighth']['caught']:.0f} of 100 (16 with that code), and **{F['eighth']['above']:.0f} of 100 outscore
the honest weak answer to the same question** (10 with that code; 9 on its second to sixth readings, through a
first round of confusion misconceptions written from knowledge and a second for questions 76-100; 8 on its seventh,
after the second round for questions 1-75 and the false-alarm fixes above, on its eighth after more of them, and on
its ninth; 5 on its tenth, a session later, after a third confusion round for questions 26-50 written from
knowledge, a rule that a sentence using two of the words a found misconception's signals keep using says it again
and shows no key point, more contrasts read as such ("than X, which ...", "X goes the opposite way: ...") and
signals for three confusions written from tuning answers; its eleventh and twelfth (the same code) after
those signals were dropped again for naming the neighbour's own properties, which a right answer may cite about the
neighbour with no contrast word: "Batch norm depends on batch size and gets noisy with small batches, which is why
transformers use layer norm" was told it confused the two; the tenth reading showed that they had been catching two
of these off-topic answers; 7 on its thirteenth, after second confusion rounds for questions 1-25 and 76-100
written blind, which caught three more; its fourteenth a session later; its fifteenth to seventeenth, the same figures, a session after that, after that session's changes and the atlas of neighbouring concepts; its eighteenth at the end of the session that retired it to tuning (its per-answer results were read and fixes chosen on them, so from then on its figures are optimistic); read after every change since, as a tuning set). An answer about the neighbour shares true facts
with the asked concept (batch norm's learned scale and shift are layer norm's too), and a caught confusion keeps the
credit of the facts it shares: on 50 fresh pairs of the same kind (train-part16, first reading; questions 1-25 and
76-100) 3 of 50 outscored the weak answer: WordPiece explained for BPE (73 against 23), adapters for LoRA, and DPO
for RLHF (caught, "no separate reward model", and still 59). After the second confusion round the WordPiece answer
is caught and still scores 37.9 against 23, and the same 3 of 50 remain (a reading by someone who had seen those
three described, so a little optimistic). A session later all three score below their weak answers: the
WordPiece answer 10.9, as its other sentences describe WordPiece in the words the confusion's signals keep using,
and the other two by signals written from them (so optimistic). On 25 more pairs written in the session after, for questions 51-75, and
read first with the code after their second confusion round: 0 of 25 off-topic answers outscore the weak one (1 of 25
with the code before it), none reaches 60, 12 are caught; and on 25 for questions 26-50, read first at that
session's end, 1 of 25 (2 with the code it started from), 1 reaches 60, 9 are caught; read again in the next
session after the third confusion round for 26-50 (written by someone who had not seen them), 0 of 25, none at 60,
13 caught. On 25 more pairs for questions 26-50 by another writer (train-part18), 1 of 25 both times (4, then 6
caught). The ninth held-out set, written a session later by writers who saw nothing but the seed and frozen part by
part as it arrived, asked it again of {F['ninth']['questions']:.0f} questions with nothing tuned on it: 2 of 100 off-topic
answers outscored the weak one on every reading until the session after, which read its per-answer results and
retired it to tuning (so what follows is optimistic): off-topic answers average {F['ninth']['mean']:.1f} in this run, {F['ninth']['at60']:.0f} reach 60, {F['ninth']['caught']:.0f} are caught, and
**{F['ninth']['above']:.0f} of {F['ninth']['questions']:.0f} outscore the honest weak answer to the same question** (each part read
once before this run, with that session's code at the time and with the code it started from: 1 of 25 on questions
1-25 and 1 of 75 on 26-100, with either; the second confusion rounds for 1-25 and 76-100, written blind, caught 4 more
of the 25 off-topic answers to 1-25 and none more of those to 76-100). Honest weak answers that use none of the key
points' words score 0-20, so a confidently wrong answer that uses them and escapes every signal can outrank the
weak one to the same question (3 of 40 on the seventh set; on average wrong answers score far below weak ones
there, 11.9 against 37.5). The tenth held-out set, written in the session after the ninth with a brief that asks for
neighbours from outside the bank too (optimizers, classic ML, data pipelines, retrieval, systems), and frozen part
by part: off-topic answers average {F['tenth']['mean']:.1f} in this run, {F['tenth']['at60']:.0f} reach 60,
{F['tenth']['caught']:.0f} have a wrong claim found, and **{F['tenth']['above']:.0f} of {F['tenth']['questions']:.0f} outscore the
honest weak answer to the same question**. Between its first reading and this run the atlas of neighbouring concepts
(offline/concepts.toml) came in: an answer much closer to one of those concepts than to the asked question is off
topic, and the flag names the concept. Three more sets were written the same way in the session after (six writers
each, who saw nothing but the seed). The eleventh, read part by part as it arrived: 0 of 100 off-topic answers above
the weak one on first reading (and with the code that session started from); in this run off-topic answers average
{F['eleventh']['mean']:.1f}, {F['eleventh']['at60']:.0f} reach 60, {F['eleventh']['caught']:.0f} are caught, and
**{F['eleventh']['above']:.0f} of {F['eleventh']['questions']:.0f} outscore the weak answer**. The twelfth, read once whole midway
through that session: **3 of 100** (5 with the code the session started from): a per-token probability cutoff
explained for top-p (95 against 70), indirect prompt injection for jailbreaking (70 against 50), and Kaplan's scaling
laws for Chinchilla (73 against 69). It was then retired to tuning, and signals for those three confusions, which
recur across sets, were written from its answers; its figures in this run ({F['twelfth']['above']:.0f} of
{F['twelfth']['questions']:.0f}) are optimistic. The thirteenth, written after those changes and read first with that session's final code:
off-topic answers average {F['thirteenth']['mean']:.1f} in this run, {F['thirteenth']['at60']:.0f} reach 60,
{F['thirteenth']['caught']:.0f} are caught, and **{F['thirteenth']['above']:.0f} of {F['thirteenth']['questions']:.0f} outscore the
honest weak answer** (0 of 100 with the session-start code too: it does not separate the two codes on that count).
The fourteenth, written after the last grading change of that session by writers told to report nothing of their
answers (so its reader knew not even which neighbours they chose): **2 of 100** on its first reading; a session
later its per-answer results were read and it was retired to tuning (in this run, optimistic:
{F['fourteenth']['above']:.0f} of {F['fourteenth']['questions']:.0f}). Its two were feature standardization (scikit-learn's
standard scaler) explained for layer normalization and Kaplan's scaling laws again for Chinchilla; its honest weak
answers told wrong were two false readings, since fixed. Three more sets were written the same way in that next
session. The fifteenth, read once whole midway: **1 of 100** (context-window limits explained for vocabulary size,
50 against an honest weak answer falsely read as claiming tiny vocabularies, 0), then read and retired (in this run
{F['fifteenth']['above']:.0f} of {F['fifteenth']['questions']:.0f}, optimistic). The sixteenth, read first with the code of
that moment: off-topic answers average {F['sixteenth']['mean']:.1f} in this run, {F['sixteenth']['at60']:.0f} reach 60,
{F['sixteenth']['caught']:.0f} are caught, and **{F['sixteenth']['above']:.0f} of {F['sixteenth']['questions']:.0f} outscore the
honest weak answer**. The seventeenth, first read with the code before the atlas grew from 378 to 499 concepts:
**1 of 100** (the same with the session-start code and after the atlas change); its per-answer results were then
read and it was retired to tuning (in this run {F['seventeenth']['above']:.0f} of {F['seventeenth']['questions']:.0f},
optimistic). Its one was frozen versus fine-tuned word vectors explained for fixed versus learned positional encodings
(27 against 23), a confusion found in four of the fresh sets' off-topic answers, as data leakage for data poisoning
is in three: the writers, though new each time, reach for the same neighbours, so the sets are not independent of one
another. Both got a bank misconception then. The eighteenth, read first with the code after the atlas change:
off-topic answers average {F['eighteenth']['mean']:.1f} in this run, {F['eighteenth']['at60']:.0f} reach 60,
{F['eighteenth']['caught']:.0f} are caught, and **{F['eighteenth']['above']:.0f} of {F['eighteenth']['questions']:.0f} outscore
the honest weak answer** (0 of 100 with the session-start code too). The nineteenth, written before that session's last change and read first with its final code:
**1 of 100** (the 6ND training-compute rule explained for self-attention's complexity, 46 against 27: "two N FLOPs"
was read as n squared); a session later it was read and retired (in this run {F['nineteenth']['above']:.0f} of
{F['nineteenth']['questions']:.0f}, optimistic), and the grader now reads numbers: "n^2" is "n squared", and a key point
about a count is not shown by a phrase that gives another count of the same thing. Nine more sets were written the
same way in that session. Read first with the code of their moment: the twentieth (written before any of its
changes) **0 of 100**, the twenty-first 0 (1 with the session-start code), the twenty-second **1** (open-book
explained for open-domain QA, 50 against 25) and the twenty-third **1** (data leakage for data poisoning, 46 against
27, and two honest weak answers told wrong: one quoted "ignore its original instructions" as what an attack makes the
model do and was flagged as an instruction to the grader, 0); those two were read and retired (in this run
{F['twenty-second']['above']:.0f} and {F['twenty-third']['above']:.0f} of 100, optimistic). In this run the twentieth's
off-topic answers average {F['twentieth']['mean']:.1f}, {F['twentieth']['at60']:.0f} reach 60,
{F['twentieth']['caught']:.0f} are caught, **{F['twentieth']['above']:.0f} of {F['twentieth']['questions']:.0f} above the weak
answer**; the twenty-first's {F['twenty-first']['mean']:.1f}, {F['twenty-first']['at60']:.0f} at 60,
{F['twenty-first']['caught']:.0f} caught, **{F['twenty-first']['above']:.0f} of {F['twenty-first']['questions']:.0f}**. The
twenty-fourth and twenty-fifth, written after the session's fixes from those two and read first with them (the
two small changes after that move none of their figures):
{F['twenty-fourth']['mean']:.1f} and {F['twenty-fifth']['mean']:.1f} on average, {F['twenty-fourth']['at60']:.0f} and
{F['twenty-fifth']['at60']:.0f} at 60, {F['twenty-fourth']['caught']:.0f} and {F['twenty-fifth']['caught']:.0f} caught,
**{F['twenty-fourth']['above']:.0f} and {F['twenty-fifth']['above']:.0f} of 100 above the weak answer**. The twenty-sixth,
read first with the code after a few more fixes: **1 of 100** (an RNN encoder-decoder with attention explained as the
transformer, 53.3 against 50), then read and retired ({F['twenty-sixth']['above']:.0f} in this run, optimistic). The
twenty-seventh, written while the session's last changes were made and read first with this code: off-topic answers
average {F['twenty-seventh']['mean']:.1f}, {F['twenty-seventh']['at60']:.0f} reach 60, {F['twenty-seventh']['caught']:.0f}
are caught, **{F['twenty-seventh']['above']:.0f} of {F['twenty-seventh']['questions']:.0f} above the weak answer**. The
twenty-eighth, written after that session's last change and read first with its code: **1 of 100** (linear probing
explained under RAG's name, 69 against 46; the closed-world assumption explained under open- and closed-domain QA's
names tied its weak answer at 70); a session later it was read and retired (in this run
{F['twenty-eighth']['above']:.0f} of {F['twenty-eighth']['questions']:.0f}, optimistic): an answer of 30 or more terms that is 1.6
times as close to a concept of the atlas as to its question, and 0.13 closer, now reads as that concept, and q073 got
a misconception for it. Ten more sets were written the same way in that session. The twenty-ninth, read first after
those changes: **2 of 100** (ZeRO's sharding explained as parameter-efficient fine-tuning, 69 against 50; model
inversion under membership inference's name, 75 against 50), then read and retired (in this run
{F['twenty-ninth']['above']:.0f} of 100, optimistic). The thirtieth to thirty-eighth, each read first with the code of
its moment: 0 of 100 each (the thirty-fourth and thirty-sixth were retired after their honest weak answers told they
said something wrong were read; their off-topic answers were not). In this run the seven never read average
{', '.join(f"{F[k]['mean']:.1f}" for k in FRESH16)} off-topic, {sum(F[k]['at60'] for k in FRESH16):.0f} of 700 reach 60,
and **{sum(F[k]['above'] for k in FRESH16):.0f} of 700 outscore the honest weak answer**. So on fresh sets an answer about a
neighbouring concept outscores the honest weak answer to the same question in 0 to 3 of 100 read with the code of
their moment; of the twenty-four sets up to the sixty-first, seven had 1 and one had 2: rarely, not never, and a new set can find a
new one. The ones that still do share most of the asked concept's true facts (a per-token cutoff and top-p both cut
the tail and adapt the number of candidates; sharding and PEFT both cut the memory of fine-tuning) or are a neighbour
the bank's own questions sit close to (prompt injection and jailbreaking; open-book and open-domain QA; Bahdanau
attention and the transformer).

**Forty-two fresh sets of all six kinds** (the thirty-ninth to seventy-eighth, 2026-12-06, and the seventy-ninth and eightieth, 2026-12-07: a strong, partial, honest
weak, mixed, confidently wrong and off-topic answer to every one of the 100 questions, 600 answers each, by eight
writers per set who saw nothing but the seed; the first such sets since the seventh, which has 40 questions). Each was
read first with the code of its moment; the thirty-ninth to forty-first, the forty-third, the forty-fifth to
forty-seventh, the fifty-third, the fifty-sixth to fifty-ninth, the sixty-third to sixty-fifth, the sixty-seventh, the
sixty-eighth and the seventy-fourth were then read where they went wrong and tuned on (the kinds named in their notes
above; from the sixty-third on, only their off-topic pairs above the weak answer); the forty-second, forty-fourth,
forty-eighth to fifty-second, fifty-fourth, fifty-fifth, sixtieth to sixty-second, sixty-sixth, sixty-ninth to
seventy-third and seventy-fifth to eightieth were never read; the sixty-fifth was written at the start of the twenty-third session,
the sixty-sixth after its atlas change, the sixty-seventh after its bank change for prompt tuning, the sixty-eighth
after a q043 signal and the sixty-ninth to seventy-first after its last change; the seventy-second to seventy-fourth
at the start of the twenty-fourth session (read first with 2b7ea02, the twenty-third session's final code) and the
seventy-fifth while its changes were measured and the seventy-sixth after them (read first with its final code); the
seventy-seventh and seventy-eighth in the twenty-fifth session, which changed no grade (read first with 9e8e388, grade
for grade the twenty-fourth session's final code); the twenty-sixth session wrote none and changed grades (order words,
90fb865; bank phrasings, d6d4d96 and adb5e16), and so did the twenty-seventh (false alarms on right answers, offline-9,
chosen on right answers told wrong of sets frozen for those kinds, read by mistake, data/calibration/README.md; on the
twenty-one sets never read whole, compared by counts only, right answers told wrong went from 95 to 81 of 6,300, 3
fewer mixed answers of 2,100 were told a wrong claim and no wrong answer's grade moved), and so did the twenty-eighth
(offline-10: top-p's mechanism told for top-k without its name, the ninth set's read pair; no answer of these sets
moved) and the twenty-ninth (offline-11: an answer that never names the asked subject and reads as a sibling the bank
marks distinct, the fourth set's read pair; no answer of these sets moved), which then had the seventy-ninth written,
and the thirtieth (five bank signals whose words right statements say, removed: on these sets seven strong answers no
longer told wrong, and one wrong answer lost its only catch, 0 -> 30; then offline-12, phrasings from the tuning sets'
missed mixed answers and a claim looked for in every run of its own words: 11 more mixed answers found of 2,100, no
right answer moved; then offline-13, a long enumeration answering a question that asks for many things is no keyword
list: 3 strong answers and a mixed one lose a false list flag), which had the eightieth written at its start,
so their benchmark runs, this one with the thirtieth's final code, are the only readings of every set
with its code. First readings (in
set order): confidently wrong answers 15.9, 17.2, 22.2, 16.5, 17.5, 14.8, 18.6, 19.8, 13.3, 13.2,
13.7, 14.7, 18.6, 16.3, 13.7, 14.3, 19.2, 16.3, 13.8, 15.9, 14.7, 16.6, 15.5, 16.1, 14.9, 15.0, 17.2, 16.3, 18.3,
15.9, 16.0, 16.0, 15.0, 12.8, 15.3, 15.9, 16.1, 15.5, 16.4, 14.9, 14.4 and 11.6 on average, **7, 5, 10, 2, 6, 3, 5, 7, 2, 3, 2, 3, 7, 5, 2, 5, 9, 6, 1,
6, 3, 5, 7, 2, 6, 6, 7, 6, 9, 4, 3, 9, 3, 0, 4, 4, 7, 4, 5, 1, 5 and 2 of 100 at 60 or more**; off-topic answers above the honest
weak one in **1, 2, 0, 0, 2, 0, 1, 1, 1, 0, 0 (1 with the code committed when it was written), 0, 0, 0, 1, 0, 0, 2, 1,
2, 1, 0, 0, 0, 1, 1, 1, 0, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 and 0 of 100**; strong answers told they said something
wrong 5, 3, 6, 2, 1, 6, 3, 4, 4, 1, 3, 1, 1, 1, 3, 3, 2, 1, 5, 0, 2, 4, 1, 2, 1, 3, 4, 1, 1, 4, 2, 3, 4, 2, 3, 0, 1,
4, 3, 4, 1 and 0 of 100; the mixed answer's one wrong claim found in 32, 25, 29, 28, 34, 34, 30, 34, 36, 36,
35, 37, 31, 36, 30, 42, 36, 34, 30, 37, 28, 31, 32, 28, 34, 39, 43, 37, 24, 32, 39, 24, 29, 35, 34, 35, 28, 35,
27, 24, 33 and 29 of 100. The code each session started from gave about the same figures on the sets
read after it (the twenty-first session's start code 7b6995a gives the fifty-eighth and fifty-ninth the same figures
and the same off-topic pairs): the changes fix the answers they were chosen on and move little on sets read after them. On the
twenty-two six-kind sets of the nineteenth to thirtieth sessions whose answers were never read (the forty-eighth to
fifty-second, fifty-fourth, fifty-fifth, sixtieth to sixty-second, sixty-sixth, sixty-ninth to seventy-third and
seventy-fifth to eightieth), in this run: off-topic above the weak answer in
**{sum(SIX_FIGURES[k]['offtopic_above'] for k in NEVER_READ):.0f} of {100 * len(NEVER_READ):,}**, each read first with the code of its
moment (the forty-ninth had 1 with a878ebb, 0 with the hedge change made before it was read; in the twenty-first session diagnostics printed, by mistake, the misconception ids of some of their wrong and mixed answers and one eight-word span of a fifty-fifth-set partial answer, data/calibration/README.md; nothing was tuned on them). The pairs found on first
readings since were read and fixed: the fifty-third's (b809b12), the fifty-sixth's two (af1749b), the fifty-seventh's
(Monte Carlo tree search for beam search: bank q045 and the atlas), the fifty-eighth's two (top-k's fixed count in
digits for top-p, batch normalization under layer normalization's name: 9dca777), the fifty-ninth's (pre-training
for supervised fine-tuning: 8ac7d9b) and the sixty-third's (textbook classifier, k-means and PCA definitions for the
LLM question on supervised and unsupervised learning: the atlas, bf6970d, which also took the forty-first's like
pair to 0); in the twenty-third session the sixty-fourth's (a transpiler told for text-to-code models: transpilers in
the atlas, 8377126, which also took the fortieth's and fifty-sixth's like pairs to 0), the sixty-fifth's (few-shot
prompting, "which is why it's called in-context learning", told for prompt tuning: q019 m11), the sixty-seventh's
(top-k's "fixed number of the most likely tokens" told under top-p's name: a q043 m2 signal) and the sixty-eighth's two
(top-k's count fixed in other words, 4f995fb; a context window told as the vocabulary size, its "Early GPT-3 had 2,048"
showing GPT's 50K vocabulary by the name: a number said with no unit now counts what the point counts, 0ef3f93, which
moved only wrong and off-topic answers to that question, all down); in the twenty-fourth session the seventy-fourth's
(the context window told as the vocabulary size again, "how many tokens it can handle at once", a q027 m7 signal, beside
an honest weak answer told it claimed a vocabulary of every word: "you don't need a separate entry for every word" hangs
the claim on a denied word, 7b3fd49). Of the fifty-seven sets read first with the code of their moment, 23 had one or
two, and on the older sets one pair still does in this run (read in the
twentieth session): plain attention for scaled dot-product attention, queries, keys, values and the weighted blend
without the dot product or the scaling (27 against 0: its weak answer only repeats the question's words, "a dot
product ... some kind of scaling factor"). Three interviewers (helpers of the thirtieth session) shown the question,
the reference and the two answers unlabelled, in both orders, each scored it 2 of 5 and the weak answer 1 of 5 and
said it partly answers the question asked: a partial answer on the subject, not a confusion with another concept. Word-, character- and subword-level tokenization for BPE (the fourth set,
on topic by its words) and pre-training then instruction tuning for supervised versus unsupervised learning (the
third, the right answer in other words, never saying which is which) are 0 since the twenty-ninth session
(offline-11: BPE and the tokenization-levels question, and the two training-stage questions, are marked distinct, and
an answer that never names the asked subject and leans toward a marked sibling by the ordinary margin answers the
sibling); top-p explained for top-k without naming either (the ninth, retired, a tuning set; 50 against 30 from the
twenty-sixth session, after the bank lost a phrasing that had given the weak answer a false part-point, d6d4d96) is
0 since the twenty-eighth (offline-10: q044 m6's phrasings of top-p's mechanism). The fifth's top-k explained by its own name for
top-p (70 against 25) is 0 since the bank marks top-k and top-p, few-shot and zero-shot chain-of-thought, as siblings
not to confuse (`distinct_from`, c6c4818): an answer that opens on the sibling's name and never names the asked one's
answers the sibling (a rule that did this for every pair of alike questions, tried in the twenty-first session, took
zero-shot chain-of-thought explained for chain-of-thought prompting, a fair partial answer, to 0; kinds and synonyms
are not marked). So in this run no answer that explains another concept outscores the honest weak answer on any
set, and each pair a first reading found was read and fixed; "never" for answers not yet written cannot be shown by
counting, and fresh sets still find a new pair now and then: of the fourteen sets written in the twenty-third to twenty-fifth sessions,
read first with the code of their moment, the sixty-fifth to seventy-eighth had 1, 0, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0
and 0 (and the seventy-ninth, written in the twenty-ninth session after its changes, and the eightieth, written at the start of the thirtieth, 0 and 0): the twenty-third session's final code 2b7ea02 met six fresh sets (the sixty-ninth to seventy-fourth) and found
one pair in 600, the twenty-fourth's (7b3fd49 to 9e8e388, grade for grade one code) met four (the seventy-fifth to
seventy-eighth) and found 0 in 400, and each new pair is a confusion not met before in those words (top-k under top-p's name, the context window under
the vocabulary's, come back in new words: the bank's misconceptions for them have 85 and 40 phrasings). In this run, the
seventy-fifth (written in the twenty-fourth session, read first with its final code by per-kind figures, honest for
every kind): strong {S75['strong_mean']:.1f} ({S75['strong_told']:.0f} told wrong), partial {S75['partial_mean']:.1f},
weak {S75['weak_mean']:.1f}, mixed {S75['mixed_mean']:.1f} ({S75['mixed_caught']:.0f} of 100 found,
{S75['mixed_at80']:.0f} at 80+), **wrong {S75['wrong_mean']:.1f}, {S75['wrong_at60']:.0f} of 100 at 60+**
({S75['wrong_caught']:.0f} caught), off-topic {S75['offtopic_mean']:.1f}, **off-topic above the weak answer in
{S75['offtopic_above']:.0f} of 100**; a wrong answer scores above the honest weak answer to its question in
{S75['wrong_above']:.0f} of 100 (the weak answers of these sets are weaker than the off-topic sets', 36 to 43 on
average): wrong answers rank with the weak ones on average, not on every question. The
other never-read sets in this run: {'; '.join(
    f"the {k} wrong {SIX_FIGURES[k]['wrong_mean']:.1f} ({SIX_FIGURES[k]['wrong_at60']:.0f} at 60+), mixed "
    f"{SIX_FIGURES[k]['mixed_caught']:.0f} found, off-topic above weak {SIX_FIGURES[k]['offtopic_above']:.0f}"
    for k in NEVER_READ if k != 'seventy-fifth')}; the forty-fourth wrong {S44['wrong_mean']:.1f}
({S44['wrong_at60']:.0f} at 60+), off-topic above weak {S44['offtopic_above']:.0f}; the forty-second wrong
{S42['wrong_mean']:.1f} ({S42['wrong_at60']:.0f} at 60+), off-topic above weak {S42['offtopic_above']:.0f}. The
never-read kinds of the sets read in part: the seventy-fourth's wrong {S74['wrong_mean']:.1f}
({S74['wrong_at60']:.0f} at 60+), mixed {S74['mixed_caught']:.0f} found; the sixty-eighth's wrong {S68['wrong_mean']:.1f}
({S68['wrong_at60']:.0f} at 60+), mixed {S68['mixed_caught']:.0f} found; the sixty-seventh's wrong {S67['wrong_mean']:.1f}
({S67['wrong_at60']:.0f} at 60+), mixed {S67['mixed_caught']:.0f} found; the sixty-fifth's wrong
{S65['wrong_mean']:.1f} ({S65['wrong_at60']:.0f} at 60+), mixed {S65['mixed_caught']:.0f} found; the sixty-fourth's
wrong {S64['wrong_mean']:.1f} ({S64['wrong_at60']:.0f} at 60+), mixed {S64['mixed_caught']:.0f} found; the
sixty-third's wrong {S63['wrong_mean']:.1f} ({S63['wrong_at60']:.0f} at 60+), mixed {S63['mixed_caught']:.0f} found; the fifty-ninth's wrong {S59['wrong_mean']:.1f} ({S59['wrong_at60']:.0f}
at 60+), mixed {S59['mixed_caught']:.0f} found; the fifty-eighth's wrong {S58['wrong_mean']:.1f} ({S58['wrong_at60']:.0f}
at 60+), mixed {S58['mixed_caught']:.0f} found; the fifty-seventh's wrong {S57['wrong_mean']:.1f}
({S57['wrong_at60']:.0f} at 60+), mixed {S57['mixed_caught']:.0f} found; the fifty-sixth's wrong
{S56['wrong_mean']:.1f} ({S56['wrong_at60']:.0f} at 60+), mixed {S56['mixed_caught']:.0f} found; the fifty-third's
wrong {S53['wrong_mean']:.1f} ({S53['wrong_at60']:.0f} at 60+), mixed {S53['mixed_caught']:.0f} found; the
forty-seventh's wrong {S47['wrong_mean']:.1f} ({S47['wrong_at60']:.0f} at 60+), mixed {S47['mixed_caught']:.0f}
found; the forty-sixth's wrong {S46['wrong_mean']:.1f} ({S46['wrong_at60']:.0f} at 60+), mixed
{S46['mixed_caught']:.0f} found; the forty-fifth's wrong {S45['wrong_mean']:.1f} ({S45['wrong_at60']:.0f} at 60+);
the forty-third's wrong {S43['wrong_mean']:.1f} ({S43['wrong_at60']:.0f} at 60+), mixed {S43['mixed_caught']:.0f}
found; the fortieth's mixed {S40['mixed_mean']:.1f} ({S40['mixed_caught']:.0f} found) and wrong
{S40['wrong_mean']:.1f} ({S40['wrong_at60']:.0f} at 60+).

**Keyword lists** (ten sets of 300, 2026-12-06: per question a bare keyword list in the writer's own terms, in
commas, lines, periods, bullets, semicolons or after "Keywords:", a terse note-form answer whose statements relate
their terms, and an honest weak answer; `data/calibration/llm-100-lists*.jsonl`). The issue asks that a keyword list
in any punctuation never outscore an honest weak answer and that real sentences are not flagged as lists. On the four
sets never tuned on (the sixth, seventh, ninth and tenth; the ninth and tenth written after 401f45e, the rule change
of the twentieth session), with this code: keyword lists flagged {', '.join(f"{LIST_FIGURES[k]['flagged']:.0f}" for k in
FROZEN_LISTS)} of 100, **above the weak answer to their question in {sum(LIST_FIGURES[k]['above_weak'] for k in
FROZEN_LISTS):.0f} of 400** (1, 1, 0 and 1 with the twentieth session's start code 135615b); terse answers
{', '.join(f"{LIST_FIGURES[k]['terse_mean']:.1f}" for k in FROZEN_LISTS)} on average, **flagged as lists in
{sum(LIST_FIGURES[k]['terse_flagged'] for k in FROZEN_LISTS):.0f} of 400** (2, 1, 4 and 0 with the start code). The
rules (`lists.SHORT_LIST`, `_short_item`, `_states`, `_predicated`, `_sectioned`, the opening phrases and examples)
were chosen on the first five and the eighth (optimistic: lists above weak {', '.join(
f"{LIST_FIGURES[k]['above_weak']:.0f}" for k in TUNED_LISTS)}, terse flagged {', '.join(
f"{LIST_FIGURES[k]['terse_flagged']:.0f}" for k in TUNED_LISTS)}). Note-form answers are still where the list rules
err, and the grader knows no parts of speech: a verb it does not know, with no article after it ("targets latency
and serving cost"), reads as a noun. A list made of the grader's own phrasings (the first alternative of each key
point, comma-joined, which no user sees) still often outscores the weak answer: the rule reads lists, not what a list
copies.
"""
    write_section("offline-grader", "Offline grader: speed, agreement and correctness", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
