"""`interviewer stats` and `interviewer history`: what they print, and a parser for their options that needs
no typer.

These two are the commands people run most, several times a day; typer's import and its pydantic-based option
parsing were a quarter of their time. cli.entry calls `parse(argv)` first: a recognised command line runs here
directly; anything else (--help, a bad value, an option it does not know) returns None and goes to typer,
which stays the one place for help and usage errors. cli.commands.review declares the same options for typer
and calls the same `show_stats` / `show_history`; tests/cli/test_entry.py checks both parsers agree.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...app import wording

if TYPE_CHECKING:
    from rich.table import JustifyMethod, Table

    from ...app.services import Services
    from ...core.review import Mastery


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _t(value: object, style: str = ""):
    """A table cell or line holding text literally: no Rich markup parsing, no terminal control sequences."""
    from rich.text import Text

    from ...termsafe import safe

    return Text(safe(value), style=style)


def _services():
    from ..context import services

    return services()


def _offer_pending(svc: Services) -> None:
    """One stderr line when answers are saved but not graded (grading interrupted, killed or failed), saying
    how to grade them: the CLI's side of 'the next start offers to grade the pending ones'."""
    from ...app import reviewing

    n = reviewing.ungraded_count(svc)
    if n:
        print(f"{n} answer{'s are' if n != 1 else ' is'} ungraded: grade {'them' if n != 1 else 'it'} with "
              "`interviewer regrade --ungraded`", file=sys.stderr)


def _topics_table(shown: list[Mastery]) -> Table:
    from rich.table import Table

    table = Table(box=None, padding=(0, 1), header_style="bold")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("topic", "left"), ("mastery", "left"), ("recent", "right"), ("trend", "right"), ("answers", "right"),
        ("last", "left"), ("", "left"))
    for col, justify in columns:
        table.add_column(col, justify=justify, no_wrap=col != "topic", overflow="ellipsis")
    for m in shown:
        style = "red" if m.weak else ("dim" if m.status == "new" else "")
        mastery = "" if m.mastery is None else f"{wording.bar(m.mastery / 100, 8)} {m.mastery:3.0f}"
        arrow = {"improving": "↑", "declining": "↓", "steady": "→"}.get(m.trend_label, "")
        trend = "" if m.trend is None else f"{arrow}{m.trend:+.0f}"
        last = m.last_practised.astimezone().strftime("%Y-%m-%d") if m.last_practised else ""
        table.add_row(_t(m.key), mastery, "" if m.recent_avg is None else f"{m.recent_avg:.0f}", trend,
                      str(m.attempts), last, _t(m.status, style=style))
    return table


def show_stats(*, as_json: bool = False, since: str | None = None, bank: str | None = None,
               all_topics: bool = False) -> None:
    from ...app import reviewing
    from ...app.exporting import parse_since

    svc = _services()
    try:
        rep = reviewing.report(svc, since=parse_since(since), bank_id=bank)
        _offer_pending(svc)
        if as_json:
            from ...termsafe import json_safe

            print(json_safe(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False)))
            return
        from rich.table import Table
        from rich.text import Text

        con = _console()
        t = rep.totals
        avg = f" · average {rep.average:.0f}" if rep.average is not None else ""
        con.print(Text(f"{wording.answers_said(t['attempts'], t['passed'], t['graded'])}, "
                       f"{wording.counted(t['sessions'], 'session')}{avg} · "
                       f"{len(rep.due)} due for review", style="bold"))
        shown = [m for m in rep.topics if all_topics or m.status != "new"]
        if shown:
            con.print(_topics_table(shown))
        else:
            con.print("No graded answers yet: practise a few questions first (run `interviewer`).")
        if rep.most_missed:
            con.print(Text("\nYou often leave out:", style="bold"))
            kp_table = Table(box=None, padding=(0, 1), show_header=False)
            kp_table.add_column(no_wrap=True, style="dim")
            kp_table.add_column(ratio=1)
            kp_table.add_column(no_wrap=True, style="dim", justify="right")
            for k in rep.most_missed[:5]:
                kp_table.add_row(_t(k.question_id), _t(k.text), k.record)
            con.print(kp_table)
        if rep.due:
            from ...app.reviewing import question_index

            qs = question_index(svc)
            con.print(Text(f"\nDue for review ({len(rep.due)}):", style="bold"))
            due_table = Table(box=None, padding=(0, 1), show_header=False)
            due_table.add_column(no_wrap=True, style="dim")
            due_table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            for c in rep.due[:5]:
                q = qs.get(c.question_id)
                due_table.add_row(_t(c.question_id), _t(q.question if q else ""))
            con.print(due_table)
            if len(rep.due) > 5:
                con.print(Text(f" … and {len(rep.due) - 5} more: `interviewer practice --due` takes them first",
                               style="dim"))
        if rep.delivery is not None:
            _print_delivery(con, rep.delivery)
        con.print(Text("\n" + wording.sentence(rep.weak_explanation), style="dim"))
    finally:
        svc.close()


