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
from .core.tomlfile import read_toml, validation_problems

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


VoiceBackendName = Literal["local", "openai"]
RecorderName = Literal["auto", "arecord", "pw-record", "parecord", "rec", "sounddevice"]
VOICE_DEFAULT_MODELS: dict[str, str] = {"local": "base.en", "openai": "whisper-1"}


class VoiceConfig(BaseModel):
    """Answering out loud (interviewer.voice). Like the grader's, the key is never stored here: `api_key_env`
    names the environment variable that holds it."""

    model_config = ConfigDict(extra="forbid")

    backend: VoiceBackendName = "local"
    """Speech to text: local (faster-whisper on this machine, the `voice` extra) or openai (any server
    speaking OpenAI's /v1/audio/transcriptions)."""
    model: str = ""
    """local: a model name (tiny.en, base.en, small.en, ...; downloaded once, the library's usual way) or a
    folder with model.bin, config.json and tokenizer.json. openai: e.g. whisper-1. Empty = the default."""
    language: str = "en"
    """Language spoken; English-only models (*.en) need "en"."""
    base_url: str = ""
    """openai: the server's base URL (ends in /v1); empty = OPENAI_BASE_URL or api.openai.com."""
    api_key_env: str = ""
    """openai: the NAME of the environment variable holding the key (default OPENAI_API_KEY). Never the key."""
    timeout: Annotated[float, Field(gt=0, le=1800)] = 120.0
    """openai: seconds for one upload and transcription."""
    deadline: Annotated[float, Field(gt=0, le=3600)] = 300.0
    """openai: seconds for one take, retries included."""
    max_retries: Annotated[int, Field(ge=0, le=10)] = 2
    """openai: retries on 429, 5xx, timeouts and connection errors."""
    beam_size: Annotated[int, Field(ge=1, le=10)] = 5
    """local: beam search width. 5 at temperature 0 is deterministic; 1 is faster but not (it falls back to
    sampling on hard audio) and drops more fillers."""
    cpu_threads: Annotated[int, Field(ge=0, le=64)] = 0
    """local: threads for the model; 0 = all cores but one, so the interface stays responsive."""
    vad_filter: bool = True
    """local: skip stretches with no speech before decoding (word timings are mapped back). Off, Whisper
    invents words in room noise ("Thank you for watching...") and can lose the speech after it."""
    recorder: RecorderName = "auto"
    """How to record: auto picks the first of arecord, pw-record, parecord, rec (sox), sounddevice."""
    record_command: str = ""
    """A recording command of your own, run until stopped; {path} is the WAV to write, {rate} and
    {channels} the format (16000, 1). Overrides `recorder`."""
    max_seconds: Annotated[int, Field(ge=10, le=3600)] = 600
    """Longest take; recorders that can stop themselves are told so (no runaway recording)."""
    keep_audio: bool = True
    """Keep each take's WAV in the data folder's audio/ after it is transcribed (it is always kept until
    then, so a take that failed to transcribe can be transcribed again)."""
    long_pause: Annotated[float, Field(gt=0, le=30)] = 1.0
    """Seconds of silence that count as a long pause in the delivery figures."""

    def effective_model(self) -> str:
        return self.model or VOICE_DEFAULT_MODELS[self.backend]


class UiConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    theme: str = ""
    """The colour theme (a Textual theme name, e.g. "nord"); empty means the default. Set by choosing a theme
    in the app's command palette (Ctrl+P, "Change theme"), which saves it here."""


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grader: GraderConfig = Field(default_factory=GraderConfig)
    practice: PracticeConfig = Field(default_factory=PracticeConfig)
    voice: VoiceConfig = Field(default_factory=VoiceConfig)
    ui: UiConfig = Field(default_factory=UiConfig)


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
    "INTERVIEWER_VOICE_BACKEND": ("voice", "backend"),
    "INTERVIEWER_VOICE_MODEL": ("voice", "model"),
    "INTERVIEWER_VOICE_BASE_URL": ("voice", "base_url"),
    "INTERVIEWER_VOICE_API_KEY_ENV": ("voice", "api_key_env"),
    "INTERVIEWER_VOICE_KEEP_AUDIO": ("voice", "keep_audio"),
}


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if k == "grader" and isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = layer_grader(out[k], v)
        elif isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


PER_BACKEND = ("model", "base_url", "api_key_env")
"""Grader settings that belong to one backend: an openai base_url means nothing to Ollama."""


def backend_name(spec: object) -> str:
    """'ollama:llama3.1:8b' -> 'ollama'; 'OpenAI' -> 'openai'."""
    return str(spec).partition(":")[0].strip().lower()


