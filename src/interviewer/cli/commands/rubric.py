"""`interviewer rubric list|show`."""

from __future__ import annotations

from typing import Annotated

import typer

rubric_app = typer.Typer(help="List and show grading rubrics.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(rubric_app, name="rubric")


@rubric_app.command("list")
def list_rubrics() -> None:
    """List installed rubrics and their criteria."""
    from ..context import services

    svc = services()
    for r in svc.rubrics.values():
        w = r.weights()
        crit = ", ".join(f"{c.id} {w[c.id]:.0%}" for c in r.criteria)
        typer.echo(f"{r.id} (v{r.version})  {r.name}: {crit}")
    for p in svc._rubrics[1]:
        typer.echo(f"not loaded: {p}", err=True)


@rubric_app.command("show")
def show(rubric_id: Annotated[str, typer.Argument(help="Rubric id, e.g. default")]) -> None:
    """Show a rubric as the grader sees it."""
    from ...core.rubric import render_rubric
    from ..context import services

    typer.echo(render_rubric(services().rubric(rubric_id)))
