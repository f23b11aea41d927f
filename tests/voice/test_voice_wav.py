"""WAV headers as recorders leave them (placeholders, a killed recorder, a partial frame) and the level meter."""

from __future__ import annotations

import struct
import wave
from array import array

import pytest

from interviewer.voice.errors import WavError
from interviewer.voice.wav import (
    fix_header,
    level_of,
    parse_header,
    read_info,
    read_level,
    silent_spans,
    write_header,
)


def samples(values: list[int]) -> bytes:
    return array("h", values).tobytes()


def wav_file(path, data: bytes, *, data_size: int | None = None, riff_size: int | None = None):
    with open(path, "wb") as f:
        write_header(f, rate=16000, channels=1, data_bytes=len(data) if data_size is None else data_size)
        f.write(data)
    if riff_size is not None:
        with open(path, "r+b") as f:
            f.seek(4)
            f.write(struct.pack("<I", riff_size))
    return path


def test_a_clean_file_is_read_and_left_alone(answer_wav):
    info = read_info(answer_wav)
    assert (info.rate, info.channels, info.sample_width, info.header_ok) == (16000, 1, 2, True)
    with wave.open(str(answer_wav)) as w:
        assert info.frames == w.getnframes()
    before = answer_wav.read_bytes()
    assert fix_header(answer_wav) == info
    assert answer_wav.read_bytes() == before


@pytest.mark.parametrize("placeholder", [0, 0x7FFFFFFF, 0xFFFFFFFF])
def test_placeholder_sizes_are_read_past_and_repaired(tmp_path, placeholder):
    data = samples([100, -100] * 8000)  # 1 s
    p = wav_file(tmp_path / "t.wav", data, data_size=placeholder, riff_size=placeholder)
    info = read_info(p)
    assert not info.header_ok and info.data_bytes == len(data) and info.duration == pytest.approx(1.0)
    fixed = fix_header(p)
    assert fixed.header_ok
    with wave.open(str(p)) as w:  # the standard library now reads it as a normal file
        assert w.getnframes() == 16000


def test_a_partial_last_frame_is_cut_off(tmp_path):
    data = samples([5] * 100) + b"\x01"  # a recorder killed mid-sample
    p = wav_file(tmp_path / "t.wav", data, data_size=0)
    info = fix_header(p)
    assert info.frames == 100 and info.header_ok
    assert p.stat().st_size == 44 + 200


def test_not_a_wav_and_an_unfinished_header_are_clear_errors(tmp_path):
    (tmp_path / "x.wav").write_bytes(b"ID3 not audio")
    with pytest.raises(WavError, match="not a WAV file"):
        read_info(tmp_path / "x.wav")
    with pytest.raises(WavError, match="incomplete"):
        parse_header(b"RIFF\x00\x00\x00\x00WAVEfmt ", 20)
    with pytest.raises(WavError, match="cannot read"):
        read_info(tmp_path / "missing.wav")


def test_float_audio_is_refused_with_a_conversion_hint(tmp_path):
    p = tmp_path / "f.wav"
    with open(p, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + 8) + b"WAVE")
        f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 3, 1, 16000, 64000, 4, 32))
        f.write(b"data" + struct.pack("<I", 8) + b"\x00" * 8)
    with pytest.raises(WavError) as e:
        read_info(p)
    assert "sox" in e.value.hint


def test_level_of_silence_full_scale_and_speech(answer_wav):
    assert level_of(samples([0] * 1600)).meter == 0.0
    full = level_of(samples([32767, -32768] * 800))
    assert full.peak_db == pytest.approx(0.0, abs=0.01) and full.meter == pytest.approx(1.0)
    speech = read_level(answer_wav, seconds=5.0)
    assert -40 < speech.rms_db < -3 and 0.2 < speech.meter < 1.0


def test_level_of_a_growing_file_reads_only_its_tail(tmp_path):
    p = wav_file(tmp_path / "g.wav", samples([20000, -20000] * 8000), data_size=0)
    loud = read_level(p)
    with open(p, "ab") as f:
        f.write(samples([0] * 3200))  # the last 200 ms are silent
    assert loud.meter > 0.8 and read_level(p).meter == 0.0


def tone(seconds: float, amplitude: int) -> list[int]:
    return [amplitude if (i // 20) % 2 else -amplitude for i in range(int(16000 * seconds))]


def test_silent_spans_are_found_in_the_samples(tmp_path):
    p = wav_file(tmp_path / "s.wav", samples(tone(0.5, 8000) + [0] * 16000 + tone(0.5, 8000) + [0] * 8000 + tone(0.1, 8000)))
    assert silent_spans(p) == [(0.5, 1.5), (2.0, 2.5)]
    assert silent_spans(p, min_silence=0.6) == [(0.5, 1.5)]


def test_the_silence_threshold_follows_the_room_noise(tmp_path):
    noise = [(-1) ** i * 60 for i in range(16000)]  # -55 dBFS hiss, where a real microphone's silence is
    p = wav_file(tmp_path / "n.wav", samples(tone(1.0, 6000) + noise + tone(1.0, 6000)))
    (span,) = silent_spans(p)
    assert span == (pytest.approx(1.0, abs=0.03), pytest.approx(2.0, abs=0.03))


def test_a_take_with_no_silence_gives_no_spans(tmp_path):
    """Soft and loud speech with no pause: the threshold stays 15 dB under the speech level."""
    p = wav_file(tmp_path / "c.wav", samples((tone(0.2, 9000) + tone(0.2, 1500)) * 10))
    assert silent_spans(p) == []
