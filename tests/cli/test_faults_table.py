"""Faults from backends, table-driven: every fault the issue lists, against the loopback fake server, through
`interviewer grade` (the same path the app uses), over the OpenAI protocol (the real `openai` SDK) and Ollama's
native API (httpx, with a key sent as for a proxy in front of Ollama, so key leaks are checked there too).

For every row the test pins down:
- the exact number of requests: those the grader attempted (the retry layer's count) and those the server saw;
- the stored attempt status (graded, or ungraded with the reason: never a zero);
- the message: one line, saying what went wrong, then `  -> ` and what to do; no traceback;
- the fake key appears in no output and in no file under INTERVIEWER_HOME (database, WAL, backups).

Config for the table: timeout 0.5 s per call, deadline 5 s, max_retries 2 (so a persistent retryable fault
makes exactly 3 requests); backoff is shortened to 0.01 s (the retry policy has its own unit tests).
The DNS row uses a name under the reserved `.invalid` TLD; resolving it is short-circuited here (as RFC 6761
asks of resolvers), so no query leaves the machine, and any other non-loopback lookup fails the test.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fakes import (
    FakeLLMServer,
    Reply,
    make_reply,
    request_answer,
    request_criterion_ids,
    request_key_point_ids,
)
from fakes import refused_url as _refused_url
from interviewer.backends.retry import RetryPolicy
from interviewer.cli.main import main
from interviewer.core.models import Grade
from interviewer.grading.llm.grader import LLMGrader

KEY = "sk-test-SECRET-123"
ANSWER = ("Um, so attention is softmax of Q times K transpose, divided by the square root of d k, and then that "
          "multiplies V, so you get a weighted sum of the values.")
KPS = ["k1", "k2", "k3", "k4", "k5", "k6"]
CRITS = ["correctness", "coverage", "clarity", "depth"]
VALID = json.dumps(make_reply(KPS, CRITS, ANSWER))
DNS_HOST = "interviewer-fault-test.invalid"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CONFIG = "[grader]\ntimeout = 0.5\ndeadline = 5\nmax_retries = 2\n"


def key_in_summary(rec) -> Reply:
    """A valid grade whose summary repeats the Authorization header the client sent (a leaking proxy/model)."""
    auth = rec.headers.get("authorization", "")
    answer = request_answer(rec) or ""
    return Reply.ok(make_reply(request_key_point_ids(rec), request_criterion_ids(rec), answer,
                               summary=f"Good. (debug: your request carried {auth} and key {auth[7:]})"))


@dataclass
class Fault:
    script: list[Reply] = field(default_factory=list)
    status: str = "ungraded"
    attempted: int | dict[str, int] = 1
    """Requests the grader attempted (the retry layer's count; includes ones that never reached a server)."""
    received: int | dict[str, int] | None = None
    """Chat requests the fake server saw (default: same as attempted)."""
    message: str | dict[str, str] = ""
    hint: str | dict[str, str] = ""
    url: str | None = None
    """'refused' or 'dns' instead of the fake server."""
    config: str = CONFIG
    note: str = ""
    """For graded rows: a note the grade must carry."""


def per(value, kind):
    return value[kind] if isinstance(value, dict) else value


RETRIED = 3  # 1 + max_retries
NOT_JSON = "the model did not return a valid grade, even when asked again"
FAULTS: dict[str, Fault] = {
    # ---------------------------------------------------------------- transport
    "connection-refused": Fault(
        url="refused", attempted=RETRIED, received=0,
        message={"openai": "cannot connect to 127.0.0.1", "ollama": "cannot reach Ollama at http://127.0.0.1"},
        hint={"openai": "is the server running?", "ollama": "ollama serve"}),
    "dns-failure": Fault(
        url="dns", attempted=RETRIED, received=0,
        message={"openai": f"cannot connect to {DNS_HOST}", "ollama": f"cannot reach Ollama at http://{DNS_HOST}"},
        hint={"openai": "check your network connection and grader.base_url", "ollama": "OLLAMA_HOST"}),
    "timeout-then-ok": Fault([Reply.hang(3)], status="graded", attempted=2),
    "timeout-every-time": Fault([Reply.hang(3)] * 3, attempted=RETRIED, message="within the timeout",
                                hint="raise grader.timeout"),
    "hang-past-deadline": Fault([Reply.hang(5)], config="[grader]\ntimeout = 30\ndeadline = 0.6\nmax_retries = 2\n",
                                attempted=1, message="no usable reply before the grading deadline (1 request(s) made)",
                                hint="raise grader.deadline"),
    "dropped-then-ok": Fault([Reply.drop()], status="graded", attempted=2),
    # ---------------------------------------------------------------- HTTP status
    "401": Fault([Reply.error(401, "Incorrect API key provided")],
                 message={"openai": "refused the API key (401)", "ollama": "answered 401"},
                 hint={"openai": "holds a valid key", "ollama": "check the proxy in front of it"}),
    "403": Fault([Reply.error(403, "this key may not use that model")],
                 message={"openai": "denied access (403)", "ollama": "answered 403"},
                 hint={"openai": "may use model 'fake-model'", "ollama": "check the proxy in front of it"}),
    "404-model-not-found": Fault(
        [Reply.error(404, 'model "fake-model" not found, try pulling it first', code="model_not_found")],
        message={"openai": "model 'fake-model' or its endpoint was not found", "ollama": "model 'llama3.1:8b' is "
                 "not pulled"},
        hint={"openai": "`interviewer doctor`", "ollama": "run: ollama pull llama3.1:8b"}),
    "429-retry-after-then-ok": Fault([Reply.error(429, "slow down", headers={"Retry-After": "0"})], status="graded",
                                     attempted=2),
    "429-retry-after-past-deadline": Fault(
        [Reply.error(429, "slow down", headers={"Retry-After": "120"})], attempted=1,
        message={"openai": "rate limiting requests (429)", "ollama": "answered 429"},
        hint="the server asked to wait 120s (Retry-After), past the grading deadline"),
    "429-no-retry-after-then-ok": Fault([Reply.error(429, "slow down")], status="graded", attempted=2),
    "429-every-time": Fault([Reply.error(429, "slow down")] * 3, attempted=RETRIED,
                            message={"openai": "rate limiting requests (429)", "ollama": "answered 429"},
                            hint={"openai": "wait a minute and grade again", "ollama": "wait a moment"}),
    "429-quota": Fault([Reply.error(429, "You exceeded your current quota", code="insufficient_quota")] * 3,
                       attempted={"openai": 1, "ollama": RETRIED},
                       message={"openai": "the account's quota is used up (429)", "ollama": "answered 429"},
                       hint={"openai": "add credit", "ollama": "wait a moment"}),
    "500": Fault([Reply.error(500, "boom")] * 3, attempted=RETRIED,
                 message={"openai": "had a server error (500)", "ollama": "answered 500"},
                 hint={"openai": "try again later", "ollama": "server log"}),
    "502": Fault([Reply.error(502, "bad gateway")] * 3, attempted=RETRIED,
                 message={"openai": "had a server error (502)", "ollama": "answered 502"},
                 hint={"openai": "try again later", "ollama": "server log"}),
    "503": Fault([Reply.error(503, "overloaded")] * 3, attempted=RETRIED,
                 message={"openai": "had a server error (503)", "ollama": "answered 503"},
                 hint={"openai": "try again later", "ollama": "server log"}),
    "503-then-ok": Fault([Reply.error(503, "overloaded")], status="graded", attempted=2),
    # ---------------------------------------------------------------- replies that are not a grade
    "truncated-json": Fault([Reply.ok(VALID[:250])] * 2, attempted=2,
                            message=f"{NOT_JSON}: the reply is cut off", hint="use a larger model"),
    "truncated-json-then-ok": Fault([Reply.ok(VALID[:250])], status="graded", attempted=2, note="re-asked once"),
    "finish-length": Fault([Reply.ok(VALID[:250], finish_reason="length")] * 2, attempted=2,
                           message=f"{NOT_JSON}: the reply was cut off at the token limit", hint="use a larger model"),
    "finish-length-then-ok": Fault([Reply.ok(VALID[:250], finish_reason="length")], status="graded", attempted=2,
                                   note="re-asked once: the reply was cut off at the token limit"),
    "prose": Fault([Reply.ok("The answer is decent, I'd say 7/10.")] * 2, attempted=2,
                   message=f"{NOT_JSON}: the reply is not JSON", hint="use a larger model"),
    "schema-violation": Fault([Reply.ok(make_reply(KPS, CRITS, ANSWER, level=7))] * 2, attempted=2,
                              message=f"{NOT_JSON}: criteria.correctness.level: Input should be less than or equal "
                                      "to 4", hint="use a larger model"),
    "schema-violation-then-ok": Fault([Reply.ok(make_reply(KPS[:3], CRITS, ANSWER))], status="graded", attempted=2,
                                      note="re-asked once: key points missing: k4, k5, k6"),
    "empty-content": Fault([Reply.ok("")] * 2, attempted=2, message=f"{NOT_JSON}: the reply was empty",
                           hint="use a larger model"),
    "empty-body": Fault([Reply.empty_body()] * 2, attempted=1,
                        message={"openai": "answered with an empty or non-JSON body",
                                 "ollama": "sent a reply without a message"},
                        hint={"openai": "OpenAI-compatible chat API", "ollama": "points at Ollama"}),
    "refusal": Fault([Reply.refuse()] * 2, attempted={"openai": 1, "ollama": 2},
                     message={"openai": "the model refused to grade: I'm sorry",
                              "ollama": f"{NOT_JSON}: the reply is not JSON (it starts: \"I'm sorry"},
                     hint={"openai": "grade offline", "ollama": "use a larger model"}),
    # ---------------------------------------------------------------- the key comes back
    "key-echoed-in-error": Fault([Reply.echo(401)], message={"openai": "refused the API key (401)",
                                                             "ollama": "answered 401"},
                                 hint={"openai": "holds a valid key", "ollama": "check the proxy"}),
    "key-echoed-in-reply-text": Fault([Reply(content=VALID, echo_key=True)], status="graded", attempted=1),
    "key-echoed-in-grade": Fault([Reply.dynamic(key_in_summary)], status="graded", attempted=1),
}
KINDS = ["openai", "ollama"]


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def no_name_lookups(monkeypatch):
    """`.invalid` names fail at once (RFC 6761) and no other non-loopback name is looked up."""
    real = socket.getaddrinfo
    foreign: list[str] = []

    def guarded(host, *args, **kw):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if name not in LOOPBACK:
            foreign.append(name)
            raise socket.gaierror(socket.EAI_NONAME, "lookup blocked by the test")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield
    assert foreign == [], f"the test tried to resolve {foreign}"


@pytest.fixture
def attempts_made(monkeypatch) -> list[int]:
    """The retry layer's request count for every grading (what the grader attempted)."""
    seen: list[int] = []
    real = LLMGrader.grade

    async def spy(self, request):
        try:
            return await real(self, request)
        finally:
            seen.append(self.last_stats.requests)

    monkeypatch.setattr(LLMGrader, "grade", spy)
    return seen


@pytest.fixture
def home(isolated_home, monkeypatch) -> Path:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, i: 0.01)
    return isolated_home


