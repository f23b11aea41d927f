"""A stand-in for arecord on a machine with no sound card: run as a recording command, it writes a prepared
WAV into the take file the way a recorder does, until it is interrupted.

    python stand_in_recorder.py SOURCE.wav OUT.wav [--speed N] [--fail MESSAGE] [--fail-after S MESSAGE]
                                [--no-finalise] [--ignore-sigint]

Like arecord it writes the header first with placeholder sizes, then the samples in 100 ms blocks (`--speed`
times faster than real time), then idles; on SIGINT or SIGTERM it fixes the header (unless --no-finalise,
like a recorder that was killed) and exits 0. `--fail` prints MESSAGE on stderr and exits 1 at once (as
arecord does with no sound card); `--fail-after` does it after S seconds of audio (a device unplugged).
"""

from __future__ import annotations

import argparse
import signal
import struct
import sys
import time
import wave

PLACEHOLDER = 0x7FFFFFFF
stop = False


def _on_signal(signum, frame):  # noqa: ANN001
    global stop
    stop = True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("--speed", type=float, default=1.0)
    ap.add_argument("--fail")
    ap.add_argument("--fail-after", nargs=2)
    ap.add_argument("--no-finalise", action="store_true")
    ap.add_argument("--ignore-sigint", action="store_true")
    a = ap.parse_args()
    if a.fail:
        print(a.fail, file=sys.stderr, flush=True)
        return 1
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN if a.ignore_sigint else _on_signal)
    with wave.open(a.source) as src:
        rate, channels, width = src.getframerate(), src.getnchannels(), src.getsampwidth()
        frames = src.readframes(src.getnframes())
    align = channels * width
    block = int(rate * 0.1) * align
    fail_at = int(float(a.fail_after[0]) * rate) * align if a.fail_after else None
    written = 0
    with open(a.out, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", PLACEHOLDER) + b"WAVE")
        f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * align, align, width * 8))
        f.write(b"data" + struct.pack("<I", PLACEHOLDER))
        f.flush()
        while not stop:
            if fail_at is not None and written >= fail_at:
                print(a.fail_after[1], file=sys.stderr, flush=True)
                return 1
            chunk = frames[written:written + block]
            if chunk:
                f.write(chunk)
                f.flush()
                written += len(chunk)
            time.sleep(0.1 / a.speed)
        if not a.no_finalise:
            f.seek(4)
            f.write(struct.pack("<I", 36 + written))
            f.seek(40)
            f.write(struct.pack("<I", written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
