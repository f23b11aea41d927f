"""One attempt from the history, and the comparison of the attempts at one question.

AttemptScreen: the question, when and in which session it was answered, your override (score and reason) if
you disputed the grade, how it compares with your previous attempt at the question, then the full feedback
(widgets.feedback_view, the same view as right after answering). Every grade is kept: the newest is shown,
[ and ] step to the older ones. Re-grade, dispute and delete work here as in the history list.

CompareScreen: the newest attempts at one question side by side: each key point covered (✓), partly (~) or
missed (✗) per attempt, the scores and their changes, and for the chosen attempt the change against the one
before it (core.review.compare_grades through reviewing.AttemptDetail.comparison).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Static

from ...app import reviewing, wording
from ...core.errors import InterviewerError
from ...core.models import AttemptKind, KeyPointStatus
from ...core.review import Comparison
from ..keys import SCROLL_BINDINGS, TOP_END_BINDINGS
from ..text import plain, score_style, shorten
from ..widgets.feedback_view import MARK, FeedbackView, Section
from ..widgets.footer import Footer
from .attempt_actions import AttemptActions, score_cell, when
from .base import InterviewerScreen

COMPARE_MAX = 8
"""How many of the newest attempts the comparison shows side by side."""


class Target(NamedTuple):
    attempt_id: int
    session_id: int | None
    question_id: str
    kind: AttemptKind
    submitted_at: datetime
    parent_id: int | None


def comparison_text(c: Comparison | None, previous: reviewing.AttemptDetail | None, texts: dict[str, str],
                    current: reviewing.AttemptDetail | None = None) -> Text:
    if current is not None and current.score is None:
        return Text(f"This attempt has no score ({wording.state(current.attempt.kind, current.attempt.status)}), "
                    "so there is nothing to compare.", "dim")
    if c is None or previous is None:
        return Text("No earlier graded attempt at this question to compare with.", "dim")
    t = Text()
    style = "green" if c.score_change > 0 else ("red" if c.score_change < 0 else "")
    t.append(f"{c.score_change:+.0f} points", f"bold {style}".strip())
    t.append(f" against #{previous.attempt.id} of {when(previous.attempt.submitted_at)}"
             f" ({previous.score:.0f} then)" if previous.score is not None else "", "dim")
    for label, ids, st in (("Newly covered", c.newly_covered, "green"), ("Still missed", c.still_missed, "yellow"),
                           ("Newly missed", c.newly_missed, "red")):
        if ids:
            t.append(f"\n{label}: ", st)
            t.append(plain("; ".join(texts.get(k, k) for k in ids)))
    if not (c.newly_covered or c.still_missed or c.newly_missed):
        t.append("\nThe same key points as last time.", "dim")
    return t


class AttemptScreen(AttemptActions):
    BINDINGS = [
        Binding("left_square_bracket", "grade(1)", "Older grade", key_display="[",
                tooltip="Show the older grade of this answer (every grade is kept)."),
        Binding("right_square_bracket", "grade(-1)", "Newer grade", key_display="]",
                tooltip="Show the newer grade."),
        Binding("r", "regrade", "Re-grade", tooltip="Grade this answer again, with another grader, model or "
                "rubric if you like; every grade is kept."),
        Binding("e", "override", "Dispute", tooltip="Set your own score with a reason; it counts instead of the "
                "grader's for mastery and the schedule."),
        Binding("c", "compare", "Compare", tooltip="Your attempts at this question side by side."),
        Binding("x", "delete", "Delete", tooltip="Delete this answer with its grades (asks first)."),
        Binding("escape", "back", "Back", tooltip="Back to the list."),
        *SCROLL_BINDINGS,
        *TOP_END_BINDINGS,
    ]
    HELP = ("One answer from your history: when and where it was given, your own score if you disputed the "
            "grade, how it compares with your previous attempt at the question, then its full feedback. Every "
            "grade is kept: [ and ] step through them.")

    def __init__(self, attempt_id: int) -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.index = 0
        """Which grade is shown: 0 = the newest."""
        self.detail: reviewing.AttemptDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="attempt-body"):
            yield Static(id="attempt-meta", classes="headline")
            yield Static(id="attempt-grades")
            yield Section("Your score", Text(""), id="attempt-override")
            yield Section("Compared with your previous attempt", Text(""), id="attempt-compare")
            yield Vertical(id="attempt-feedback")
        with Horizontal(classes="actions"):
            yield Button("Older grade", id="older", compact=True)
            yield Button("Re-grade", id="regrade", compact=True)
            yield Button("Dispute", id="override", compact=True)
            yield Button("Compare", id="compare", compact=True)
            yield Button("Delete", id="delete", variant="error", compact=True)
            yield Button("Back", id="back", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#attempt-body").focus()

    def reload(self) -> None:
        try:
            self.detail = reviewing.attempt_detail(self.app.services, self.attempt_id)
        except InterviewerError:  # deleted meanwhile
            self.detail = None
            return
        self.index = 0
        self.render_detail()

    def render_detail(self) -> None:
        d = self.detail
        if d is None:
            return
        a, q = d.attempt, d.question
        self.sub_title = f"answer #{a.id}"
        meta = Text()
        meta.append(plain(q.question if q else a.prompt, "bold"))
        if a.parent_id:
            meta.append(f"\nFollow-up to answer #{a.parent_id}: ", "dim")
            meta.append(plain(wording.tidy(a.prompt), "italic"))
        meta.append(f"\n#{a.id} · {when(a.submitted_at)}", "dim")
        if a.session_id:
            meta.append(f" · session {a.session_id}", "dim")
        if q:
            meta.append(plain(f" · {q.topic} · {q.difficulty.value}", "dim"))
        meta.append(" · score ")
        meta.append_text(score_cell(d))
        self.query_one("#attempt-meta", Static).update(meta)

        grades = self.query_one("#attempt-grades", Static)
        n = len(d.grades)
        if n > 1:
            g = d.grades[self.index]
            t = Text()
            t.append(f"Grade {n - self.index} of {n}", "bold")
            t.append(" (newest)" if self.index == 0 else " (older)", "green" if self.index == 0 else "yellow")
            t.append(plain(f" · {g.grade.grader.backend}" + (f":{g.grade.grader.model}" if g.grade.grader.model
                                                              else "") + f" · {when(g.created_at)}", "dim"))
            t.append(" · [ older, ] newer", "dim")
            grades.update(t)
        else:
            grades.update("")
        grades.display = n > 1
        self.query_one("#older", Button).display = n > 1

        ov = self.query_one("#attempt-override", Section)
        ov.display = bool(d.overrides)
        if d.overrides:
            o = d.overrides[0]
            t = Text()
            t.append(f" {o.score:.0f} ", score_style(o.score) + " reverse")
            model = d.grade.grade.score if d.grade else None
            t.append("  your own score: it counts instead of the grade for mastery and the review schedule" +
                     (f" (the grader gave {model:.0f})" if model is not None else ""))
            t.append("\nWhy: ", "dim")
            t.append(plain(o.reason))
            ov.query_one(".section-body", Static).update(t)

        cmp_ = self.query_one("#attempt-compare", Section)
        cmp_.display = a.parent_id is None and a.kind is AttemptKind.answer
        texts = {kp.id: kp.text for kp in q.key_points} if q else {}
        cmp_.query_one(".section-body", Static).update(comparison_text(d.comparison(), d.previous, texts, d))

        box = self.query_one("#attempt-feedback", Vertical)
        box.remove_children()
        if q is None:
            box.mount(Static(plain(f"The question {a.question_id} is no longer in any installed bank.", "yellow")),
                      Section("Your answer", plain(a.answer)))
            return
        sg = d.grades[self.index] if d.grades else None
        rubric = None
        if sg is not None and sg.grade.grader.rubric_id in self.app.services.rubrics:
            rubric = self.app.services.rubrics[sg.grade.grader.rubric_id]
        else:
            rubric = self.app.services.rubric_for(q)
        box.mount(FeedbackView(q, a, sg.grade if sg else None, rubric, error=a.error, follow_up_allowed=False,
                               delivery=d.delivery))

    def target(self) -> Target | None:
        a = self.detail.attempt if self.detail else None
        if a is None:
            return None
        return Target(a.id, a.session_id, a.question_id, a.kind, a.submitted_at, a.parent_id)

    def deleted(self, attempt_id: int | None, session_id: int | None = None) -> None:
        if self.app.screen is self:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "grade":
            return bool(self.detail and len(self.detail.grades) > 1)
        return True

    def action_grade(self, step: int) -> None:
        d = self.detail
        if not d or len(d.grades) < 2:
            return
        new = self.index + int(step)
        if not 0 <= new < len(d.grades):
            self.notify("That is the oldest grade." if new > 0 else "That is the newest grade.")
            return
        self.index = new
        self.render_detail()

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#attempt-body", VerticalScroll), f"scroll_{how}")()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid == "older":
            d = self.detail
            self.index = (self.index + 1) % len(d.grades) if d and d.grades else 0
            self.render_detail()
            return
        await self.run_action(bid)

    def action_back(self) -> None:
        self.dismiss()


class CompareScreen(InterviewerScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the answer."),
        Binding("j,down", "scroll('down')", "Scroll", show=False),
        Binding("k,up", "scroll('up')", "Scroll", show=False),
    ]
    HELP = ("Your newest attempts at one question side by side: each key point covered (✓), partly (~) or "
            "missed (✗) in each attempt, the scores (* your own) and how they changed.")

    def __init__(self, question_id: str, attempt_id: int) -> None:
        super().__init__()
        self.question_id, self.attempt_id = question_id, attempt_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="compare-body"):
            yield Static(id="compare-head", classes="headline")
            yield Section("This attempt against the one before", Text(""), id="compare-pair")
            yield Section("Key points across your attempts", Text(""), id="compare-grid")
        with Horizontal(classes="actions"):
            yield Button("Back", id="back", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "compare"
        self.reload()
        self.query_one("#compare-body").focus()

    def reload(self) -> None:
        svc = self.app.services
        rows = [r for r in reviewing.history_rows(svc, limit=None, question_id=self.question_id)
                if r.parent_id is None]
        q = reviewing.question_index(svc).get(self.question_id)
        head = plain(q.question if q else self.question_id, "bold")
        head.append(f"\n{len(rows)} attempt{'s' if len(rows) != 1 else ''} at this question", "dim")
        if len(rows) > COMPARE_MAX:
            head.append(f"; the newest {COMPARE_MAX} are shown", "dim")
        self.query_one("#compare-head", Static).update(head)
        texts = {kp.id: kp.text for kp in q.key_points} if q else {}
        focus = next((r for r in rows if r.attempt_id == self.attempt_id), rows[0] if rows else None)
        pair = self.query_one("#compare-pair", Section)
        if focus is not None:
            d = reviewing.attempt_detail(svc, focus.attempt_id)
            body = Text()
            body.append(f"#{focus.attempt_id} of {when(focus.submitted_at)}: ", "dim")
            body.append_text(comparison_text(d.comparison(), d.previous, texts, d))
            pair.query_one(".section-body", Static).update(body)
        details = [reviewing.attempt_detail(svc, r.attempt_id, with_previous=False)
                   for r in reversed(rows[:COMPARE_MAX])]
        self.query_one("#compare-grid", Section).query_one(".section-body", Static).update(
            self.grid(details, q))

    def grid(self, details: list[reviewing.AttemptDetail], q) -> Table | Text:
        if not details:
            return Text("No attempts at this question.", "dim")
        t = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        t.add_column("key point", ratio=1, overflow="fold")
        for d in details:
            dt = d.attempt.submitted_at.astimezone()
            head = f"#{d.attempt.id}\n{dt:%b} {dt.day}"
            t.add_column(Text(head, "bold reverse" if d.attempt.id == self.attempt_id else "bold"),
                         justify="center", no_wrap=True)
        ids = [kp.id for kp in q.key_points] if q else sorted(
            {k.key_point_id for d in details if d.grade for k in d.grade.grade.key_points})
        texts = {kp.id: kp.text for kp in q.key_points} if q else {}
        for kid in ids:
            cells = []
            for d in details:
                res = next((k for k in d.grade.grade.key_points if k.key_point_id == kid), None) if d.grade else None
                if res is None:
                    cells.append(Text("·", "dim"))
                else:
                    mark, style = MARK[res.status]
                    cells.append(Text(mark, f"bold {style}" if res.status is not KeyPointStatus.partial else style))
            t.add_row(plain(shorten(texts.get(kid, kid), 200)), *cells)
        t.add_row(Text("score", "bold"), *[score_cell(d) for d in details])
        changes, prev = [], None
        for d in details:
            s = d.score
            if s is None or prev is None:
                changes.append(Text("", "dim"))
            else:
                ch = s - prev
                changes.append(Text(f"{ch:+.0f}", "green" if ch > 0 else ("red" if ch < 0 else "dim")))
            prev = s if s is not None else prev
        t.add_row(Text("change", "dim"), *changes)
        return t

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#compare-body", VerticalScroll), f"scroll_{how}")()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def action_back(self) -> None:
        self.dismiss()