def args_for(kind: str, fault: Fault, srv: FakeLLMServer) -> list[str]:
    if fault.url == "refused":
        base = _refused_url()
    elif fault.url == "dns":
        base = f"http://{DNS_HOST}:8080"
    else:
        base = srv.url
    if kind == "openai":
        return ["--backend", "openai", "--model", "fake-model", "--base-url", base + "/v1"]
    # A key is sent to Ollama too (as to a proxy in front of it), so its leaks are checked on this path as well.
    return ["--backend", "ollama", "--model", "llama3.1:8b", "--base-url", base, "--api-key-env", "OPENAI_API_KEY"]


def stored(home: Path) -> list[dict]:
    con = sqlite3.connect(home / "interviewer.db")
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM attempts ORDER BY id")]
    for r in rows:
        r["grades"] = [dict(g) for g in con.execute("SELECT * FROM grades WHERE attempt_id = ?", (r["id"],))]
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    return rows


def assert_no_key_anywhere(home: Path, *texts: str) -> None:
    for t in texts:
        assert KEY not in t
    files = [f for f in home.rglob("*") if f.is_file()]
    assert any(f.name.startswith("interviewer.db") for f in files)
    for f in files:
        assert KEY.encode() not in f.read_bytes(), f"the API key leaked into {f.name}"


