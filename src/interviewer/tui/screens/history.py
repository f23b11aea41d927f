"""The history: every attempt, newest first, with date, session, question, score and grader.

Enter opens an attempt (its answer and full feedback, every grade one key apart: screens/attempt.py); c
compares the attempts at the same question; r re-grades the attempt (u: every ungraded answer, S: its whole
session) with another backend, model or rubric, in a worker that never blocks the screen (esc stops it); e
disputes the grade with your own score and a reason; x deletes the attempt, X its whole session, each after a
confirmation. All of it goes through app/reviewing.py, the same service the CLI uses.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Static

from ...app import reviewing
from ...store.history import HistoryRow
from ..messages import ShowAttempt
from ..text import plain
from ..widgets.footer import Footer
from .attempt_actions import AttemptActions, score_cell, when

PAGE = 200


class HistoryScreen(AttemptActions, Screen[None]):
    BINDINGS = [
        Binding("o", "open", "Open"),
        Binding("c", "compare", "Compare"),
        Binding("r", "regrade", "Re-grade"),
        Binding("e", "override", "Dispute"),
        Binding("x,delete", "delete", "Delete"),
        Binding("u", "regrade_ungraded", "Re-grade ungraded", show=False),
        Binding("S", "regrade_session", "Re-grade session", show=False),
        Binding("X", "delete_session", "Delete session", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HistoryRow] = []
        self.more = False
        self.narrow = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-status", classes="hint")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="actions"):
            yield Button("Open", id="open", variant="primary", compact=True)
            yield Button("Compare", id="compare", compact=True)
            yield Button("Re-grade", id="regrade", compact=True)
            yield Button("Dispute", id="override", compact=True)
            yield Button("Delete", id="delete", variant="error", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "history"
        self.show_status(self.default_hint())
        self.reload()
        self.query_one(DataTable).focus()

    def default_hint(self) -> Text:
        return Text("enter open · u re-grade all ungraded · S re-grade session · X delete session", "dim")

    def show_status(self, text: Text | str) -> None:
        self.query_one("#history-status", Static).update(text)

    def reload(self) -> None:
        """Re-read the rows shown so far (at least a page), keeping the cursor on the same attempt if it is
        still there."""
        table = self.query_one(DataTable)
        keep = self.target()
        want = max(PAGE, len(self.rows))
        self.rows = reviewing.history_rows(self.app.services, limit=want + 1)
        self.more = len(self.rows) > want
        self.rows = self.rows[:want]
        self.questions = reviewing.question_index(self.app.services)
        table.clear(columns=True)
        self.narrow = self.app.size.width < 100
        widths = {"id": 5, "when": 12 if self.narrow else 16, "sess": 4, "score": 8 if self.narrow else 11,
                  "grader": 13 if self.narrow else 18}
        widths["q"] = max(16, self.app.size.width - sum(widths.values()) - 2 * 6 - 2)
        for label, key in (("#", "id"), ("when", "when"), ("sess", "sess"), ("question", "q"), ("score", "score"),
                           ("grader", "grader")):
            table.add_column(label, key=key, width=widths[key])
        for r in self.rows:
            self._add_row(table, r)
        if not self.rows:
            self.show_status(Text("No answers yet: practise a few questions first (p on the home screen).", "dim"))
        if keep is not None:
            idx = next((i for i, r in enumerate(self.rows) if r.attempt_id == keep.attempt_id), None)
            if idx is not None:
                table.move_cursor(row=idx)

    def _add_row(self, table: DataTable, r: HistoryRow) -> None:
        q = self.questions.get(r.question_id)
        title = f"↳ follow-up to #{r.parent_id}" if r.parent_id else (q.question if q else r.question_id)
        grader = r.grader + (f" +{r.n_grades - 1}" if r.n_grades > 1 else "")
        table.add_row(str(r.attempt_id), when(r.submitted_at, short=self.narrow), str(r.session_id or ""),
                      plain(title), score_cell(r, short=self.narrow), plain(grader, "dim"), key=str(r.attempt_id))

    def load_more(self) -> None:
        extra = reviewing.history_rows(self.app.services, limit=PAGE + 1, offset=len(self.rows))
        self.more = len(extra) > PAGE
        table = self.query_one(DataTable)
        for r in extra[:PAGE]:
            self.rows.append(r)
            self._add_row(table, r)

    def target(self) -> HistoryRow | None:
        if not self.rows:
            return None
        i = self.query_one(DataTable).cursor_row
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.more and event.cursor_row >= len(self.rows) - 1:
            self.load_more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def action_open(self) -> None:
        r = self.target()
        if r is None:
            return
        self.post_message(ShowAttempt(r.attempt_id))

    def action_back(self) -> None:
        running = [w for w in self.app.workers if w.group == "regrade" and w.is_running]
        if running:
            for w in running:
                w.cancel()
            return
        self.app.pop_screen()
