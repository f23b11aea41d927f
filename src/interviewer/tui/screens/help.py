"""Help that helps: F1 (or ?) opens the keys of the screen you are on, each with what it does, and a short page
on how grading works (g from the help, or the command palette).

The keys come from the screen's own bindings (and the app's), so the help can never list a key that does not
exist: the description is the footer's word, the tooltip says what the key does. A screen may add a `HELP`
paragraph (what it shows, keys that are not bindings such as ↑ ↓ in a table). The grading page is written from
the constants that define the score (core.scoring, core.review), so it says what the code does.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..text import plain
from .base import InterviewerModal

SKIP_ACTIONS = {"scroll", "toggle_help", "help_quit"}
"""Bindings not listed one by one (scrolling is described in one line; F1 in the 'everywhere' part)."""

TEXTUAL_KEYS = {
    "focus_next": ("Next", "Move to the next field, list or button."),
    "focus_previous": ("Previous", "Move to the previous field, list or button."),
    "copy_text": ("Copy", "Copy the selected text (select it with the mouse)."),
    "command_palette": ("Command palette", "Every action by name, and the colour themes (your choice is kept)."),
}
"""Keys every Textual screen has, listed under 'Everywhere' in words a person uses."""

SCREEN_NAMES = {
    "HomeScreen": "Home", "SetupScreen": "New session", "QuestionScreen": "A question", "GradingScreen": "Grading",
    "FeedbackScreen": "Feedback", "ReviewFeedbackScreen": "Feedback", "SummaryScreen": "Session summary",
    "ReviewScreen": "Review", "HistoryScreen": "History", "AttemptScreen": "One answer",
    "CompareScreen": "Compare attempts", "SettingsScreen": "Settings",
}


def keys_table(screen: Screen) -> tuple[Table, Table]:
    """(this screen's keys, the keys that work everywhere), one row per action: keys, name, what it does."""
    app = screen.app
    by_action: dict[tuple[bool, str], tuple[list[str], Binding, bool]] = {}
    for _key, (node, binding, enabled, _tooltip) in screen.active_bindings.items():
        if node is not screen and node is not app:
            continue  # a focused widget's own keys (the editor's cursor keys, a table's arrows)
        action = binding.action.split("(")[0].split(".")[-1]
        if action in SKIP_ACTIONS and not (node is app and action == "toggle_help"):
            continue
        everywhere = node is app or action in TEXTUAL_KEYS
        entry = by_action.setdefault((everywhere, binding.action), ([], binding, enabled))
        display = app.get_key_display(binding)
        if display not in entry[0]:
            entry[0].append(display)
    here, anywhere = _table(), _table()
    for (is_app, action), (displays, binding, enabled) in by_action.items():
        name, what = TEXTUAL_KEYS.get(action.split("(")[0].split(".")[-1], (binding.description, binding.tooltip))
        what = what or ""
        if not enabled:
            what = (what + " " if what else "") + "(not available right now)"
        (anywhere if is_app else here).add_row(Text(", ".join(displays), "bold"), plain(name),
                                                  plain(what, "dim" if not enabled else ""))
    return here, anywhere


def _table() -> Table:
    t = Table.grid(padding=(0, 2), expand=True)
    t.add_column(no_wrap=True, min_width=8)
    t.add_column(no_wrap=True)
    t.add_column(ratio=1)
    return t


class HelpScreen(InterviewerModal[None]):
    """The keys of the screen underneath, and what each does."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss(None)", "Close", tooltip="Close the help."),
        Binding("g", "grading", "How grading works", tooltip="The score, the verdicts and what each grader "
                "judges."),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        scr = self.for_screen
        here, everywhere = keys_table(scr)
        with Vertical(id="help-box", classes="dialog"):
            with VerticalScroll(id="help-body"):
                intro = getattr(scr, "HELP", "")
                if intro:
                    yield Static(plain(intro), classes="help-intro")
                if here.row_count:
                    yield Static(Text("Keys on this screen", "bold"), classes="help-heading")
                    yield Static(here)
                if any(b.action.startswith("scroll") for _n, b, _e, _t in scr.active_bindings.values()):
                    yield Static(Text("↑ ↓ (or j k), Page Up / Page Down, Space, Home / End scroll the page.",
                                      "dim"))
                yield Static(Text("Everywhere", "bold"), classes="help-heading")
                yield Static(everywhere)

    def on_mount(self) -> None:
        name = SCREEN_NAMES.get(type(self.for_screen).__name__, "this screen")
        box = self.query_one("#help-box")
        box.border_title = f"Help · {name}"
        box.border_subtitle = "g how grading works · esc close"
        self.query_one("#help-body").focus()

    def action_grading(self) -> None:
        self.app.push_screen(GradingHelpScreen())


def grading_text() -> Text:
    """How a grade is made, from the constants that make it."""
    from ...core.review import RATING_EXPLANATION, WEAK_EXPLANATION
    from ...core.scoring import COVERAGE_SHARE, CRITERIA_SHARE, VERDICT_HELP
    from ...core.verdict_names import named

    t = Text()

    def head(s: str) -> None:
        if t.plain:
            t.append("\n\n")
        t.append(s, "bold")
        t.append("\n")

    head("The score")
    t.append(f"Every answer is scored out of 100: {CRITERIA_SHARE:.0%} from the rubric's criteria, "
             f"{COVERAGE_SHARE:.0%} from the key points you covered. A criterion is a level from 0 to 4 (how "
             "correct, how clear, how deep); only the criteria the grader could judge count, so one it did not "
             "assess never counts as zero. Each key point counts 1 when covered, ½ when partly covered; it counts "
             "only if the words that show it are really in your answer. The score is computed by the app, never "
             "taken from a model.")
    head("The verdicts")
    width = max(map(len, VERDICT_HELP))
    for verdict, meaning in VERDICT_HELP.items():
        t.append(verdict.ljust(width), "bold")
        t.append(f"  {meaning}\n")
    t.rstrip()
    head("The offline grader (the default, no model)")
    t.append("It finds the key points in your answer by their words, their synonyms and their stems, not by "
             "exact phrases, and shows the words that count. It checks correctness only as far as it can: this "
             "question's known misconceptions, and key points said the other way round. It cannot follow your "
             "reasoning or judge clarity and depth: those criteria show as 'not assessed'. Keyword lists, "
             "padding and instructions to the grader earn nothing. So it never calls an answer "
             f"'interview-ready': its top band is '{named('interview-ready', 'offline')}', the key points found "
             "(at least in part) and no known misconception. A wrong claim it does not know can hide there: for "
             "an interview you care about, grade with a model as well.")
    head("A model as grader (openai, ollama, litellm)")
    t.append("A model judges every criterion with a reason, the key points with quotes from your answer (a "
             "quote that is not in your answer is thrown away, and that key point is not counted), "
             "misconceptions, a stronger answer and a follow-up question. If it fails, your answer stays saved, "
             "ungraded: retry, grade it offline, or keep it for later (g on the home screen).")
    head("Your score")
    t.append("If a grade is wrong, dispute it (e in the history or on an answer): your score and your reason are "
             "kept beside the grade and count instead of it. Every grade is kept; re-grading adds one.")
    head("Weak topics and what is due")
    t.append(WEAK_EXPLANATION[0].upper() + WEAK_EXPLANATION[1:] + ". ")
    t.append("Spaced repetition: " + RATING_EXPLANATION + ".")
    return t


class GradingHelpScreen(InterviewerModal[None]):
    """A short page on how grading works."""

    BINDINGS = [Binding("escape,f1,question_mark,q,g", "dismiss(None)", "Close", tooltip="Close this page.")]

    def compose(self) -> ComposeResult:
        with Vertical(id="grading-help-box", classes="dialog"):
            with VerticalScroll(id="grading-help-body"):
                yield Static(grading_text())

    def on_mount(self) -> None:
        box = self.query_one("#grading-help-box")
        box.border_title = "How grading works"
        box.border_subtitle = "esc close"
        self.query_one("#grading-help-body").focus()
