"""Running a terminal program in a pseudo terminal and timing what it draws (for startup.py and grading_overhead.py).

`PtyApp(cmd)` starts the program on a fresh pty of a fixed size; `wait_for(text)` reads the screen output until
`text` appears in it (escape sequences removed) and returns the seconds since the start; `send(keys)` types.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


class PtyApp:
    def __init__(self, cmd: list[str], *, env: dict[str, str] | None = None, cols: int = 100, rows: int = 30,
                 cwd: str | None = None) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows), **(env or {})}
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.raw = b""
        self.seen = 0  # how much of the plain text earlier waits have consumed
        self.rusage = None
        """Resource use of the program once it has exited (ru_utime + ru_stime is its CPU time)."""

    def _alive(self) -> bool:
        if self.proc.returncode is not None:
            return False
        pid, status, ru = os.wait4(self.proc.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.rusage = ru
        return False

    @property
    def cpu(self) -> float:
        return self.rusage.ru_utime + self.rusage.ru_stime if self.rusage else float("nan")

    def _read(self, timeout: float) -> bool:
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.raw += data
        return bool(data)

    @property
    def text(self) -> str:
        return ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 30.0, *, new: bool = True) -> float:
        """Seconds since start when `needle` first shows in the output (after what earlier waits consumed,
        with `new`). Raises TimeoutError with the tail of the screen."""
        end = time.perf_counter() + timeout
        while True:
            plain = self.text
            i = plain.find(needle, self.seen if new else 0)
            if i >= 0:
                self.seen = i + len(needle)
                return time.perf_counter() - self.t0
            if time.perf_counter() > end or not self._alive() and not self._read(0.05):
                raise TimeoutError(f"{needle!r} not shown; last output: {plain[-400:]!r}")
            self._read(0.01)

    def mark(self) -> None:
        """Ignore everything drawn so far for the next wait_for."""
        while self._read(0):
            pass
        self.seen = len(self.text)

    def send(self, keys: str | bytes) -> float:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)
        return time.perf_counter() - self.t0

    def wait_exit(self, timeout: float = 20.0) -> float:
        end = time.perf_counter() + timeout
        while self._alive():
            if time.perf_counter() > end:
                raise TimeoutError("the program did not exit")
            self._read(0.01)
        return time.perf_counter() - self.t0

    def close(self) -> None:
        if self._alive():
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
