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
from textual.widgets import Button, DataTable, Header, Static

from ...app import reviewing
from ...store.history import HistoryRow
from ..messages import RegradeStatus, ShowAttempt
from ..text import plain, shorten
from ..widgets.footer import Footer
from .attempt_actions import AttemptActions, score_cell, when

PAGE = 200


class HistoryScreen(AttemptActions):
    BINDINGS = [
        Binding("o", "open", "Open", tooltip="Open the highlighted answer with its full feedback (Enter too)."),
        Binding("c", "compare", "Compare", tooltip="Your attempts at the same question side by side: key points "
                "covered, scores and what changed."),
        Binding("r", "regrade", "Re-grade", tooltip="Grade this answer again, with another grader, model or "
                "rubric if you like; every grade is kept."),
        Binding("e", "override", "Dispute", tooltip="Set your own score with a reason; it counts instead of the "
                "grader's for mastery and the schedule."),
        Binding("x,delete", "delete", "Delete", tooltip="Delete this answer with its grades (asks first)."),
        Binding("u", "regrade_ungraded", "Grade ungraded", show=False,
                tooltip="Grade every answer saved without a grade."),
        Binding("S", "regrade_session", "Re-grade session", show=False,
                tooltip="Re-grade every answer of the highlighted answer's session."),
        Binding("X", "delete_session", "Delete session", show=False,
                tooltip="Delete the highlighted answer's whole session (asks first)."),
        Binding("escape", "back", "Back", tooltip="Back (while a re-grade runs: stop it; answers not re-graded "
                "yet stay as they were)."),
    ]
    HELP = ("Every answer you gave, newest first: when, the question, the score that counts (* marks your own "
            "score) and who graded it. ↑ ↓ choose an answer.")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HistoryRow] = []
        self.more = False
        self.narrow = False
        self.widths: dict[str, int] = {}

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
        self.reload()
        self.show_status(self.default_hint())
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.rows and self.column_widths() != self.widths:
            self.reload()

    def default_hint(self) -> Text:
        t = Text("Enter open · u grade all ungraded · S re-grade session · X delete session", "dim")
        if any(r.override_score is not None for r in self.rows) and self.app.size.width >= 110:
            t.append(" · * your own score", "dim")
        return t

    def show_status(self, text: Text | str) -> None:
        self.query_one("#history-status", Static).update(text)

    def on_regrade_status(self, message: RegradeStatus) -> None:
        self.show_status(message.text)

    def column_widths(self) -> dict[str, int]:
        """Each column's width for this terminal: below 100 columns the date is short and the session and grader
        are left to the answer's own screen; the question takes what is left (cut with an ellipsis)."""
        width = self.app.size.width
        self.narrow = width < 100
        if self.narrow:
            widths = {"id": 5, "when": 12, "score": 12}
        else:
            graders = [r.grader + (f" +{r.n_grades - 1}" if r.n_grades > 1 else "") for r in self.rows]
            widths = {"id": 5, "when": 16, "sess": 7, "score": 12,
                      "grader": max(6, min(20, max(map(len, graders), default=6)))}
        # what is left, less each cell's padding (1 each side), the scrollbar (2) and a cell of slack
        widths["q"] = max(16, width - sum(widths.values()) - 2 * (len(widths) + 1) - 4)
        return widths

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
        self.widths = widths = self.column_widths()
        columns = [("#", "id"), ("when", "when")] + ([] if self.narrow else [("session", "sess")]) + [
            ("question", "q"), ("score", "score")] + ([] if self.narrow else [("grader", "grader")])
        for label, key in columns:
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
        cells: list[str | Text] = [str(r.attempt_id), when(r.submitted_at, short=self.narrow)]
        if not self.narrow:
            cells.append(str(r.session_id or ""))
        cells += [plain(shorten(title, self.widths["q"])), score_cell(r)]
        if not self.narrow:
            grader = r.grader + (f" +{r.n_grades - 1}" if r.n_grades > 1 else "")
            cells.append(plain(shorten(grader, self.widths["grader"]), "dim"))
        table.add_row(*cells, key=str(r.attempt_id))

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
        self.dismiss()
