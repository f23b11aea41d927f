"""The recorder through its real code path: a real subprocess (the stand-in recording command, since this
machine has no sound card) writing a real WAV, stopped by signal; and sox's real `rec` with no device."""

from __future__ import annotations

import time
import wave

import pytest

from interviewer.voice.errors import NoMicrophoneError, NoRecorderError, RecorderError
from interviewer.voice.recorder import TOOLS, Recorder, find_recorder, take_from_file
from interviewer.voice.settings import VoiceConfig
from interviewer.voice.wav import read_info

NO_CARD = "arecord: main:850: audio open error: No such file or directory"


def frames_of(path) -> bytes:
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes())


def wait_for_size(path, size: int, timeout: float = 15.0) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if path.exists() and path.stat().st_size >= size:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} did not reach {size} bytes")


def recorder_for(command: str) -> Recorder:
    return Recorder.from_config(VoiceConfig(record_command=command))


def test_a_take_is_the_audio_the_recorder_wrote(tmp_path, answer_wav, stand_in):
    rec = recorder_for(stand_in(answer_wav, "--speed", "10"))
    assert rec.name == "command"
    r = rec.start(tmp_path / "take.wav")
    r.wait_ready(2.0)
    levels = []
    until = time.monotonic() + 15
    while r.path.stat().st_size < answer_wav.stat().st_size and time.monotonic() < until:
        levels.append(r.level().meter)
        r.check()
        time.sleep(0.05)
    assert max(levels) > 0.2, "the level meter never moved while speech was being recorded"
    assert r.elapsed() > 0
    take = r.stop()
    assert r.proc.poll() is not None
    assert take.path == tmp_path / "take.wav" and take.recorder == "command" and not take.warning
    assert (take.rate, take.channels) == (16000, 1)
    assert frames_of(take.path) == frames_of(answer_wav)
    assert take.duration == pytest.approx(read_info(answer_wav).duration, abs=0.01)
    assert r.stop() == take  # stopping twice is harmless


def test_a_recorder_that_must_be_killed_still_leaves_a_readable_take(tmp_path, answer_wav, stand_in):
    """It ignores SIGINT and never fixes its header: SIGTERM ends it and the header is repaired."""
    r = recorder_for(stand_in(answer_wav, "--speed", "10", "--ignore-sigint", "--no-finalise")).start(
        tmp_path / "take.wav")
    wait_for_size(r.path, answer_wav.stat().st_size)
    assert not read_info(r.path).header_ok
    t0 = time.monotonic()
    take = r.stop(timeout=0.3)
    assert time.monotonic() - t0 < 3
    assert read_info(take.path).header_ok
    assert frames_of(take.path) == frames_of(answer_wav)


def test_no_sound_card_is_a_no_microphone_error_with_what_to_do(tmp_path, answer_wav, stand_in):
    r = recorder_for(stand_in(answer_wav, "--fail", NO_CARD)).start(tmp_path / "take.wav")
    with pytest.raises(NoMicrophoneError) as e:
        r.wait_ready(3.0)
    assert e.value.message.startswith("no microphone found")
    assert "audio open error" in e.value.message
    assert "microphone" in e.value.hint and "type" in e.value.hint
    r.discard()
    assert not r.path.exists()


def test_other_recorder_failures_say_what_the_recorder_said(tmp_path, answer_wav, stand_in):
    r = recorder_for(stand_in(answer_wav, "--fail", "unsupported sample format S99")).start(tmp_path / "t.wav")
    with pytest.raises(RecorderError) as e:
        r.wait_ready(3.0)
    assert not isinstance(e.value, NoMicrophoneError)
    assert "unsupported sample format S99" in e.value.message
    with pytest.raises(RecorderError):
        r.stop()  # nothing was recorded: nothing to keep
    assert not r.path.exists()


def test_a_device_lost_mid_take_keeps_what_was_recorded(tmp_path, answer_wav, stand_in):
    r = recorder_for(stand_in(answer_wav, "--speed", "10", "--fail-after", "1.0",
                              "device disconnected")).start(tmp_path / "t.wav")
    r.wait_ready(2.0)
    until = time.monotonic() + 10
    while r.proc.poll() is None and time.monotonic() < until:
        time.sleep(0.05)
    with pytest.raises(RecorderError, match="device disconnected"):
        r.check()
    take = r.stop()
    assert "what was recorded is kept" in take.warning
    assert take.duration == pytest.approx(1.0, abs=0.11)
    assert read_info(take.path).header_ok


def test_discard_ends_the_recorder_and_deletes_the_take(tmp_path, answer_wav, stand_in):
    r = recorder_for(stand_in(answer_wav)).start(tmp_path / "t.wav")
    r.wait_ready(2.0)
    r.discard()
    assert r.proc.poll() is not None
    assert not r.path.exists()


def test_finding_a_recorder():
    nothing = lambda name: None  # noqa: E731
    with pytest.raises(NoRecorderError) as e:
        find_recorder("auto", which=nothing) if not _sounddevice() else find_recorder("arecord", which=nothing)
    assert "apt install" in e.value.hint or "not installed" in e.value.message
    only_rec = lambda name: "/usr/bin/rec" if name == "rec" else None  # noqa: E731
    spec = find_recorder("auto", which=only_rec) if not _sounddevice() else find_recorder("rec", which=only_rec)
    assert spec.name == "rec"
    argv = spec.argv(__import__("pathlib").Path("/x/t.wav"), seconds=42)
    assert argv[:1] == ["rec"] and "/x/t.wav" in argv and "16000" in argv and argv[-1] == "42"
    arecord = find_recorder("arecord", which=lambda n: "/usr/bin/" + n)
    assert arecord.argv_template == TOOLS["arecord"]
    with pytest.raises(NoRecorderError, match="pw-record"):
        find_recorder("pw-record", which=nothing)


def test_a_bad_record_command_is_refused_before_anything_runs():
    with pytest.raises(NoRecorderError, match=r"no \{path\}"):
        find_recorder(command="arecord -f S16_LE out.wav", which=lambda n: "/usr/bin/" + n)
    with pytest.raises(NoRecorderError, match="not found"):
        find_recorder(command="no-such-recorder {path}", which=lambda n: None)
    with pytest.raises(NoRecorderError, match="cannot be parsed"):
        find_recorder(command="rec 'unclosed {path}", which=lambda n: "/usr/bin/" + n)
    spec = find_recorder(command="my-rec --fmt {x} -o {path} -r {rate}", which=lambda n: "/usr/bin/" + n)
    assert spec.argv(__import__("pathlib").Path("a.wav")) == ["my-rec", "--fmt", "{x}", "-o", "a.wav", "-r", "16000"]


def test_sox_rec_for_real(tmp_path):
    """sox's real `rec` (installed with sox). On a machine with no sound card (CI) it fails at once, and that
    must read as 'no microphone'; on a machine with a microphone it records a real take."""
    r = Recorder(find_recorder("rec")).start(tmp_path / "real.wav")
    try:
        r.wait_ready(3.0)
    except NoMicrophoneError as e:
        assert "rec said" in e.message
        r.discard()
        return
    time.sleep(0.5)
    take = r.stop()
    assert take.duration > 0.2 and (take.rate, take.channels) == (16000, 1)


def test_a_file_made_elsewhere_is_read_without_being_rewritten(answer_wav):
    before = answer_wav.read_bytes()
    take = take_from_file(answer_wav)
    assert take.recorder == "file" and take.duration > 5
    assert answer_wav.read_bytes() == before


def _sounddevice() -> bool:
    import importlib.util

    return importlib.util.find_spec("sounddevice") is not None
