"""The Textual app. `make_app(services)` is the one factory used by the CLI and the tests."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static


class HomeScreenPlaceholder(Vertical):
    def __init__(self, services) -> None:
        super().__init__(id="home")
        self.services = services

    def compose(self) -> ComposeResult:
        bank = self.services.bank()
        yield Static(f"[b]{bank.bank.title}[/b]\n{len(bank.questions)} questions in {len(bank.topics())} topics",
                     id="bank-summary")
        yield Static(f"Grader: {self.services.config.grader.backend}", id="grader")


class InterviewerApp(App):
    TITLE = "interviewer"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield Header()
        yield HomeScreenPlaceholder(self.services)
        yield Footer()


def make_app(services, **kw) -> InterviewerApp:
    return InterviewerApp(services)