# ---------------------------------------------------------------------------------------------- the table


def test_the_table_covers_every_fault_the_issue_lists():
    names = set(FAULTS)
    for needed in ("connection-refused", "dns-failure", "timeout-every-time", "hang-past-deadline", "401", "403",
                   "404-model-not-found", "429-retry-after-then-ok", "429-no-retry-after-then-ok", "500", "502",
                   "503", "truncated-json", "finish-length", "prose", "schema-violation", "empty-body",
                   "empty-content", "refusal", "key-echoed-in-error", "key-echoed-in-reply-text"):
        assert needed in names


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(FAULTS))
def test_fault(capsys, home, attempts_made, kind, name):
    fault = FAULTS[name]
    with FakeLLMServer(models=["fake-model"], ollama_models=["llama3.1:8b"]) as srv:
        (home / "config.toml").write_text(fault.config)
        srv.script(*fault.script)
        code = main(["grade", "-q", "llm-q030", "--answer", ANSWER, *args_for(kind, fault, srv), "--json"])
        out, err = capsys.readouterr()
        chat = srv.chat_requests

    # the exact number of requests
    want = per(fault.attempted, kind)
    assert attempts_made == [want], f"attempted {attempts_made}, expected {want}"
    received = want if fault.received is None else per(fault.received, kind)
    assert len(chat) == received
    assert srv.errors == []

    # the stored status
    (row,) = stored(home)
    assert row["answer"] == ANSWER and row["status"] == fault.status
    assert "Traceback" not in out + err
    if fault.status == "graded":
        assert code == 0, err
        (g,) = row["grades"]
        grade = Grade.model_validate_json(out)
        assert g["score"] == grade.score and row["error"] is None
        if fault.note:
            assert any(n.startswith(fault.note) for n in grade.notes), grade.notes
    else:
        assert code == 1 and row["grades"] == []
        message, hint = per(fault.message, kind), per(fault.hint, kind)
        # the message: one line saying what went wrong, then what to do
        assert row["error"] and "\n" not in row["error"] and message in row["error"]
        lines = err.splitlines()
        assert lines[0] == f"ungraded: {row['error']}"
        assert lines[1].startswith("  -> ") and hint in lines[1], lines[1]
        assert lines[2].startswith("your answer is saved (attempt 1)")
        assert len(lines) == 3
        assert json.loads(out) == {"attempt_id": 1, "status": "ungraded", "error": row["error"],
                                   "hint": lines[1].removeprefix("  -> ")}

    # the key: in no output and no file
    assert_no_key_anywhere(home, out, err)
    if name == "key-echoed-in-error":
        assert "[REDACTED]" in err
    if name == "key-echoed-in-grade":  # the grade itself carried the key: stored and printed masked
        assert "[REDACTED]" in Grade.model_validate_json(out).summary
        assert "[REDACTED]" in row["grades"][0]["result"]


