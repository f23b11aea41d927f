"""Answer before grader, under SIGKILL: the crash loop of benchmarks/crash_loop.py with 25 kills (the
benchmark runs 200+). After every kill the database passes integrity_check, every answer the child reported
saved is there byte for byte, nothing is half-written; at the end `interviewer stats` offers the waiting
answers and `interviewer regrade --ungraded` grades them all. See the benchmark's docstring for the checks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from interviewer.cli.main import main
from interviewer.store.repo import Store

ROOT = Path(__file__).resolve().parents[2]


def _crash_loop():
    spec = importlib.util.spec_from_file_location("crash_loop", ROOT / "benchmarks" / "crash_loop.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["crash_loop"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path):
    rep = _crash_loop().run(25, seed=7, home=tmp_path / "home", window=0.4)
    assert rep.problems == []
    assert rep.survived == rep.iterations == 25
    # the loop did real work and the kills landed where it matters; the parent waits for a drawn number of
    # saves (not a time) before each kill's random delay, so this holds however loaded the machine is
    assert rep.awaited > 0 and rep.saved >= rep.awaited and rep.graded > 0
    assert rep.phases["answer pending (grading)"] > 0 and rep.phases["starting"] > 0
    assert rep.pending_at_end > 0
    assert " ungraded: grade " in rep.offered and "interviewer regrade --ungraded" in rep.offered
    assert rep.regraded.startswith("re-graded ")


def test_stats_offers_answers_that_wait_for_a_grade(capsys, isolated_home):
    store = Store.open(isolated_home / "interviewer.db")
    a = store.add_attempt(bank_id="llm-100", question_id="llm-q001", prompt="p", answer="kept while grading")
    assert main(["stats"]) == 0
    assert capsys.readouterr().err == "1 answer is ungraded: grade it with `interviewer regrade --ungraded`\n"
    store.mark_ungraded(a.id, "server down")
    store.add_attempt(bank_id="llm-100", question_id="llm-q002", prompt="p", answer="another")
    from interviewer.core.models import AttemptKind

    store.add_attempt(bank_id="llm-100", question_id="llm-q003", prompt="p", answer="", kind=AttemptKind.skipped)
    assert main(["stats", "--json"]) == 0
    assert capsys.readouterr().err.startswith("2 answers are ungraded: grade them")  # skips don't count
    assert main(["regrade", "--ungraded", "--backend", "offline"]) == 0
    capsys.readouterr()
    assert main(["stats"]) == 0
    assert capsys.readouterr().err == ""
    store.close()
