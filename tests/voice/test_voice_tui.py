"""Answering out loud in the app, driven with Pilot: Ctrl+T records (the real recorder code path with the
stand-in recording command, real speech), Ctrl+T stops, the real tiny.en model transcribes, the transcript
lands in the editor where it is edited, Ctrl+S submits, and the feedback screen shows the delivery measured
from the recording next to the grade; it is stored with the attempt and trended on the review dashboard.
Also: several takes, Esc discarding a take, a failed transcription kept and transcribed again, mock mode,
and what the key says when voice cannot work here (typing still does)."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from fakes import Reply
from fakes.transcription_server import FakeTranscriptionServer
from interviewer.app.practice import SessionOptions
from interviewer.app.voice_capture import VoiceCapture
from interviewer.config import VoiceConfig
from interviewer.store import voice as spoken
from tui_helpers import screen_is, tui_app, until, visible_text

from .voice_audio import PAUSE_SECONDS


def with_voice(services, record_command: str, transcriber, **cfg) -> None:
    """Voice settings as config.toml would give them, and the session's tiny.en model (loaded once)."""
    vc = VoiceConfig(record_command=record_command, **cfg)
    services.set_config(services.config.model_copy(update={"voice": vc}))
    services.voice = VoiceCapture(vc, services.locations, transcriber=transcriber)


def with_server_voice(services, srv, record_command: str, **cfg) -> None:
    """Voice settings that transcribe with the fake OpenAI-compatible server `srv`, no retries."""
    vc = VoiceConfig(record_command=record_command, backend="openai", base_url=srv.openai_url, max_retries=0, **cfg)
    services.set_config(services.config.model_copy(update={"voice": vc}))


async def record_take(pilot, app, source) -> None:
    """Ctrl+T, wait until the stand-in has 'said' all of `source`, Ctrl+T."""
    await pilot.press("ctrl+t")
    await until(pilot, lambda: app.screen.recording, what="recording started")
    rec = app.screen._rec
    await until(pilot, lambda: rec.path.exists() and rec.path.stat().st_size >= source.stat().st_size,
                timeout=20, what="the take recorded")
    assert "Listening" in visible_text(app.screen.query_one("#voice-bar"))
    await pilot.press("ctrl+t")


def editor(app) -> TextArea:
    return app.screen.query_one("#answer", TextArea)


@pytest.mark.slow
async def test_record_transcribe_edit_submit_and_see_the_delivery(services, tiny, stand_in, paused_wav):
    with_voice(services, stand_in(paused_wav, "--speed", "8"), tiny)
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        assert "Speak" in visible_text(app.screen.query_one("Footer")) or app.screen.check_action("voice", ())
        await record_take(pilot, app, paused_wav)
        await until(pilot, lambda: not app.screen.voice_busy and app.screen.takes, timeout=60, what="transcript")
        said = editor(app).text
        assert "token" in said.lower() and "layer" in said.lower()
        assert "1 take" in visible_text(app.screen.query_one("#voice-bar"))
        editor(app).insert(" Edited after listening.", editor(app).document.end)  # the transcript is editable
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"), timeout=30, what="feedback")
        fb = app.screen
        assert fb.answer.grade is not None and fb.answer.delivery is not None
        d = fb.answer.delivery
        assert d.pauses_from == "audio" and d.long_pause_count == 2
        assert all(PAUSE_SECONDS <= p.seconds <= PAUSE_SECONDS + 0.6 for p in d.pauses)  # + espeak's padding
        text = visible_text(fb)
        assert "Delivery, measured from your recording" in text and "words a minute" in text
        assert "2 long pauses" in text and "if spoken (estimate" not in text
        a = fb.answer.attempt
    assert a.answer.endswith("Edited after listening.")
    assert spoken.delivery_for(services.store, a.id) == d
    (take,) = spoken.takes_for(services.store, a.id)
    assert take.audio and take.silences and take.transcript.words
    assert services.voice.pending() == []  # stored with the attempt: no take left waiting


