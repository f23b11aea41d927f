"""The shipped calibration set is well-formed, and the offline grader's agreement on it and on the Mohler dev
file stays where the benchmark says (Mohler: clearly above TF-IDF cosine's r = 0.435)."""

from __future__ import annotations

import asyncio
import collections
import json

import pytest

from conftest import MOHLER
from interviewer.grading.evaluate import load_records, run_eval
from interviewer.grading.offline.grader import OfflineGrader

TFIDF_R = 0.435
"""Pearson r of TF-IDF cosine to the reference on the Mohler dev file (shared/asag/README.md)."""
MOHLER_FLOOR = 0.57
"""Judging correctness must not cost agreement with people: issue 12 keeps Mohler dev r at or above this (a
grader change once took it to 0.570 unnoticed, with only the TF-IDF bound here)."""


def test_calibration_set_shape(services):
    path = services.locations.calibration_path
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    by_q = collections.defaultdict(set)
    bank = services.bank("llm-100")
    for r in rows:
        assert {"question_id", "question", "reference", "answer", "score", "level"} <= set(r)
        q = bank.get(r["question_id"])
        assert q is not None and r["question"] == q.question
        assert 0 <= r["score"] <= 5
        by_q[r["question_id"]].add(r["level"])
    assert len(by_q) >= 20
    assert all(levels >= {"strong", "partial", "weak", "wrong"} for levels in by_q.values())
    # Written the way people speak: fillers in many answers.
    fillers = sum(1 for r in rows if any(f in r["answer"].lower() for f in ("um,", "uh", " like ", "so ", "basically")))
    assert fillers >= len(rows) // 2


def test_offline_grader_on_the_calibration_set(services):
    recs, field = load_records(services.locations.calibration_path, services=services)
    report, items = asyncio.run(run_eval(recs, OfflineGrader(), label_field=field))
    assert report.failed == 0
    assert report.pearson > 0.8
    mean = collections.defaultdict(list)
    for it in items:
        mean[it.record.level].append(it.score)
    avg = {k: sum(v) / len(v) for k, v in mean.items()}
    assert avg["strong"] > avg["partial"] > max(avg["weak"], avg["wrong"])


@pytest.mark.skipif(not MOHLER.exists(), reason=f"shared Mohler dev file not present at {MOHLER}")
def test_mohler_dev_beats_tfidf(services):
    recs, field = load_records(MOHLER, services=services)
    assert field == "score_avg" and len(recs) > 1000
    report, _ = asyncio.run(run_eval(recs, OfflineGrader(), label_field=field))
    assert report.failed == 0
    assert report.pearson > TFIDF_R + 0.05, report.pearson
    assert report.pearson >= MOHLER_FLOOR, report.pearson
