"""Text from the answer, the model, a server or an imported bank is never rendered as terminal control sequences
or as Rich markup in CLI output: `grade` (report, ungraded message), `stats`, `history`, `export --format md`
(file and stdout), `regrade`, `eval`, and error lines. Every such text below carries ESC sequences (clear the
screen, set the title, write the clipboard with OSC 52), an 8-bit CSI, BEL, a carriage return, a bidi override,
and Rich markup (including unbalanced closing tags, which would make Rich raise if parsed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import tomli_w

from fakes import (
    FakeLLMServer,
    Reply,
    make_reply,
    request_answer,
    request_criterion_ids,
    request_key_point_ids,
)
from interviewer.backends.retry import RetryPolicy
from interviewer.cli.main import main
from interviewer.core.models import Grade, GraderInfo
from interviewer.store.repo import Store
from interviewer.termsafe import REPLACEMENT, safe, safe_model

MARKUP = "[bold red]INJECTED[/bold red] [link=https://evil.example]click[/link] [/] [/bold]"
ESCAPES = "\x1b[2J\x1b[H \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x9b31m \x1b[31mred\r\u202eesrever"
EVIL = f"{MARKUP} {ESCAPES}"
SHORT = "[bold red]INJ[/bold red] [/] \x1b[2J\x1b]0;t\x07\x9b1m\r\u202e"  # fits the bank's length limits
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ANSWER = f"So attention is softmax of Q K transpose over root d k, times V. {EVIL}"


def assert_clean(*texts: str) -> None:
    for t in texts:
        bad = CONTROL.findall(t)
        assert not bad, f"control characters reached the terminal: {bad[:5]!r}"


@pytest.fixture(autouse=True)
def env(monkeypatch, isolated_home):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-123")
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, i: 0.01)
    (isolated_home / "config.toml").write_text("[grader]\ntimeout = 2\ndeadline = 5\nmax_retries = 0\n")
    return isolated_home


def evil_judge(rec) -> Reply:
    answer = request_answer(rec) or ""
    kps, crits = request_key_point_ids(rec), request_criterion_ids(rec)
    reply = make_reply(kps, crits, answer, evidence=EVIL, key_points_as_list=True,
                       misconceptions=[{"id": "new", "claim": f"Wrong: {EVIL}", "correction": "",
                                        "quote": "[bold red]INJECTED[/bold red] [link=https://evil.example]click"}],
                       summary=f"Summary {EVIL}", better_answer=f"Better {EVIL}", follow_up=f"Why {EVIL}?")
    reply["key_points"][0]["evidence"] = "attention is softmax of Q K"  # real quotes, the rest discarded
    reply["key_points"][3]["evidence"] = "times V. [bold red]INJECTED[/bold red]"  # k4: "The weights multiply V"
    reply["criteria"][crits[0]]["rationale"] = f"Rationale {MARKUP}"  # all of EVIL would be the answer itself
    return Reply.ok(reply, model=f"served-{EVIL}")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_safe_replaces_every_control_character_and_keeps_the_rest():
    cleaned = safe(EVIL + "\ttab\nnew line, ünïcödé, 日本語, emoji 🙂")
    assert_clean(cleaned)
    assert cleaned.count(REPLACEMENT) == len(CONTROL.findall(EVIL)) == 10
    assert MARKUP in cleaned and "\ttab\nnew line, ünïcödé, 日本語, emoji 🙂" in cleaned
    g = Grade(score=50, verdict="partial", criteria=[], summary=EVIL, grader=GraderInfo(backend="t", model=EVIL))
    sg = safe_model(g)
    assert_clean(sg.summary, sg.grader.model)
    assert safe_model(sg) is sg  # already clean: returned as is


def test_grade_report_prints_answer_and_model_text_literally(capsys, env):
    with FakeLLMServer(responder=evil_judge) as srv:
        code, out, err = run(capsys, "grade", "-q", "llm-q030", "--answer", ANSWER, "--backend", "openai",
                             "--model", "fake-model", "--base-url", srv.openai_url)
    assert code == 0, err
    assert_clean(out, err)
    flat = " ".join(out.split())
    for field in ("Summary", "Better", "Why", "Rationale", "Wrong:"):
        assert f"{field} [bold red]INJECTED[/bold red]" in flat  # markup shown literally, not applied
    assert "[link=https://evil.example]click[/link] [/] [/bold]" in flat
    assert 'you said: "times V. [bold red]INJECTED[/bold red]"' in flat  # the quotes from the answer too
    with FakeLLMServer(responder=evil_judge) as srv:
        code, out, err = run(capsys, "grade", "-q", "llm-q030", "--answer", ANSWER, "--backend", "openai",
                             "--model", "fake-model", "--base-url", srv.openai_url, "--json", "--no-cache")
    assert code == 0 and json.loads(out)["summary"] == f"Summary {EVIL}"
    assert_clean(out, err)


def test_grade_report_with_colour_has_only_our_own_styles(env):
    """In a real colour terminal Rich emits SGR codes for our own styles; nothing else may get through."""
    (env / "config.toml").write_text("")
    proc = subprocess.run([sys.executable, "-m", "interviewer", "grade", "-q", "llm-q030", "--answer", ANSWER,
                           "--backend", "offline"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" in proc.stdout  # colour is on
    assert_clean(re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout), proc.stderr)


def test_ungraded_message_from_a_hostile_server_is_clean(capsys, env):
    with FakeLLMServer() as srv:
        srv.script(Reply.error(500, f"oops {EVIL}"))
        code, out, err = run(capsys, "grade", "-q", "llm-q030", "--answer", ANSWER, "--backend", "openai",
                             "--model", "fake-model", "--base-url", srv.openai_url)
        assert code == 1 and "had a server error (500)" in err
        assert_clean(out, err)
        srv.script(Reply.error(503, f"down {EVIL}"))
        code, out, err = run(capsys, "regrade", "1", "--backend", "openai", "--model", "fake-model",
                             "--base-url", srv.openai_url)
        assert code == 1 and "#1 llm-q030: not graded:" in err
        assert_clean(out, err)


@pytest.fixture
def evil_history(env):
    """A user bank whose text is hostile (banks are shared as files), and graded attempts whose grades carry
    hostile model text (as an imported history file could)."""
    banks = env / "banks"
    banks.mkdir(exist_ok=True)
    doc = {"bank": {"id": "evil", "title": f"Evil {SHORT}", "version": 1},
           "questions": [{"id": "evil-q1", "number": 1, "topic": f"Topic {SHORT}", "question": f"Question {SHORT}",
                          "reference": f"Ref {SHORT}", "key_points": [{"id": "k1", "text": f"Key {SHORT}"}]}]}
    (banks / "evil.toml").write_text(tomli_w.dumps(doc))
    store = Store.open(env / "interviewer.db")
    from interviewer.core.models import CriterionScore, KeyPointResult, KeyPointStatus

    for _ in range(2):
        a = store.add_attempt(bank_id="evil", question_id="evil-q1", prompt=f"Question {EVIL}", answer=ANSWER)
        store.add_grade(a.id, Grade(score=20, verdict="not yet", summary=f"Summary {EVIL}",
                                    criteria=[CriterionScore(criterion_id="correctness", level=1, rationale=EVIL)],
                                    key_points=[KeyPointResult(key_point_id="k1", status=KeyPointStatus.missing)],
                                    misconceptions=[EVIL], better_answer=EVIL, follow_up=EVIL, flags=[EVIL],
                                    grader=GraderInfo(backend="openai", model=f"m {EVIL}")))
    store.close()
    return env


def test_bank_with_hostile_text_is_listed_and_shown_cleanly(capsys, evil_history):
    code, out, err = run(capsys, "bank", "list")
    assert code == 0 and "Evil [bold red]INJ[/bold red] [/]" in out, err
    assert_clean(out, err)
    code, out, err = run(capsys, "bank", "show", "evil-q1")
    assert code == 0 and "Question [bold red]INJ[/bold red] [/]" in out, err
    assert_clean(out, err)


def test_stats_and_history_print_hostile_text_literally(capsys, evil_history, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no cell is cut
    code, out, err = run(capsys, "stats", "--all")
    assert code == 0, err
    assert_clean(out, err)
    flat = " ".join(out.split())
    assert "Topic [bold red]INJ" in flat and "Key [bold red]INJ[/bold red]" in flat
    code, out, err = run(capsys, "history")
    assert code == 0, err
    assert_clean(out, err)
    assert "Question [bold red]INJ[/bold red] [/]" in out  # the title cell keeps the brackets
    assert "openai:m [bold red]…" in out  # the grader cell too (grader names are cut at 20 columns)
    for args in (("history", "--json"), ("stats", "--json")):
        code, out, err = run(capsys, *args)
        assert code == 0 and json.loads(out)
        assert_clean(out, err)  # JSON escapes controls below 0x20; C1 and bidi are written as \u escapes too
    assert json.loads(out)["topics"][0]["key"] == f"Topic {SHORT}"  # the same data for a parser


def test_markdown_export_has_no_control_sequences(capsys, evil_history, tmp_path):
    code, out, err = run(capsys, "export", "--format", "md", "-o", "-")
    assert code == 0, err
    assert_clean(out, err)
    assert f"Summary {MARKUP}" in out and ANSWER.split(" [")[0] in out
    dest = tmp_path / "report.md"
    code, _, err = run(capsys, "export", "--format", "md", "-o", str(dest))
    assert code == 0, err
    assert_clean(dest.read_text())
    code, out, err = run(capsys, "export", "--format", "csv", "-o", "-")
    assert code == 0 and "evil-q1" in out
    assert_clean(out.replace("\n", " ").replace("\r", " "), err)  # the CSV's own CRLF line ends are fine


def test_eval_report_prints_hostile_labels_and_errors_literally(capsys, env, tmp_path):
    labels = tmp_path / "labels.jsonl"
    rec = {"question": f"Q {MARKUP}", "reference": "Attention weights values by query-key similarity.",
           "answer": "softmax of scores", "score": 3, "qid": "q1"}
    labels.write_text(json.dumps(rec) + "\n" + json.dumps({**rec, "answer": "another answer"}) + "\n")
    with FakeLLMServer() as srv:
        srv.script(Reply.error(400, f"bad {EVIL}"))
        code, out, err = run(capsys, "--base-url", srv.openai_url, "eval", str(labels), "--backend", "openai",
                             "--model", "fake-model", "--concurrency", "1")
    assert code in (0, 1), err
    assert_clean(out, err)
    flat = " ".join(out.split())
    assert "failed line" in flat and "[bold red]INJECTED[/bold red]" in flat


def test_error_lines_are_clean(capsys, env):
    code, out, err = run(capsys, "grade", "-q", f"no-such{ESCAPES}", "--answer", "x", "--backend", "offline")
    assert code == 2 and err.startswith("error: no question with id")
    assert_clean(out, err)
    code, out, err = run(capsys, "history", "--bogus")  # a usage error is click's usage message, not a crash
    assert code == 2 and "No such option: --bogus" in err and "unexpected" not in err
