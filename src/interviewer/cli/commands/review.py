"""`interviewer stats | history | export | import | regrade | override | delete | review`.

Thin: each command parses flags, calls the review service (reviewing.py) or the exporter (exporting.py), and
prints. `stats` and `history` print through review_quick (which cli.entry also runs without typer). `--json`
output is plain and scriptable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ...core.errors import InterviewerError

if TYPE_CHECKING:
    from ...app.services import Services

delete_app = typer.Typer(help="Delete an attempt or a whole session (asks first; --yes to skip asking).",
                         no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only answers on or after this date (YYYY-MM-DD).")]


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
    app.command("history")(history_cmd)
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
    app.command("regrade")(regrade)
    app.command("override")(override)
    app.command("review")(review)
    app.add_typer(delete_app, name="delete")


def _svc(backend: str | None = None, model: str | None = None, base_url: str | None = None):
    from ..context import services

    if backend and ":" in backend:
        name, _, spec_model = backend.partition(":")
        backend, model = name.strip().lower(), model or spec_model.strip()
    return services(backend=backend, model=model, base_url=base_url)


def stats(
    as_json: JsonOpt = False,
    since: SinceOpt = None,
    bank: Annotated[str | None, typer.Option(help="Only this bank's questions.")] = None,
    all_topics: Annotated[bool, typer.Option("--all", help="Also list topics never practised.")] = False,
) -> None:
    """Your topics, weakest first, with the key points you most often leave out and what is due."""
    from .review_quick import show_stats

    show_stats(as_json=as_json, since=since, bank=bank, all_topics=all_topics)


def history_cmd(
    as_json: JsonOpt = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many attempts, newest first.")] = 30,
    session: Annotated[int | None, typer.Option(help="Only this session.")] = None,
    question: Annotated[str | None, typer.Option(help="Only this question id.")] = None,
    since: SinceOpt = None,
) -> None:
    """Your attempts, newest first: date, question, score, grader (* marks your override, +N more grades)."""
    from .review_quick import show_history

    show_history(as_json=as_json, limit=limit, session=session, question=question, since=since)


def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="md | csv | json | anki")] = "md",
    since: SinceOpt = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write (- for stdout). "
                                               "Default: a dated file in the exports folder.")] = None,
) -> None:
    """Export your history: a Markdown report, CSV or JSON of attempts and grades, or an Anki deck of weak questions."""
    from ...app.exporting import export, parse_since

    svc = _svc()
    try:
        res = export(svc, fmt.lower().strip(), output, since=parse_since(since))
    finally:
        svc.close()
    if res.path is None:
        from ...termsafe import json_safe, safe

        sys.stdout.write(json_safe(res.text) if res.format == "json" else safe(res.text))
        return
    what = "weak-question cards" if res.format == "anki" else "attempts"  # skips too: not all are answers
    typer.echo(f"wrote {res.path} ({res.items} {what})")
    if res.format == "anki":
        if res.items == 0:
            typer.echo("no weak questions yet: nothing to drill", err=True)
        else:
            typer.echo("import it in Anki with File > Import (the file says its deck, note type and columns)")


def import_cmd(file: Annotated[Path, typer.Argument(help="A JSON export (interviewer export --format json).")]) -> None:
    """Restore history from a JSON export (all or nothing; what is already here is not duplicated)."""
    from ...app import wording
    from ...app.exporting import import_history

    svc = _svc()
    try:
        c = import_history(svc, file)
    finally:
        svc.close()
    typer.echo(f"imported {wording.counted(c['attempts'], 'attempt')}, {wording.counted(c['grades'], 'grade')}, "
               f"{wording.counted(c['overrides'], 'override')}, {wording.counted(c['sessions'], 'session')} "
               f"from {file}")
    skipped = c["attempts_existing"] + c["grades_existing"] + c["overrides_existing"]
    if skipped:
        typer.echo(f"already here and left as they were: {c['attempts_existing']} attempts, "
                   f"{c['grades_existing']} grades, {c['overrides_existing']} overrides")


def regrade(
    attempt_ids: Annotated[list[int] | None, typer.Argument(help="Attempt id(s) to grade again.")] = None,
    ungraded: Annotated[bool, typer.Option("--ungraded", help="Every answer that is not graded yet.")] = False,
    session: Annotated[int | None, typer.Option("--session", help="Every answer of this session.")] = None,
    backend: Annotated[str | None, typer.Option("--backend", "--grader", help="offline | openai | ollama | "
                                                "litellm (or name:model)")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for the grader.")] = None,
    base_url: Annotated[str | None, typer.Option(help="API base URL.")] = None,
    rubric: Annotated[str | None, typer.Option(help="Grade with this rubric instead of the question's own.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Grade answers again with another backend, model or rubric; every grade is kept, the newest shown."""
    from ...app import reviewing

    if not attempt_ids and not ungraded and session is None:
        raise InterviewerError("say what to re-grade", hint="give attempt ids, --ungraded or --session ID")
    svc = _svc(backend, model, base_url)
    try:
        targets = reviewing.regrade_targets(svc, attempt_ids=attempt_ids or (), ungraded=ungraded,
                                            session_id=session)
        if not targets:
            typer.echo("nothing to re-grade")
            return
        if rubric:
            svc.rubric(rubric)  # unknown rubric: fail before grading anything

        def show(r: reviewing.RegradeResult) -> None:
            if as_json:
                return
            if r.ok and r.grade is not None:
                g = r.grade.grade
                who = g.grader.backend + (f":{g.grader.model}" if g.grader.model else "")
                typer.echo(f"#{r.attempt_id} {r.question_id}: {g.score:.0f} {g.verdict} ({who})")
            else:
                from ...termsafe import safe

                typer.echo(f"#{r.attempt_id} {r.question_id}: not graded: {safe(r.error)}", err=True)

        grader = svc.grader  # built from the flags: an unknown backend or a missing key fails here
        try:
            import asyncio

            results = asyncio.run(_run_regrade(svc, targets, grader, rubric, show))
        except KeyboardInterrupt:  # answers not re-graded yet keep their state (pending stays pending)
            typer.echo("interrupted: answers not re-graded yet are kept as they were; run "
                       "`interviewer regrade --ungraded` to grade the rest", err=True)
            raise typer.Exit(130) from None
    finally:
        svc.close()
    failed = [r for r in results if not r.ok]
    if as_json:
        typer.echo(json.dumps([{"attempt_id": r.attempt_id, "question_id": r.question_id, "ok": r.ok,
                                "score": r.grade.grade.score if r.ok else None, "error": r.error}
                               for r in results], indent=2))
    else:
        typer.echo(f"re-graded {len(results) - len(failed)} of {len(results)}")
    if failed:
        raise typer.Exit(1)


