"""Session setup: bank, topics, number of questions, order, difficulty, timer, mock-interview mode, grader.

Dismisses with a SessionOptions (or None when cancelled). Nothing is stored until the session starts.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...app.practice import SessionOptions
from ...backends.registry import known_backends
from ...core.selection import ORDER_LABELS, Order
from ..widgets.footer import Footer
from .base import InterviewerScreen

TIMERS = [(0, "Off"), (60, "1 min"), (90, "1 min 30 s"), (120, "2 min"), (180, "3 min"), (300, "5 min")]
BACKENDS = known_backends()
"""The graders a person can choose (backends.registry, the one list)."""
DIFFICULTIES = [("", "Any"), ("basic", "Basic"), ("intermediate", "Intermediate"), ("advanced", "Advanced")]


def row(label: str, *widgets, id: str | None = None) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field", id=id)


class SetupScreen(InterviewerScreen[SessionOptions | None]):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", priority=True, tooltip="Start the session with these choices."),
        Binding("escape", "cancel", "Back", tooltip="Back to the home screen; nothing is saved."),
    ]
    HELP = ("Choose what to practise: tick topics with Space (none ticked means all), how many questions, the "
            "order (random, weakest first, due for review first, or in order), the difficulty, a timer per "
            "answer (it shows the time; it never stops you) and mock-interview mode, where the feedback waits "
            "until the end as in a real interview. Tab moves between fields.")

    def __init__(self, options: SessionOptions | None = None) -> None:
        super().__init__()
        self.initial = options

    def compose(self) -> ComposeResult:
        svc = self.app.services
        cfg = svc.config
        o = self.initial or SessionOptions(count=cfg.practice.questions, timer_s=cfg.practice.timer)
        banks = svc.banks
        bank = svc.bank(o.bank_id or None)
        timers = list(TIMERS)
        if o.timer_s and o.timer_s not in dict(timers):
            timers.append((o.timer_s, f"{o.timer_s} s"))
        yield Header()
        with VerticalScroll(id="setup-form"):
            yield Static("Choose what to practise. No topic ticked means all topics.", classes="hint")
            if len(banks) > 1:
                yield row("Bank", Select([(b.bank.title, bid) for bid, b in banks.items()], value=bank.id,
                                         allow_blank=False, compact=True, id="bank"))
            yield row("Topics", SelectionList[str](*self._topic_items(bank, o.topics), compact=True, id="topics"))
            yield row("Questions", Input(str(o.count), type="integer", compact=True, id="count",
                                         max_length=3, valid_empty=False))
            yield row("Order", Select([(label, k.value) for k, label in ORDER_LABELS.items()],
                                      value=Order(o.order).value, allow_blank=False, compact=True, id="order"))
            yield row("Difficulty", Select([(lbl, v) for v, lbl in DIFFICULTIES],
                                           value=o.difficulties[0] if len(o.difficulties) == 1 else "",
                                           allow_blank=False, compact=True, id="difficulty"))
            yield row("Timer", Select([(lbl, v) for v, lbl in timers], value=o.timer_s, allow_blank=False,
                                      compact=True, id="timer"))
            yield row("Mock interview", Checkbox("feedback held back until the end", o.mock, compact=True,
                                                 id="mock"))
            yield row("Grader", Select([(b, b) for b in BACKENDS], value=o.backend or cfg.grader.backend,
                                       allow_blank=False, compact=True, id="backend"))
            yield row("Model", Input(o.model if o.model is not None else cfg.grader.model, compact=True,
                                     placeholder="model name (not needed for offline)", id="model"))
            yield Static("", id="setup-error", classes="error")
        with Horizontal(classes="actions"):
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Button("Back", id="cancel", compact=True)
        yield Footer()

    def _topic_items(self, bank, chosen) -> list[Selection[str]]:
        counts = {t: sum(1 for q in bank.questions if q.topic == t) for t in bank.topics()}
        return [Selection(Content(f"{t} ({n})"), t, t in chosen) for t, n in counts.items()]

    def on_mount(self) -> None:
        self.sub_title = "new session"
        self.query_one("#topics").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "bank" and event.value is not Select.NULL:
            sl = self.query_one("#topics", SelectionList)
            sl.clear_options()
            sl.add_options(self._topic_items(self.app.services.bank(str(event.value)), []))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def read_options(self) -> SessionOptions | str:
        """The form as SessionOptions, or a one-line message saying what to fix."""
        raw = self.query_one("#count", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 100:
            return "Questions: enter a number from 1 to 100."
        bank_id = ""
        if self.query("#bank"):
            bank_id = str(self.query_one("#bank", Select).value)
        diff = str(self.query_one("#difficulty", Select).value)
        backend = str(self.query_one("#backend", Select).value)
        model = self.query_one("#model", Input).value.strip()
        cfg = self.app.services.config.grader
        if backend != "offline" and not model and not (backend == cfg.backend and cfg.model):
            return f"Model: the {backend} grader needs a model name (or choose offline)."
        same = backend == cfg.backend and model == cfg.model
        return SessionOptions(
            bank_id=bank_id, topics=list(self.query_one("#topics", SelectionList).selected),
            difficulties=[diff] if diff else [], count=int(raw), order=Order(str(self.query_one("#order",
                                                                                                  Select).value)),
            timer_s=int(str(self.query_one("#timer", Select).value)), mock=self.query_one("#mock", Checkbox).value,
            backend=None if same else backend, model=None if same else (model or None),
            seed=self.initial.seed if self.initial else None,
        )

    def action_start(self) -> None:
        opts = self.read_options()
        if isinstance(opts, str):
            self.query_one("#setup-error", Static).update(Content(opts))
            self.app.bell()
            return
        self.dismiss(opts)

    def action_cancel(self) -> None:
        self.dismiss(None)
