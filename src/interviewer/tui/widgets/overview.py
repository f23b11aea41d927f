"""The home screen's panels: the bank at a glance (with the active grader) and the topics table. Rendering
only: figures come in. Nothing here imports pydantic at import time (the home screen is drawn before it loads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ...app import wording
from ...core.weak import WEAK_BELOW
from ..text import bar, plain, score_style

if TYPE_CHECKING:
    from ...core.selection import Overview


def grader_line(cfg, status: Text | None = None) -> Text:
    """Which grader marks the answers, and (for a model) whether its server answered the start-up check."""
    t = Text("Grader: ")
    if cfg.backend == "offline":
        t.append("offline", "bold")
        t.append(" (key-point coverage and known misconceptions, no model)", "dim")
    else:
        t.append(plain(cfg.backend, "bold"))
        t.append(" · ")
        t.append(plain(cfg.model or "no model set", "" if cfg.model else "yellow"))
        if cfg.base_url:
            t.append(" · ")
            t.append(plain(cfg.base_url, "dim"))
    if status is not None and status.plain:
        t.append("\n")
        t.append_text(status)
    return t


def overview_text(ov: Overview, pending: int = 0, grader: Text | None = None) -> Text:
    t = Text()
    t.append(plain(ov.bank_title, "bold"))
    t.append(f" · {ov.questions} questions in {len(ov.topics)} topics", "dim")
    t.append("\nPractised ")
    t.append(f"{ov.answered}", "bold")
    t.append(f" of {ov.questions} ({wording.answers_said(ov.attempts, ov.passed)})")
    if ov.avg_score is not None:
        t.append(" · average ")
        t.append(f"{ov.avg_score:.0f}", score_style(ov.avg_score))
    t.append("\nDue for review: ")
    t.append(f"{ov.due if ov.scheduled else 0}", "bold")
    if not ov.scheduled:
        t.append(" (each graded answer schedules its question)", "dim")
    if pending:
        t.append(" · ")
        t.append(f"{pending} answer{'s' if pending != 1 else ''} kept for later: press g to grade "
                 f"{'them' if pending != 1 else 'it'}", "yellow")
    t.append("\nWeakest: ")
    if ov.weakest:
        for i, ts in enumerate(ov.weakest):
            if i:
                t.append(" · ")
            t.append(plain(ts.topic))
            t.append(f" {ts.mastery:.0f}", score_style(ts.mastery))
    elif any(ts.mastery is not None for ts in ov.topics):
        t.append(f"no weak topic (every practised topic is at {WEAK_BELOW:g} or above)", "dim")
    else:
        t.append("answer a few questions to see them", "dim")
    if grader is not None:
        t.append("\n")
        t.append_text(grader)
    return t


def topics_table(ov: Overview) -> Table:
    """One row per topic: questions practised of the topic's questions, the topic's mastery (the figure the
    Weakest line, the review dashboard and `stats` show) and a bar. The topic column takes the width that is
    left (long names end in an ellipsis)."""
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("topic", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("practised", justify="right", no_wrap=True)
    table.add_column("mastery", justify="right", no_wrap=True)
    table.add_column("", width=10, no_wrap=True)
    for ts in ov.topics:
        m = ts.mastery
        table.add_row(plain(ts.topic, "" if ts.answered else "dim"), f"{ts.answered}/{ts.questions}",
                      Text("-" if m is None else f"{m:.0f}", score_style(m)),
                      Text(bar(m / 100) if m is not None else "", score_style(m)))
    return table


class BankOverview(Static):
    def show(self, ov: Overview, pending: int = 0, grader: Text | None = None) -> None:
        self.update(overview_text(ov, pending, grader))


class TopicsTable(Static):
    def show(self, ov: Overview) -> None:
        self.update(topics_table(ov))