@pytest.mark.slow
async def test_several_takes_are_appended_and_esc_discards_a_take(services, tiny, stand_in, answer_wav):
    with_voice(services, stand_in(answer_wav, "--speed", "10"), tiny)
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        editor(app).insert("Typed first.")
        await record_take(pilot, app, answer_wav)
        await until(pilot, lambda: len(app.screen.takes) == 1 and not app.screen.voice_busy, timeout=60)
        first = editor(app).text
        assert first.startswith("Typed first. ") and len(first) > len("Typed first. ") + 20
        await pilot.press("ctrl+t")  # a take thrown away
        await until(pilot, lambda: app.screen.recording)
        discarded = app.screen._rec.path
        await pilot.press("escape")
        await until(pilot, lambda: not discarded.exists(), what="the discarded take deleted")
        assert screen_is(app, "QuestionScreen")() and editor(app).text == first  # Esc did not end the session
        await record_take(pilot, app, answer_wav)
        await until(pilot, lambda: len(app.screen.takes) == 2 and not app.screen.voice_busy, timeout=60)
        assert editor(app).text.startswith(first) and len(editor(app).text) > len(first) + 20
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"), timeout=30)
        assert app.screen.answer.delivery.takes == 2
        aid = app.screen.answer.attempt.id
    assert len(spoken.takes_for(services.store, aid)) == 2


async def test_a_failed_transcription_keeps_the_take_and_ctrl_g_tries_again(services, stand_in, answer_wav):
    with FakeTranscriptionServer(text="Attention compares every token with every other token.") as srv:
        srv.script_for("transcription", Reply.error(503, "overloaded"))
        with_server_voice(services, srv, stand_in(answer_wav, "--speed", "10"))
        app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, screen_is(app, "QuestionScreen"))
            await record_take(pilot, app, answer_wav)
            await until(pilot, lambda: app.screen._failed is not None and not app.screen.voice_busy, timeout=30)
            bar = visible_text(app.screen.query_one("#voice-bar"))
            assert "Could not transcribe" in bar and "503" in bar and "Ctrl+G" in bar
            (pending,) = services.voice.pending()
            assert pending.status == "failed" and pending.wav.exists()
            assert editor(app).text == ""
            await pilot.press("ctrl+g")  # the server is back
            await until(pilot, lambda: app.screen.takes and not app.screen.voice_busy, timeout=30)
            assert editor(app).text.startswith("Attention compares")
            assert services.voice.pending() == []


@pytest.mark.slow
async def test_esc_while_transcribing_stops_keeps_the_take_and_stays_on_the_question(services, stand_in, answer_wav):
    with FakeTranscriptionServer(text="Attention compares every token with every other token.") as srv:
        srv.script_for("transcription", Reply.hang(30))
        with_server_voice(services, srv, stand_in(answer_wav, "--speed", "10"), timeout=60)
        app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, screen_is(app, "QuestionScreen"))
            editor(app).insert("Typed before.")
            await record_take(pilot, app, answer_wav)
            await until(pilot, lambda: srv.transcription_requests, timeout=20, what="the upload")
            assert app.screen.voice_busy
            await pilot.press("ctrl+s")  # not while transcribing: said, nothing submitted
            await pilot.pause()
            assert screen_is(app, "QuestionScreen")()
            await pilot.press("escape")
            await until(pilot, lambda: not app.screen.voice_busy and app.screen._failed is not None, timeout=10)
            assert screen_is(app, "QuestionScreen")() and editor(app).text == "Typed before."
            assert "Ctrl+G" in visible_text(app.screen.query_one("#voice-bar"))
            (kept,) = services.voice.pending()
            assert kept.wav.exists() and kept.failure["kind"] == "cancelled"
            await pilot.press("ctrl+g")  # the next request gets an answer
            await until(pilot, lambda: app.screen.takes and not app.screen.voice_busy, timeout=30)
            assert editor(app).text == "Typed before. Attention compares every token with every other token."


