"""Recording through `sounddevice`, driven by a stand-in module with the library's calling convention (real
PortAudio needs a sound card), through the real Recorder.start path; and the two ways the real library fails
on a machine like this one (no PortAudio library; no input device)."""

from __future__ import annotations

import sys
import wave

import pytest

from interviewer.voice.errors import NoMicrophoneError, NoRecorderError
from interviewer.voice.recorder import Recorder, RecorderSpec

from . import fake_sounddevice

SD = RecorderSpec("sounddevice", None)


def speech_blocks(wav_path, frames: int = 1600) -> tuple[list[bytes], bytes]:
    with wave.open(str(wav_path)) as w:
        data = w.readframes(w.getnframes())
    step = frames * 2
    return [data[i:i + step] for i in range(0, len(data), step)], data


def test_a_sounddevice_take_is_every_block_in_order(tmp_path, answer_wav, monkeypatch):
    blocks, data = speech_blocks(answer_wav)
    sd = fake_sounddevice.make(blocks)
    monkeypatch.setitem(sys.modules, "sounddevice", sd)
    r = Recorder(SD).start(tmp_path / "take.wav")
    r.wait_ready(2.0)
    assert sd.fed.wait(10)
    assert r.level().meter >= 0.0
    take = r.stop()
    assert take.recorder == "sounddevice" and (take.rate, take.channels) == (16000, 1)
    with wave.open(str(take.path)) as w:
        assert w.readframes(w.getnframes()) == data


def test_the_level_follows_the_latest_block(tmp_path, monkeypatch):
    loud = (b"\xff\x7f\x00\x80") * 800
    sd = fake_sounddevice.make([b"\x00\x00" * 1600, loud])
    monkeypatch.setitem(sys.modules, "sounddevice", sd)
    r = Recorder(SD).start(tmp_path / "t.wav")
    assert sd.fed.wait(5)
    assert r.level().meter == pytest.approx(1.0)
    r.discard()
    assert not r.path.exists()


def test_no_input_device_is_a_no_microphone_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice.make([], device=False))
    with pytest.raises(NoMicrophoneError, match="no microphone found: PortAudio said"):
        Recorder(SD).start(tmp_path / "t.wav")
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice.make([], fail_start=True))
    with pytest.raises(NoMicrophoneError, match="Invalid number of channels"):
        Recorder(SD).start(tmp_path / "t.wav")
    assert not (tmp_path / "t.wav").exists()


def test_portaudio_missing_says_which_package_to_install(tmp_path, monkeypatch):
    """What `import sounddevice` really does without libportaudio2: OSError at import."""
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    with pytest.raises(NoRecorderError) as e:
        Recorder(SD).start(tmp_path / "t.wav")
    assert "PortAudio" in e.value.message and "libportaudio2" in e.value.hint


def test_sounddevice_not_installed(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(NoRecorderError, match="not installed") as e:
        Recorder(SD).start(tmp_path / "t.wav")
    assert "pip install sounddevice" in e.value.hint
