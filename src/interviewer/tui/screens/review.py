"""The review dashboard: what to work on next, and the ways to drill it.

Topics as bars, weakest first, with the definition of "weak" (core.review.WEAK_EXPLANATION) right under them;
the score trend over time (Textual's Sparkline of the daily averages); the key points most often left out; the
questions due for review (FSRS). Actions start a "due" session, a "weakest first" session, or a weakest-first
drill of one topic through the app's own session path (the same as home's), and open the history.

The figures come from reviewing.report (SQL-aggregated tallies and windows, synced schedule), read when the
screen opens and again whenever it comes back to the top (after a drill session, a re-grade, an override).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...app import reviewing
from ...app.practice import SessionOptions
from ...app.practice_schedule import schedule_is_current, sync_schedule_off_thread
from ...core.scoring import verdict_for
from ...core.selection import Order
from ..keys import SCROLL_BINDINGS, TOP_END_BINDINGS
from ..messages import Navigate, StartSession
from ..text import plain, score_style
from ..widgets.footer import Footer
from ..widgets.review_panels import ScoreTrend, due_text, missed_text, topics_table, trend_caption


def headline(rep: reviewing.ReviewReport) -> Text:
    t = rep.totals
    out = Text()
    out.append(f"{t['attempts']} answer{'s' if t['attempts'] != 1 else ''}", "bold")
    out.append(f", {t['graded']} graded")
    if rep.average is not None:
        out.append(" · average ")
        out.append(f"{rep.average:.0f}", score_style(rep.average))
        out.append(f" ({verdict_for(rep.average)})")
    weak = len(rep.weak_topics)
    out.append(" · ")
    out.append(f"{weak} weak topic{'s' if weak != 1 else ''}", "bold red" if weak else "")
    out.append(" · ")
    out.append(f"{len(rep.due)} due", "bold" if rep.due else "")
    return out


class TopicPicker(ModalScreen[str | None]):
    """Choose a topic to drill (weakest first within it). Topics listed weakest first, with their mastery."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, topics) -> None:
        super().__init__()
        self.topics = topics

    def compose(self) -> ComposeResult:
        options = []
        for m in self.topics:
            label = plain(m.key)
            label.append(f"  {m.mastery:.0f}" if m.mastery is not None else "  new",
                         score_style(m.mastery) if m.mastery is not None else "dim")
            if m.weak:
                label.append("  weak", "red")
            options.append(Option(label, id=m.key))
        with Vertical(id="topic-picker", classes="dialog"):
            yield Static("Drill one topic: its questions, weakest first.", classes="hint")
            yield OptionList(*options, id="topic-options")

    def on_mount(self) -> None:
        self.query_one("#topic-picker").border_title = "Drill a topic"
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("d", "session('due')", "Due session"),
        Binding("w", "session('weakest')", "Weakest first"),
        Binding("t", "drill", "Drill a topic"),
        Binding("h", "history", "History"),
        Binding("escape,q", "back", "Back"),
        *SCROLL_BINDINGS,
        *TOP_END_BINDINGS,
    ]

    report: reviewing.ReviewReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static(Text("Reading your history…", "dim"), id="review-headline", classes="headline")
            with Horizontal(id="review-top"):
                with Vertical(id="trend-panel", classes="panel"):
                    yield ScoreTrend(id="trend")
                    yield Static(id="trend-caption")
                with Vertical(id="due-panel", classes="panel"):
                    yield Static(id="due-list")
            with Vertical(id="topics-panel", classes="panel"):
                yield Static(id="review-topics")
                yield Static(id="weak-definition", classes="hint")
            with Vertical(id="missed-panel", classes="panel"):
                yield Static(id="missed")
            yield Static(id="how-it-works", classes="hint")
        with Horizontal(classes="actions"):
            yield Button("Due session", id="due", variant="primary", compact=True)
            yield Button("Weakest first", id="weakest", compact=True)
            yield Button("Drill a topic", id="drill", compact=True)
            yield Button("History", id="history", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "review"
        for pid, title in (("trend-panel", "Score trend"), ("due-panel", "Due for review"),
                           ("topics-panel", "Topics, weakest first"), ("missed-panel", "You often leave out")):
            self.query_one(f"#{pid}").border_title = title
        self.query_one("#review-body").focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.report is not None:
            self.load()

    # ------------------------------------------------------------------ figures

    @work(exclusive=True, group="review-load", exit_on_error=False)
    async def load(self) -> None:
        """Read the report. When FSRS cards must be replayed first (answers graded elsewhere, an import), the
        replay runs in a thread on a connection of its own (practice.sync_schedule_off_thread)."""
        svc = self.app.services
        if not schedule_is_current(svc):
            await sync_schedule_off_thread(svc, self.app.clock())
        try:
            rep = reviewing.report(svc, now=self.app.clock(), bank_id=svc.bank().id)
        except Exception as e:  # the dashboard must say what went wrong, not take the app down
            msg = getattr(e, "message", None) or f"{type(e).__name__}: {e}"
            self.query_one("#review-headline", Static).update(plain(f"Could not read your history: {msg}",
                                                                    "red"))
            return
        self.show(rep)

    def show(self, rep: reviewing.ReviewReport) -> None:
        with self.app.batch_update():
            self._show(rep)
        self.report = rep

    def _show(self, rep: reviewing.ReviewReport) -> None:
        qs = {q.id: q for q in self.app.services.bank().questions}
        self.query_one("#review-headline", Static).update(headline(rep))
        trend = self.query_one(ScoreTrend)
        trend.data = [avg for _d, avg, _n in rep.daily]
        trend.display = bool(rep.daily)
        self.query_one("#trend-caption", Static).update(trend_caption(rep.daily))
        self.query_one("#due-panel").border_title = f"Due for review ({len(rep.due)})"
        self.query_one("#due-list", Static).update(due_text(rep.due, qs, rep.now, cards=rep.cards))
        practised = [m for m in rep.topics if m.status != "new"]
        new = len(rep.topics) - len(practised)
        self.query_one("#review-topics", Static).update(topics_table(rep.topics))
        defn = Text(rep.weak_explanation[0].upper() + rep.weak_explanation[1:] + ".")
        if not practised:
            defn = Text("No graded answers yet: practise a few questions and your topics appear here, "
                        "weakest first. ") + defn
        elif new:
            defn.append(f" {new} topic{'s' if new != 1 else ''} not practised yet ('new').")
        self.query_one("#weak-definition", Static).update(defn)
        self.query_one("#missed", Static).update(missed_text(rep.most_missed, qs))
        self.query_one("#how-it-works", Static).update(
            Text("Spaced repetition: " + rep.rating_explanation + ".", "dim"))

    # ------------------------------------------------------------------ actions

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        await self.run_action({"due": "session('due')", "weakest": "session('weakest')"}.get(bid, bid))

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#review-body", VerticalScroll), f"scroll_{how}")()

    def action_session(self, order: str) -> None:
        """A due or weakest-first session, through the same path as home's."""
        self.post_message(StartSession(Order(order)))

    def action_drill(self) -> None:
        if self.report is None:
            return
        topics = [m for m in self.report.topics if m.questions_total]

        def chosen(topic: str | None) -> None:
            if not topic:
                return
            p = self.app.services.config.practice
            self.post_message(StartSession(options=SessionOptions(
                count=p.questions, order=Order.weakest, topics=[topic], timer_s=p.timer, seed=self.app.seed)))

        self.app.push_screen(TopicPicker(topics), chosen)

    def action_history(self) -> None:
        self.post_message(Navigate("history"))

    def action_back(self) -> None:
        self.app.pop_screen()
