"""Read a question aloud with a text-to-speech program, when one is installed (espeak-ng, espeak, say).

Where none is found the action is simply not offered: never an error. Speech runs as a detached child process
so the UI never waits for it.
"""

from __future__ import annotations

import shutil
import subprocess

PROGRAMS = ("espeak-ng", "espeak", "say")


def find_tts() -> str | None:
    for name in PROGRAMS:
        path = shutil.which(name)
        if path:
            return path
    return None


def speak(program: str, text: str) -> subprocess.Popen | None:
    """Start speaking; returns the process (or None if it could not start). The text goes in on stdin, so it
    is never read as an option or through a shell."""
    args = [program, "-f", "-"] if program.endswith("say") else [program, "--stdin"]
    try:
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        assert proc.stdin is not None
        proc.stdin.write(text.encode("utf-8", "replace"))
        proc.stdin.close()
        return proc
    except OSError:
        return None
