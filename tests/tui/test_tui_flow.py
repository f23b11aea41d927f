"""Pilot tests: the whole practice loop in the app, on the real offline grader and on a controllable test
grader (slow, failing), plus settings, drafts and safe rendering."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input

from interviewer.app.practice import SessionOptions
from interviewer.config import load_config
from interviewer.core.models import AttemptKind, AttemptStatus
from tui_helpers import KeywordGrader, screen_is, tui_app, type_text, until, visible_text

GOOD = ("A large language model is a transformer, a deep neural network trained on huge amounts of text. "
        "It learns patterns and context by predicting the next token and can generate human-like text.")


@pytest.mark.slow
async def test_whole_loop_on_the_offline_grader(services):
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen_is(app, "HomeScreen")()
        await pilot.press("p")
        await until(pilot, screen_is(app, "SetupScreen"))
        app.screen.query_one("#count", Input).value = "2"
        app.screen.query_one("#order").value = "in-order"
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "QuestionScreen"), what="first question")
        assert "Large Language Model" in app.screen.prompt
        await type_text(pilot, GOOD)
        assert app.screen.query_one("#stats").words == len(GOOD.split())
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"), what="feedback")
        fb = app.screen
        assert fb.answer.grade is not None and fb.answer.grade.grade.grader.backend == "offline"
        for section in ("#headline", "#criteria", "#key-points", "#misconceptions", "#wording", "#reference",
                        "#your-answer"):
            assert fb.query(section), section
        text = visible_text(fb)
        assert "not assessed" in text and "“" in text  # criteria the offline grader cannot judge; quoted evidence
        assert fb.has_follow_up
        await pilot.press("f")
        await until(pilot, screen_is(app, "QuestionScreen"), what="follow-up question")
        assert app.screen.is_follow_up
        await type_text(pilot, "It is trained with next token prediction on web scale text, then fine-tuned.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_is(app, "FeedbackScreen")() and app.screen is not fb, what="fu feedback")
        assert not app.screen.has_follow_up
        await pilot.press("n")
        await until(pilot, screen_is(app, "QuestionScreen"), what="second question")
        await pilot.press("ctrl+d")  # I don't know
        await until(pilot, screen_is(app, "FeedbackScreen"))
        assert "I don't know" in visible_text(app.screen)
        await pilot.press("n")
        await until(pilot, screen_is(app, "SummaryScreen"), what="summary")
        s = app.screen.summary
        assert [r.kind for r in s.rows] == ["answer", "dont_know"]
        assert s.rows[0].score is not None and len(s.rows[0].follow_up_scores) == 1
        assert app.screen.query_one(DataTable).row_count == 2
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.pause()
        # as the summary said ("1 answered"): the "I don't know" is no answer, and home does not count it as one
        assert "Practised 1 of 100 (1 answer, 1 not answered)" in visible_text(app.screen)
    atts = services.store.attempts()
    assert sorted((a.kind.value, a.status.value, a.parent_id is not None) for a in atts) == [
        ("answer", "graded", False), ("answer", "graded", True), ("dont_know", "ungraded", False)]


@pytest.mark.slow
async def test_a_point_said_the_other_way_round_reads_so_on_every_screen(services):
    """The feedback says "you said the opposite"; the summary and the review dashboard say it too, not "left out"."""
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"), what="the first question")
        await type_text(pilot, "An LLM is a transformer model, but it is not trained on vast amounts of text data.")
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"), what="feedback")
        assert "you said the opposite" in visible_text(app.screen)
        await pilot.press("n")
        await until(pilot, screen_is(app, "SummaryScreen"), what="summary")
        kps = visible_text(app.screen.query_one("#summary-kps"))
        assert "Key points you left out or got wrong" in kps
        assert "trained on vast amounts of text data (you said the opposite)" in " ".join(kps.split())
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.press("r")
        await until(pilot, lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None)
        missed = visible_text(app.screen.query_one("#missed-panel"))
        assert "said the opposite last time" in " ".join(missed.split())


async def test_esc_during_grading_keeps_the_answer_pending(services):
    grader = KeywordGrader(delay=30)
    services.grader = grader
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, "transformer")
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "GradingScreen"))
        await until(pilot, grader.started.is_set, what="grader called")
        assert "Esc stops; your answer stays saved" in visible_text(app.screen)
        await pilot.press("escape")
        await until(pilot, screen_is(app, "FeedbackScreen"), timeout=3, what="feedback after cancel")
        assert "Ungraded. Your answer is saved" in visible_text(app.screen)
        [a] = services.store.attempts()
        assert (a.status, a.answer) == (AttemptStatus.pending, "transformer")
        await pilot.press("n")
        await until(pilot, screen_is(app, "SummaryScreen"))
        assert "is ungraded" in " ".join(app.screen.summary.next_steps)


@pytest.mark.slow
async def test_failed_grading_retry_offline_and_keep_for_later(services):
    bad = KeywordGrader(fail="the model server answered 503")
    services.grader = bad
    app = tui_app(services, start=SessionOptions(count=2, order="in-order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, GOOD)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_is(app, "GradingScreen")() and app.screen.failed, what="failure shown")
        assert "the model server answered 503" in visible_text(app.screen)
        assert app.screen.query_one("#retry", Button).display
        await pilot.press("r")
        await until(pilot, lambda: bad.calls == 2 and app.screen.failed, what="retry")
        await pilot.press("o")
        await until(pilot, screen_is(app, "FeedbackScreen"), what="offline feedback")
        assert app.screen.answer.grade.grade.grader.backend == "offline"
        await pilot.press("n")
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, "second answer")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_is(app, "GradingScreen")() and app.screen.failed)
        await pilot.press("k")
        await until(pilot, screen_is(app, "FeedbackScreen"))
        text = visible_text(app.screen)
        assert "Ungraded. Your answer is saved" in text and "503" in text
        await pilot.press("n")
        await until(pilot, screen_is(app, "SummaryScreen"))
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.pause()
        assert app.screen.pending == 1 and "1 answer kept for later" in visible_text(app.screen)
        # grade it later from home, with a working grader
        services.grader = KeywordGrader()
        await pilot.press("g")
        # the grade is shown (the answer's own screen, with its feedback), then home has nothing kept
        await until(pilot, screen_is(app, "AttemptScreen"), what="the grade shown")
        assert "second answer" in visible_text(app.screen) and "/ 100" in visible_text(app.screen)
        await pilot.press("escape")
        await until(pilot, lambda: screen_is(app, "HomeScreen")() and app.screen.pending == 0, what="graded later")
    kept = services.store.attempts(question_id=services.bank().questions[1].id)[0]
    assert kept.status is AttemptStatus.graded and kept.answer == "second answer"


@pytest.mark.slow
async def test_mock_interview_holds_feedback_until_the_end(services):
    services.grader = KeywordGrader()
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await until(pilot, screen_is(app, "SetupScreen"))
        app.screen.query_one("#count", Input).value = "2"
        app.screen.query_one("#mock", Checkbox).value = True
        await pilot.press("ctrl+s")
        seen = []
        for text in ("transformer trained on huge amounts of text", "attention"):
            await until(pilot, screen_is(app, "QuestionScreen"))
            await type_text(pilot, text)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not screen_is(app, "QuestionScreen")() or app.screen.text == "")
            seen.append(type(app.screen).__name__)
        await until(pilot, screen_is(app, "SummaryScreen"), what="summary")
        assert "FeedbackScreen" not in seen
        assert app.screen.summary.graded == 2
        await pilot.press("o")  # the held-back feedback, one keypress away
        await until(pilot, screen_is(app, "FeedbackScreen"))
        assert app.screen.review and app.screen.answer.grade is not None
        await pilot.press("escape")
        await until(pilot, screen_is(app, "SummaryScreen"))


async def test_answers_and_model_text_are_shown_literally(services):
    nasty = "[bold red]LOUD[/] [link=http://x]click[/link] \x1b[2J\x1b]0;title\x07 transformer"
    services.grader = KeywordGrader(follow_up="[blink]follow[/blink]")
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, nasty)
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"))
        text = visible_text(app.screen)
        assert "[bold red]LOUD[/]" in text and "[link=http://x]click[/link]" in text
        assert "[blink]follow[/blink]" in text
        assert "\x1b" not in text and "\x07" not in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg


async def test_settings_save_the_key_variable_name_never_a_key(services, monkeypatch):
    monkeypatch.setenv("MY_KEY_VAR", "sk-test-SECRET-123")
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await until(pilot, screen_is(app, "SettingsScreen"))
        scr = app.screen
        scr.query_one("#backend").value = "openai"
        scr.query_one("#model", Input).value = "gpt-4o-mini"
        scr.query_one("#base_url", Input).value = "http://127.0.0.1:9/v1"
        scr.query_one("#api_key_env", Input).value = "sk-test-SECRET-123"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "NAME of the environment variable" in visible_text(scr)
        assert not services.locations.config_path.exists()
        assert "Defaults in use; Save writes them to" in visible_text(scr)  # never "Saved to" before it exists
        scr.query_one("#api_key_env", Input).value = "MY_KEY_VAR"
        await pilot.pause()
        assert "MY_KEY_VAR is set" in visible_text(scr) and "SECRET" not in visible_text(scr)
        scr.query_one("#timer", Input).value = "120"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"Saved to {services.locations.config_path}." in " ".join(visible_text(scr).split())
        assert "Your settings file:" in visible_text(scr)
    raw = services.locations.config_path.read_text()
    assert "SECRET" not in raw and 'api_key_env = "MY_KEY_VAR"' in raw
    cfg = load_config(services.locations.config_path, env={})
    assert (cfg.grader.backend, cfg.grader.model, cfg.practice.timer) == ("openai", "gpt-4o-mini", 120)
    assert services.config.grader.backend == "openai"  # the running app uses it too


@pytest.mark.slow
async def test_settings_test_connection_on_offline(services):
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await until(pilot, screen_is(app, "SettingsScreen"))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "nothing to connect to" in visible_text(app.screen), what="check result")


async def test_draft_is_autosaved_and_offered_on_the_next_start(services):
    app = tui_app(services, autosave_interval=0.05, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await type_text(pilot, "half of my answer about transformers")
        await until(pilot, lambda: app.screen.draft_saves >= 1, what="autosave")
    [d] = services.store.drafts()
    assert d["text"] == "half of my answer about transformers"
    app2 = tui_app(services, offer_drafts=True)
    async with app2.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app2, "RestoreDraftScreen"), what="restore offer")
        assert "half of my answer" in visible_text(app2.screen)
        await pilot.press("r")
        await until(pilot, screen_is(app2, "QuestionScreen"))
        assert app2.screen.text == "half of my answer about transformers"
        await pilot.press("ctrl+d")
        await until(pilot, screen_is(app2, "FeedbackScreen"))
    assert services.store.drafts() == []
    [a] = services.store.attempts()
    assert a.kind is AttemptKind.dont_know and a.session_id == d["session_id"]


async def test_discarding_a_draft(services):
    services.store.save_draft("answer:llm-100:llm-q002", bank_id="llm-100", question_id="llm-q002", text="old")
    app = tui_app(services, offer_drafts=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "RestoreDraftScreen"))
        await pilot.press("d")
        await until(pilot, screen_is(app, "HomeScreen"))
    assert services.store.drafts() == []


async def test_read_aloud_only_where_a_tts_program_exists(services, tmp_path):
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        assert not app.screen.query("#read_aloud")
        assert app.screen.check_action("read_aloud", ()) is False
        await pilot.press("ctrl+r")  # nothing happens, no error
        assert screen_is(app, "QuestionScreen")()
    out = tmp_path / "spoken.txt"
    fake = tmp_path / "espeak-ng"
    fake.write_text(f"#!/bin/sh\ncat > {out}\n")
    fake.chmod(0o755)
    app = tui_app(services, tts_program=str(fake), start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        assert app.screen.query("#read_aloud")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: out.exists() and out.read_text(), what="speech")
        assert out.read_text() == app.screen.prompt


async def test_help_panel_and_palette_commands(services):
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        await pilot.press("f1")
        await until(pilot, screen_is(app, "HelpScreen"))
        await pilot.press("f1")
        await until(pilot, screen_is(app, "HomeScreen"))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Start practice", "Weakest first", "Settings", "How grading works"} <= set(titles)


def test_no_misconception_found_says_only_what_was_checked():
    """The offline grader checks a question's known misconceptions, not every claim: "None spotted" would claim
    more than it did."""
    from interviewer.core.models import GraderInfo, Question
    from interviewer.tui.widgets.feedback_view import none_found_text

    q = Question(id="x", number=1, topic="t", question="What is it?", reference="The reference.", misconceptions=[
        {"id": "m1", "claim": "A wrong claim", "correction": "What is right", "signals": ["wrong claim words"]},
        {"id": "m2", "claim": "Another wrong claim", "correction": "What is right", "signals": ["other words"]}])

    class G:
        grader = GraderInfo(backend="offline")

    text = none_found_text(G(), q).plain
    assert "2 known misconceptions" in text and "would not be caught" in text
    assert "Not checked" in none_found_text(G(), Question(id="y", number=2, topic="t", question="What is it?", reference="The reference.")).plain

    class L:
        grader = GraderInfo(backend="openai", model="m")

    assert none_found_text(L(), q).plain == "None spotted."
