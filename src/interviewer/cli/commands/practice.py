"""`interviewer practice`: start a practice session in the app, or with --plain as line-by-line prompts.

Plain mode (plain.py) is the same session (interviewer.app.practice.Practice: same storage, same grading,
same summary) for screen readers, dumb terminals and pipes. Before either starts, what the session needs is
checked (the bank, its rubrics, the database: Services.check_practice and Services.store), so a fault is one
message and exit code 2 before anything is typed.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ...core.errors import InterviewerError
from .plain import run_plain  # plain mode lives in plain.py; callers and tests import it from here too

ORDERS = ("random", "weakest", "due", "in-order")
DIFFICULTIES = ("basic", "intermediate", "advanced")


def register(app: typer.Typer) -> None:
    app.command("practice")(practice)


def practice(
    plain: Annotated[bool, typer.Option("--plain", help="Line-by-line prompts instead of the app (screen "
                                        "readers, dumb terminals, pipes). Prompts: 'answer> ' (an empty line "
                                        "ends the answer), 'follow-up> ' (an empty line goes on), 'grading "
                                        "failed: r, o or k> '; at any of them /skip, /idk, /quit or /help on a "
                                        "line of its own.")] = False,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Topic to practise (repeatable); "
                                                    "default all.")] = None,
    n: Annotated[int | None, typer.Option("-n", "--questions", help="Number of questions.")] = None,
    order: Annotated[str, typer.Option(help="random | weakest | due | in-order")] = "random",
    difficulty: Annotated[str | None, typer.Option(help="basic | intermediate | advanced")] = None,
    timer: Annotated[int | None, typer.Option(help="Per-answer target in seconds (0 = off).")] = None,
    mock: Annotated[bool, typer.Option("--mock", help="Mock interview: feedback held back until the end.")] = False,
    bank: Annotated[str | None, typer.Option(help="Bank id (default: practice.bank in config).")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the random order (repeatable sessions).")] = None,
    due: Annotated[bool, typer.Option("--due", help="The questions due for review (FSRS) first: same as "
                                      "--order due.")] = False,
    weak: Annotated[bool, typer.Option("--weak", help="Your weakest questions first (lowest mastery, see "
                                       "`interviewer stats`): same as --order weakest.")] = False,
) -> None:
    """Practise questions: opens the app on a new session, or runs it as plain prompts with --plain."""
    from ...app.practice import SessionOptions
    from ...core.selection import Order
    from ..context import services

    if due and weak:
        raise InterviewerError("--due and --weak are two different sessions", hint="choose one of them")
    if due or weak:
        chosen = "due" if due else "weakest"
        if order not in ("random", chosen):
            raise InterviewerError(f"--{'due' if due else 'weak'} and --order {order} disagree",
                                   hint="give one of them")
        order = chosen
    if order not in ORDERS:
        raise InterviewerError(f"unknown order {order!r}", hint="use one of: " + ", ".join(ORDERS))
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise InterviewerError(f"unknown difficulty {difficulty!r}", hint="use one of: " + ", ".join(DIFFICULTIES))
    svc = services()
    cfg = svc.config.practice
    count = n if n is not None else cfg.questions
    if not 1 <= count <= 100:
        raise InterviewerError(f"-n {count}: choose from 1 to 100 questions", hint="e.g. -n 5")
    b = svc.bank(bank)
    unknown = [t for t in (topic or []) if t not in b.topics()]
    if unknown:
        raise InterviewerError(f"no topic {unknown[0]!r} in bank {b.id}",
                               hint="topics: " + "; ".join(b.topics()))
    opts = SessionOptions(bank_id=b.id, topics=list(topic or []), difficulties=[difficulty] if difficulty else [],
                          count=count, order=Order(order), timer_s=cfg.timer if timer is None else timer, mock=mock,
                          seed=seed)
    if plain:
        svc.check_practice(b.id)
        try:
            code = run_plain(svc, opts, sys.stdin, sys.stdout)
        finally:
            svc.close()
        raise typer.Exit(code)
    from ...tui.run import run_tui

    run_tui(svc, start=opts)



__all__ = ["practice", "register", "run_plain"]
