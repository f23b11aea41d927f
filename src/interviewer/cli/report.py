"""How every command (and the app, once it has exited) reports what went wrong: the one fault model's last step.

- An error a person can act on (InterviewerError: a bad config, a missing bank or rubric, a damaged, newer,
  locked, read-only or full database) -> `error: <what and where>` and `  -> <what to do>`, exit code 2.
- A storage fault that arrived raw (an sqlite3.Error or OSError from a read) -> first translated by
  store.faults into the same words, exit code 2.
- Ctrl-C -> `interrupted`, exit code 130.
- Anything else is a bug: its traceback goes to the log (crashlog), and the person reads one line naming the
  log file, exit code 1. `--debug` (or INTERVIEWER_DEBUG=1) shows the traceback instead.

cli.main (typer), cli.entry (the quick paths) and tui.run (what ended the app) all end here; the words and
the log come from app.faults, which the app uses too, so the same fault reads the same everywhere.
"""

from __future__ import annotations

import os
import sys

EXIT_ERROR = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130


def report(e: BaseException, *, debug: bool = False) -> int:
    """Print one clear message for `e` on stderr and return the exit code (re-raises with --debug)."""
    from ..termsafe import safe

    if isinstance(e, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    from ..app.faults import explain, log_bug

    if debug or os.environ.get("INTERVIEWER_DEBUG"):
        raise e
    known = explain(e)
    if known is not None:
        print(f"error: {safe(known)}", file=sys.stderr)
        return EXIT_ERROR
    log = log_bug(e)
    try:
        from ..backends.redact import Redactor, env_secrets

        text = Redactor(env_secrets())(str(e))
    except Exception:  # noqa: BLE001 - the error path must not fail on its helpers
        text = str(e)
    print(f"error: unexpected {type(e).__name__}: {safe(text)}\n  -> this is a bug; the details are in {log}. "
          "Please report it (run again with --debug to see them here)", file=sys.stderr)
    return EXIT_BUG
