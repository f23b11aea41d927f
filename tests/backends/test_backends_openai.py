"""The OpenAI-compatible backend against a real server on 127.0.0.1: base URL and key resolution, request
parameters, response parsing, refusals, and the doctor checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fakes import FakeLLMServer, Reply, auto_grade, refused_url
from interviewer.backends.base import BackendError, ChatRequest
from interviewer.backends.openai_backend import OpenAIBackend
from interviewer.backends.registry import make_backend
from interviewer.config import GraderConfig
from interviewer.grading.base import GradeRequest, GradingError
from interviewer.grading.llm.grader import LLMGrader

KEY = "sk-test-SECRET-123"
REQ = ChatRequest(messages=[{"role": "user", "content": "hi"}], schema={"type": "object"}, max_tokens=100)


@pytest.fixture
def srv():
    with FakeLLMServer() as s:
        yield s


@pytest.fixture
def req(services):
    _, q = services.find_question("llm-q001")
    return GradeRequest(question=q, rubric=services.rubric_for(q),
                        answer="An LLM is a transformer trained on huge amounts of text to generate text.")


async def test_openai_base_url_and_key_from_environment(srv, req, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", srv.openai_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    g = LLMGrader(make_backend(GraderConfig(backend="openai", model="fake-model")))
    await g.grade(req)
    await g.aclose()
    (r,) = srv.chat_requests
    assert r.headers["authorization"] == f"Bearer {KEY}"


async def test_custom_key_variable(srv, req, monkeypatch):
    monkeypatch.setenv("MY_ROUTER_KEY", "sk-or-test-ROUTER-456")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    cfg = GraderConfig(backend="openai", model="fake-model", base_url=srv.openai_url, api_key_env="MY_ROUTER_KEY")
    be = make_backend(cfg)
    assert be.key_env_var == "MY_ROUTER_KEY"
    g = LLMGrader(be, cfg)
    await g.grade(req)
    await g.aclose()
    assert srv.chat_requests[0].headers["authorization"] == "Bearer sk-or-test-ROUTER-456"


async def test_local_server_needs_no_key(srv, req):
    g = LLMGrader(OpenAIBackend("fake-model", srv.openai_url))
    await g.grade(req)
    await g.aclose()
    assert srv.chat_requests[0].headers["authorization"] == "Bearer no-key-needed"


async def test_official_api_without_key_fails_before_any_request():
    be = OpenAIBackend("gpt-4o-mini", "", env={})
    assert be.needs_key
    with pytest.raises(BackendError) as ei:
        await be.prepare()
    assert ei.value.kind == "config"
    assert "OPENAI_API_KEY is not set" in ei.value.message and "export OPENAI_API_KEY" in ei.value.hint


def test_request_parameters_per_server_kind():
    local = OpenAIBackend("fake-model", "http://127.0.0.1:1/v1", env={})._kwargs(REQ)
    assert local["max_tokens"] == 100 and local["temperature"] == 0.0 and "max_completion_tokens" not in local
    official = OpenAIBackend("gpt-4o-mini", "", env={"OPENAI_API_KEY": KEY})._kwargs(REQ)
    assert official["max_completion_tokens"] == 100 and "max_tokens" not in official
    reasoning = OpenAIBackend("o3-mini", "", env={"OPENAI_API_KEY": KEY})._kwargs(REQ)
    assert "temperature" not in reasoning and reasoning["max_completion_tokens"] == 400
    assert official["response_format"]["json_schema"] == {"name": "grade", "schema": {"type": "object"},
                                                          "strict": True}


async def test_refusal_and_empty_choices(srv, req):
    srv.script(Reply(body={"id": "x", "object": "chat.completion", "created": 0, "model": "fake-model",
                           "choices": [{"index": 0, "finish_reason": "stop", "message": {
                               "role": "assistant", "content": None, "refusal": "I can't help with that."}}]}))
    g = LLMGrader(OpenAIBackend("fake-model", srv.openai_url))
    with pytest.raises(GradingError, match="refused to grade: I can't help"):
        await g.grade(req)
    srv.script(Reply(body={"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []}))
    with pytest.raises(GradingError, match="no choices"):
        await g.grade(req)
    await g.aclose()


async def test_served_model_is_noted(srv, req):
    srv.script(Reply.dynamic(lambda rec: replace(auto_grade(rec), model="fake-model-2025-01-01")))
    g = LLMGrader(OpenAIBackend("fake-model", srv.openai_url))
    grade = await g.grade(req)
    await g.aclose()
    assert grade.grader.model == "fake-model"
    assert "served by fake-model-2025-01-01" in grade.notes


async def test_doctor_checks(srv):
    be = OpenAIBackend("fake-model", srv.openai_url)
    checks = await LLMGrader(be).check()
    assert [(n, ok) for n, ok, _ in checks] == [("reachable", True), ("model listed", True),
                                                ("structured output", True)]
    probe = srv.chat_requests[-1]
    assert probe.body["response_format"]["type"] == "json_schema"
    other = await LLMGrader(OpenAIBackend("gpt-9", srv.openai_url)).check()
    assert ("model listed", False) in [(n, ok) for n, ok, _ in other]
    srv.script(Reply.error(400, "response_format json_schema is not supported by this server"))
    fallback = await LLMGrader(OpenAIBackend("fake-model", srv.openai_url)).check()
    assert fallback[-1][1] is True and "JSON mode works" in fallback[-1][2]
    down = await LLMGrader(OpenAIBackend("fake-model", refused_url() + "/v1")).check()
    assert down[0][:2] == ("reachable", False) and "connection refused" in down[0][2]
    await be.aclose()
