"""Nothing said is lost: a take that could not be transcribed stays on disk with why, and is transcribed again;
a take left by a crash mid-recording is repaired; audio is deleted only after its transcript is safe."""

from __future__ import annotations

import asyncio
import json
import shutil
import struct

import pytest

from fakes import Reply
from fakes.transcription_server import FakeTranscriptionServer, wav_seconds
from interviewer.backends.retry import RetryPolicy
from interviewer.core.errors import InterviewerError
from interviewer.locations import Locations
from interviewer.voice.errors import TranscriptionError
from interviewer.voice.openai_stt import OpenAITranscriber
from interviewer.voice.takes import TakeStore, transcribe_take
from interviewer.voice.wav import read_info


@pytest.fixture
def srv():
    with FakeTranscriptionServer(text="Caching keeps the keys and values of earlier tokens.") as s:
        yield s


@pytest.fixture
def store(isolated_home) -> TakeStore:
    return TakeStore.from_locations()


def stt(srv, retries: int = 0) -> OpenAITranscriber:
    return OpenAITranscriber("whisper-1", base_url=srv.openai_url, env={},
                             policy=RetryPolicy(max_retries=retries, base_delay=0.01))


def a_take(store: TakeStore, source) -> object:
    wav = store.new_path()
    shutil.copy(source, wav)
    return wav


def test_takes_live_in_the_data_folder(isolated_home, store):
    assert store.root == Locations.from_env().data_dir / "audio" == isolated_home / "audio"
    a, b = store.new_path(), store.new_path()
    assert a != b and a.parent == store.root and a.suffix == ".wav" and a.name.startswith("take-")


async def test_a_failed_take_is_kept_and_transcribed_again(srv, store, answer_wav):
    wav = a_take(store, answer_wav)
    srv.script_for("transcription", Reply.error(502, "bad gateway"))
    with pytest.raises(TranscriptionError) as e:
        await transcribe_take(store, wav, stt(srv))
    assert e.value.kind == "server"
    assert wav.read_bytes() == answer_wav.read_bytes()  # the audio is untouched
    (pending,) = store.pending()
    assert pending.wav == wav and pending.status == "failed"
    assert pending.failure["kind"] == "server" and "502" in pending.failure["message"] and pending.failure["at"]

    tr = await transcribe_take(store, wav, stt(srv))  # the server is back
    assert tr.text.startswith("Caching")
    assert store.pending() == [] and not store.failure_path(wav).exists()
    again = store.load(wav)
    assert again.status == "transcribed" and again.transcript == tr and wav.exists()


async def test_keep_audio_off_deletes_the_wav_only_after_the_transcript_is_written(srv, store, answer_wav):
    wav = a_take(store, answer_wav)
    with pytest.raises(InterviewerError, match="no transcript yet"):
        store.drop_audio(wav)
    tr = await transcribe_take(store, wav, stt(srv), keep_audio=False)
    assert not wav.exists()
    saved = json.loads(store.transcript_path(wav).read_text())
    assert saved["text"] == tr.text and saved["backend"] == "openai"
    assert store.takes() == []


async def test_a_take_left_by_a_crash_mid_recording_is_repaired_before_it_is_sent(srv, store, answer_wav):
    wav = a_take(store, answer_wav)
    with open(wav, "r+b") as f:  # what a killed recorder leaves: placeholder sizes
        f.seek(4)
        f.write(struct.pack("<I", 0x7FFFFFFF))
        f.seek(40)
        f.write(struct.pack("<I", 0x7FFFFFFF))
    assert store.load(wav).status == "pending" and not read_info(wav).header_ok
    await transcribe_take(store, wav, stt(srv))
    assert read_info(wav).header_ok
    assert wav_seconds(srv.forms[0].files["file"][2]) == pytest.approx(read_info(answer_wav).duration, abs=0.01)


async def test_a_cancelled_transcription_leaves_the_take_pending(srv, store, answer_wav):
    wav = a_take(store, answer_wav)
    srv.script_for("transcription", Reply.hang(10))
    task = asyncio.create_task(transcribe_take(store, wav, stt(srv)))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (p,) = store.pending()
    assert p.failure["kind"] == "cancelled" and wav.exists()


async def test_audio_that_is_not_a_wav_is_recorded_as_a_failure(srv, store):
    wav = store.new_path()
    wav.write_bytes(b"not audio at all")
    with pytest.raises(TranscriptionError) as e:
        await transcribe_take(store, wav, stt(srv))
    assert e.value.kind == "audio"
    assert store.load(wav).failure["message"].endswith("not a WAV file (no RIFF/WAVE header yet)")
    assert srv.transcription_requests == []


async def test_a_silent_take_is_an_empty_transcript_not_an_error(tiny, store):
    wav = store.new_path()
    with open(wav, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + 64) + b"WAVE")
        f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16))
        f.write(b"data" + struct.pack("<I", 64) + b"\x00" * 64)
    tr = await transcribe_take(store, wav, tiny)  # 2 ms of silence: nothing said is a result, not an error
    assert tr.text == "" and tr.words == [] and store.load(wav).status == "transcribed"


def test_delete_removes_a_take_and_its_records(store, answer_wav):
    wav = a_take(store, answer_wav)
    store.save_failure(wav, RuntimeError("boom"))
    assert store.load(wav).failure["kind"] == "unexpected"
    store.delete(wav)
    assert list(store.root.iterdir()) == []


def test_a_damaged_sidecar_means_transcribe_again(store, answer_wav):
    wav = a_take(store, answer_wav)
    store.transcript_path(wav).write_text("{not json")
    assert store.load(wav).status == "pending"
