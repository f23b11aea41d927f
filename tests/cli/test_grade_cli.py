"""`interviewer grade` and `interviewer doctor` against the fake server on 127.0.0.1, as OpenAI-compatible
server, as Ollama, and through litellm: every scripted fault ends in a valid grade or in `ungraded` with an
actionable message; the answer is in the database before the first byte reaches a backend; the API key never
reaches stdout, stderr or the database file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakes import FakeLLMServer, Reply, make_reply, refused_url
from interviewer.backends.retry import RetryPolicy
from interviewer.cli.main import main
from interviewer.core.models import Grade

KEY = "sk-test-SECRET-123"
ANSWER = ("Um, so attention is softmax of Q times K transpose, divided by the square root of d k, and then that "
          "multiplies V, so you get a weighted sum of the values.")
KPS = ["k1", "k2", "k3", "k4", "k5", "k6"]
CRITS = ["correctness", "coverage", "clarity", "depth"]


@pytest.fixture
def srv():
    with FakeLLMServer(models=["fake-model"], ollama_models=["llama3.1:8b"]) as s:
        yield s


@pytest.fixture(autouse=True)
def env(monkeypatch, isolated_home):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, i: 0.01)  # fast retries; the policy has unit tests
    (isolated_home / "config.toml").write_text("[grader]\ntimeout = 0.5\ndeadline = 1.5\n")
    return isolated_home


@pytest.fixture
def answer_file(tmp_path) -> Path:
    p = tmp_path / "a.txt"
    p.write_text(ANSWER + "\n")
    return p


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def backend_args(kind: str, srv: FakeLLMServer | None, url: str | None = None) -> list[str]:
    if kind == "openai":
        return ["--backend", "openai", "--model", "fake-model", "--base-url", url or srv.openai_url]
    if kind == "ollama":
        return ["--backend", "ollama", "--model", "llama3.1:8b", "--base-url", url or srv.url]
    if kind == "litellm-openai":
        return ["--backend", "litellm", "--model", "openai/fake-model", "--base-url", url or srv.openai_url]
    if kind == "litellm-ollama":
        return ["--backend", "litellm", "--model", "ollama_chat/llama3.1:8b", "--base-url", url or srv.url]
    raise AssertionError(kind)


def db_rows(home: Path) -> list[dict]:
    con = sqlite3.connect(home / "interviewer.db")
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM attempts ORDER BY id")]
    for r in rows:
        r["grades"] = [dict(g) for g in con.execute("SELECT * FROM grades WHERE attempt_id = ?", (r["id"],))]
    con.close()
    return rows


def assert_no_key_anywhere(home: Path, *texts: str) -> None:
    for t in texts:
        assert KEY not in t
    for f in home.rglob("*"):
        if f.is_file():
            assert KEY.encode() not in f.read_bytes(), f"the API key leaked into {f.name}"


# ---------------------------------------------------------------------------------------------- success


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_grade_json_stores_attempt_and_grade(capsys, srv, env, answer_file, kind):
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args(kind, srv), "--json")
    assert code == 0, err
    grade = Grade.model_validate_json(out)
    assert grade.grader.backend == kind and grade.grader.prompt_version == "grade-v2"
    (row,) = db_rows(env)
    assert row["status"] == "graded" and row["answer"] == ANSWER and row["question_id"] == "llm-q030"
    (g,) = row["grades"]
    assert g["score"] == grade.score and g["backend"] == kind and g["prompt_tokens"] == 812
    assert_no_key_anywhere(env, out, err)


def test_readable_report(capsys, srv, answer_file):
    srv.script(Reply.ok(make_reply(KPS, CRITS, ANSWER, status={"k1": "covered", "k2": "partial"},
                                   evidence={"k1": "softmax of Q times K transpose", "k2": "made up words"},
                                   misconceptions=["Softmax is not applied to V."])))
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args("openai", srv))
    assert code == 0, err
    for needle in ("Explain the attention mechanism formula.", "Score ", "Criteria", "correctness", "Key points",
                   'you said: "softmax of Q times K transpose"', "quote not counted",
                   "Softmax is not applied to V.", "Follow-up question", "graded by openai:fake-model",
                   "prompt grade-v2", "rubric default@1", "812+345 tokens", "attempt 1"):
        assert needle in out, needle


def test_answer_is_stored_before_the_first_byte(capsys, srv, env, answer_file):
    seen: list[tuple[str, str, str]] = []

    def check_db(rec):
        con = sqlite3.connect(env / "interviewer.db")
        seen.extend((rec.path, *r) for r in con.execute("SELECT answer, status FROM attempts"))
        con.close()

    srv.on_request = check_db
    for kind in ("openai", "ollama"):
        run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args(kind, srv), "--no-cache")
    first_openai = next(s for s in seen if s[0] == "/v1/chat/completions")
    first_ollama = next(s for s in seen if s[0] == "/api/tags")  # Ollama's first byte is the model check
    assert first_openai[1:] == (ANSWER, "pending") and first_ollama[1] == ANSWER


def test_cache_and_no_cache(capsys, srv, answer_file):
    args = ["grade", "-q", "llm-q030", "-f", answer_file, *backend_args("openai", srv), "--json"]
    run(capsys, *args)
    code, out, _ = run(capsys, *args)
    assert code == 0 and "reused a cached grade" in out and len(srv.chat_requests) == 1
    run(capsys, *args, "--no-cache")
    assert len(srv.chat_requests) == 2


def test_offline_backend(capsys, env, answer_file):
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, "--backend", "offline", "--json")
    assert code == 0, err
    assert Grade.model_validate_json(out).grader.backend == "offline"
    assert db_rows(env)[0]["status"] == "graded"


# ---------------------------------------------------------------------------------------------- faults

VALID = json.dumps(make_reply(KPS, CRITS, ANSWER))

# name -> (chat script, expected exit code, needle in the stderr message (per protocol), chat requests)
FAULTS = {
    "429-then-ok": ([Reply.error(429, "slow down", headers={"Retry-After": "0"})], 0, None, 2),
    "500s": ([Reply.error(500, "boom")] * 4, 1, {"openai": "server error (500)", "ollama": "answered 500",
                                                 "litellm-openai": "server error (500)",
                                                 "litellm-ollama": "server error (500)"}, 4),
    "hang": ([Reply.hang(10)] * 6, 1, "deadline", None),
    "truncated-then-ok": ([Reply.ok(VALID[:250], finish_reason="length")], 0, None, 2),
    "truncated-twice": ([Reply.ok(VALID[:250], finish_reason="length")] * 2, 1, "cut off", 2),
    "prose": ([Reply.ok("The answer is decent, 7/10."), Reply.ok("Honestly, 7/10.")], 1, "not JSON", 2),
    "fenced": ([Reply.ok(f"```json\n{VALID}\n```")], 0, None, 1),
    "echoed-key": ([Reply.echo(401)], 1, "401", 1),
    "dropped": ([Reply.drop()], 0, None, 2),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["openai", "ollama", "litellm-openai", "litellm-ollama"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_ends_graded_or_ungraded_with_a_message(capsys, srv, env, answer_file, kind, fault):
    script, want_code, needle, n_chat = FAULTS[fault]
    if fault != "hang":
        # Generous per-call timeout so a slow first call on a loaded machine (litellm's warm-up) cannot time
        # out and use up a scripted reply: only the hang case is about deadlines.
        (env / "config.toml").write_text("[grader]\ntimeout = 20\ndeadline = 60\n")
    srv.script(*script)
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args(kind, srv), "--json")
    assert code == want_code, err
    (row,) = db_rows(env)
    if want_code == 0:
        assert row["status"] == "graded" and len(row["grades"]) == 1
        assert Grade.model_validate_json(out).score == row["grades"][0]["score"]
    else:
        assert row["status"] == "ungraded" and row["grades"] == [] and row["error"]
        needle = needle[kind] if isinstance(needle, dict) else needle
        assert needle in row["error"] and needle in err
        assert "\n  -> " in err  # the hint: what to do next
        assert json.loads(out)["status"] == "ungraded"
    if n_chat is not None:
        assert len(srv.chat_requests) == n_chat
    assert_no_key_anywhere(env, out, err)


@pytest.mark.parametrize("kind,needle,hint", [
    ("openai", "cannot connect to 127.0.0.1", "server running"),
    ("ollama", "cannot reach Ollama", "ollama serve"),
    ("litellm-openai", "cannot connect to 127.0.0.1", "server running"),
    ("litellm-ollama", "cannot reach Ollama", "ollama serve"),
])
def test_connection_refused(capsys, env, answer_file, kind, needle, hint):
    url = refused_url() + ("/v1" if kind.endswith("openai") else "")
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args(kind, None, url))
    assert code == 1
    assert needle in err and "connection refused" in err and hint in err
    (row,) = db_rows(env)
    assert row["status"] == "ungraded" and needle in row["error"]


def test_retry_after_is_waited_for(capsys, srv, answer_file):
    srv.script(Reply.error(429, "slow down", headers={"Retry-After": "1"}))
    t0 = time.monotonic()
    code, _, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args("openai", srv))
    assert code == 0, err
    gap = srv.chat_requests[1].at - srv.chat_requests[0].at
    assert gap >= 0.95 and time.monotonic() - t0 >= 0.95


def test_model_not_pulled(capsys, srv, env, answer_file):
    code, _, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, "--backend", "ollama:phi4",
                       "--base-url", srv.url)
    assert code == 1 and "-> run: ollama pull phi4" in err
    assert db_rows(env)[0]["error"] == f"model 'phi4' is not pulled in Ollama at {srv.url}"


# ---------------------------------------------------------------------------------------------- litellm


@pytest.mark.parametrize("kind", ["litellm-openai", "litellm-ollama"])
def test_litellm_pointed_at_either(capsys, srv, env, answer_file, kind):
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args(kind, srv), "--json")
    assert code == 0, err
    assert Grade.model_validate_json(out).grader.backend == "litellm"
    assert srv.chat_requests[0].path == ("/v1/chat/completions" if kind == "litellm-openai" else "/api/chat")
    srv.script(Reply.echo(401) if kind == "litellm-openai" else Reply.ok("prose"), Reply.ok("prose again"))
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, *backend_args(kind, srv), "--no-cache")
    assert code == 1 and "\n  -> " in err
    assert db_rows(env)[1]["status"] == "ungraded"
    assert_no_key_anywhere(env, out, err)


# ---------------------------------------------------------------------------------------------- input errors


def test_bad_input_is_refused_before_storing(capsys, env, tmp_path, answer_file):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    cases = [
        (["-q", "llm-q030", "-f", tmp_path / "nope.txt"], "no such file"),
        (["-q", "llm-q030", "-f", empty], "the answer is empty"),
        (["-q", "llm-q999", "-f", answer_file], "no question with id 'llm-q999'"),
        (["-q", "llm-q030"], "no answer given"),
    ]
    for args, needle in cases:
        code, _, err = run(capsys, "grade", *args, "--backend", "offline")
        assert code == 2 and needle in err, err
    assert not (env / "interviewer.db").exists() or db_rows(env) == []


def test_config_problem_keeps_the_answer_ungraded(capsys, env, answer_file):
    code, _, err = run(capsys, "grade", "-q", "llm-q030", "-f", answer_file, "--backend", "litellm")
    assert code == 1 and "no model set for the litellm backend" in err and "--model" in err
    (row,) = db_rows(env)
    assert row["status"] == "ungraded" and row["answer"] == ANSWER


# ---------------------------------------------------------------------------------------------- doctor


def test_doctor_openai(capsys, srv, env):
    code, out, err = run(capsys, "doctor", *backend_args("openai", srv))
    assert code == 0, out + err
    assert "OPENAI_API_KEY (set)" in out and KEY not in out + err
    assert "ok    reachable" in out and "ok    model listed" in out and "ok    structured output" in out
    assert "ready: grading with openai:fake-model works" in out
    assert "timeout       0.5s per call, deadline 1.5s" in out  # the effective config, from config.toml


def test_doctor_reports_missing_key_and_failures(capsys, srv, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    srv.script(Reply.error(401, "missing key"))
    code, out, _ = run(capsys, "doctor", "--backend", "openai", "--model", "fake-model", "--base-url",
                       srv.openai_url)
    assert "OPENAI_API_KEY (not set; a local server needs none)" in out
    assert code == 1 and "FAIL  structured output" in out and "not ready:" in out


def test_doctor_ollama(capsys, srv):
    code, out, _ = run(capsys, "doctor", *backend_args("ollama", srv))
    assert code == 0 and "ok    model pulled" in out and "API key       none needed" in out
    code, out, _ = run(capsys, "doctor", "--backend", "ollama", "--model", "phi4", "--base-url", srv.url)
    assert code == 1 and "ollama pull phi4" in out
    code, out, _ = run(capsys, "doctor", "--backend", "ollama", "--base-url", refused_url())
    assert code == 1 and "ollama serve" in out and "connection refused" in out


def test_doctor_offline(capsys):
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and "backend       offline" in out and "ready: offline grading works" in out


# ---------------------------------------------------------------------------------------------- a real process


@pytest.mark.slow
def test_key_never_printed_by_a_real_process(srv, env, answer_file):
    srv.script(Reply.echo(401), Reply.echo(500))
    proc = subprocess.run([sys.executable, "-m", "interviewer", "grade", "-q", "llm-q030", "-f", str(answer_file),
                           *backend_args("openai", srv), "--no-cache"],
                          capture_output=True, text=True, env={**os.environ}, timeout=60)
    assert proc.returncode == 1
    assert "refused the API key (401)" in proc.stderr and "[REDACTED]" in proc.stderr
    assert_no_key_anywhere(env, proc.stdout, proc.stderr)
    proc = subprocess.run([sys.executable, "-m", "interviewer", "doctor", *backend_args("openai", srv)],
                          capture_output=True, text=True, env={**os.environ}, timeout=60)
    assert "OPENAI_API_KEY (set)" in proc.stdout
    assert_no_key_anywhere(env, proc.stdout, proc.stderr)
