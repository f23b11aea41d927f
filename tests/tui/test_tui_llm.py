"""Pilot tests of the app against the fake OpenAI-compatible server (a real HTTP server on 127.0.0.1 that the
real openai client talks to): the whole loop, the backend check on the home screen, and a failing backend."""

from __future__ import annotations

import pytest

from fakes import FakeLLMServer, Reply, refused_url
from interviewer.app.practice import SessionOptions
from interviewer.app.services import Services
from interviewer.core.models import AttemptStatus
from tui_helpers import screen_is, tui_app, type_text, until, visible_text

SECRET = "sk-test-SECRET-123"


@pytest.fixture
def server():
    with FakeLLMServer() as srv:
        yield srv


def llm_services(monkeypatch, base_url: str, **grader):
    monkeypatch.setenv("FAKE_KEY", SECRET)
    g = {"backend": "openai", "model": "fake-model", "base_url": base_url, "api_key_env": "FAKE_KEY",
         "max_retries": 0, "timeout": 5}
    g.update(grader)
    return Services.create(overrides={"grader": g})


async def test_whole_loop_on_the_fake_openai_server(server, monkeypatch):
    svc = llm_services(monkeypatch, server.openai_url)
    app = tui_app(svc, check_backend=True, start=SessionOptions(count=1, order="in-order"))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, screen_is(app, "QuestionScreen"))
            await type_text(pilot, "A transformer trained on huge amounts of text that generates human-like text.")
            await pilot.press("ctrl+s")
            await until(pilot, screen_is(app, "FeedbackScreen"), what="LLM feedback")
            g = app.screen.answer.grade.grade
            assert (g.grader.backend, g.grader.model) == ("openai", "fake-model")
            assert all(c.level is not None for c in g.criteria)  # an LLM assesses every criterion
            text = visible_text(app.screen)
            assert "Why is the scaling factor needed?" in text  # the follow-up from the model
            await pilot.press("f")
            await until(pilot, screen_is(app, "QuestionScreen"))
            await type_text(pilot, "Because dot products grow with the dimension.")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: screen_is(app, "FeedbackScreen")() and not app.screen.has_follow_up)
            await pilot.press("n")
            await until(pilot, screen_is(app, "SummaryScreen"))
            assert app.screen.summary.graded == 1 and app.screen.summary.rows[0].follow_up_scores[0] is not None
            assert SECRET not in app.export_screenshot()
        # two gradings (the home screen's health check adds a small structured-output probe of its own)
        grading = [r for r in server.chat_requests if "huge amounts" in r.text or "dot products" in r.text]
        assert len(grading) == 2
        asked = grading[1].text
        assert "Why is the scaling factor needed?" in asked  # the follow-up was graded as asked
        statuses = sorted(a.status.value for a in svc.store.attempts())
        assert statuses == ["graded", "graded"]
    finally:
        svc.close()
    assert SECRET.encode() not in svc.locations.db_path.read_bytes()


async def test_home_checks_the_backend_after_first_paint(server, monkeypatch):
    svc = llm_services(monkeypatch, server.openai_url)
    app = tui_app(svc, check_backend=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.backend_ok is not None, what="backend check")
        assert app.backend_ok is True and "server ready" in visible_text(app.screen)
        assert "fake-model" in visible_text(app.screen)
    svc.close()


async def test_unreachable_backend_is_a_warning_not_a_crash(monkeypatch):
    svc = llm_services(monkeypatch, refused_url())
    app = tui_app(svc, check_backend=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen_is(app, "HomeScreen")()  # drawn before the check finished
        await until(pilot, lambda: app.backend_ok is not None, timeout=20, what="backend check")
        assert app.backend_ok is False
        text = visible_text(app.screen)
        assert "not ready" in text and "settings" in text
    svc.close()


async def test_failing_backend_then_grade_offline(server, monkeypatch):
    server.script(Reply.error(500, "upstream exploded"), Reply.error(500, "upstream exploded"))
    svc = llm_services(monkeypatch, server.openai_url)
    app = tui_app(svc, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, "A transformer trained on huge amounts of text.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_is(app, "GradingScreen")() and app.screen.failed, what="failure")
        msg = visible_text(app.screen)
        assert "Grading failed" in msg and "Traceback" not in msg and SECRET not in msg
        [a] = svc.store.attempts()
        assert a.status is AttemptStatus.ungraded and a.error
        await pilot.press("r")  # the second scripted 500
        await until(pilot, lambda: len(server.chat_requests) == 2 and app.screen.failed, what="retry failed")
        await pilot.press("o")
        await until(pilot, screen_is(app, "FeedbackScreen"), what="offline feedback")
        assert app.screen.answer.grade.grade.grader.backend == "offline"
    [a] = svc.store.attempts()
    assert a.status is AttemptStatus.graded
    svc.close()
