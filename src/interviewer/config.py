"""Configuration: defaults < config.toml < environment < CLI flags.

The file holds the *name* of the environment variable with the API key (`api_key_env`), never the key:
an `api_key` in the file is refused with a message saying where the key belongs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .core.errors import ConfigError
from .core.tomlfile import first_validation_error, read_toml

BackendName = Literal["offline", "openai", "ollama", "litellm"]
CONFIG_HINT = "fix config.toml (see the README's 'Configuration'), or delete it to start from the defaults"


class GraderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: BackendName = "offline"
    """Which grader: offline (no model, the default), openai (any OpenAI-compatible API), ollama, litellm."""
    model: str = ""
    """Model name, e.g. gpt-4o-mini, llama3.1:8b, anthropic/claude-3-5-haiku-latest. Empty for offline."""
    base_url: str = ""
    """API base URL for openai-compatible servers and Ollama; empty means the backend's default."""
    api_key_env: str = ""
    """Name of the environment variable holding the API key (e.g. OPENAI_API_KEY). Never the key itself."""
    timeout: Annotated[float, Field(gt=0, le=600)] = 60.0
    """Seconds to wait for one model call."""
    deadline: Annotated[float, Field(gt=0, le=3600)] = 180.0
    """Seconds for one grading, retries included."""
    max_retries: Annotated[int, Field(ge=0, le=10)] = 3
    """Retries on 429, 5xx, timeouts and connection errors (with backoff; never on 400/401/403/404)."""


class PracticeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bank: str = "llm-100"
    """Bank to practise from by default."""
    rubric: str = ""
    """Rubric to grade with; empty means each question's own rubric."""
    timer: Annotated[int, Field(ge=0, le=3600)] = 0
    """Per-answer countdown target in seconds; 0 turns the timer off."""
    questions: Annotated[int, Field(ge=1, le=100)] = 5
    """Questions per session by default."""


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grader: GraderConfig = Field(default_factory=GraderConfig)
    practice: PracticeConfig = Field(default_factory=PracticeConfig)


# Environment variables -> (section, field)
ENV_VARS: dict[str, tuple[str, str]] = {
    "INTERVIEWER_BACKEND": ("grader", "backend"),
    "INTERVIEWER_MODEL": ("grader", "model"),
    "INTERVIEWER_BASE_URL": ("grader", "base_url"),
    "INTERVIEWER_API_KEY_ENV": ("grader", "api_key_env"),
    "INTERVIEWER_TIMEOUT": ("grader", "timeout"),
    "INTERVIEWER_BANK": ("practice", "bank"),
    "INTERVIEWER_RUBRIC": ("practice", "rubric"),
    "INTERVIEWER_TIMER": ("practice", "timer"),
}


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _file_layer(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = read_toml(path, ConfigError, CONFIG_HINT)
    grader = data.get("grader")
    if isinstance(grader, dict) and any(k in grader for k in ("api_key", "key", "token")):
        raise ConfigError(path, "an API key must not be stored in config.toml", field="grader.api_key",
                          hint="remove it, export the key in an environment variable, and set "
                               "api_key_env = \"THAT_VARIABLE_NAME\"")
    return data


def _env_layer(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for var, (section, field) in ENV_VARS.items():
        if var in env and env[var] != "":
            out.setdefault(section, {})[field] = env[var]
    return out


def load_config(path: Path | None, env: Mapping[str, str] | None = None,
                overrides: Mapping[str, Any] | None = None) -> Config:
    """Build the effective config. `overrides` is the CLI layer, e.g. {"grader": {"model": "x"}};
    None values in it are ignored so unset flags do not clobber lower layers."""
    env = os.environ if env is None else env
    file_data = _file_layer(path) if path else {}
    try:
        Config.model_validate(file_data)
    except ValidationError as err:
        text = path.read_text(encoding="utf-8-sig", errors="replace") if path else None
        raise first_validation_error(path or Path("config.toml"), file_data, err, ConfigError, text,
                                     _config_item) from None
    merged = _merge(file_data, _env_layer(env))
    cli = {s: {k: v for k, v in (fields or {}).items() if v is not None} for s, fields in (overrides or {}).items()}
    merged = _merge(merged, cli)
    try:
        return Config.model_validate(merged)
    except ValidationError as err:
        e = err.errors()[0]
        field = ".".join(str(p) for p in e["loc"])
        source = next((v for v, sf in ENV_VARS.items() if ".".join(sf) == field and v in env), "a command-line flag")
        raise ConfigError(source, f"{field}: {e['msg']}", hint="fix the value") from None


def _config_item(data: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str | None, str | None]:
    if len(loc) >= 2:
        return f"[{loc[0]}]", str(loc[1])
    if loc:
        return None, f"[{loc[0]}]"
    return None, None


def save_config(config: Config, path: Path) -> None:
    """Write config.toml atomically (temp file + rename)."""
    import tomli_w

    from .fsutil import atomic_write_text

    data = config.model_dump(mode="json")
    atomic_write_text(path, "# interviewer configuration. API keys never go here: set api_key_env to the\n"
                            "# *name* of the environment variable that holds the key.\n" + tomli_w.dumps(data))
