"""The `interviewer` entry point's quick paths (cli/entry.py) against the full command line (cli/main.py):
the same options mean the same thing, anything else goes to typer, and errors read the same."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from _review_seed import add, day
from interviewer.cli import entry
from interviewer.cli import main as full
from interviewer.cli.commands import review_quick
from interviewer.core.models import AttemptKind

AGREE = [
    ["stats"], ["stats", "--json"], ["stats", "--since", "2025-01-01"], ["stats", "--since=2025-01-01", "--all"],
    ["stats", "--bank", "llm-100", "--json", "--all"], ["stats", "--json", "--json"],
    ["history"], ["history", "-n", "5"], ["history", "-n5"], ["history", "--limit", "7", "--json"],
    ["history", "--limit=3", "--session", "2"], ["history", "--question", "llm-q030", "--since", "2025-01-01"],
    ["history", "-n", "2", "-n", "4"],
]
TO_TYPER = [
    ["stats", "--help"], ["history", "-h"], ["stats", "--jso"], ["stats", "--bank"], ["history", "-n", "0"],
    ["history", "-n", "x"], ["history", "--session", "one"], ["stats", "extra"], ["stats", "--json=yes"],
    ["history", "--limit"], ["stats", "--", "--json"], ["stats", "--since"],
]


def typer_kwargs(monkeypatch, argv: list[str]) -> tuple[str, dict] | None:
    """What typer passes to the command for this command line (None when typer refuses it)."""
    seen: dict = {}
    monkeypatch.setattr(review_quick, "show_stats", lambda **kw: seen.update(command="stats", kw=kw))
    monkeypatch.setattr(review_quick, "show_history", lambda **kw: seen.update(command="history", kw=kw))
    code = full.main(list(argv))
    return (seen["command"], seen["kw"]) if code == 0 and seen else None


@pytest.mark.parametrize("argv", AGREE, ids=" ".join)
def test_quick_parser_agrees_with_typer(argv, monkeypatch, isolated_home, capsys):
    quick = review_quick.parse_options(argv)
    assert quick is not None, f"{argv} should run without typer"
    assert quick == typer_kwargs(monkeypatch, argv)


@pytest.mark.parametrize("argv", TO_TYPER, ids=" ".join)
def test_anything_else_goes_to_typer(argv):
    assert review_quick.parse_options(argv) is None


def test_app_flags():
    assert entry.app_flags([]) == {}
    assert entry.app_flags(["--grader", "ollama", "--model=llama3.1:8b"]) == {"backend": "ollama",
                                                                               "model": "llama3.1:8b"}
    assert entry.app_flags(["--backend", "openai", "--base-url", "http://127.0.0.1:9"]) == {
        "backend": "openai", "base_url": "http://127.0.0.1:9"}
    for other in (["--debug"], ["--help"], ["stats"], ["--grader"], ["--grader", "--model", "x"], ["--version"]):
        assert entry.app_flags(other) is None


def _run(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interviewer", *argv], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)


@pytest.mark.slow
def test_quick_and_full_paths_print_the_same(services):
    st = services.store
    s = st.start_session("llm-100")
    add(st, "llm-q029", day(0), 30, {"k1": "covered", "k2": "missing"}, session_id=s.id)
    add(st, "llm-q030", day(0, 2), None, session_id=s.id)
    add(st, "llm-q031", day(0, 3), None, kind=AttemptKind.skipped, session_id=s.id)
    services.close()
    for argv in (["stats"], ["history", "-n", "3"], ["stats", "--json"], ["history", "--json"]):
        quick = _run(*argv)
        slow = subprocess.run([sys.executable, "-c", "import sys; from interviewer.cli.main import main; "
                               "sys.exit(main(sys.argv[1:]))", *argv], capture_output=True, text=True,
                              timeout=60)
        def strip(t):
            return (re.sub(r'"generated_at": "[^"]*"', "", t))
        assert quick.returncode == slow.returncode == 0
        assert (strip(quick.stdout), quick.stderr) == (strip(slow.stdout), slow.stderr)
        assert any(w in quick.stdout for w in ("self-attention", "llm-q029", "Attention"))


def test_errors_read_the_same_on_both_paths(isolated_home):
    (isolated_home / "config.toml").write_text("[grader]\nbackend = 3\n")
    quick = _run("stats")
    slow = _run("--debug", "stats")  # --debug takes the typer path (and shows tracebacks only for bugs)
    assert quick.returncode == 2 and quick.stderr.startswith("error: ")
    assert "config.toml" in quick.stderr and "Traceback" not in quick.stderr
    assert slow.returncode != 0 and "config.toml" in slow.stderr


def test_version_needs_nothing_loaded():
    out = subprocess.run([sys.executable, "-c", "import sys; from interviewer.cli.entry import main; main(['--version']);"
                          " print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'pydantic', 'rich')))"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("interviewer ") and out.stdout.strip().endswith("[]")


def test_stats_and_history_skip_typer(isolated_home):
    code = ("import io, sys; from interviewer.cli.entry import main; sys.stdout = io.StringIO(); "
            "rc = main(sys.argv[1:]); sys.stdout = sys.__stdout__; "
            "print(rc, 'typer' in sys.modules)")
    for argv in (["stats"], ["history"]):
        out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60)
        assert out.stdout.split() == ["0", "False"], out.stderr