def layer_grader(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """One layer of [grader] settings over another. A layer that picks a *different* backend from the one the
    lower layers named starts that backend afresh: their model, base_url and api_key_env were meant for the
    other backend and are dropped (`--backend ollama` must not reach for the openai base_url in config.toml).
    Settings given without a backend (`--base-url URL` alone) are for whichever backend the run uses, and
    settings that hold for any backend (timeout, deadline, max_retries) carry over."""
    out = dict(base)
    if ("backend" in over and "backend" in base
            and backend_name(over["backend"]) != backend_name(base["backend"])):
        for k in PER_BACKEND:
            out.pop(k, None)
    out.update(over)
    return out


def with_backend(cfg: GraderConfig, backend: str | None = None, model: str | None = None) -> GraderConfig:
    """The grader config for another backend and/or model, by the same rule as the layers (layer_grader)."""
    over = {k: v for k, v in (("backend", backend), ("model", model)) if v is not None}
    if not over:
        return cfg
    return GraderConfig.model_validate(layer_grader(cfg.model_dump(), over))


def _file_layer(path: Path, problems: list[ConfigError]) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = read_toml(path, ConfigError, CONFIG_HINT)
    except ConfigError as e:
        problems.append(e)
        return {}
    for section in ("grader", "voice"):  # the two sections that talk to servers with keys
        values = data.get(section)
        if not isinstance(values, dict):
            continue
        for k in ("api_key", "key", "token"):
            if k in values:
                problems.append(ConfigError(
                    path, "an API key must not be stored in config.toml", field=f"{section}.{k}",
                    hint="remove it, export the key in an environment variable, and set "
                         "api_key_env = \"THAT_VARIABLE_NAME\""))
                values = {kk: v for kk, v in values.items() if kk != k}
                data = {**data, section: values}
    try:
        Config.model_validate(data)
    except ValidationError as err:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        problems.extend(validation_problems(path, data, err, ConfigError, text, _config_item))
        data = _without(data, [tuple(e["loc"]) for e in err.errors()])
    return data


def _without(data: dict[str, Any], locs: list[tuple[Any, ...]]) -> dict[str, Any]:
    """`data` without the values at `locs` (the invalid ones, already reported), so the rest still counts."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    for loc in locs:
        if len(loc) >= 2 and isinstance(out.get(loc[0]), dict):
            out[loc[0]].pop(loc[1], None)
        elif loc:
            out.pop(loc[0], None)
    return out


def _env_layer(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for var, (section, field) in ENV_VARS.items():
        if var in env and env[var] != "":
            out.setdefault(section, {})[field] = env[var]
    return out


_SECTIONS: dict[str, type[BaseModel]] = {"grader": GraderConfig, "practice": PracticeConfig,
                                       "voice": VoiceConfig, "ui": UiConfig}


def _check_values(layer: Mapping[str, Any], source_of: Any, problems: list[ConfigError]) -> dict[str, Any]:
    """Validate each value of an environment or command-line layer on its own; report each bad one (naming
    the variable or the flag) and leave it out."""
    out: dict[str, dict[str, Any]] = {}
    for section, fields in layer.items():
        model = _SECTIONS.get(section)
        for field, value in (fields or {}).items():
            if model is None or field not in model.model_fields:
                problems.append(ConfigError(source_of(section, field), f"{section}.{field}: unknown setting",
                                            hint="remove it"))
                continue
            try:
                model.model_validate({field: value})
            except ValidationError as err:
                msg = err.errors()[0]["msg"]
                problems.append(ConfigError(source_of(section, field), f"{section}.{field} = {value!r}: {msg}",
                                            hint="fix the value"))
                continue
            out.setdefault(section, {})[field] = value
    return out


def load_config(path: Path | None, env: Mapping[str, str] | None = None,
                overrides: Mapping[str, Any] | None = None) -> Config:
    """Build the effective config. `overrides` is the CLI layer, e.g. {"grader": {"model": "x"}};
    None values in it are ignored so unset flags do not clobber lower layers.

    Every problem is reported at once (the file's, each environment variable's, each flag's) in one
    ConfigError, so fixing the config is one round, not one problem per run."""
    env = os.environ if env is None else env
    problems: list[ConfigError] = []
    file_data = _file_layer(path, problems) if path else {}

    def env_source(section: str, field: str) -> str:
        return next((v for v, sf in ENV_VARS.items() if sf == (section, field)), "the environment")

    env_data = _check_values(_env_layer(env), env_source, problems)
    cli = {s: {k: v for k, v in (fields or {}).items() if v is not None} for s, fields in (overrides or {}).items()}
    cli_data = _check_values(cli, lambda s, f: f"the command-line flag for {s}.{f}", problems)
    merged = _merge(_merge(file_data, env_data), cli_data)
    if not problems:
        try:
            return Config.model_validate(merged)
        except ValidationError as err:  # a rule across fields; each value alone was fine
            problems.extend(ConfigError("config", f"{'.'.join(map(str, e['loc']))}: {e['msg']}", hint="fix the value")
                            for e in err.errors())
    raise combine(problems)


def combine(problems: list[ConfigError]) -> ConfigError:
    """One ConfigError for all the problems: the first's own when there is one, else a list of them."""
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    lines = "\n".join(f"  - {p.message}" + (f" ({p.hint})" if p.hint not in ("", "fix the value", CONFIG_HINT) else "")
                      for p in problems)
    err = ConfigError(first.path, f"{len(problems)} problems in the configuration:\n{lines}", line=first.line,
                      hint=CONFIG_HINT)
    err.message = f"{len(problems)} problems in the configuration:\n{lines}"
    err.problems = list(problems)
    return err


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