def test_finish_length_asks_again_with_more_room(capsys, home):
    with FakeLLMServer() as srv:
        (home / "config.toml").write_text(CONFIG)
        srv.script(Reply.ok(VALID[:250], finish_reason="length"))
        assert main(["grade", "-q", "llm-q030", "--answer", ANSWER, *args_for("openai", Fault(), srv)]) == 0
        first, second = srv.chat_requests
    assert first.body["max_tokens"] < second.body["max_tokens"]
    assert "fits" in second.messages[-1]["content"]  # the re-ask says to keep it short enough to fit


@pytest.mark.slow
def test_no_traceback_from_a_real_process_without_debug(home):
    """The same promise from a real process: a fault the grader did not foresee is still one line."""
    (home / "config.toml").write_text(CONFIG.replace("max_retries = 2", "max_retries = 0"))  # real backoff here
    with FakeLLMServer() as srv:
        srv.script(Reply.empty_body(), Reply.error(502, "bad gateway <html>\n<body>\nnginx</body>"))
        for _ in range(2):
            proc = subprocess.run([sys.executable, "-m", "interviewer", "grade", "-q", "llm-q030", "--answer", ANSWER,
                                   "--backend", "openai", "--model", "fake-model", "--base-url", srv.openai_url,
                                   "--no-cache"], capture_output=True, text=True, timeout=60)
            assert proc.returncode == 1
            assert "Traceback" not in proc.stderr and proc.stderr.startswith("ungraded: ")
            assert len(proc.stderr.splitlines()) == 3
            assert_no_key_anywhere(home, proc.stdout, proc.stderr)
