"""Running a terminal program in tmux and timing what appears on its screen (startup.py's first-screen figures).

`TmuxApp(cmd, cols, rows)` starts the program in a detached tmux session on a private server (its own socket,
so a tmux the person is using is never touched); `wait_for(text)` polls the pane's visible text until `text`
is on screen and returns the seconds since the start; `send(key)` types; `screen()` is the pane's text.

tmux is a real terminal emulator: it answers the program's terminal queries and keeps the screen as a person
sees it, so "on screen" means drawn, not merely written. Polling every few milliseconds bounds the error to
about that much, the same for every program measured.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

POLL_S = 0.004


def available() -> bool:
    return shutil.which("tmux") is not None


class TmuxApp:
    def __init__(self, cmd: list[str], *, cols: int = 100, rows: int = 30, env: dict[str, str] | None = None,
                 cwd: str | None = None) -> None:
        self.socket = f"bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.name = "app"
        full_env = {**os.environ, **(env or {})}
        full_env.pop("TMUX", None)
        self.env = full_env
        shell_cmd = " ".join(_quote(a) for a in cmd)
        self.t0 = time.perf_counter()
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", self.name,
                        "-x", str(cols), "-y", str(rows), "-c", cwd or os.getcwd(),
                        f"exec env TERM=xterm-256color {shell_cmd}"], env=full_env, check=True)

    def _tmux(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Seconds from the start until `text` is visible on the pane."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if text in self.screen():
                return time.perf_counter() - self.t0
            time.sleep(POLL_S)
        raise TimeoutError(f"{text!r} did not appear within {timeout} s; the screen shows:\n{self.screen()}")

    def send(self, *keys: str) -> float:
        self._tmux("send-keys", "-t", self.name, *keys)
        return time.perf_counter() - self.t0

    def alive(self) -> bool:
        return self._tmux("has-session", "-t", self.name).returncode == 0

    def wait_exit(self, timeout: float = 10.0) -> float:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if not self.alive():
                return time.perf_counter() - self.t0
            time.sleep(POLL_S)
        raise TimeoutError("the program did not exit")

    def close(self) -> None:
        self._tmux("kill-server")

    def __enter__(self) -> TmuxApp:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)
