"""`interviewer practice --plain`: the same session as line-by-line prompts, working through a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from interviewer.app.practice import SessionOptions
from interviewer.cli.commands.practice import run_plain
from interviewer.core.models import AttemptKind, AttemptStatus
from tui_helpers import KeywordGrader

BIN = Path(sys.executable).with_name("interviewer")


def run(services, text: str, **opts) -> str:
    out = io.StringIO()
    assert run_plain(services, SessionOptions(order="in-order", **opts), io.StringIO(text), out) == 0
    return out.getvalue()


def test_piped_session_on_the_real_offline_grader(isolated_home):
    answers = ("A large language model is a transformer trained on huge amounts of text.\n"
               "It can generate human-like text.\n\n"  # answer 1 ends at the empty line
               "\n"                                       # no follow-up
               "/idk\n")
    env = {**os.environ, "INTERVIEWER_HOME": str(isolated_home), "NO_COLOR": "1"}
    r = subprocess.run([str(BIN), "--grader", "offline", "practice", "--plain", "-n", "2", "--order", "in-order"],
                       input=answers, capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Question 1/2" in out and "What is a Large Language Model" in out
    assert "Score " in out and "Key points covered:" in out and 'you said: "' in out
    assert "Recorded as I don't know." in out
    assert "Session summary: 1 answered, 1 graded" in out
    assert "\x1b[" not in out  # plain text: no colour or cursor codes
    from interviewer.app.services import Services

    svc = Services.create()
    kinds = sorted((a.kind.value, a.status.value) for a in svc.store.attempts())
    assert kinds == [("answer", "graded"), ("dont_know", "ungraded")]
    assert svc.store.latest_grade(svc.store.attempts(status=AttemptStatus.graded)[0].id).grade.grader.backend \
        == "offline"
    svc.close()


def test_follow_up_answer_is_linked(services):
    services._grader = KeywordGrader(follow_up="How is it trained?")
    out = run(services, "a transformer\n\non huge amounts of text\n\n", count=1)
    assert "Follow-up: How is it trained?" in out
    assert "(follow-up)" in out
    atts = services.store.attempts()
    child = next(a for a in atts if a.parent_id is not None)
    parent = next(a for a in atts if a.parent_id is None)
    assert child.parent_id == parent.id and child.prompt == "How is it trained?"
    assert child.answer == "on huge amounts of text" and child.status is AttemptStatus.graded


def test_failed_grading_offers_offline_or_keep(services):
    services._grader = KeywordGrader(fail="the server is down")
    out = run(services, "transformer text\n\no\n\n/skip\n", count=2)
    assert "Grading failed: the server is down" in out
    graded = services.store.attempts(status=AttemptStatus.graded)
    assert len(graded) == 1
    assert services.store.latest_grade(graded[0].id).grade.grader.backend == "offline"

    out = run(services, "another answer\n\nk\n", count=1)
    assert "Kept for later" in out
    kept = [a for a in services.store.attempts(status=AttemptStatus.ungraded) if a.kind is AttemptKind.answer]
    assert [a.answer for a in kept] == ["another answer"] and kept[0].error == "the server is down"


def test_end_of_input_ends_the_session_with_a_summary(services):
    services._grader = KeywordGrader()
    out = run(services, "", count=3)
    assert "Session summary: 0 answered" in out
    assert services.store.attempts() == []


def test_mock_mode_holds_feedback_until_the_end(services):
    services._grader = KeywordGrader()
    out = run(services, "transformer\n\nattention\n\n", count=2, mock=True)
    first_q2 = out.index("Question 2/2")
    assert "Score " not in out[:first_q2]
    assert out.count("Score ") == 2 and "Session summary: 2 answered, 2 graded" in out


def test_control_characters_in_answers_are_not_echoed_raw(services):
    services._grader = KeywordGrader()
    out = run(services, "transformer \x1b[2J\x1b]0;pwned\x07 trained on huge amounts of text\n\n\n", count=1)
    assert "\x1b" not in out and "\x07" not in out
    assert "transformer" in out


def test_bad_options_are_one_line_errors(isolated_home):
    env = {**os.environ, "INTERVIEWER_HOME": str(isolated_home)}
    r = subprocess.run([str(BIN), "practice", "--plain", "--order", "sideways"], capture_output=True, text=True,
                       env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and "unknown order 'sideways'" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([str(BIN), "practice", "--plain", "--topic", "Cooking"], capture_output=True, text=True,
                       env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and "no topic 'Cooking'" in r.stderr
