"""Settings: grader backend, model, base URL, the *name* of the API-key variable, timer and rubric, saved to
config.toml with config.save_config. A key itself is refused (only the variable name is ever stored).

"Test connection" builds the grader from the form (without saving) and runs its health checks
(`Grader.check()`, the same checks as `interviewer doctor`) in a worker.
"""

from __future__ import annotations

import asyncio
import os
import re

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Select, Static

from ..messages import BackendChecked
from ..text import plain
from ..widgets.footer import Footer
from .base import InterviewerScreen
from .setup import BACKENDS, row

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def looks_like_secret(value: str) -> bool:
    v = value.strip()
    if v.lower().startswith(("sk-", "sk_", "key-", "bearer ")):
        return True
    return len(v) >= 24 and any(c.islower() for c in v) and any(c.isdigit() for c in v)


def validate_form(values: dict[str, str]) -> str | None:
    """A one-line message saying what to fix, or None."""
    key_env = values["api_key_env"]
    if key_env and (looks_like_secret(key_env) or not ENV_NAME.match(key_env)):
        return ("Key variable: enter the NAME of the environment variable that holds the key (e.g. "
                "OPENAI_API_KEY), never the key itself.")
    url = values["base_url"]
    if url and not url.startswith(("http://", "https://")):
        return "Base URL: start it with http:// or https:// (or leave it empty for the default)."
    timer = values["timer"]
    if not timer.isdigit() or int(timer) > 3600:
        return "Timer: seconds from 0 (off) to 3600."
    if values["backend"] != "offline" and not values["model"]:
        return f"Model: the {values['backend']} backend needs a model name."
    return None


def config_hint(path) -> Text:
    """Where the settings live, and whether that file exists yet."""
    if path.exists():
        t = Text("Your settings file: ")
        t.append(plain(path))
        return t
    t = Text("Defaults in use; Save writes them to ")
    t.append(plain(path))
    return t


