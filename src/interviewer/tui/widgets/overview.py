"""The home screen's panels: the bank at a glance and the active grader. Rendering only: figures come in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..text import bar, plain, score_style

if TYPE_CHECKING:
    from ...core.selection import Overview


def overview_text(ov: Overview, pending: int = 0) -> Text:
    from ...core.scoring import verdict_for  # imported when the figures are in (pydantic is loaded by then)

    t = Text()
    t.append(plain(ov.bank_title, "bold"))
    t.append(f"\n{ov.questions} questions in {len(ov.topics)} topics\n")
    t.append("Practised ")
    t.append(f"{ov.answered}", "bold")
    t.append(f" of {ov.questions} ({ov.attempts} attempt{'s' if ov.attempts != 1 else ''})")
    t.append(" · average ")
    if ov.avg_score is None:
        t.append("-", "dim")
    else:
        t.append(f"{ov.avg_score:.0f}", score_style(ov.avg_score))
        t.append(f" ({verdict_for(ov.avg_score)})")
    t.append("\nDue for review: ")
    if ov.scheduled:
        t.append(f"{ov.due}", "bold")
    else:
        t.append("0", "bold")
        t.append(" (none scheduled yet)", "dim")
    if pending:
        t.append(f"\n{pending} answer{'s' if pending != 1 else ''} kept for later: press g to grade",
                 "yellow")
    t.append("\nWeakest: ")
    if ov.weakest:
        for i, ts in enumerate(ov.weakest):
            if i:
                t.append(" · ")
            t.append(plain(ts.topic))
            t.append(f" {ts.mastery:.0f}", score_style(ts.mastery))
    else:
        t.append("answer a few questions to see them", "dim")
    return t


def topics_table(ov: Overview) -> Table:
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
    table.add_column("topic", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("done", justify="right")
    table.add_column("avg", justify="right")
    table.add_column("", width=10, no_wrap=True)
    for ts in ov.topics:
        avg = "-" if ts.avg_score is None else f"{ts.avg_score:.0f}"
        table.add_row(plain(ts.topic), f"{ts.answered}/{ts.questions}", Text(avg, score_style(ts.avg_score)),
                      Text(bar(ts.avg_score / 100) if ts.avg_score is not None else "", score_style(ts.avg_score)))
    return table


class BankOverview(Static):
    def show(self, ov: Overview, pending: int = 0) -> None:
        self.update(overview_text(ov, pending))


class TopicsTable(Static):
    def show(self, ov: Overview) -> None:
        self.update(topics_table(ov))
