"""Real speech for the voice tests, made at test time: espeak-ng speaks, sox converts to 16 kHz mono 16-bit
and joins clips with exact silences. Both are Debian packages that .ci/run installs; when one is missing the
tests fail saying so (no silent skip: the voice path would go untested)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = ("espeak-ng", "sox")

ANSWER = ("Attention lets every token look at every other token. "
          "The model learns which words matter for each position.")
PAUSED = ["Self attention compares every token with every other token.",
          "Then a feed forward layer transforms each position.",
          "Finally the output goes to the next layer."]
PAUSE_SECONDS = 1.5


def require_tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.fail(f"the voice tests need {' and '.join(missing)} to make real speech: "
                    "apt-get install -y espeak-ng sox (.ci/run does this)", pytrace=False)


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.strip()[:300]}")


def speak(text: str, out: Path, *, wpm: int = 150, voice: str = "en-us") -> Path:
    """`text` spoken by espeak-ng at `wpm`, as a 16 kHz mono 16-bit WAV."""
    raw = out.with_suffix(".raw.wav")
    _run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text])
    # -D: no dither. sox dithers with a fresh random seed on each run by default, so the same words made
    # slightly different audio each time, and tiny.en now and then heard "Intention" for "Attention".
    _run(["sox", "-D", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)])
    raw.unlink()
    return out


def silence(seconds: float, out: Path) -> Path:
    _run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(out), "trim", "0.0", f"{seconds}"])
    return out


def room_noise(seconds: float, out: Path) -> Path:
    """Pink noise at about -40 dBFS: a quiet room through a real microphone, nobody speaking."""
    # -R: the same noise every run (sox seeds its noise from the clock otherwise)
    _run(["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", str(out), "synth", f"{seconds}", "pinknoise",
          "vol", "0.01"])
    return out


def join(parts: list[Path], out: Path) -> Path:
    _run(["sox", *map(str, parts), str(out)])
    return out


def spoken_with_pauses(sentences: list[str], pause: float, folder: Path, name: str,
                       lead: float = 0.0) -> Path:
    """Sentences joined by `pause` seconds of digital silence (and `lead` seconds before the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    gap = silence(pause, folder / f"{name}-gap.wav")
    parts: list[Path] = [silence(lead, folder / f"{name}-lead.wav")] if lead else []
    for i, s in enumerate(sentences):
        if i:
            parts.append(gap)
        parts.append(speak(s, folder / f"{name}-{i}.wav"))
    return join(parts, folder / f"{name}.wav")
