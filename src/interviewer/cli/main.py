"""The `interviewer` command. Thin: parses flags, builds Services, calls the core, prints.

Importing this module must not import textual, openai or litellm (a test checks it): the TUI and the LLM
backends are imported inside the commands that need them.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from . import context
from .commands import bank, db, grade, practice, review, rubric, voice
from .commands import eval as eval_cmd

app = typer.Typer(
    name="interviewer",
    help="Practise technical interview answers in the terminal and get graded feedback.\n\n"
    "Run with no command to open the app.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    grader: Annotated[str | None, typer.Option("--grader", "--backend", help="offline | openai | ollama | litellm")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for the grader.")] = None,
    base_url: Annotated[str | None, typer.Option(help="API base URL (OpenAI-compatible server, Ollama).")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    context.set_globals(debug=debug, grader={k: v for k, v in (("backend", grader), ("model", model),
                                                                ("base_url", base_url)) if v is not None})
    if version:
        from .. import __version__

        typer.echo(f"interviewer {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        from ..tui.run import run_tui

        run_tui(context.services())


for _group in (bank, rubric, db, grade, eval_cmd, practice, review, voice):
    _group.register(app)


def main(argv: list[str] | None = None) -> int:
    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int) and not isinstance(rv, bool):  # click returns typer.Exit codes in this mode
            return rv
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except (Exception, KeyboardInterrupt) as e:  # click usage errors, our errors, and the unexpected
        import click

        # typer >= 0.17 raises its vendored click's exceptions (typer._click), not click's own
        if isinstance(e, click.ClickException) or any(c.__name__ == "ClickException" for c in type(e).__mro__):
            click_error: Any = e  # click's or typer's vendored copy: the same interface, two classes
            click_error.show()
            return int(click_error.exit_code)
        if any(c.__name__ == "Abort" for c in type(e).__mro__):
            typer.echo("aborted", err=True)
            return 1
        from .report import report

        return report(e, debug=context.debug())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
