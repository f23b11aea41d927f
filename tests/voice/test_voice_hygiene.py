"""The voice layer is light to import and never reaches for the UI: importing every voice module (and the
core's delivery and transcript types) pulls in none of Textual, Rich, the OpenAI SDK, faster-whisper and its
stack, or sounddevice. They load only when a take is recorded or transcribed with the backend that needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

MODULES = ("interviewer.voice", "interviewer.voice.recorder", "interviewer.voice.recording", "interviewer.voice.sd_recorder",
           "interviewer.voice.transcriber", "interviewer.voice.local", "interviewer.voice.local_model",
           "interviewer.voice.openai_stt", "interviewer.voice.takes", "interviewer.voice.wav",
           "interviewer.core.delivery", "interviewer.core.transcript")
NEVER = ("textual", "rich", "openai", "litellm", "faster_whisper", "ctranslate2", "huggingface_hub", "numpy",
         "av", "onnxruntime", "sounddevice")


def test_voice_modules_import_nothing_heavy():
    code = "import " + ", ".join(MODULES) + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ})
    loaded = {m.split(".")[0] for m in json.loads(out.stdout.strip().splitlines()[-1])}
    assert not loaded & set(NEVER), sorted(loaded & set(NEVER))


def test_core_delivery_imports_only_core():
    import ast
    from pathlib import Path

    import interviewer.core.delivery as d

    tree = ast.parse(Path(d.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            assert node.module.split(".")[0] in ("__future__", "collections", "dataclasses", "typing", "pydantic")
        if isinstance(node, ast.ImportFrom) and node.level:
            assert node.level == 1  # siblings in core only
