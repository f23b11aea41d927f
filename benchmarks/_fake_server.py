"""The fake LLM server of the tests (tests/fakes) in a process of its own, for benchmarks that must not share
a Python interpreter (and its GIL) with the app they time.

    python benchmarks/_fake_server.py DELAY_S LOG_PATH [FAIL_FIRST]

Prints its base URL on the first line, then serves until its stdin closes. Every chat request is answered with
a valid grade built from the request, after DELAY_S seconds (the first FAIL_FIRST requests that grade an
answer get an immediate 500 instead); "<arrival> <reply ready>" (time.time()) is appended
to LOG_PATH for each, so a benchmark can subtract the server's own time from what it measured.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fakes import FakeLLMServer, Reply, auto_grade, request_answer  # noqa: E402
from fakes.llm_server import _Handler, _Server  # noqa: E402


def main() -> None:
    delay = float(sys.argv[1])
    log = open(sys.argv[2], "a", buffering=1)  # noqa: SIM115 - open for the life of the process
    _Server.request_queue_size = 256  # a real server's backlog, not the test default of 5
    # http.server writes the status line, each header and the body separately; with Nagle's algorithm on, the
    # client's delayed ACK then holds the reply ~40 ms. Real servers write replies whole (or set TCP_NODELAY).
    _Handler.disable_nagle_algorithm = True
    fail_first = [int(sys.argv[3]) if len(sys.argv) > 3 else 0]
    lock = threading.Lock()

    def respond(rec):
        with lock:  # only requests that grade an answer count (not a backend check's probe)
            fail = fail_first[0] > 0 and request_answer(rec) is not None
            fail_first[0] -= fail
        return Reply.error(500, "fake server: failing on purpose") if fail else dataclasses.replace(
            auto_grade(rec), delay=delay)

    srv = FakeLLMServer(responder=respond)
    render = srv.render

    def timed_render(rec, reply):
        out = render(rec, reply)
        if rec.kind == "chat":
            log.write(f"{rec.at} {time.time()}\n")
        return out

    srv.render = timed_render
    srv.start()
    print(srv.url, flush=True)
    sys.stdin.read()
    srv.stop()


if __name__ == "__main__":
    main()
