"""`interviewer practice --plain`: the same session as line-by-line prompts, working through a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert "Recorded as “I don't know”." in out and "I don't know, " in out  # the summary says it the same way
    assert "Session summary: 1 answered, 1 graded" in out
    assert "\x1b[" not in out  # plain text: no colour or cursor codes
    from interviewer.app.services import Services

    svc = Services.create()
    kinds = sorted((a.kind.value, a.status.value) for a in svc.store.attempts())
    assert kinds == [("answer", "graded"), ("dont_know", "ungraded")]
    assert svc.store.latest_grade(svc.store.attempts(status=AttemptStatus.graded)[0].id).grade.grader.backend \
        == "offline"
    svc.close()


def test_the_summary_says_when_the_answer_said_the_opposite(services):
    out = run(services, "An LLM is a transformer model, but it is not trained on vast amounts of text data.\n\n\n",
              count=1)
    kps = out.split("Key points you left out or got wrong:")[1].split("What to practise next:")[0]
    first = kps.strip().splitlines()[0]
    assert first == "- A neural network trained on vast amounts of text data (you said the opposite)"


def test_follow_up_answer_is_linked(services):
    services.grader = KeywordGrader(follow_up="How is it trained?")
    out = run(services, "a transformer\n\non huge amounts of text\n\n", count=1)
    assert "Follow-up: How is it trained?" in out
    assert "(follow-up)" in out
    atts = services.store.attempts()
    child = next(a for a in atts if a.parent_id is not None)
    parent = next(a for a in atts if a.parent_id is None)
    assert child.parent_id == parent.id and child.prompt == "How is it trained?"
    assert child.answer == "on huge amounts of text" and child.status is AttemptStatus.graded


def test_failed_grading_offers_offline_or_keep(services):
    services.grader = KeywordGrader(fail="the server is down")
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
    services.grader = KeywordGrader()
    out = run(services, "", count=3)
    assert "Session summary: 0 answered" in out
    assert services.store.attempts() == []


def test_mock_mode_holds_feedback_until_the_end(services):
    services.grader = KeywordGrader()
    out = run(services, "transformer\n\nattention\n\n", count=2, mock=True)
    first_q2 = out.index("Question 2/2")
    assert "Score " not in out[:first_q2]
    assert out.count("Score ") == 2 and "Session summary: 2 answered, 2 graded" in out


def test_control_characters_in_answers_are_not_echoed_raw(services):
    services.grader = KeywordGrader()
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


# --------------------------------------------------------------------------- every prompt, every command


def _answers(services):
    return sorted((a.parent_id is not None, a.kind.value, a.answer) for a in services.store.attempts())


def test_the_issues_pipe_stores_no_command_as_an_answer(isolated_home):
    """`printf 'answer\\n\\n/idk\\n/skip\\n' | interviewer practice --plain -n 3`: the follow-up prompt takes /idk
    as "I don't know" (it used to swallow it and /skip, and store '/idk\\n/skip' as an answer and grade it)."""
    env = {**os.environ, "INTERVIEWER_HOME": str(isolated_home)}
    r = subprocess.run([str(BIN), "practice", "--plain", "-n", "3", "--order", "in-order"], input="answer\n\n/idk\n/skip\n",
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    from interviewer.app.services import Services

    svc = Services.create()
    stored = _answers(svc)
    svc.close()
    assert not any(text.strip().startswith("/") for _f, _k, text in stored), stored
    assert stored == [(False, "answer", "answer"), (False, "skipped", ""), (True, "dont_know", "")]
    assert "Session summary: 1 answered, 1 graded" in r.stdout and "not reached" in r.stdout


def test_every_prompt_shown_is_explained_at_the_start(services):
    from interviewer.cli.commands.plain import ANSWER, FOLLOW_UP, PROMPT_HELP, RETRY

    services.grader = KeywordGrader(fail="the server is down", fail_times=1, follow_up="Why?")
    out = run(services, "transformer\n\nr\n\n", count=1)
    intro = out[: out.index("Question 1/1")]
    assert PROMPT_HELP in intro
    for prompt in (ANSWER, FOLLOW_UP, RETRY):
        assert prompt in out, prompt  # each prompt was really shown in this session...
        assert prompt.strip() in intro  # ...and explained before the first question
    for command in ("/skip", "/idk", "/quit", "/help"):
        assert command in intro


@pytest.mark.parametrize(("typed", "want", "summary"), [
    # /quit at the follow-up prompt ends the session after that question
    ("transformer\n\n/quit\n", [(False, "answer", "transformer")], "1 answered"),
    # /skip at the follow-up goes on without storing anything; the next question is asked
    ("transformer\n\n/skip\n/idk\n", [(False, "answer", "transformer"), (False, "dont_know", "")], "1 answered"),
    # an empty line at the follow-up goes on too
    ("transformer\n\n\n/skip\n", [(False, "answer", "transformer"), (False, "skipped", "")], "1 answered"),
    # a follow-up answered, then end of input: graded, linked, session ends cleanly
    ("transformer\n\ntrained on huge amounts of text", [(False, "answer", "transformer"),
                                                        (True, "answer", "trained on huge amounts of text")],
     "1 answered"),
    # text typed before /skip is kept with the skip (as the app's Ctrl+N does); never graded
    ("half an answer\n/skip\n/quit\n", [(False, "skipped", "half an answer")], "0 answered"),
    # /idk with nothing typed
    ("/idk\n/quit\n", [(False, "dont_know", "")], "0 answered"),
    # a mistyped command is left out of the answer, not stored as words of it
    ("transformer\n/skp\ntrained on text\n\n/quit\n", [(False, "answer", "transformer\ntrained on text")],
     "1 answered"),
    # end of input in the middle of an answer: what was typed is submitted, the session ends
    ("transformer trained on huge amounts of text", [(False, "answer", "transformer trained on huge amounts of text")],
     "1 answered"),
])
def test_commands_work_at_every_prompt(services, typed, want, summary):
    services.grader = KeywordGrader(follow_up="How is it trained?")
    out = run(services, typed, count=2)
    assert _answers(services) == sorted(want)
    assert f"Session summary: {summary}" in out


def test_quit_keeps_what_was_typed_as_a_draft_the_app_offers(services):
    from interviewer.app.practice import restorable_drafts

    services.grader = KeywordGrader()
    out = run(services, "a transformer\nthat was trained on\n/quit\n", count=1)
    assert "kept as a draft" in out and services.store.attempts() == []
    (d,) = restorable_drafts(services)
    assert d["text"] == "a transformer\nthat was trained on"


def test_quit_at_the_grading_failure_prompt_keeps_the_answer_and_ends(services):
    services.grader = KeywordGrader(fail="the server is down")
    out = run(services, "transformer\n\n/quit\nnever read\n", count=2)
    assert "Kept for later" in out and "Question 2/2" not in out
    (a,) = services.store.attempts()
    assert (a.answer, a.status) == ("transformer", AttemptStatus.ungraded)
    out = run(services, "attention\n\nx\n\n", count=1)  # an unknown choice is asked again, then an empty line keeps
    assert "Type r to retry" in out and "Kept for later" in out


def test_an_answer_the_database_will_not_take_goes_to_a_rescue_file(services, monkeypatch, tmp_path):
    """Disk full at the moment of saving: the answer is written to a rescue file, the session stops with the
    fault's message, the exit code is 2 and the answers saved before are still there."""
    from interviewer.app.rescue import answer_of
    from interviewer.core.errors import DatabaseError

    services.grader = KeywordGrader(follow_up="")
    store = services.store
    real = store.add_attempt
    calls = []

    def add_attempt(**kw):
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseError("the disk holding /x is full (0 bytes free)", hint="free some space", kind="full")
        return real(**kw)

    monkeypatch.setattr(store, "add_attempt", add_attempt)
    monkeypatch.setenv("HOME", str(tmp_path))
    out = io.StringIO()
    code = run_plain(services, SessionOptions(order="in-order", count=3), io.StringIO(
        "first answer\n\nsecond answer, lost?\n\nthird\n\n"), out)
    text = out.getvalue()
    assert code == 2
    assert "Your answer was NOT saved" in text and "The session stopped: the disk holding /x is full" in text
    rescued = list((services.locations.data_dir / "rescued").glob("*.txt"))
    assert len(rescued) == 1 and answer_of(rescued[0].read_text()) == "second answer, lost?"
    assert str(rescued[0]) in text
    assert [a.answer for a in store.attempts()] == ["first answer"]
    assert "Question 3/3" not in text and "Session summary" in text