async def _run_regrade(svc: Services, targets, grader, rubric, show):
    from ...app import reviewing

    try:
        return await reviewing.regrade(svc, targets, grader=grader, rubric_id=rubric, on_result=show)
    finally:
        await grader.aclose()


def override(
    attempt_id: Annotated[int, typer.Argument(help="The attempt whose grade you dispute.")],
    score: Annotated[float, typer.Argument(help="Your score, 0-100.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why the grade was wrong (kept for calibration).")],
) -> None:
    """Set your own score for an attempt. It is kept beside the grade and counts instead of it (mastery, schedule)."""
    from ...app import reviewing

    svc = _svc()
    try:
        reviewing.override(svc, attempt_id, score, reason)
        g = svc.store.latest_grade(attempt_id)
    finally:
        svc.close()
    was = f" (the grader gave {g.grade.score:.0f})" if g else ""
    typer.echo(f"attempt {attempt_id}: your score {score:g}{was}; it counts instead of the grade from now on")


def _confirm(what: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise InterviewerError(f"not deleting {what} without confirmation", hint="add --yes to delete for real")
    if not typer.confirm(f"Delete {what}? This cannot be undone", default=False):
        raise typer.Abort()


YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


@delete_app.command("attempt")
def delete_attempt(attempt_id: Annotated[int, typer.Argument(help="Attempt id (see `interviewer history`).")],
                   yes: YesOpt = False) -> None:
    """Delete one attempt with its grades, overrides and follow-ups."""
    from ...app import reviewing

    svc = _svc()
    try:
        reviewing.attempt_detail(svc, attempt_id, with_previous=False)  # unknown id: clear error first
        _confirm(f"attempt {attempt_id}", yes)
        reviewing.delete_attempt(svc, attempt_id)
    finally:
        svc.close()
    typer.echo(f"deleted attempt {attempt_id}")


@delete_app.command("session")
def delete_session(session_id: Annotated[int, typer.Argument(help="Session id (see `interviewer history`).")],
                   yes: YesOpt = False) -> None:
    """Delete a whole session: every attempt in it, with grades and overrides."""
    from ...app import reviewing

    svc = _svc()
    try:
        if svc.store.get_session(session_id) is None:
            raise InterviewerError(f"no session with id {session_id}",
                                   hint="run `interviewer history` to see session ids")
        n = len(svc.store.attempts(session_id=session_id))
        _confirm(f"session {session_id} and its {n} attempt{'s' if n != 1 else ''}", yes)
        n = reviewing.delete_session(svc, session_id)
    finally:
        svc.close()
    typer.echo(f"deleted session {session_id} ({n} attempt{'s' if n != 1 else ''})")


def review() -> None:
    """Open the app on the review dashboard: weakest topics, most-missed key points, what is due."""
    from ...tui.run import run_tui

    run_tui(_svc(), start="review")
