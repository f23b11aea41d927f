"""The native Ollama backend against a real server on 127.0.0.1 speaking /api/tags and /api/chat: the model
check, the `format` schema, num_ctx, host resolution, and the messages for a stopped Ollama or an unpulled
model."""

from __future__ import annotations

import json

import pytest

from fakes import FakeLLMServer, Reply, make_reply, refused_url
from interviewer.backends.ollama_backend import OllamaBackend, model_matches, normalise_host, num_ctx_for
from interviewer.backends.registry import make_backend
from interviewer.backends.retry import RetryPolicy
from interviewer.config import GraderConfig
from interviewer.grading.base import GradeRequest, GradingError
from interviewer.grading.llm.grader import LLMGrader
from interviewer.grading.llm.schema import reply_schema

ANSWER = "Attention is softmax of Q times K transpose over the square root of d k, times V."


@pytest.fixture
def srv():
    with FakeLLMServer(ollama_models=["llama3.1:8b", "qwen2.5:latest"]) as s:
        yield s


@pytest.fixture
def req(services):
    _, q = services.find_question("llm-q030")
    return GradeRequest(question=q, rubric=services.rubric_for(q), answer=ANSWER)


def grader(url: str, model: str = "llama3.1:8b", **cfg) -> LLMGrader:
    c = GraderConfig(backend="ollama", model=model, base_url=url, **cfg)
    return LLMGrader(make_backend(c), c, retry=RetryPolicy(max_retries=c.max_retries, base_delay=0.01))


async def test_grade_via_api_chat(srv, req):
    g = grader(srv.url)
    grade = await g.grade(req)
    await g.grade(GradeRequest(req.question, req.rubric, ANSWER + " It is used in every transformer layer."))
    await g.aclose()
    assert grade.grader.backend == "ollama" and grade.grader.model == "llama3.1:8b"
    assert grade.usage.prompt_tokens == 812 and grade.usage.completion_tokens == 345
    kinds = [r.kind for r in srv.requests]
    assert kinds == ["tags", "chat", "chat"]  # the model list is read once per backend
    r = srv.chat_requests[0]
    assert r.path == "/api/chat"
    assert r.body["stream"] is False
    assert r.body["format"] == reply_schema(req.rubric, req.question, lengths=True)  # maxLength: Ollama honours it
    opts = r.body["options"]
    assert opts["temperature"] == 0 and opts["num_predict"] == 2000
    prompt_chars = sum(len(m["content"]) for m in r.messages)
    assert opts["num_ctx"] % 1024 == 0 and opts["num_ctx"] >= prompt_chars / 3 + 2000
    assert "<answer-" in r.messages[-1]["content"] and ANSWER in r.messages[-1]["content"]


async def test_model_not_pulled(srv, req):
    g = grader(srv.url, model="mistral-nemo:12b")
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert "'mistral-nemo:12b' is not pulled" in ei.value.message
    assert ei.value.hint == "run: ollama pull mistral-nemo:12b"
    assert srv.chat_requests == [] and len(srv.requests) == 1  # not retried, nothing sent to /api/chat


async def test_model_not_found_from_chat(srv, req):
    srv.script(Reply.error(404, 'model "llama3.1:8b" not found, try pulling it first'))
    g = grader(srv.url)
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert ei.value.hint == "run: ollama pull llama3.1:8b" and len(srv.chat_requests) == 1


async def test_ollama_not_running(req):
    g = grader(refused_url(), max_retries=1)
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert "cannot reach Ollama at http://127.0.0.1:" in ei.value.message
    assert "connection refused" in ei.value.message
    assert "ollama serve" in ei.value.hint and "OLLAMA_HOST" in ei.value.hint


async def test_ollama_host_variable(srv, req, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{srv.port}")  # the form `ollama serve` documents: no scheme
    be = make_backend(GraderConfig(backend="ollama", model="qwen2.5"))
    assert be.base_url == srv.url
    g = LLMGrader(be)
    await g.grade(req)
    await g.aclose()
    assert srv.chat_requests[0].body["model"] == "qwen2.5"  # matched qwen2.5:latest


async def test_server_errors_retried_then_truncation_reasked(srv, req):
    text = json.dumps(make_reply(["k1", "k2", "k3", "k4", "k5", "k6"],
                                 ["correctness", "coverage", "clarity", "depth"], ANSWER))
    srv.script(Reply.error(500, "model runner crashed"), Reply.error(429, "busy", headers={"Retry-After": "0"}),
               Reply.ok(text[:200], finish_reason="length"), Reply.ok(text))
    g = grader(srv.url)
    grade = await g.grade(req)
    await g.aclose()
    assert len(srv.chat_requests) == 4
    assert srv.chat_requests[-1].body["options"]["num_predict"] == 3000
    assert any("cut off" in n for n in grade.notes)


async def test_key_for_a_proxy_is_sent_and_redacted(srv, req, monkeypatch):
    monkeypatch.setenv("OLLAMA_PROXY_KEY", "proxy-SECRET-789")
    srv.script(Reply.echo(401))
    c = GraderConfig(backend="ollama", model="llama3.1:8b", base_url=srv.url, api_key_env="OLLAMA_PROXY_KEY")
    g = LLMGrader(make_backend(c), c)
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert srv.requests[0].headers["authorization"] == "Bearer proxy-SECRET-789"
    assert "proxy-SECRET-789" not in str(ei.value) and "[REDACTED]" in ei.value.message


async def test_doctor_checks(srv):
    checks = await LLMGrader(OllamaBackend("llama3.1:8b", srv.url)).check()
    assert [(n, ok) for n, ok, _ in checks] == [("reachable", True), ("model pulled", True),
                                                ("structured output", True)]
    assert srv.chat_requests[-1].body["format"]["required"] == ["ok"]
    missing = await LLMGrader(OllamaBackend("phi4", srv.url)).check()
    assert missing[-1][:2] == ("model pulled", False) and "ollama pull phi4" in missing[-1][2]


@pytest.mark.parametrize("host,url", [
    ("", "http://localhost:11434"),
    ("0.0.0.0", "http://127.0.0.1:11434"),
    ("0.0.0.0:11500", "http://127.0.0.1:11500"),
    ("gpu-box:11434", "http://gpu-box:11434"),
    ("http://gpu-box:8080/", "http://gpu-box:8080"),
    ("https://ollama.example.com", "https://ollama.example.com:443"),
    ("http://localhost:11434/v1", "http://localhost:11434"),
    ("http://localhost:11434/api", "http://localhost:11434"),
])
def test_normalise_host(host, url):
    assert normalise_host(host or "http://localhost:11434") == url


def test_num_ctx_and_model_matching():
    assert num_ctx_for([{"content": "x" * 300}], 100) == 4096  # never below the minimum
    big = num_ctx_for([{"content": "x" * 30000}], 2000)
    assert big % 1024 == 0 and big >= 10000 + 2000
    assert model_matches("llama3.1", "llama3.1:latest") and model_matches("llama3.1:8b", "llama3.1:8b")
    assert not model_matches("llama3.1:8b", "llama3.1:70b") and not model_matches("llama3", "llama3.1:latest")
