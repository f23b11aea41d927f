"""`interviewer bank list|show|lint|import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import BankError, InterviewerError

bank_app = typer.Typer(help="List, show, lint and import question banks.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(bank_app, name="bank")


def _console():
    from rich.console import Console

    return Console()


@bank_app.command("list")
def list_banks() -> None:
    """List installed banks with their topics and question counts."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from ...termsafe import safe
    from ..context import services

    svc = services()
    con = _console()
    for ib in svc.installed_banks:  # bank files are shared: their text is printed literally
        b = ib.bank
        kps = sum(len(q.key_points) for q in b.questions)
        con.print(f"[bold]{escape(safe(b.id))}[/bold]  {escape(safe(b.bank.title))}  ({len(b.questions)} questions, {len(b.topics())} topics, "
                  f"{kps} key points){'' if ib.builtin else '  [dim](yours)[/dim]'}")
        con.print(f"  [dim]{escape(safe(ib.path))}[/dim]")
        t = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        t.add_column("topic")
        t.add_column("questions", justify="right")
        t.add_column("basic/int./adv.", justify="right")
        for topic in b.topics():
            qs = [q for q in b.questions if q.topic == topic]
            d = [sum(1 for q in qs if q.difficulty.value == lvl) for lvl in ("basic", "intermediate", "advanced")]
            t.add_row(Text(safe(topic)), str(len(qs)), "/".join(map(str, d)))
        con.print(t)
    for p in svc.bank_problems:
        typer.echo(f"not loaded: {p.error}", err=True)
    if not svc.installed_banks:
        raise InterviewerError("no banks installed", hint="reinstall interviewer, or import one with "
                               "`interviewer bank import FILE.md`")


@bank_app.command("show")
def show(question_id: Annotated[str, typer.Argument(help="Question id, e.g. llm-q030")]) -> None:
    """Show one question with its reference answer and key points."""
    from rich.markdown import Markdown
    from rich.text import Text

    from ...termsafe import safe_model
    from ..context import services

    svc = services()
    bank, q = svc.find_question(question_id)
    q = safe_model(q)  # bank files are shared: no control sequences from them
    con = _console()
    con.print(Text(f"{q.id}  ·  {q.topic}  ·  {q.difficulty.value}  ·  rubric {q.rubric}  ·  bank {bank.id}",
                   style="dim"))
    con.print(Text(q.question, style="bold"))
    con.print()
    con.print(Markdown(q.reference))
    con.print()
    con.print(Text("Key points", style="bold"))
    for kp in q.key_points:
        line = Text(f"  {kp.id}  {kp.text}")
        if kp.drafted:
            line.append("  (drafted)", style="yellow")
        con.print(line)
        if kp.alternatives:
            con.print(Text("      also: " + "; ".join(kp.alternatives), style="dim"))
    siblings = [(d, safe_model(o).question if (o := bank.get(d)) else "") for d in q.distinct_from]
    if siblings:
        con.print()
        con.print(Text("Not to be confused with: " + "; ".join(f"{d} ({text})" for d, text in siblings),
                       style="dim"))


def lint_bank_file(path: Path, rubric_ids: set[str]) -> tuple[list[str], list[str], int]:
    """(errors, warnings, question count) for one bank file."""
    from ...core.bank import load_bank
    from ...grading.offline.lint import misconception_warnings

    try:
        b = load_bank(path)
    except BankError as e:
        return [str(e)], [], 0
    errors: list[str] = []
    warnings: list[str] = []
    by_id = {q.id: q for q in b.questions}
    for q in b.questions:
        if q.rubric not in rubric_ids:
            errors.append(f"{path}: question {q.id}: field 'rubric': unknown rubric {q.rubric!r} "
                          f"(installed: {', '.join(sorted(rubric_ids))})")
        n = len(q.key_points)
        if not 3 <= n <= 6:
            warnings.append(f"{path}: question {q.id}: {n} key points (aim for 3 to 6)")
        drafted = sum(kp.drafted for kp in q.key_points)
        if drafted:
            warnings.append(f"{path}: question {q.id}: {drafted} drafted key point(s) to review")
        warnings.extend(f"{path}: {w}" for w in misconception_warnings(q))
        warnings.extend(f"{path}: question {q.id}: distinct_from names {d}, but {d} does not name {q.id}; mark the "
                        "pair on both questions (an answer to either one about the other is off topic)"
                        for d in q.distinct_from if d in by_id and q.id not in by_id[d].distinct_from)
    return errors, warnings, len(b.questions)


@bank_app.command("lint")
def lint(file: Annotated[Path | None, typer.Argument(help="Bank file; default: every installed bank")] = None,
         strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False) -> None:
    """Validate bank files: schema, unique ids, known rubrics, key-point counts, misconceptions and their signals."""
    from ...core.bank import bank_files
    from ..context import services

    svc = services()
    files = [file] if file else bank_files([svc.locations.builtin_banks_dir, svc.locations.user_banks_dir])
    rubric_ids = set(svc.rubrics)
    n_err = n_warn = 0
    for f in files:
        errors, warnings, count = lint_bank_file(f, rubric_ids)
        for e in errors:
            typer.echo(f"error: {e}", err=True)
        for w in warnings:
            typer.echo(f"warning: {w}", err=True)
        n_err += len(errors)
        n_warn += len(warnings)
        if not errors:
            typer.echo(f"ok: {f} ({count} questions)")
    typer.echo(f"{len(files)} file(s), {n_err} error(s), {n_warn} warning(s)")
    if n_err or (strict and n_warn):
        raise typer.Exit(1)


@bank_app.command("import")
def import_md(
    file: Annotated[Path, typer.Argument(help="Markdown file: '## Section', '### Q1: ...', '**Answer:** ...'")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the bank TOML; "
                                                "default: your banks folder, so it is picked up at once")] = None,
    bank_id: Annotated[str | None, typer.Option("--id", help="Bank id (default: from the title or file name)")] = None,
    title: Annotated[str | None, typer.Option(help="Bank title")] = None,
    prefix: Annotated[str | None, typer.Option(help="Question id prefix, e.g. 'llm' gives llm-q001")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
) -> None:
    """Turn a Markdown Q&A file into a bank file, drafting key points from each answer."""
    from ...core.bank import dump_bank, load_bank
    from ...core.importer import import_markdown_file
    from ...fsutil import atomic_write_text
    from ..context import services

    result = import_markdown_file(file, bank_id=bank_id, title=title, id_prefix=prefix)
    bank = result.bank
    if output is None:
        output = services().locations.ensure().user_banks_dir / f"{bank.id}.toml"
    if output.exists() and not force:
        raise InterviewerError(f"{output} already exists", hint="pass --force to overwrite, or -o another path")
    atomic_write_text(output, dump_bank(bank))
    load_bank(output)  # what we wrote must load back
    for p in result.problems:
        typer.echo(f"warning: {file}:{p.line}: {p.message}", err=True)
    if result.skipped_sections:
        typer.echo(f"note: sections without questions were skipped: {', '.join(result.skipped_sections)}", err=True)
    kps = sum(len(q.key_points) for q in bank.questions)
    typer.echo(f"imported {len(bank.questions)} questions in {len(bank.topics())} topics ({kps} drafted key points) "
               f"-> {output}")
    typer.echo("Review the drafted key points (they feed the offline grader), then: interviewer bank lint "
               f"{output}")