class SettingsScreen(InterviewerScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Write these settings to your config.toml."),
        Binding("ctrl+t", "test", "Test connection", priority=True, tooltip="Build the grader from this form "
                "(without saving) and check its server answers."),
        Binding("escape", "back", "Back", tooltip="Back; what is not saved is forgotten."),
    ]
    HELP = ("Which grader marks your answers: offline (no model, no network) or a model through openai (or any "
            "OpenAI-compatible server), ollama or litellm. The key variable is the NAME of the environment "
            "variable that holds your API key: the key itself is never written anywhere. The timer and rubric "
            "are the defaults for new sessions. Tab moves between fields.")

    def compose(self) -> ComposeResult:
        cfg = self.app.services.config
        g = cfg.grader
        rubrics = sorted(self.app.services.rubrics)
        yield Header()
        with VerticalScroll(id="settings-form"):
            yield Static(config_hint(self.app.services.locations.config_path), id="config-path", classes="hint")
            yield row("Grader", Select([(b, b) for b in BACKENDS], value=g.backend, allow_blank=False,
                                       compact=True, id="backend"))
            yield row("Model", Input(g.model, compact=True, placeholder="e.g. gpt-4o-mini, llama3.1:8b",
                                     id="model"))
            yield row("Base URL", Input(g.base_url, compact=True, placeholder="empty = the backend's default",
                                        id="base_url"))
            yield row("Key variable", Input(g.api_key_env, compact=True, placeholder="e.g. OPENAI_API_KEY",
                                            id="api_key_env"))
            yield Static(id="key-status", classes="hint")
            yield row("Timer (s)", Input(str(cfg.practice.timer), type="integer", compact=True, id="timer",
                                         max_length=4))
            yield row("Rubric", Select([("each question's own", "")] + [(r, r) for r in rubrics],
                                       value=cfg.practice.rubric if cfg.practice.rubric in rubrics else "",
                                       allow_blank=False, compact=True, id="rubric"))
            yield Static("", id="settings-message")
            yield Static("", id="check-results")
        with Horizontal(classes="actions"):
            yield Button("Save", id="save", variant="primary", compact=True)
            yield Button("Test connection", id="test", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "settings"
        self.show_key_status()
        self.query_one("#backend").focus()

    def values(self) -> dict[str, str]:
        v = {k: self.query_one(f"#{k}", Input).value.strip() for k in ("model", "base_url", "api_key_env", "timer")}
        v["backend"] = str(self.query_one("#backend", Select).value)
        v["rubric"] = str(self.query_one("#rubric", Select).value)
        return v

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "api_key_env":
            self.show_key_status()

    def show_key_status(self) -> None:
        name = self.query_one("#api_key_env", Input).value.strip()
        st = self.query_one("#key-status", Static)
        if not name:
            st.update(Text("No key variable: fine for offline, Ollama and local servers.", "dim"))
        elif looks_like_secret(name) or not ENV_NAME.match(name):
            st.update(Text("That is not a variable name. Put the key in an environment variable and enter its "
                           "name here.", "bold red"))
        elif os.environ.get(name):
            st.update(plain(f"{name} is set in this environment (its value is never shown or saved).", "green"))
        else:
            st.update(plain(f"{name} is not set in this environment: export it before grading.", "yellow"))

    def message(self, text: str, style: str = "") -> None:
        self.query_one("#settings-message", Static).update(plain(text, style))

    def build(self):
        """(effective config, file config) with the form applied, or a message."""
        v = self.values()
        problem = validate_form(v)
        if problem:
            return problem
        from pydantic import ValidationError

        from ...config import load_config

        svc = self.app.services
        grader = {"backend": v["backend"], "model": v["model"], "base_url": v["base_url"],
                  "api_key_env": v["api_key_env"]}
        practice = {"timer": int(v["timer"]), "rubric": v["rubric"]}
        try:
            file_cfg = load_config(svc.locations.config_path, env={})
            new_file = file_cfg.model_validate({**file_cfg.model_dump(),
                                                "grader": {**file_cfg.grader.model_dump(), **grader},
                                                "practice": {**file_cfg.practice.model_dump(), **practice}})
            eff = svc.config.model_validate({**svc.config.model_dump(),
                                             "grader": {**svc.config.grader.model_dump(), **grader},
                                             "practice": {**svc.config.practice.model_dump(), **practice}})
        except ValidationError as e:
            err = e.errors()[0]
            return f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
        except Exception as e:  # an unreadable config.toml: say so instead of overwriting it
            return getattr(e, "message", str(e))
        return eff, new_file

    def action_save(self) -> None:
        built = self.build()
        if isinstance(built, str):
            self.message(built, "bold red")
            self.app.bell()
            return
        eff, new_file = built
        from ...config import save_config

        svc = self.app.services
        try:
            save_config(new_file, svc.locations.config_path)
        except OSError as e:
            self.message(f"Could not write {svc.locations.config_path}: {e.strerror or e}", "bold red")
            return
        svc.set_config(eff)
        self.post_message(BackendChecked(None))
        self.query_one("#config-path", Static).update(config_hint(svc.locations.config_path))
        self.message(f"Saved to {svc.locations.config_path}.", "green")
        self.notify("Settings saved.")

    def action_test(self) -> None:
        built = self.build()
        if isinstance(built, str):
            self.message(built, "bold red")
            return
        self.query_one("#check-results", Static).update(Text("Testing…", "dim"))
        self.run_checks(built[0].grader)

    @work(exclusive=True, exit_on_error=False, group="test-connection")
    async def run_checks(self, grader_cfg) -> None:
        from ...grading.factory import make_grader

        out = Text()
        try:
            grader = await asyncio.to_thread(make_grader, grader_cfg)
            checks = await grader.check()
            close = getattr(grader, "aclose", None)
            if close is not None:
                await close()
        except Exception as e:
            checks = [("grader", False, getattr(e, "message", None) or f"{type(e).__name__}: {e}")]
        if not checks:
            out.append("✓ nothing to connect to: this grader runs locally.", "green")
        for i, (name, ok, detail) in enumerate(checks):
            if i:
                out.append("\n")
            out.append("✓ " if ok else "✗ ", "bold green" if ok else "bold red")
            out.append(plain(name, "bold"))
            if detail:
                out.append(": ")
                out.append(plain(detail))
        self.query_one("#check-results", Static).update(out)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    def action_back(self) -> None:
        self.dismiss(True)

