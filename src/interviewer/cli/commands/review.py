"""`interviewer stats | history | export | import | regrade | override | delete | review`.

Thin: each command parses flags, calls the review service (reviewing.py) or the exporter (exporting.py), and
prints. Rich is imported inside the commands that draw tables; `--json` output is plain and scriptable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import InterviewerError

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


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _t(value: object, style: str = ""):
    """A table cell or line holding text literally: no Rich markup parsing, no terminal control sequences."""
    from rich.text import Text

    from ...termsafe import safe

    return Text(safe(value), style=style)


def _bar(value: float | None, width: int = 10) -> str:
    if value is None:
        return ""
    full = max(0, min(width, round(value / 100 * width)))
    return "█" * full + "░" * (width - full)


def _offer_pending(svc) -> None:
    """One stderr line when answers are saved but not graded (grading interrupted, killed or failed), saying
    how to grade them: the CLI's side of 'the next start offers to grade the pending ones'."""
    from ...app import reviewing

    n = reviewing.ungraded_count(svc)
    if n:
        typer.echo(f"{n} answer{'s' if n != 1 else ''} saved but not graded yet: grade "
                   f"{'them' if n != 1 else 'it'} with `interviewer regrade --ungraded`", err=True)


def stats(
    as_json: JsonOpt = False,
    since: SinceOpt = None,
    bank: Annotated[str | None, typer.Option(help="Only this bank's questions.")] = None,
    all_topics: Annotated[bool, typer.Option("--all", help="Also list topics never practised.")] = False,
) -> None:
    """Your topics, weakest first, with the key points you most often leave out and what is due."""
    from ...app import reviewing
    from ...app.exporting import parse_since

    svc = _svc()
    try:
        rep = reviewing.report(svc, since=parse_since(since), bank_id=bank)
        _offer_pending(svc)
        if as_json:
            from ...termsafe import json_safe

            typer.echo(json_safe(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False)))
            return
        from rich.table import Table
        from rich.text import Text

        con = _console()
        t = rep.totals
        avg = f" · average {rep.average:.0f}" if rep.average is not None else ""
        con.print(Text(f"{t['attempts']} answers, {t['graded']} graded, {t['sessions']} sessions{avg} · "
                       f"{len(rep.due)} due for review", style="bold"))
        table = Table(box=None, padding=(0, 1), header_style="bold")
        for col, justify in (("topic", "left"), ("mastery", "left"), ("recent", "right"), ("trend", "right"),
                             ("n", "right"), ("last", "left"), ("", "left")):
            table.add_column(col, justify=justify, no_wrap=col != "topic")
        shown = [m for m in rep.topics if all_topics or m.status != "new"]
        for m in shown:
            style = "red" if m.weak else ("dim" if m.status == "new" else "")
            mastery = "" if m.mastery is None else f"{_bar(m.mastery, 8)} {m.mastery:3.0f}"
            arrow = {"improving": "↑", "declining": "↓", "steady": "→"}.get(m.trend_label, "")
            trend = "" if m.trend is None else f"{arrow}{m.trend:+.0f}"
            last = m.last_practised.astimezone().strftime("%Y-%m-%d") if m.last_practised else ""
            table.add_row(_t(m.key), mastery, "" if m.recent_avg is None else f"{m.recent_avg:.0f}", trend,
                          str(m.attempts), last, _t(m.status, style=style))
        if shown:
            con.print(table)
        else:
            con.print("No graded answers yet: practise a few questions first (run `interviewer`).")
        if rep.most_missed:
            con.print(Text("\nYou often leave out:", style="bold"))
            kp_table = Table(box=None, padding=(0, 1), show_header=False)
            kp_table.add_column(no_wrap=True, style="dim")
            kp_table.add_column(ratio=1)
            kp_table.add_column(no_wrap=True, style="dim", justify="right")
            for k in rep.most_missed[:5]:
                kp_table.add_row(_t(k.question_id), _t(k.text), f"missed {k.misses}/{k.seen}")
            con.print(kp_table)
        if rep.due:
            con.print(_t(f"\nDue for review: {', '.join(c.question_id for c in rep.due[:8])}"
                           f"{' ...' if len(rep.due) > 8 else ''}", style="bold"))
        con.print(Text(f"\n{rep.weak_explanation}.", style="dim"))
    finally:
        svc.close()