@pytest.mark.slow
async def test_keep_audio_off_keeps_the_transcript_and_the_delivery_but_not_the_recording(services, tiny, stand_in,
                                                                                          paused_wav):
    with_voice(services, stand_in(paused_wav, "--speed", "10"), tiny, keep_audio=False)
    app = tui_app(services, start=SessionOptions(count=1, order="in-order", mock=True))
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await record_take(pilot, app, paused_wav)
        await until(pilot, lambda: app.screen.takes and not app.screen.voice_busy, timeout=60)
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "SummaryScreen"), timeout=30)
    [a] = services.store.attempts()
    (take,) = spoken.takes_for(services.store, a.id)
    assert take.audio == "" and take.silences and take.transcript.words
    assert spoken.delivery_for(services.store, a.id).long_pause_count == 2  # measured before the audio went
    assert list(services.voice.takes.root.iterdir()) == []  # no recording, no leftover transcript file


@pytest.mark.slow
async def test_mock_mode_and_the_timer_work_with_voice(services, tiny, stand_in, answer_wav):
    """The countdown keeps running while recording; mock mode holds the feedback back but keeps the delivery."""
    with_voice(services, stand_in(answer_wav, "--speed", "10"), tiny)
    app = tui_app(services, start=SessionOptions(count=1, order="in-order", mock=True, timer_s=90))
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.screen.recording)
        app.clock.advance(30)
        await until(pilot, lambda: "1:00 left of 1:30" in visible_text(app.screen.query_one("#timer")),
                    what="the timer ticking while recording")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.screen.takes and not app.screen.voice_busy, timeout=60)
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "SummaryScreen"), timeout=30, what="summary (mock: no feedback between)")
        item = app.screen.practice.items[0]
        assert item.answer.delivery is not None and item.answer.grade is not None
        [a] = services.store.attempts()
    assert spoken.delivery_for(services.store, a.id) == item.answer.delivery


async def test_without_a_recorder_the_key_says_how_to_enable_voice_and_typing_works(services, monkeypatch):
    vc = VoiceConfig(recorder="auto")
    services.set_config(services.config.model_copy(update={"voice": vc}))
    services.voice = VoiceCapture(vc, services.locations, which=lambda name: None)
    monkeypatch.setattr("interviewer.voice.recorder._sounddevice_importable", lambda: False)
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.screen.recording
        bar = visible_text(app.screen.query_one("#voice-bar"))
        assert "no audio recorder found" in bar and "apt install alsa-utils" in bar
        editor(app).insert("Typed as always.")
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app, "FeedbackScreen"), timeout=30)
        assert app.screen.answer.delivery is None
        assert "if spoken (estimate" in visible_text(app.screen)


async def test_without_the_extra_the_key_says_how_to_install_it(services, stand_in, answer_wav, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "faster_whisper" else real(name, *a))
    with_voice(services, stand_in(answer_wav), None)
    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.screen.recording
        bar = visible_text(app.screen.query_one("#voice-bar"))
        assert "optional extra" in bar and "pip install 'interviewer[voice]'" in bar and "make voice" in bar


async def test_the_review_dashboard_trends_pace_and_pauses_and_history_shows_the_delivery(services):
    from .test_voice_store import a_take, add_spoken

    app = tui_app(services, start="review")
    async with app.run_test(size=(120, 40)) as pilot:  # nothing spoken yet: no delivery panel
        await until(pilot, lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None)
        assert not app.screen.query_one("#delivery-panel").display
    for gap in (5, 5, None, None):
        a, d = add_spoken(services, [a_take(gap_after=gap)])
    app = tui_app(services, start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None)
        panel = app.screen.query_one("#delivery-panel")
        assert panel.display
        text = visible_text(panel)
        t = app.screen.report.delivery
        assert "Your pace" in text and f"{t.pace_lately:.0f} words a minute" in text
        assert "Your pauses" in text and "fewer (was" in text and "4 spoken answers" in text
    from interviewer.tui.screens.attempt import AttemptScreen

    app = tui_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(AttemptScreen(a.id))
        await until(pilot, lambda: screen_is(app, "AttemptScreen")() and app.screen.query("#delivery"), timeout=10)
        assert "words a minute" in visible_text(app.screen.query_one("#delivery"))


