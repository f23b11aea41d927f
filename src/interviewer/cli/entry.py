"""The `interviewer` entry point: the quick ways in, then the full command line (cli.main).

Typer (with its pydantic-based option parsing) costs 50-100 ms to import and run, and the config and core
models another ~100 ms of pydantic: most of the wait before a first screen. So the commands people run most
skip what they do not need:

- `interviewer` alone (or with only `--grader/--backend`, `--model`, `--base-url`): the app, painted before the
  config, the bank or the database are loaded (tui.app builds the services in a thread after the first paint);
- `interviewer --version`: the version, nothing loaded;
- `interviewer stats ...` and `interviewer history ...`: the same commands without typer
  (cli.commands.review_quick parses their options; it hands anything it does not recognise, --help included,
  to typer, so typer stays the one place for help and usage errors).

Everything else, and anything with `--debug`, goes to cli.main as before. Errors are reported the way cli.main
reports them: one line, `error: ...`, exit code 2 (tests/cli/test_entry.py checks both paths agree).
"""

from __future__ import annotations

import sys

GLOBAL_VALUE_FLAGS = {"--grader": "backend", "--backend": "backend", "--model": "model", "--base-url": "base_url"}


def app_flags(argv: list[str]) -> dict[str, str] | None:
    """The grader flags when argv asks for nothing but the app (None when it asks for anything else)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if name not in GLOBAL_VALUE_FLAGS:
            return None
        if not eq:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None  # a missing value: typer says what is wrong
            value = argv[i + 1]
            i += 1
        out[GLOBAL_VALUE_FLAGS[name]] = value
        i += 1
    return out


def _report(e: BaseException) -> int:
    """Say what went wrong the way cli.main does (cli.report: one message on stderr and an exit code)."""
    from .report import report

    return report(e)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    import os

    # pydantic scans every installed package's entry points for its plugins on the first model (~5-10 ms);
    # interviewer uses none. A value the person set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if not os.environ.get("INTERVIEWER_DEBUG"):
        if argv == ["--version"]:
            from .. import __version__

            print(f"interviewer {__version__}")
            return 0
        flags = app_flags(argv)
        if flags is not None:
            return _guarded(lambda: _open_app(flags))
        if argv and argv[0] in ("stats", "history"):
            from .commands import review_quick

            run = review_quick.parse(argv)
            if run is not None:
                return _guarded(run)
    from .main import main as full

    return full(argv)


def _guarded(fn) -> int:
    try:
        rv = fn()
    except (Exception, KeyboardInterrupt) as e:
        return _report(e)
    return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0


def _open_app(flags: dict[str, str]) -> None:
    from ..locations import Locations
    from ..tui.run import run_tui
    from ..tui.theme import saved_theme
    from . import context

    context.set_globals(debug=False, grader=flags)
    run_tui(load_services=context.services, theme=saved_theme(Locations.from_env().config_path))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
