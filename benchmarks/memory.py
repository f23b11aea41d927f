"""Memory: peak RSS of the TUI through a 10-question practice session on the offline grader, with the openai
backend and with litellm (both against the fake OpenAI-compatible server on 127.0.0.1).

Each session is a fresh process (benchmarks/_memory_session.py) driving the real app with Textual's Pilot
(headless, 100x30): open, start a 10-question session in order, type each question's reference answer, submit,
wait for the feedback, next, until the summary. Peak RSS is the process's ru_maxrss. The fake server runs in a
process of its own, so its memory is not counted. Writes the `memory` section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402

KEY = "sk-test-memory-NOT-A-KEY"
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as after `pip install` (see startup.py)


def start(env: dict[str, str]) -> subprocess.Popen:
    home = Path(tempfile.mkdtemp()) / "home"
    full = {**os.environ, "INTERVIEWER_HOME": str(home), "OPENAI_API_KEY": KEY, **env}
    return subprocess.Popen([sys.executable, str(HERE / "_memory_session.py")], env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def result(label: str, proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=600)
    if proc.returncode:
        raise RuntimeError(f"{label}: session failed: {err[-800:]}")
    r = json.loads(out.strip().splitlines()[-1])
    assert r["graded"] == 10, r
    assert KEY not in out and KEY not in err
    return {"label": label, **r}


def main() -> None:
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    server = subprocess.Popen([sys.executable, str(HERE / "_fake_server.py"), "0", str(log)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    try:  # the three sessions run at once: peak RSS is per process, and the run takes a third of the time
        runs = [("offline grader", {"INTERVIEWER_BACKEND": "offline"}),
                ("openai backend (OpenAI SDK)", {"INTERVIEWER_BACKEND": "openai", "INTERVIEWER_MODEL": "fake-model",
                                                 "INTERVIEWER_BASE_URL": url + "/v1"}),
                ("litellm backend", {"INTERVIEWER_BACKEND": "litellm", "INTERVIEWER_MODEL": "openai/fake-model",
                                     "INTERVIEWER_BASE_URL": url + "/v1"})]
        procs = [(label, start(env)) for label, env in runs]
        rows = [result(label, p) for label, p in procs]
    finally:
        server.stdin.close()
        server.wait(10)
    for r in rows:
        print(r, flush=True)
    off, oa, ll = rows
    lines = ["| grader | peak RSS | RSS after the first screen and the backend check | RSS at the summary "
             "| session time (3 at once) |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['label']} (graded by `{r['backend']}`) | **{r['peak_rss_mb']:.0f} MB** | "
                     f"{r['first_screen_rss_mb']:.0f} MB | {r['end_rss_mb']:.0f} MB | {r['seconds']:.1f} s |")
    body = f"""Method: `benchmarks/memory.py`. A fresh process per grader runs the app with Textual's Pilot (headless,
100x30) through a 10-question session: open (the backend check runs after the first paint), start 10 questions
in order, type each question's reference answer, submit, wait for the feedback, next, up to the summary. Peak RSS
is the process's `ru_maxrss`. The LLM backends talk to the fake OpenAI-compatible server (tests/fakes), in a
process of its own. The three sessions run at the same time (peak RSS is per process).

{chr(10).join(lines)}

litellm costs **{ll['peak_rss_mb'] - oa['peak_rss_mb']:+.0f} MB** over the openai backend
({ll['peak_rss_mb'] / oa['peak_rss_mb']:.1f}x) and {ll['peak_rss_mb'] - off['peak_rss_mb']:+.0f} MB over the
offline grader; the OpenAI SDK costs {oa['peak_rss_mb'] - off['peak_rss_mb']:+.0f} MB over offline. Both clients
are imported only when that backend is used, off the UI thread after the first paint (the first screen never
imports either: see tests/test_import_hygiene.py), so the offline and openai figures are what a person running
those pays.
"""
    write_section("memory", "Memory: peak RSS through a 10-question session", body)
    print(body)


if __name__ == "__main__":
    main()
