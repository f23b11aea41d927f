"""Backend spec -> Backend. The one place that knows which backends exist; each is imported only when chosen.

A spec is a backend name ("openai", "ollama", "litellm"), optionally with the model after a colon:
"ollama:llama3.1:8b", "litellm:anthropic/claude-3-5-haiku-latest". Config supplies the rest (base_url,
api_key_env, timeout). An unknown name is an error listing the known ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .base import Backend, BackendError

BACKENDS: tuple[str, ...] = ("openai", "ollama", "litellm")
"""The model backends; `backend_class` imports each by name when it is chosen."""
DEFAULT_MODELS: dict[str, str] = {"openai": "gpt-4o-mini", "ollama": "llama3.1:8b"}
MODEL_EXAMPLES: dict[str, str] = {
    "openai": "gpt-4o-mini",
    "ollama": "llama3.1:8b",
    "litellm": "anthropic/claude-3-5-haiku-latest or gemini/gemini-2.0-flash",
}


def known_backends() -> list[str]:
    return ["offline", *BACKENDS]


def split_spec(spec: str) -> tuple[str, str]:
    """'ollama:llama3.1:8b' -> ('ollama', 'llama3.1:8b'); 'openai' -> ('openai', '')."""
    name, _, model = spec.strip().partition(":")
    return name.strip().lower(), model.strip()


class BackendFactory(Protocol):
    """What every LLM backend class is called with (the base class takes only model and base_url)."""

    def __call__(self, model: str, base_url: str = "", api_key_env: str = "", timeout: float = 60.0,
                 env: Mapping[str, str] | None = None) -> Backend: ...


def backend_class(name: str) -> BackendFactory:
    if name not in BACKENDS:
        raise BackendError(f"unknown backend {name!r} (known: {', '.join(known_backends())})", kind="config",
                           hint="set grader.backend in config.toml, or pass --backend")
    if name == "openai":
        from .openai_backend import OpenAIBackend

        return OpenAIBackend
    if name == "ollama":
        from .ollama_backend import OllamaBackend

        return OllamaBackend
    from .litellm_backend import LiteLLMBackend

    return LiteLLMBackend


def effective_model(name: str, model: str) -> str:
    if model:
        return model
    if name in DEFAULT_MODELS:
        return DEFAULT_MODELS[name]
    raise BackendError(f"no model set for the {name} backend", kind="config",
                       hint=f"set grader.model in config.toml or pass --model (e.g. {MODEL_EXAMPLES.get(name, '')})")


def make_backend(cfg: Any, env: Mapping[str, str] | None = None) -> Backend:
    """A backend for a GraderConfig (backend may be a spec with the model after a colon)."""
    name, spec_model = split_spec(cfg.backend)
    cls = backend_class(name)
    model = effective_model(name, cfg.model or spec_model)
    return cls(model, base_url=cfg.base_url, api_key_env=cfg.api_key_env, timeout=cfg.timeout, env=env)
