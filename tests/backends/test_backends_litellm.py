"""The litellm backend, pointed at the fake server both as an OpenAI-compatible endpoint ("openai/<name>" with
api_base) and as Ollama ("ollama_chat/<name>"). Few tests: importing litellm costs seconds."""

from __future__ import annotations

import os

import pytest

from fakes import FakeLLMServer, Reply
from interviewer.backends.litellm_backend import LiteLLMBackend, load_litellm, provider_of
from interviewer.backends.retry import RetryPolicy
from interviewer.config import GraderConfig
from interviewer.grading.base import GradeRequest, GradingError
from interviewer.grading.llm.grader import LLMGrader
from interviewer.grading.llm.schema import reply_schema

KEY = "sk-test-SECRET-123"
ANSWER = "Attention is softmax of Q times K transpose over the square root of d k, times V."


@pytest.fixture
def srv():
    with FakeLLMServer(models=["fake-model"], ollama_models=["llama3.1:8b"]) as s:
        yield s


@pytest.fixture
def req(services, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    _, q = services.find_question("llm-q030")
    return GradeRequest(question=q, rubric=services.rubric_for(q), answer=ANSWER)


def grader(model: str, url: str, max_retries: int = 3) -> LLMGrader:
    c = GraderConfig(backend="litellm", model=model, base_url=url, max_retries=max_retries)
    be = LiteLLMBackend(c.model, c.base_url, timeout=c.timeout)
    return LLMGrader(be, c, retry=RetryPolicy(max_retries=max_retries, base_delay=0.01))


@pytest.mark.slow
async def test_openai_compatible_through_litellm(srv, req):
    srv.script(Reply.error(429, "busy", headers={"Retry-After": "0"}))
    g = grader("openai/fake-model", srv.openai_url)
    grade = await g.grade(req)
    await g.aclose()
    litellm = await load_litellm()
    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"
    assert litellm.drop_params is False
    assert len(srv.chat_requests) == 2  # our one retry on 429; litellm's own retries are off
    r = srv.chat_requests[-1]
    assert r.headers["authorization"] == f"Bearer {KEY}"
    rf = r.body["response_format"]
    assert rf["type"] == "json_schema" and rf["json_schema"]["schema"] == reply_schema(req.rubric, req.question)
    assert grade.grader.backend == "litellm" and grade.grader.model == "openai/fake-model"
    assert grade.usage.prompt_tokens == 812


async def test_no_hidden_retries_and_key_redacted(srv, req):
    srv.script(Reply.error(500, "boom"))
    g = grader("openai/fake-model", srv.openai_url, max_retries=0)
    with pytest.raises(GradingError, match="500"):
        await g.grade(req)
    assert len(srv.chat_requests) == 1
    srv.script(Reply.echo(401))
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert len(srv.chat_requests) == 2
    assert KEY not in str(ei.value) and "401" in ei.value.message


async def test_ollama_through_litellm(srv, req):
    g = grader("ollama_chat/llama3.1:8b", srv.url)
    grade = await g.grade(req)
    await g.aclose()
    (r,) = srv.chat_requests
    assert r.path == "/api/chat" and r.body["model"] == "llama3.1:8b"
    assert r.body["format"] == reply_schema(req.rubric, req.question, lengths=True)  # litellm: json_schema -> format
    assert grade.score > 0


def test_provider_keys_without_import(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    be = LiteLLMBackend("anthropic/claude-3-5-haiku-latest", env={})
    assert provider_of(be.model) == "anthropic" and be.key_env_var == "ANTHROPIC_API_KEY" and be.needs_key
    assert not LiteLLMBackend("ollama_chat/llama3.1", env={}).needs_key
    assert LiteLLMBackend("gemini/gemini-2.0-flash", env={"GEMINI_API_KEY": "x" * 10}).describe()[
        "key variable"] == "GEMINI_API_KEY (set)"


async def test_missing_provider_key_fails_before_import_or_request():
    be = LiteLLMBackend("anthropic/claude-3-5-haiku-latest", env={})
    with pytest.raises(Exception) as ei:
        await be.prepare()
    assert "ANTHROPIC_API_KEY is not set" in str(ei.value)
