"""The one retry layer: which errors are retried, how long it waits (backoff + jitter, Retry-After), the overall
deadline, and that the SDK's own retries are off (request counts seen by a real server on 127.0.0.1)."""

from __future__ import annotations

import time

import pytest

from fakes import FakeLLMServer, Reply, refused_url
from interviewer.backends.base import BackendError, parse_retry_after
from interviewer.backends.openai_backend import OpenAIBackend
from interviewer.backends.retry import CallStats, RetryPolicy, call_with_retries
from interviewer.config import GraderConfig
from interviewer.grading.base import GradeRequest, GradingError
from interviewer.grading.llm.grader import LLMGrader

KEY = "sk-test-SECRET-123"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.now += s


def policy(clock: FakeClock, **kw) -> RetryPolicy:
    return RetryPolicy(sleep=clock.sleep, clock=clock, rng=lambda: 0.5, **kw)


def failing(*errors: BackendError, result="ok"):
    seq = list(errors)

    async def fn(timeout: float):
        if seq:
            raise seq.pop(0)
        return result

    return fn


def err(kind, retry_after=None):
    return BackendError(f"fake {kind}", kind=kind, retry_after=retry_after)


# ---------------------------------------------------------------------------------------------- unit


def test_backoff_is_exponential_with_bounded_jitter():
    p = RetryPolicy(base_delay=0.5, max_delay=20.0, jitter=0.5, rng=lambda: 0.0)
    lo = [p.backoff(i) for i in range(8)]
    p.rng = lambda: 0.999999
    hi = [p.backoff(i) for i in range(8)]
    assert lo[:4] == [0.25, 0.5, 1.0, 2.0]
    assert [round(h, 3) for h in hi[:4]] == [0.5, 1.0, 2.0, 4.0]
    assert hi[7] <= 20.0 and lo[7] == 10.0  # capped at max_delay


@pytest.mark.parametrize("kind", ["rate_limit", "server", "timeout", "connection"])
async def test_retryable_kinds_are_retried(kind):
    clock = FakeClock()
    stats = CallStats()
    out = await call_with_retries(failing(err(kind), err(kind)), policy=policy(clock, max_retries=3),
                                  deadline_at=100, timeout=10, stats=stats)
    assert out == "ok" and stats.requests == 3
    assert clock.sleeps == [0.375, 0.75]  # (0.5 * 2^i) * (0.5 + 0.5 * rng=0.5)


@pytest.mark.parametrize("kind", ["auth", "not_found", "bad_request", "config", "quota", "unsupported", "reply"])
async def test_non_retryable_kinds_fail_at_once(kind):
    clock = FakeClock()
    stats = CallStats()
    with pytest.raises(BackendError) as ei:
        await call_with_retries(failing(err(kind)), policy=policy(clock), deadline_at=100, timeout=10, stats=stats)
    assert ei.value.kind == kind and stats.requests == 1 and clock.sleeps == []


async def test_retries_are_bounded():
    clock = FakeClock()
    stats = CallStats()
    with pytest.raises(BackendError) as ei:
        await call_with_retries(failing(*[err("server")] * 10), policy=policy(clock, max_retries=2),
                                deadline_at=100, timeout=10, stats=stats)
    assert ei.value.kind == "server" and stats.requests == 3 and len(clock.sleeps) == 2


async def test_retry_after_is_honoured_exactly():
    clock = FakeClock()
    await call_with_retries(failing(err("rate_limit", retry_after=7.0)), policy=policy(clock), deadline_at=100,
                            timeout=10)
    assert clock.sleeps == [7.0]


async def test_retry_after_past_the_deadline_fails_now_and_says_so():
    clock = FakeClock()
    with pytest.raises(BackendError) as ei:
        await call_with_retries(failing(err("rate_limit", retry_after=120.0)), policy=policy(clock), deadline_at=30,
                                timeout=10)
    assert clock.sleeps == [] and "Retry-After" in ei.value.hint


async def test_deadline_stops_retrying():
    clock = FakeClock()
    stats = CallStats()
    with pytest.raises(BackendError) as ei:
        await call_with_retries(failing(*[err("server")] * 10), policy=policy(clock, max_retries=10, base_delay=4),
                                deadline_at=10, timeout=10, stats=stats)
    assert sum(clock.sleeps) < 10 and stats.requests < 11
    assert ei.value.kind in ("server", "deadline")


