"""PCM WAV files as recorders leave them: read the header, repair it, measure the input level.

A recorder writes the WAV header before it knows the length, with placeholder sizes (0, or 0x7FFFFFFF as
`arecord` does) and fixes them when it is stopped cleanly. A recorder that was killed, or a crash, leaves the
placeholders: `fix_header` rewrites the sizes from the file's real length, so a take is never lost to a bad
header. `read_level` reads the last ~100 ms of a file that is still growing, for the listening indicator.
Standard library only (no `audioop`: it is gone in Python 3.13).
"""

from __future__ import annotations

import math
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import WavError

PCM = 1
EXTENSIBLE = 0xFFFE
SILENCE_DB = -90.0
METER_FLOOR_DB = -60.0


@dataclass(frozen=True)
class WavInfo:
    rate: int
    channels: int
    sample_width: int
    """Bytes per sample (2 for 16-bit)."""
    data_offset: int
    """Where the samples start in the file."""
    data_bytes: int
    """Bytes of samples: the header's figure when it is trustworthy, else measured from the file's length."""
    header_ok: bool
    """False when the sizes in the header are placeholders or disagree with the file."""

    @property
    def block_align(self) -> int:
        return self.sample_width * self.channels

    @property
    def frames(self) -> int:
        return self.data_bytes // self.block_align if self.block_align else 0

    @property
    def duration(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


class Level(NamedTuple):
    """Input level of the latest audio: dBFS (0 = full scale) and a 0-1 meter (-60 dB..0 dB)."""

    rms_db: float
    peak_db: float
    meter: float


QUIET = Level(SILENCE_DB, SILENCE_DB, 0.0)


def read_info(path: Path) -> WavInfo:
    """Parse the header of a PCM WAV file, tolerating placeholder sizes. Raises WavError."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
            f.seek(0, 2)
            size = f.tell()
    except OSError as e:
        raise WavError(f"{path}: cannot read the audio file ({e.strerror or e})") from None
    return parse_header(head, size, str(path))


def parse_header(head: bytes, file_size: int, name: str = "audio") -> WavInfo:
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise WavError(f"{name}: not a WAV file (no RIFF/WAVE header yet)",
                       hint="record again, or convert the file: sox IN -r 16000 -c 1 -b 16 OUT.wav")
    riff_size = struct.unpack_from("<I", head, 4)[0]
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    while pos + 8 <= len(head):
        cid, csize = head[pos:pos + 4], struct.unpack_from("<I", head, pos + 4)[0]
        body = pos + 8
        if cid == b"fmt ":
            if body + 16 > len(head):
                break
            tag, channels, rate, _byte_rate, _align, bits = struct.unpack_from("<HHIIHH", head, body)
            if tag == EXTENSIBLE and body + 26 <= len(head):
                tag = struct.unpack_from("<H", head, body + 24)[0]
            fmt = (tag, channels, rate, bits)
        elif cid == b"data":
            if fmt is None:
                break
            tag, channels, rate, bits = fmt
            if tag != PCM or bits not in (8, 16, 24, 32) or not channels or not rate:
                raise WavError(f"{name}: not 8/16/24/32-bit PCM audio (format {tag}, {bits} bits)",
                               hint="convert it: sox IN -r 16000 -c 1 -b 16 OUT.wav")
            available = max(0, file_size - body)
            placeholder = csize == 0 or csize > available
            data = available if placeholder else csize
            ok = not placeholder and riff_size == file_size - 8
            width = bits // 8
            data -= data % (width * channels)
            return WavInfo(rate, channels, width, body, data, ok)
        pos = body + csize + (csize & 1)
    raise WavError(f"{name}: the WAV header is incomplete (no fmt/data chunk in the first {len(head)} bytes)",
                   hint="the recording may have failed before any audio was written; record again")


def fix_header(path: Path) -> WavInfo:
    """Make the RIFF and data sizes match the file (after a recorder was killed). Returns the repaired info.

    A partial last frame is cut off. A file whose header is already right is not written to.
    """
    info = read_info(path)
    size = Path(path).stat().st_size
    end = info.data_offset + info.data_bytes
    if info.header_ok and end <= size:
        return info
    with open(path, "r+b") as f:
        if end < size and _is_data_last(info, size):
            f.truncate(end)  # a partial frame at the end
            size = end
        f.seek(4)
        f.write(struct.pack("<I", size - 8))
        f.seek(info.data_offset - 4)
        f.write(struct.pack("<I", info.data_bytes))
        f.flush()
    return read_info(path)


def _is_data_last(info: WavInfo, size: int) -> bool:
    """True when nothing but a partial frame follows the samples (so cutting it loses no chunk)."""
    return size - (info.data_offset + info.data_bytes) < info.block_align


def write_header(f, *, rate: int, channels: int, sample_width: int = 2, data_bytes: int = 0) -> None:  # noqa: ANN001
    """Write a 44-byte PCM header (data_bytes 0 = to be fixed when the take ends)."""
    align = channels * sample_width
    f.write(b"RIFF" + struct.pack("<I", min(0xFFFFFFFF, 36 + data_bytes)) + b"WAVE")
    f.write(b"fmt " + struct.pack("<IHHIIHH", 16, PCM, channels, rate, rate * align, align, sample_width * 8))
    f.write(b"data" + struct.pack("<I", data_bytes))


def level_of(samples: bytes, sample_width: int = 2) -> Level:
    """Level of raw little-endian PCM samples (16-bit; other widths read as silence)."""
    if sample_width != 2 or len(samples) < 2:
        return QUIET
    a = array("h")
    a.frombytes(samples[: len(samples) - len(samples) % 2])
    if sys.byteorder == "big":
        a.byteswap()
    peak = max(abs(min(a)), abs(max(a)))
    rms = math.sqrt(sum(s * s for s in a) / len(a))
    peak_db, rms_db = _db(peak), _db(rms)
    meter = min(1.0, max(0.0, (rms_db - METER_FLOOR_DB) / -METER_FLOOR_DB))
    return Level(round(rms_db, 1), round(peak_db, 1), round(meter, 3))


def read_level(path: Path, info: WavInfo | None = None, seconds: float = 0.1) -> Level:
    """Level of the last `seconds` of a (possibly growing) WAV file. Quiet when there is no audio yet."""
    try:
        info = info or read_info(path)
        with open(path, "rb") as f:
            f.seek(0, 2)
            end = f.tell()
            want = max(info.block_align, int(info.rate * seconds) * info.block_align)
            start = max(info.data_offset, end - want)
            start -= (start - info.data_offset) % info.block_align
            f.seek(start)
            data = f.read(end - start)
    except (OSError, WavError):
        return QUIET
    if info.channels > 1:  # the first channel is enough for a meter
        w, step = info.sample_width, info.block_align
        data = b"".join(data[i:i + w] for i in range(0, len(data) - step + 1, step))
    return level_of(data, info.sample_width)


def _db(x: float) -> float:
    return 20.0 * math.log10(x / 32768.0) if x > 0 else SILENCE_DB


def silent_spans(path: Path, *, min_silence: float = 0.3, frame_seconds: float = 0.02) -> list[tuple[float, float]]:
    """Silences in a take, from its samples: runs of 20 ms frames quieter than the take's own threshold,
    at least `min_silence` long, as (start, end) seconds. For the delivery figures: Whisper's word timings
    stretch a word into the silence after it (measured: 1.4 s and 1.9 s gaps between sentences read as no
    pause at all), the signal does not.

    The threshold adapts to the take: 12 dB above its noise floor (the 10th percentile of frame levels), but
    at least 15 dB under its speech level (the 90th percentile), so a take with no silence in it, or a
    quiet microphone, does not turn soft speech into silence. Reads the whole file: call it in a thread
    (~30 ms a minute of audio). 16-bit audio only; other widths give no spans.
    """
    info = read_info(path)
    if info.sample_width != 2 or not info.frames:
        return []
    with open(path, "rb") as f:
        f.seek(info.data_offset)
        data = f.read(info.data_bytes)
    a = array("h")
    a.frombytes(data[: len(data) - len(data) % 2])
    if sys.byteorder == "big":
        a.byteswap()
    if info.channels > 1:
        a = a[:: info.channels]
    n = max(1, int(info.rate * frame_seconds))
    levels = [_db(math.sqrt(sum(map(_square, a[i:i + n])) / len(a[i:i + n]))) for i in range(0, len(a), n)]
    ranked = sorted(levels)
    floor, speech = ranked[len(ranked) // 10], ranked[(len(ranked) * 9) // 10]
    threshold = min(floor + 12.0, speech - 15.0)
    spans: list[tuple[float, float]] = []
    start: int | None = None
    for i, level in enumerate([*levels, 0.0]):  # a loud sentinel closes a trailing run
        if level <= threshold and i < len(levels):
            start = i if start is None else start
        elif start is not None:
            if (i - start) * frame_seconds >= min_silence:
                spans.append((round(start * n / info.rate, 3), round(min(i * n, len(a)) / info.rate, 3)))
            start = None
    return spans


def _square(s: int) -> int:
    return s * s
