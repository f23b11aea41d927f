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
from textual.widgets import Button, DataTable, Header, Static

from ...app import wording
from ...app.practice import Practice, SessionSummary
from ...app.practice_summary import KEY_POINT_NOTE
from ..text import bar, clock, plain, score_style, shorten
from ..widgets.feedback_view import Section
from ..widgets.footer import Footer
from .base import InterviewerScreen
from .feedback import ReviewFeedbackScreen

COLUMNS = (("#", "n", 3), ("question", "q", 0), ("score", "score", 5), ("verdict", "verdict", 12),
           ("time", "time", 5), ("follow-up", "fu", 9))
"""(label, key, width): the question column takes what the others leave."""


def headline(s: SessionSummary) -> Text:
    t = Text()
    t.append("Session complete", "bold")
    t.append(f" · {s.answered} answered")
    if s.avg_score is not None:
        t.append(" · average ")
        t.append(f"{s.avg_score:.0f}", score_style(s.avg_score))
    t.append(f" · {clock(s.answering_seconds)} answering")
    if clock(s.total_seconds) != clock(s.answering_seconds):  # skipped questions took time too: the rows add up to it
        t.append(f" ({clock(s.total_seconds)} in all)", "dim")
    return t


def topics_text(s: SessionSummary) -> Table | Text:
    if not s.topic_averages:
        return Text("No graded answers in this session.", "dim")
    g = Table.grid(padding=(0, 1))
    g.add_column(no_wrap=True, overflow="ellipsis", max_width=40)
    g.add_column(justify="right", no_wrap=True)
    g.add_column(no_wrap=True)
    g.add_column(no_wrap=True)
    for topic, avg, n in s.topic_averages:
        g.add_row(plain(topic), Text(f"{avg:.0f}", score_style(avg)), Text(bar(avg / 100, 12), score_style(avg)),
                  Text(f"{n} answer{'s' if n != 1 else ''}", "dim"))
    return g


def key_points_text(s: SessionSummary) -> Text | Table:
    """The key points left out or said the other way round, under the question they belong to (each question named
    once)."""
    if not s.weakest_key_points:
        return Text("Nothing missed in the graded answers.", "dim")
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    shown: list = []
    for q, _text, _status in s.weakest_key_points:
        if q.id not in [x.id for x in shown]:
            shown.append(q)
    for q in shown:
        g.add_row(Text(""), plain(q.question, "dim italic"))
        for q2, text, status in s.weakest_key_points:
            if q2.id == q.id:
                missed = status != "partial"
                g.add_row(Text("✗" if missed else "~", "red" if missed else "yellow"),
                          plain(text).append(KEY_POINT_NOTE.get(status, ""), "red" if missed else "yellow"))
    return g


def steps_text(s: SessionSummary) -> Table:
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    for step in s.next_steps:
        g.add_row(Text("→", "bold"), plain(step))
    return g


class SummaryScreen(InterviewerScreen[None]):
    BINDINGS = [
        Binding("escape,h", "home", "Home", tooltip="Back to the home screen. Every answer is saved."),
        Binding("o", "open", "Open feedback", tooltip="Open the highlighted answer's full feedback (Enter too)."),
        Binding("pagedown,space", "scroll('page_down')", "Scroll", show=False, priority=True),
        Binding("pageup", "scroll('page_up')", "Scroll", show=False, priority=True),
        Binding("end", "scroll('end')", "End", show=False, priority=True),
        Binding("home", "scroll('home')", "Top", show=False, priority=True),
    ]
    HELP = ("The end of a session: every question with its score and time (↑ ↓ choose a row, Enter opens its "
            "feedback; in a mock interview this is where the feedback is read), your topics, the key points you "
            "left out or got wrong and what to practise next. Page Down / Space scroll.")

    def __init__(self, summary: SessionSummary, practice: Practice) -> None:
        super().__init__()
        self.summary = summary
        self.practice = practice
        self._q_width = 0

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Static(headline(s), id="summary-headline", classes="headline")
            yield DataTable(id="summary-table", cursor_type="row", zebra_stripes=True)
            yield Section("Topics, weakest first", topics_text(s), id="summary-topics")
            yield Section("Key points you left out or got wrong", key_points_text(s), id="summary-kps")
            yield Section("What to practise next", steps_text(s), id="summary-next")
        with Horizontal(classes="actions"):
            yield Button("Open feedback", id="open", compact=True)
            yield Button("Home", id="home", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "summary"
        self.fill_table()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.question_width() != self._q_width:
            self.fill_table()

    def question_width(self) -> int:
        """What the question column gets: the width left by the other columns (each with a cell's padding)."""
        others = sum(w + 2 for _label, key, w in COLUMNS if key != "q")
        return max(20, self.size.width - others - 2 - 2 - 2 - 4)  # body padding, scrollbars, its own padding, slack

    def fill_table(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        self._q_width = width = self.question_width()
        for label, key, w in COLUMNS:
            table.add_column(label, key=key, width=w or width)
        for i, r in enumerate(self.summary.rows):
            score = Text("–" if r.score is None else f"{r.score:.0f}", score_style(r.score))
            verdict = plain(r.verdict) if r.verdict else Text(wording.state(r.kind, r.status), "dim")
            fu = " ".join("–" if f is None else f"{f:.0f}" for f in r.follow_up_scores)
            table.add_row(str(i + 1), plain(shorten(r.question.question, width)), score, verdict,
                          clock(r.duration_s) if r.duration_s is not None else "–", fu, key=str(i))
        if row:
            table.move_cursor(row=row)

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#summary-body", VerticalScroll), f"scroll_{how}")()

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
