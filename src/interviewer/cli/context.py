"""The CLI's layer of the config (global flags, then a command's own flags) and the Services it builds.

Commands take their services from here, never from `main`, so `main` imports the commands and nothing
imports `main` back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..app.services import Services

_state: dict[str, Any] = {"debug": False, "overrides": {}}


def set_globals(*, debug: bool, grader: dict[str, Any]) -> None:
    """Record the global flags (`--debug`, `--grader`, `--model`, `--base-url`) for this invocation."""
    _state["debug"] = debug
    _state["overrides"] = {"grader": _flags(grader.get("backend"), grader.get("model"), grader.get("base_url"),
                                            grader.get("api_key_env"))}


def debug() -> bool:
    return bool(_state["debug"])


def _flags(backend: str | None, model: str | None, base_url: str | None, api_key_env: str | None
           ) -> dict[str, Any]:
    if backend and ":" in backend:  # a spec: ollama:llama3.1:8b
        name, _, spec_model = backend.partition(":")
        backend, model = name.strip().lower(), model or spec_model.strip() or None
    return {k: v for k, v in (("backend", backend), ("model", model), ("base_url", base_url),
                              ("api_key_env", api_key_env)) if v is not None}


def overrides(backend: str | None = None, model: str | None = None, base_url: str | None = None,
              api_key_env: str | None = None) -> dict[str, Any]:
    """The CLI layer of the config: global flags, then the command's own flags on top. A command's
    `--backend` naming another backend than the global flag's drops the global model and base URL
    (config.layer_grader: flags for one backend never reach another)."""
    from ..config import layer_grader

    return {"grader": layer_grader(_state["overrides"].get("grader", {}),
                                   _flags(backend, model, base_url, api_key_env))}


def services(**kw: Any) -> Services:
    from ..app.services import Services

    return Services.create(overrides=overrides(**kw))
