"""Backend selection by spec string, lazy imports of the client libraries, and redaction of secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from interviewer.backends.base import BackendError, status_kind
from interviewer.backends.redact import MASK, Redactor, env_secrets, one_line
from interviewer.backends.registry import known_backends, make_backend, split_spec
from interviewer.config import GraderConfig


def test_spec_strings():
    assert split_spec("ollama:llama3.1:8b") == ("ollama", "llama3.1:8b")
    assert split_spec("litellm:anthropic/claude-3-5-haiku-latest") == ("litellm", "anthropic/claude-3-5-haiku-latest")
    assert split_spec(" OpenAI ") == ("openai", "")
    assert known_backends() == ["offline", "openai", "ollama", "litellm"]


def test_make_backend_picks_class_and_defaults(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    be = make_backend(GraderConfig(backend="openai"))
    assert (be.name, be.model, be.key_env_var, be.needs_key) == ("openai", "gpt-4o-mini", "OPENAI_API_KEY", True)
    be = make_backend(GraderConfig(backend="ollama", model="qwen2.5:7b", base_url="http://127.0.0.1:1"))
    assert (be.name, be.model, be.needs_key) == ("ollama", "qwen2.5:7b", False)
    with pytest.raises(BackendError) as ei:
        make_backend(GraderConfig(backend="litellm"))
    assert "no model set for the litellm backend" in ei.value.message and "anthropic/" in ei.value.hint


def test_unknown_backend_lists_the_known_ones():
    class Cfg:
        backend, model, base_url, api_key_env, timeout = "bedrock", "x", "", "", 10.0

    with pytest.raises(BackendError) as ei:
        make_backend(Cfg())
    assert "unknown backend 'bedrock'" in ei.value.message
    assert "offline, openai, ollama, litellm" in ei.value.message


def test_status_kinds_decide_retrying():
    assert [status_kind(s) for s in (400, 401, 403, 404, 408, 422, 429, 500, 503)] == [
        "bad_request", "auth", "auth", "not_found", "timeout", "bad_request", "rate_limit", "server", "server"]
    assert BackendError("x", kind="rate_limit").retryable and not BackendError("x", kind="auth").retryable


def test_grading_and_backends_import_no_client_library():
    code = ("import interviewer.grading.llm.grader, interviewer.grading.llm.schema, interviewer.grading.llm.prompt, "
            "interviewer.grading.llm.evidence, interviewer.grading.llm.cache, interviewer.backends.registry, "
            "interviewer.backends.openai_backend, interviewer.backends.ollama_backend, "
            "interviewer.backends.litellm_backend, interviewer.cli.commands.grade\n"
            "from interviewer.backends.registry import make_backend\n"
            "from interviewer.config import GraderConfig\n"
            "for b, m in (('openai', 'x'), ('ollama', 'x'), ('litellm', 'anthropic/x')):\n"
            "    make_backend(GraderConfig(backend=b, model=m))\n"
            "import sys, json; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ})
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    for heavy in ("openai", "litellm", "httpx", "textual", "rich"):
        assert heavy not in mods, f"{heavy} imported before a backend is used"


# ---------------------------------------------------------------------------------------------- redaction


def test_redactor_removes_held_secrets_and_key_shapes():
    r = Redactor(["sk-test-SECRET-123", "proxy-SECRET-789", "abc"])  # too short to redact safely: ignored
    text = ("auth failed for sk-test-SECRET-123; proxy proxy-SECRET-789; Authorization: Bearer eyJhbGciOi.xyz; "
            "another sk-proj-AAAAAAAAAAAAAAAAAAAA; api_key=hunter22hunter; {\"x-api-key\": \"zzzzzzzz\"}; "
            "google AIzaSyA-1234567890abcdefghijklm")
    out = r(text)
    for secret in ("sk-test-SECRET-123", "proxy-SECRET-789", "eyJhbGciOi", "sk-proj-AAAA", "hunter22hunter",
                   "zzzzzzzz", "AIzaSyA"):
        assert secret not in out
    assert out.count(MASK) >= 7 and "auth failed for" in out and "abc" in r("abc")


def test_exact_redaction_leaves_ordinary_text():
    r = Redactor(["sk-test-SECRET-123"])
    text = "Use scikit-learn; the bearer token idea; sk-test-SECRET-123 leaked"
    assert r.exact(text) == f"Use scikit-learn; the bearer token idea; {MASK} leaked"


def test_env_secrets_reads_known_and_named_variables():
    env = {"ANTHROPIC_API_KEY": "ant-123456", "MY_KEY": "mine-123456", "OTHER": "not-a-key"}
    assert sorted(env_secrets(env, ["MY_KEY"])) == ["ant-123456", "mine-123456"]


def test_one_line():
    assert one_line("a\n  b\t c") == "a b c"
    assert len(one_line("x" * 1000, 50)) == 50