def _print_delivery(con, d) -> None:
    """Your pace and pauses over the spoken answers (core.delivery_trend), as the review screen shows them."""
    from rich.text import Text

    con.print(Text(f"\nYour delivery ({d.answers} spoken answer{'s' if d.answers != 1 else ''}; lately = the "
                   f"newest {d.window}):", style="bold"))
    if d.pace_lately is not None:
        was = f", {d.pace_change} (was {d.pace_before:.0f})" if d.pace_before is not None else ""
        con.print(f"  pace    {d.pace_lately:.0f} words a minute lately ({d.pace_band}){was}")
    if d.pauses_lately is not None:
        was = f", {d.pause_change} (was {d.pauses_before:.1f})" if d.pauses_before is not None else ""
        con.print(f"  pauses  {d.pauses_lately:.1f} long pauses a minute of speech lately, longest "
                  f"{d.longest_pause_lately:.1f} s{was}")


def show_history(*, as_json: bool = False, limit: int = 30, session: int | None = None, question: str | None = None,
                 since: str | None = None) -> None:
    """Newest first: number, when, session, the question, the score that counts (or the word for why there is
    none) and the grader. Below 100 columns the date is shorter and the session is left out, so the question
    keeps a readable width; what does not fit ends in an ellipsis."""
    from ...app.exporting import parse_since
    from ...app.reviewing import question_index
    from ...store import history

    svc = _services()
    try:
        rows = history.history(svc.store, limit=limit, session_id=session, question_id=question,
                               since=parse_since(since))
        if as_json:
            from ...termsafe import json_safe

            print(json_safe(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False)))
            return
        if not rows:
            print("No attempts yet.")
            return
        from rich.table import Table
        from rich.text import Text

        qs = question_index(svc)
        con = _console()
        wide = con.width >= 100
        with_sessions = wide and any(r.session_id for r in rows)
        graders = [r.grader + (f" +{r.n_grades - 1}" if r.n_grades > 1 else "") for r in rows]
        widths = {"#": max(len(str(r.attempt_id)) for r in rows), "when": 16 if wide else 12,
                  "session": 7 if with_sessions else 0, "score": len(wording.DONT_KNOW),
                  "grader": max(6, min(20 if wide else 10, max(map(len, graders))))}
        columns = sum(1 for w in widths.values() if w) + 1
        widths["question"] = max(12, con.width - sum(widths.values()) - 2 * columns)  # cell padding 1 + 1
        table = Table(box=None, padding=(0, 1), header_style="bold")
        for col in ("#", "when", "session", "question", "score", "grader"):
            if widths[col]:
                table.add_column(col, justify="right" if col in ("#", "session", "score") else "left", no_wrap=True,
                                 overflow="ellipsis", width=widths[col])
        for r, grader in zip(rows, graders, strict=True):
            q = qs.get(r.question_id)
            if r.parent_id:
                title = f"↳ follow-up to #{r.parent_id}"
            elif q:
                title = f"{r.question_id} {q.question}" if con.width >= 120 else q.question
            else:
                title = r.question_id
            score = wording.score_label(r.score, r.kind, r.status, overridden=r.override_score is not None)
            local = r.submitted_at.astimezone()
            cells = [str(r.attempt_id), local.strftime("%Y-%m-%d %H:%M") if wide else f"{local:%b} {local:%d %H:%M}"]
            if with_sessions:
                cells.append(str(r.session_id or ""))
            table.add_row(*cells, _t(title), score, _t(grader))
        con.print(table)
        if any(r.override_score is not None for r in rows):
            con.print(Text(wording.YOUR_SCORE_NOTE, style="dim"))
    finally:
        svc.close()


# --------------------------------------------------------------------------- the quick parser


class _Unrecognised(Exception):
    pass


def _parser(command: str):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):  # noqa: D401 - typer will say it better: hand the line over
            raise _Unrecognised(message)

    p = Parser(prog=f"interviewer {command}", add_help=False, allow_abbrev=False)
    p.add_argument("--json", dest="as_json", action="store_true")
    p.add_argument("--since")
    if command == "stats":
        p.add_argument("--bank")
        p.add_argument("--all", dest="all_topics", action="store_true")
    else:
        p.add_argument("--limit", "-n", type=int, default=30)
        p.add_argument("--session", type=int)
        p.add_argument("--question")
    return p


def parse_options(argv: list[str]) -> tuple[str, dict] | None:
    """(command, keyword arguments) for a recognised `stats` / `history` command line, else None."""
    if not argv or argv[0] not in ("stats", "history"):
        return None
    if any(a == "--" or a.startswith("--help") or a == "-h" for a in argv[1:]):
        return None
    try:
        ns = _parser(argv[0]).parse_args(argv[1:])
    except _Unrecognised:
        return None
    kw = vars(ns)
    if argv[0] == "history" and kw["limit"] < 1:
        return None  # typer words the range error
    return argv[0], kw


def parse(argv: list[str]) -> Callable[[], None] | None:
    """What to run for this command line, or None to let typer handle it."""
    parsed = parse_options(argv)
    if parsed is None:
        return None
    command, kw = parsed
    show = show_stats if command == "stats" else show_history
    return lambda: show(**kw)
