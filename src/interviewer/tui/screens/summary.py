"""The session summary: every question with its score and time, per-topic averages, the weakest key points,
and what to practise next. Enter on a row opens that answer's full feedback (in mock-interview mode this is
where the held-back feedback is read).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Static

from ...app.practice import Practice, SessionSummary
from ...core.scoring import verdict_for
from ..text import bar, clock, plain, score_style, shorten
from ..widgets.feedback_view import Section
from ..widgets.footer import Footer
from .feedback import ReviewFeedbackScreen

KIND_LABEL = {"skipped": "skipped", "dont_know": "didn't know", "unanswered": "not reached"}


def headline(s: SessionSummary) -> Text:
    t = Text("Session complete", "bold")
    t.append(f" · {s.answered} answered")
    if s.avg_score is not None:
        t.append(" · average ")
        t.append(f"{s.avg_score:.0f}", score_style(s.avg_score))
        t.append(f" ({verdict_for(s.avg_score)})")
    t.append(f" · {clock(s.total_seconds)} answering")
    return t


def topics_text(s: SessionSummary) -> Text:
    t = Text()
    if not s.topic_averages:
        return Text("No graded answers in this session.", "dim")
    width = max(len(topic) for topic, _, _ in s.topic_averages)
    for i, (topic, avg, n) in enumerate(s.topic_averages):
        if i:
            t.append("\n")
        t.append(plain(topic.ljust(min(width, 34))[:34]))
        t.append(f" {avg:5.0f} ", score_style(avg))
        t.append(bar(avg / 100, 12), score_style(avg))
        t.append(f"  {n} answer{'s' if n != 1 else ''}", "dim")
    return t


def key_points_text(s: SessionSummary) -> Text | Table:
    if not s.weakest_key_points:
        return Text("Nothing missed in the graded answers.", "dim")
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    for q, text, status in s.weakest_key_points:
        g.add_row(Text("✗" if status == "missing" else "~", "red" if status == "missing" else "yellow"),
                  plain(text).append(plain(f"  ({shorten(q.question, 40)})", "dim")))
    return g


def steps_text(s: SessionSummary) -> Table:
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    for step in s.next_steps:
        g.add_row(Text("→", "bold"), plain(step))
    return g


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,h", "home", "Home"),
        Binding("o", "open", "Open feedback"),
    ]

    def __init__(self, summary: SessionSummary, practice: Practice) -> None:
        super().__init__()
        self.summary = summary
        self.practice = practice

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Static(headline(s), id="summary-headline", classes="headline")
            yield DataTable(id="summary-table", cursor_type="row", zebra_stripes=True)
            yield Section("Topics, weakest first", topics_text(s), id="summary-topics")
            yield Section("Weakest key points", key_points_text(s), id="summary-kps")
            yield Section("What to practise next", steps_text(s), id="summary-next")
        with Horizontal(classes="actions"):
            yield Button("Open feedback", id="open", compact=True)
            yield Button("Home", id="home", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "summary"
        table = self.query_one(DataTable)
        table.add_column("#", key="n")
        table.add_column("question", key="q")
        table.add_column("score", key="score")
        table.add_column("verdict", key="verdict")
        table.add_column("time", key="time")
        table.add_column("f/u", key="fu")
        for i, r in enumerate(self.summary.rows):
            score = Text("-" if r.score is None else f"{r.score:.0f}", score_style(r.score))
            verdict = plain(r.verdict) if r.verdict else Text(KIND_LABEL.get(r.kind, r.status), "dim")
            fu = " ".join("-" if f is None else f"{f:.0f}" for f in r.follow_up_scores)
            table.add_row(str(i + 1), plain(shorten(r.question.question, 30)), score, verdict,
                          clock(r.duration_s), fu, key=str(i))
        table.focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_row(int(event.row_key.value or 0))

    def action_open(self) -> None:
        self.open_row(self.query_one(DataTable).cursor_row)

    def open_row(self, i: int) -> None:
        if not 0 <= i < len(self.practice.items):
            return
        item = self.practice.items[i]
        if item.answer is None:
            self.notify("This question was not reached.")
            return
        self.app.push_screen(ReviewFeedbackScreen(item.question, item.answer,
                                                  self.practice.rubric_for(item.question), position=f"{i + 1}"))

    def action_home(self) -> None:
        self.dismiss(None)