def test_parse_retry_after():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("junk") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: no wait


# ---------------------------------------------------------------------------------------------- with the server


@pytest.fixture
def srv():
    with FakeLLMServer() as s:
        yield s


@pytest.fixture
def req(services, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    _, q = services.find_question("llm-q030")
    return GradeRequest(question=q, rubric=services.rubric_for(q),
                        answer="Attention is softmax of Q K transpose over root d k, times V.")


def grader(url: str, clock: FakeClock | None = None, **cfg) -> LLMGrader:
    c = GraderConfig(backend="openai", model="fake-model", base_url=url, **cfg)
    pol = policy(clock, max_retries=c.max_retries) if clock else RetryPolicy(max_retries=c.max_retries,
                                                                              base_delay=0.01)
    return LLMGrader(OpenAIBackend(c.model, c.base_url, timeout=c.timeout), c, retry=pol)


async def test_429_then_success_honours_retry_after(srv, req):
    srv.script(Reply.error(429, "slow down", headers={"Retry-After": "7"}),
               Reply.error(429, "slow down", headers={"retry-after-ms": "250"}))
    clock = FakeClock()
    g = grader(srv.openai_url, clock)
    grade = await g.grade(req)
    await g.aclose()
    assert grade.score > 0
    assert len(srv.chat_requests) == 3 and g.last_stats.requests == 3
    assert clock.sleeps == [7.0, 0.25]


async def test_sdk_retries_are_off(srv, req):
    srv.script(Reply.error(500, "boom"))
    g = grader(srv.openai_url, max_retries=0)
    with pytest.raises(GradingError, match=r"server error \(500\)"):
        await g.grade(req)
    await g.aclose()
    assert len(srv.chat_requests) == 1  # the openai SDK would have made 3 with its default max_retries=2


async def test_500s_exhaust_retries(srv, req):
    srv.script(*[Reply.error(503, "overloaded")] * 6)
    g = grader(srv.openai_url, max_retries=3)
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert len(srv.chat_requests) == 4 and ei.value.requests == 4
    assert "503" in ei.value.message and "try again later" in ei.value.hint


@pytest.mark.parametrize("status,needle", [(400, "rejected the request (400)"), (401, "refused the API key (401)"),
                                           (403, "denied access (403)"), (404, "not found")])
async def test_client_errors_are_not_retried(srv, req, status, needle):
    srv.script(Reply.error(status, "nope"))
    g = grader(srv.openai_url)
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert len(srv.chat_requests) == 1
    assert needle in ei.value.message and ei.value.hint


async def test_quota_429_is_not_retried(srv, req):
    srv.script(Reply.error(429, "You exceeded your current quota", code="insufficient_quota"))
    g = grader(srv.openai_url)
    with pytest.raises(GradingError, match="quota"):
        await g.grade(req)
    await g.aclose()
    assert len(srv.chat_requests) == 1


async def test_dropped_connection_is_retried(srv, req):
    srv.script(Reply.drop())
    g = grader(srv.openai_url)
    grade = await g.grade(req)
    await g.aclose()
    assert grade.score > 0 and len(srv.chat_requests) == 2


async def test_hang_past_the_deadline(srv, req):
    srv.script(*[Reply.hang(10)] * 5)
    g = grader(srv.openai_url, timeout=0.4, deadline=1.0)
    t0 = time.monotonic()
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    elapsed = time.monotonic() - t0
    await g.aclose()
    assert elapsed < 2.5
    assert "deadline" in ei.value.message or "timeout" in ei.value.message
    assert "grader.deadline" in ei.value.hint or "grader.timeout" in ei.value.hint
    assert 2 <= len(srv.chat_requests) <= 4


async def test_connection_refused(req):
    g = grader(refused_url() + "/v1", max_retries=1)
    with pytest.raises(GradingError) as ei:
        await g.grade(req)
    await g.aclose()
    assert "cannot connect to 127.0.0.1" in ei.value.message and "connection refused" in ei.value.message
    assert "server running" in ei.value.hint
    assert ei.value.requests == 2
