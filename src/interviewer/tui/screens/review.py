"""The review dashboard: what to work on next, and the ways to drill it.

Topics as bars, weakest first, with the definition of "weak" (core.review.WEAK_EXPLANATION) right under them;
the score trend over time (Textual's Sparkline of the daily averages); the key points most often left out; the
questions due for review (FSRS). Actions start a "due" session, a "weakest first" session, or a weakest-first
drill of one topic through the app's own session path (the same as home's), and open the history.

The figures come from reviewing.report (SQL-aggregated tallies and windows, synced schedule), read when the
screen opens and again whenever it comes back to the top (after a drill session, a re-grade, an override).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ...app import reviewing, wording
from ...app.practice import SessionOptions
from ...app.practice_schedule import schedule_is_current, sync_schedule_off_thread
from ...core.selection import Order
from ...core.weak import WEAK_BELOW
from ..keys import SCROLL_BINDINGS, TOP_END_BINDINGS
from ..messages import Navigate, StartSession
from ..text import plain, score_style
from ..widgets.delivery_view import trend_text
from ..widgets.footer import Footer
from ..widgets.once import RenderOnce
from ..widgets.review_panels import TrendSpark, due_text, missed_text, topics_table, trend_caption
from .base import InterviewerModal, InterviewerScreen


def headline(rep: reviewing.ReviewReport) -> Text:
    t = rep.totals
    out = Text()
    out.append(wording.answers_said(t["attempts"], t["passed"], t["graded"]), "bold")
    if rep.average is not None:
        out.append(" · average ")
        out.append(f"{rep.average:.0f}", score_style(rep.average))
    weak = len(rep.weak_topics)
    out.append(" · ")
    out.append(f"{weak} weak topic{'s' if weak != 1 else ''}", "bold red" if weak else "")
    out.append(" · ")
    out.append(f"{len(rep.due)} due", "bold" if rep.due else "")
    return out


class TopicPicker(InterviewerModal[str | None]):
    """Choose a topic to drill (weakest first within it). Topics listed weakest first, with their mastery."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without starting a session.")]

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


class ReviewScreen(InterviewerScreen[None]):
    BINDINGS = [
        Binding("d", "session('due')", "Due session", tooltip="Practise the questions due for review, most "
                "overdue first."),
        Binding("w", "session('weakest')", "Weakest first", tooltip="Practise your weakest questions."),
        Binding("t", "drill", "Drill a topic", tooltip="Choose one topic and practise its questions, weakest "
                "first."),
        Binding("h", "history", "History", tooltip="Every answer you gave, with its feedback."),
        Binding("escape,q", "back", "Back", tooltip="Back to the home screen."),
        *SCROLL_BINDINGS,
        *TOP_END_BINDINGS,
    ]
    HELP = ("Your progress: the score trend (one bar a day, its height the day's average out of 100), the "
            "questions due for review, your topics weakest first (mastery weighs your newest answers most; weak "
            f"is below {WEAK_BELOW:g}), and the key points you keep leaving out.")

    report: reviewing.ReviewReport | None = None
    _shown_once = False

    def compose(self) -> ComposeResult:
        # One Static per panel, built with the figures when they can be read at once (the schedule is current:
        # ~35 ms at 100,000 answers), so the screen is laid out and drawn once, not twice.
        rep = self._read_now()
        parts = self.panels(rep) if rep is not None else {}
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static(parts.get("review-headline", Text("Reading your history…", "dim")), id="review-headline",
                         classes="headline")
            with Horizontal(id="review-top"):
                yield Static(parts.get("trend-panel", ""), id="trend-panel", classes="panel")
                yield Static(parts.get("due-panel", ""), id="due-panel", classes="panel")
            yield Static(parts.get("delivery-panel", ""), id="delivery-panel", classes="panel")
            yield Static(parts.get("topics-panel", ""), id="topics-panel", classes="panel")
            yield Static(parts.get("missed-panel", ""), id="missed-panel", classes="panel")
            yield Static(parts.get("how-it-works", ""), id="how-it-works", classes="hint")
        yield Footer()
        self.report = rep

    def _read_now(self) -> reviewing.ReviewReport | None:
        svc = self.app.services
        try:
            if not schedule_is_current(svc):
                return None  # cards to replay first: in a worker (load), never on the UI thread
            return reviewing.report(svc, now=self.app.clock(), bank_id=svc.bank().id)
        except Exception:  # noqa: BLE001 - load() reads again and says what went wrong
            return None

    def on_mount(self) -> None:
        self.sub_title = "review"
        for pid, title in (("trend-panel", "Score trend"), ("due-panel", "Due for review"),
                           ("topics-panel", "Topics, weakest first"), ("missed-panel", "You often leave out"),
                           ("delivery-panel", "Your delivery (spoken answers)")):
            self.query_one(f"#{pid}").border_title = title
        self.query_one("#delivery-panel").display = bool(self.report and self.report.delivery)
        if self.report is not None:
            self.query_one("#due-panel").border_title = f"Due for review ({len(self.report.due)})"
        self.query_one("#review-body").focus()
        if self.report is None:
            self.load()

    def on_screen_resume(self) -> None:
        """Coming back to the dashboard (after a drill session, a re-grade): read the figures again. Not on
        the first showing, whose figures were just read."""
        if self._shown_once and self.report is not None:
            self.load()
        self._shown_once = True

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
            for wid, renderable in self.panels(rep).items():
                self.query_one(f"#{wid}", Static).update(renderable)
            self.query_one("#due-panel").border_title = f"Due for review ({len(rep.due)})"
            self.query_one("#delivery-panel").display = rep.delivery is not None
        self.report = rep

    def panels(self, rep: reviewing.ReviewReport) -> dict[str, RenderableType]:
        """What each panel shows, by widget id."""
        qs = {q.id: q for q in self.app.services.bank().questions}
        trend = Group(TrendSpark([avg for _d, avg, _n in rep.daily]), trend_caption(rep.daily)) if rep.daily \
            else trend_caption(rep.daily)
        practised = [m for m in rep.topics if m.status != "new"]
        new = len(rep.topics) - len(practised)
        defn = Text(rep.weak_explanation[0].upper() + rep.weak_explanation[1:] + ".", "dim")
        if not practised:
            defn = Text("No graded answers yet: practise a few questions and your topics appear here, "
                        "weakest first. ", "dim") + defn
        elif new:
            defn.append(f" {new} topic{'s' if new != 1 else ''} not practised yet ('new').")
        return {
            "review-headline": headline(rep),
            "trend-panel": RenderOnce(trend),
            "due-panel": RenderOnce(due_text(rep.due, qs, rep.now, cards=rep.cards)),
            "topics-panel": RenderOnce(Group(topics_table(rep.topics), Text(""), defn)),
            "missed-panel": RenderOnce(missed_text(rep.most_missed, qs)),
            "delivery-panel": trend_text(rep.delivery),
            "how-it-works": Text("Spaced repetition: " + rep.rating_explanation + ".", "dim"),
        }

    # ------------------------------------------------------------------ actions

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
        self.dismiss()