async def _leave_a_spoken_draft(services, stand_in, answer_wav, said: str) -> dict:
    """Record one take of `said`, then Esc: the session ends with the spoken answer unsubmitted (a draft)."""
    with FakeTranscriptionServer(text=said) as srv:
        with_server_voice(services, srv, stand_in(answer_wav, "--speed", "10"))
        app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, screen_is(app, "QuestionScreen"))
            await record_take(pilot, app, answer_wav)
            await until(pilot, lambda: app.screen.takes and not app.screen.voice_busy, timeout=30)
            await pilot.press("escape")
            await until(pilot, lambda: not screen_is(app, "QuestionScreen")(), what="the session ended")
    (d,) = services.store.drafts()
    assert d["text"] == said and said in d["takes"]
    assert services.store.attempts() == []
    return d


async def test_a_draft_keeps_its_takes_and_the_restored_answer_is_submitted_with_them(services, stand_in, answer_wav):
    """Esc ends the session with a spoken answer unsubmitted: the draft keeps the take, the next start offers it
    back with its recording ("1 take" on the voice bar), and submitting it stores the take and measures the
    delivery, as if it had never been interrupted."""
    said = "Attention compares every token with every other token."
    await _leave_a_spoken_draft(services, stand_in, answer_wav, said)
    app2 = tui_app(services, offer_drafts=True)
    async with app2.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app2, "RestoreDraftScreen"))
        assert "and its recording (1 take)" in " ".join(visible_text(app2.screen).split())
        await pilot.press("r")
        await until(pilot, screen_is(app2, "QuestionScreen"))
        assert editor(app2).text == said and len(app2.screen.takes) == 1
        assert "1 take" in visible_text(app2.screen.query_one("#voice-bar"))
        await pilot.press("ctrl+s")
        await until(pilot, screen_is(app2, "FeedbackScreen"), timeout=30)
        assert app2.screen.answer.delivery is not None and app2.screen.answer.delivery.takes == 1
        aid = app2.screen.answer.attempt.id
    (take,) = spoken.takes_for(services.store, aid)
    assert take.transcript.text == said and take.audio
    assert services.store.drafts() == [] and services.voice.pending() == []


async def test_discarding_a_spoken_draft_deletes_its_recording(services, stand_in, answer_wav):
    """Discard in the restore dialog deletes the draft and the take it kept (audio and transcript), which no
    attempt will ever list; the notice says so. A file the person named stays (only our audio folder is touched)."""
    from pathlib import Path

    from interviewer.app.practice import draft_takes

    d = await _leave_a_spoken_draft(services, stand_in, answer_wav, "Attention compares every token.")
    (take,) = draft_takes(d)
    wav = Path(take.audio)
    assert wav.is_file() and wav.with_suffix(".json").is_file()
    app = tui_app(services, offer_drafts=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, screen_is(app, "RestoreDraftScreen"))
        await pilot.press("d")
        await until(pilot, screen_is(app, "HomeScreen"))
        await until(pilot, lambda: any("with its recording (1 take)" in str(n.message)
                                       for n in app._notifications), what="the notice")
    assert services.store.drafts() == []
    assert not wav.exists() and not wav.with_suffix(".json").exists()
    assert answer_wav.is_file()


def test_a_draft_whose_takes_no_longer_read_keeps_its_text(services):
    from interviewer.app.practice import draft_takes

    assert draft_takes({"takes": "not json"}) == [] and draft_takes({}) == []
    assert draft_takes({"takes": '[{"transcript": 3}, "x"]'}) == []