def history_cmd(
    as_json: JsonOpt = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many attempts, newest first.")] = 30,
    session: Annotated[int | None, typer.Option(help="Only this session.")] = None,
    question: Annotated[str | None, typer.Option(help="Only this question id.")] = None,
    since: SinceOpt = None,
) -> None:
    """Your attempts, newest first: date, question, score, grader (* marks your override, +N more grades)."""
    from ...app.exporting import parse_since
    from ...app.reviewing import question_index
    from ...store import history

    svc = _svc()
    try:
        rows = history.history(svc.store, limit=limit, session_id=session, question_id=question,
                               since=parse_since(since))
        if as_json:
            from ...termsafe import json_safe

            typer.echo(json_safe(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False)))
            return
        if not rows:
            typer.echo("No attempts yet.")
            return
        from rich.table import Table

        qs = question_index(svc)
        with_sessions = any(r.session_id for r in rows)
        con = _console()
        graders = [r.grader + (f" +{r.n_grades - 1}" if r.n_grades > 1 else "") for r in rows]
        grader_w = min(20, max([6, *map(len, graders)]))
        fixed = 3 + 16 + (5 if with_sessions else 0) + 8 + grader_w + 2 * (6 if with_sessions else 5)
        table = Table(box=None, padding=(0, 1), header_style="bold")
        table.add_column("id", justify="right", no_wrap=True, min_width=3)
        table.add_column("when", no_wrap=True, min_width=16)
        if with_sessions:
            table.add_column("sess.", justify="right", no_wrap=True, min_width=5)
        table.add_column("question", no_wrap=True, overflow="ellipsis", max_width=max(12, con.width - fixed))
        table.add_column("score", justify="right", no_wrap=True, min_width=8)
        table.add_column("grader", no_wrap=True, overflow="ellipsis", min_width=6, max_width=grader_w)
        for r, grader in zip(rows, graders, strict=True):
            q = qs.get(r.question_id)
            title = f"{r.question_id} {q.question}" if q else r.question_id
            if r.parent_id:
                title = f"↳ follow-up to #{r.parent_id}"
            if r.score is None:
                score = r.kind.value.replace("_", " ") if r.kind.value != "answer" else r.status.value
            else:
                score = f"{r.score:.0f}" + ("*" if r.override_score is not None else "")
            cells = [str(r.attempt_id), r.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M")]
            if with_sessions:
                cells.append(str(r.session_id or ""))
            table.add_row(*cells, _t(title), score, _t(grader))
        con.print(table)
    finally:
        svc.close()


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
    what = "weak-question cards" if res.format == "anki" else "answers"
    typer.echo(f"wrote {res.path} ({res.items} {what})")
    if res.format == "anki":
        if res.items == 0:
            typer.echo("no weak questions yet: nothing to drill", err=True)
        else:
            typer.echo("import it in Anki with File > Import (the file says its deck, note type and columns)")


def import_cmd(file: Annotated[Path, typer.Argument(help="A JSON export (interviewer export --format json).")]) -> None:
    """Restore history from a JSON export (all or nothing; what is already here is not duplicated)."""
    from ...app.exporting import import_history

    svc = _svc()
    try:
        c = import_history(svc, file)
    finally:
        svc.close()
    typer.echo(f"imported {c['attempts']} attempts, {c['grades']} grades, {c['overrides']} overrides, "
               f"{c['sessions']} sessions from {file}")
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
            if r.ok:
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


async def _run_regrade(svc, targets, grader, rubric, show):
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
    """Set your own score for an attempt. It is kept beside the model's grade and counts for scheduling."""
    from ...app import reviewing

    svc = _svc()
    try:
        reviewing.override(svc, attempt_id, score, reason)
        g = svc.store.latest_grade(attempt_id)
    finally:
        svc.close()
    was = f" (the model gave {g.grade.score:.0f})" if g else ""
    typer.echo(f"attempt {attempt_id}: your score {score:g}{was}")


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
    typer.echo(f"deleted session {session_id} ({n} attempts)")


def review() -> None:
    """Open the app on the review dashboard: weakest topics, most-missed key points, what is due."""
    from ...tui.run import run_tui

    run_tui(_svc(), start="review")
