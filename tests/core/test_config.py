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
