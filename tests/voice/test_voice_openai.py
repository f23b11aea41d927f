"""The OpenAI-compatible transcriber against a real HTTP server on 127.0.0.1 (tests/fakes/transcription_server):
the real openai SDK uploads multipart form data; replies, faults and retries are the real protocol's."""

from __future__ import annotations

import pytest

from fakes import Reply, refused_url
from fakes.transcription_server import FakeTranscriptionServer, wav_seconds
from interviewer.backends.retry import RetryPolicy
from interviewer.voice.errors import TranscriptionError
from interviewer.voice.factory import make_transcriber
from interviewer.voice.openai_stt import OpenAITranscriber
from interviewer.voice.settings import VoiceConfig
from interviewer.voice.wav import read_info

KEY = "sk-voice-SECRET-4242"
FAST = RetryPolicy(max_retries=2, base_delay=0.01, jitter=0)


@pytest.fixture
def srv():
    with FakeTranscriptionServer(text="Attention weighs every token against every other token.") as s:
        yield s


def transcriber(srv, **kw) -> OpenAITranscriber:
    kw.setdefault("policy", FAST)
    kw.setdefault("env", {"MY_STT_KEY": KEY})
    return OpenAITranscriber("whisper-1", base_url=srv.openai_url, api_key_env="MY_STT_KEY", **kw)


async def test_the_upload_is_the_real_protocol(srv, answer_wav):
    t = transcriber(srv)
    tr = await t.transcribe(answer_wav)
    (rec,) = srv.transcription_requests
    assert rec.method == "POST" and rec.path == "/v1/audio/transcriptions"
    assert rec.headers["authorization"] == f"Bearer {KEY}"
    assert rec.headers["content-type"].startswith("multipart/form-data; boundary=")
    form = srv.forms[0]
    filename, ctype, data = form.files["file"]
    assert (filename, ctype) == ("answer.wav", "audio/wav") and data == answer_wav.read_bytes()
    assert form.get("model") == "whisper-1" and form.get("response_format") == "verbose_json"
    assert form.fields["timestamp_granularities[]"] == ["word"]
    assert form.get("language") == "en" and float(form.get("temperature")) == 0.0
    assert tr.text == "Attention weighs every token against every other token."
    assert [w.text for w in tr.words] == ["Attention", "weighs", "every", "token", "against", "every", "other", "token"]
    assert tr.words[0].start == 0.0 and tr.words[-1].end <= tr.duration
    assert tr.duration == pytest.approx(read_info(answer_wav).duration, abs=0.01)
    assert (tr.backend, tr.model, tr.language, tr.word_timings) == ("openai", "whisper-1", "english", True)
    await t.aclose()


async def test_a_model_that_refuses_verbose_json_is_asked_for_text_and_remembered(srv, answer_wav):
    srv.script_for("transcription", Reply.error(
        400, "response_format 'verbose_json' is not compatible with model 'gpt-4o-transcribe'"))
    t = transcriber(srv)
    tr = await t.transcribe(answer_wav)
    assert [f.get("response_format") for f in srv.forms] == ["verbose_json", "json"]
    assert "timestamp_granularities[]" not in srv.forms[1].fields
    assert not tr.word_timings and tr.words == [] and tr.text.startswith("Attention")
    assert tr.duration == pytest.approx(read_info(answer_wav).duration, abs=0.01)
    await t.transcribe(answer_wav)
    assert srv.forms[2].get("response_format") == "json" and "no word timings" in t.describe()["response"]


async def test_server_errors_and_rate_limits_are_retried(srv, answer_wav):
    srv.script_for("transcription", Reply.error(500, "overloaded"),
                   Reply.error(429, "slow down", headers={"Retry-After": "0"}))
    tr = await transcriber(srv).transcribe(answer_wav)
    assert len(srv.transcription_requests) == 3 and tr.text
    assert all(f.files["file"][2] == answer_wav.read_bytes() for f in srv.forms)  # the whole file each time


async def test_when_retries_run_out_the_error_says_the_take_is_kept(srv, answer_wav):
    srv.script_for("transcription", *[Reply.error(503, "down")] * 3)
    with pytest.raises(TranscriptionError) as e:
        await transcriber(srv).transcribe(answer_wav)
    assert e.value.kind == "server" and "take is kept" in e.value.hint
    assert "grader" not in str(e.value)


async def test_a_bad_key_is_not_retried_and_never_shown(srv, answer_wav):
    srv.script_for("transcription", Reply.echo(401))
    t = transcriber(srv)
    with pytest.raises(TranscriptionError) as e:
        await t.transcribe(answer_wav)
    assert len(srv.transcription_requests) == 1
    assert e.value.kind == "auth" and "MY_STT_KEY" in e.value.hint
    assert KEY not in str(e.value) and KEY in t.secrets()
    assert KEY not in repr(t.describe())


async def test_no_key_for_a_remote_server_is_said_before_any_upload(answer_wav):
    t = OpenAITranscriber("whisper-1", env={}, policy=FAST)
    with pytest.raises(TranscriptionError) as e:
        await t.transcribe(answer_wav)
    assert e.value.kind == "config" and "OPENAI_API_KEY is not set" in e.value.message
    assert "export OPENAI_API_KEY" in e.value.hint


async def test_a_hung_server_times_out_with_what_to_change(srv, answer_wav):
    srv.script_for("transcription", Reply.hang(5))
    t = transcriber(srv, timeout=0.3, policy=RetryPolicy(max_retries=0))
    with pytest.raises(TranscriptionError) as e:
        await t.transcribe(answer_wav)
    assert e.value.kind in ("timeout", "deadline") and "voice." in e.value.hint


async def test_nothing_listening(answer_wav):
    t = OpenAITranscriber("whisper-1", base_url=refused_url() + "/v1", env={}, policy=RetryPolicy(max_retries=0))
    with pytest.raises(TranscriptionError) as e:
        await t.transcribe(answer_wav)
    assert e.value.kind == "connection" and "connection refused" in e.value.message
    assert "voice.base_url" in e.value.hint


async def test_words_nested_in_segments_are_read_too(srv, answer_wav):
    srv.script_for("transcription", Reply(body={
        "text": "Hello there.", "language": "en", "duration": 1.0,
        "segments": [{"id": 0, "start": 0, "end": 1, "text": "Hello there.",
                      "words": [{"word": " Hello", "start": 0.1, "end": 0.4, "probability": 0.9},
                                {"word": " there.", "start": 0.5, "end": 0.9, "probability": 1.5}]}]}))
    tr = await transcriber(srv).transcribe(answer_wav)
    assert [(w.text, w.start, w.end, w.probability) for w in tr.words] == [
        ("Hello", 0.1, 0.4, 0.9), ("there.", 0.5, 0.9, None)]


async def test_a_body_that_is_not_json(srv, answer_wav):
    srv.script_for("transcription", Reply(body=b"<html>proxy error</html>", headers={"Content-Type": "application/json"}))
    with pytest.raises(TranscriptionError) as e:
        await transcriber(srv).transcribe(answer_wav)
    assert e.value.kind == "reply" and "voice.base_url" in e.value.hint


def test_the_factory_and_the_fake_agree_on_the_audio(srv, answer_wav):
    t = make_transcriber(VoiceConfig(backend="openai", base_url=srv.openai_url), env={})
    assert isinstance(t, OpenAITranscriber) and t.model == "whisper-1" and not t.http.needs_key
    assert wav_seconds(answer_wav.read_bytes()) == pytest.approx(read_info(answer_wav).duration)
