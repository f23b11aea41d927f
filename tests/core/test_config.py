"""Config precedence (defaults < file < env < CLI) and clear errors."""

from __future__ import annotations

import pytest

from interviewer.config import Config, load_config, save_config
from interviewer.core.errors import ConfigError


def test_defaults_without_a_file(tmp_path):
    cfg = load_config(tmp_path / "none.toml", env={})
    assert cfg == Config()
    assert cfg.grader.backend == "offline"


def test_precedence_file_env_cli(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[grader]\nbackend = "openai"\nmodel = "from-file"\ntimeout = 30\n[practice]\ntimer = 120\n')
    cfg = load_config(p, env={})
    assert (cfg.grader.backend, cfg.grader.model, cfg.grader.timeout, cfg.practice.timer) == (
        "openai", "from-file", 30, 120)
    cfg = load_config(p, env={"INTERVIEWER_MODEL": "from-env", "INTERVIEWER_TIMER": "60"})
    assert cfg.grader.model == "from-env" and cfg.practice.timer == 60 and cfg.grader.timeout == 30
    cfg = load_config(p, env={"INTERVIEWER_MODEL": "from-env"}, overrides={"grader": {"model": "from-cli",
                                                                                     "backend": None}})
    assert cfg.grader.model == "from-cli" and cfg.grader.backend == "openai"


def test_malformed_file_names_the_line(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[grader]\nbackend = "openai"\nmodel = \n')
    with pytest.raises(ConfigError) as ei:
        load_config(p, env={})
    assert ei.value.line == 3 and str(p) in str(ei.value)


def test_bad_values_and_unknown_keys(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[grader]\nbackend = "gpt"\n')
    with pytest.raises(ConfigError, match=r"grader.*backend") as ei:
        load_config(p, env={})
    assert ei.value.line == 2
    p.write_text('[grader]\nmodle = "x"\n')
    with pytest.raises(ConfigError, match="unknown key"):
        load_config(p, env={})
    with pytest.raises(ConfigError, match="INTERVIEWER_TIMEOUT"):
        load_config(None, env={"INTERVIEWER_TIMEOUT": "soon"})


def test_api_key_in_the_file_is_refused(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[grader]\napi_key = "sk-test-SECRET-123"\n')
    with pytest.raises(ConfigError) as ei:
        load_config(p, env={})
    assert "api_key_env" in str(ei.value)
    assert "sk-test-SECRET-123" not in str(ei.value)


def test_save_then_load_round_trips(tmp_path):
    cfg = Config.model_validate({"grader": {"backend": "ollama", "model": "llama3.1:8b",
                                            "api_key_env": "MY_KEY"}, "practice": {"timer": 90}})
    p = tmp_path / "sub" / "config.toml"
    save_config(cfg, p)
    assert load_config(p, env={}) == cfg
    assert list(p.parent.iterdir()) == [p]  # no temp file left behind


def test_cli_reports_config_errors_without_traceback(isolated_home):
    import subprocess
    import sys

    (isolated_home / "config.toml").write_text("[grader\n")
    out = subprocess.run([sys.executable, "-m", "interviewer", "bank", "list"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "config.toml:1" in out.stderr and "Traceback" not in out.stderr


def test_every_problem_is_reported_at_once(tmp_path):
    """Four mistakes in the file, one in the environment, one in a flag: one error lists all six, each with
    where it is, instead of one per run ('4 more problems after this one')."""
    p = tmp_path / "config.toml"
    p.write_text('[grader]\nbackend = "gpt"\ntimeout = -1\nmodle = "x"\n[practice]\nquestions = 0\n')
    with pytest.raises(ConfigError) as ei:
        load_config(p, env={"INTERVIEWER_TIMER": "soon"}, overrides={"grader": {"max_retries": 99}})
    err = ei.value
    assert len(err.problems) == 6
    text = str(err)
    assert text.startswith("6 problems in the configuration:\n  - ")
    for needle in (f"{p}:2: [grader]: field 'grader.backend'", f"{p}:3: [grader]: field 'grader.timeout'",
                   f"{p}:4: [grader]: field 'grader.modle': unknown key", "field 'practice.questions'",
                   "INTERVIEWER_TIMER: practice.timer = 'soon'", "grader.max_retries = 99"):
        assert needle in text, needle
    assert "after this one" not in text


def test_a_syntax_error_and_a_bad_variable_are_both_reported(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text("[grader\n")
    with pytest.raises(ConfigError) as ei:
        load_config(p, env={"INTERVIEWER_BACKEND": "gpt"})
    assert len(ei.value.problems) == 2 and "invalid TOML" in str(ei.value) and "INTERVIEWER_BACKEND" in str(ei.value)


@pytest.mark.parametrize("layer", ["env", "cli"])
def test_another_backend_does_not_inherit_the_first_ones_settings(tmp_path, layer):
    """config.toml is set up for an OpenAI-compatible server; `--backend ollama` (or INTERVIEWER_BACKEND)
    must use Ollama's own defaults, not the openai base_url, model or key variable. Settings for any backend
    (timeout) carry over; a model given with the new backend is used."""
    p = tmp_path / "config.toml"
    p.write_text('[grader]\nbackend = "openai"\nmodel = "gpt-4o-mini"\nbase_url = "http://127.0.0.1:9/v1"\n'
                 'api_key_env = "MY_KEY"\ntimeout = 30\n')
    env, cli = ({"INTERVIEWER_BACKEND": "ollama"}, None) if layer == "env" else ({}, {"grader": {"backend": "ollama"}})
    g = load_config(p, env=env, overrides=cli).grader
    assert (g.backend, g.model, g.base_url, g.api_key_env, g.timeout) == ("ollama", "", "", "", 30)
    g = load_config(p, env={}, overrides={"grader": {"backend": "ollama", "model": "llama3.1:8b"}}).grader
    assert (g.model, g.base_url) == ("llama3.1:8b", "")
    g = load_config(p, env={}, overrides={"grader": {"backend": "openai", "model": "gpt-4o"}}).grader
    assert (g.model, g.base_url, g.api_key_env) == ("gpt-4o", "http://127.0.0.1:9/v1", "MY_KEY")  # same backend


def test_settings_given_without_a_backend_are_for_the_one_chosen(tmp_path):
    """`--base-url URL` before the command, `--backend openai` after it: the URL is for openai. A file that sets
    a base_url but no backend means it for the backend chosen later too."""
    cfg = load_config(None, env={}, overrides={"grader": {"base_url": "http://127.0.0.1:5/v1", "backend": "openai"}})
    assert (cfg.grader.backend, cfg.grader.base_url) == ("openai", "http://127.0.0.1:5/v1")
    p = tmp_path / "config.toml"
    p.write_text('[grader]\nbase_url = "http://127.0.0.1:5/v1"\n')
    cfg = load_config(p, env={"INTERVIEWER_BACKEND": "openai"})
    assert cfg.grader.base_url == "http://127.0.0.1:5/v1"
    from interviewer.cli import context

    context.set_globals(debug=False, grader={"base_url": "http://127.0.0.1:5/v1"})
    try:
        assert context.overrides(backend="openai", model="m")["grader"] == {
            "base_url": "http://127.0.0.1:5/v1", "backend": "openai", "model": "m"}
        context.set_globals(debug=False, grader={"backend": "ollama", "model": "llama3.1:8b"})
        assert context.overrides(backend="openai")["grader"] == {"backend": "openai"}
        assert context.overrides(backend="ollama:qwen2")["grader"] == {"backend": "ollama", "model": "qwen2"}
    finally:
        context.set_globals(debug=False, grader={})


def test_a_grader_for_another_backend_starts_from_its_defaults():
    from interviewer.config import GraderConfig, with_backend

    cfg = GraderConfig(backend="openai", model="gpt-4o-mini", base_url="http://127.0.0.1:9/v1", timeout=30)
    other = with_backend(cfg, "ollama")
    assert (other.backend, other.model, other.base_url, other.timeout) == ("ollama", "", "", 30)
    assert with_backend(cfg, model="gpt-4o").base_url == "http://127.0.0.1:9/v1"


def test_the_backend_flag_does_not_reach_for_the_openai_base_url(isolated_home):
    """The issue's case end to end: `interviewer doctor --backend ollama` with an openai base_url in
    config.toml talks to Ollama's default host (here OLLAMA_HOST), not to the openai URL."""
    import os
    import subprocess
    import sys

    (isolated_home / "config.toml").write_text('[grader]\nbackend = "openai"\nbase_url = "http://127.0.0.1:9/v1"\n')
    env = {**os.environ, "OLLAMA_HOST": "http://127.0.0.1:7"}
    r = subprocess.run([sys.executable, "-m", "interviewer", "--backend", "ollama", "doctor"], capture_output=True,
                       text=True, env=env, timeout=60)
    assert "127.0.0.1:7" in r.stdout and "127.0.0.1:9" not in r.stdout + r.stderr
    assert r.returncode == 1 and "Traceback" not in r.stderr
