"""`interviewer eval [LABELS.jsonl]`: how well does a grader agree with human scores?

Thin: reads flags, loads the records (grading.evaluate), grades them with the chosen backend and model behind
a progress bar on stderr, and prints the agreement table (or JSON with --json). With no file it runs the
shipped calibration set for the built-in bank, so a new backend or model can be checked before it is trusted.
Nothing is written to the practice database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


def _fmt(v: float | None, spec: str = ".3f") -> str:
    return "n/a" if v is None else format(v, spec)


def eval_command(
    labels: Annotated[Path | None, typer.Argument(
        help="JSONL of labelled answers: question, reference, answer, a human score (and optionally a bank "
             "question_id). Default: the shipped calibration set.")] = None,
    backend: Annotated[str | None, typer.Option(help="Grader backend: offline | openai | ollama | litellm")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for an LLM backend.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Answers graded at once (LLM backends).")] = 4,
    limit: Annotated[int | None, typer.Option(min=1, help="Grade only the first N records.")] = None,
    label_field: Annotated[str | None, typer.Option(
        help="Field holding the human score (default: score_avg, score, label or grade, whichever exists).")] = None,
    label_max: Annotated[float, typer.Option(min=1, help="Top of the human scale (the bottom is 0).")] = 5.0,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Grade labelled answers and report agreement with the human scores (Pearson, Spearman, QWK, MAE)."""
    from ...core.errors import InterviewerError
    from ...grading.evaluate import load_records, run_eval
    from ..context import services as make_services

    svc = make_services(backend=backend, model=model)
    path = labels or svc.locations.calibration_path
    if labels is None and not path.exists():
        raise InterviewerError(f"the calibration set is missing: {path}", hint="reinstall interviewer, or pass a "
                               "JSONL file of labelled answers")
    records, field = load_records(path, services=svc, label_field=label_field, label_max=label_max, limit=limit)
    grader = svc.make_grader(backend, model)

    async def go():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        task = progress.add_task("grading", total=len(records))
        try:
            with progress:
                return await run_eval(records, grader, source=str(path), label_field=field, label_max=label_max,
                                      concurrency=concurrency, on_done=lambda _it: progress.advance(task))
        finally:
            await grader.aclose()

    import asyncio

    report, _items = asyncio.run(go())
    if json_out:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print(report)
    if report.graded == 0:
        raise InterviewerError(f"no record could be graded ({report.failed} failed): {report.errors[0] if report.errors else ''}",
                               hint="check the backend with `interviewer doctor`, or try --backend offline")


def _natural(key: str) -> list:
    """Sort "1.2" before "1.10" and "llm-q002" before "llm-q010"."""
    import re

    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", key)]


def _speed(r) -> str:
    speed = f"{r.answers_per_s:,.1f} answers/s ({r.seconds:.2f} s, concurrency {r.concurrency})"
    if r.prompt_tokens is not None or r.completion_tokens is not None:
        speed += f"; tokens: {r.prompt_tokens or 0:,} prompt + {r.completion_tokens or 0:,} completion"
    if r.cost_usd is not None:
        speed += f"; cost ${r.cost_usd:.4f}"
    return speed


def _print_per_kind(con, r) -> None:
    from rich.table import Table
    from rich.text import Text

    from ...core.scoring import band_floor
    from ...termsafe import safe

    k = Table(title="Per kind of answer (grader's 0-100 score)", show_header=True, header_style="bold")
    for col in ("kind", "n", "mean", "median", f"solid+ ({band_floor('solid'):g}+)",
                f"top band ({band_floor('interview-ready'):g}+)"):
        k.add_column(col, justify="right" if col != "kind" else "left", no_wrap=True)
    for s in r.per_kind:
        k.add_row(Text(safe(s.kind)), str(s.n), f"{s.mean_score:.1f}", f"{s.median_score:.1f}",
                  f"{s.solid_or_better} ({s.solid_or_better / s.n:.0%})", f"{s.ready} ({s.ready / s.n:.0%})")
    con.print(k)
    if r.order_violations:
        con.print("Order per question (a question's first kind should score at least its second): " + ", ".join(
            f"{safe(pair)} broken in {n}" for pair, n in r.order_violations.items()))


def _print(r) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ...termsafe import safe

    con = Console()
    con.print(Text("Grader ", style="bold") + Text(safe(f"{r.grader}   ")) + Text("labels ", style="bold")
              + Text(safe(f"{r.source} ({r.label_field}, 0-{r.label_max:g})")))
    t = Table(title="Agreement with the human scores", show_header=True, header_style="bold")
    t.add_column("measure")
    t.add_column("value", justify="right")
    for name, value in (("records", str(r.n)), ("graded", str(r.graded)), ("failed (ungraded, not zero)", str(r.failed)),
                        ("Pearson r", _fmt(r.pearson)), ("Spearman rho", _fmt(r.spearman)),
                        ("quadratic weighted kappa", _fmt(r.qwk)), ("mean absolute error", _fmt(r.mae)),
                        ("mean human score", _fmt(r.mean_label, ".2f")),
                        ("mean grader score (label scale)", _fmt(r.mean_predicted, ".2f"))):
        t.add_row(name, value)
    con.print(t)
    con.print(_speed(r))
    if r.per_kind:
        _print_per_kind(con, r)
    q = Table(title="Per question", show_header=True, header_style="bold")
    q.add_column("question", no_wrap=True, overflow="ellipsis", max_width=40)
    for col in ("n", "human", "grader", "r", "MAE"):
        q.add_column(col, justify="right", no_wrap=True, min_width=5)
    for g in sorted(r.per_question, key=lambda g: _natural(g.group)):
        label = f"{g.group}  {g.question}" if g.group != g.question else g.question
        q.add_row(Text(safe(label)), str(g.n), f"{g.mean_label:.2f}", f"{g.mean_predicted:.2f}", _fmt(g.pearson, ".2f"),
                  f"{g.mae:.2f}")
    con.print(q)
    for e in r.errors:  # model and server text: printed literally
        con.print(Text("failed ", style="yellow") + Text(safe(e)))
    con.print("Scores are mapped to the label scale as score/100 x label max; QWK rounds both to whole points.")
