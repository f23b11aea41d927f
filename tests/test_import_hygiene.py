"""Habit 1, at run time: what actually loads. The layer contracts in pyproject.toml (tests/test_architecture.py)
see static imports; these see lazy and importlib imports too: the pure layers and `--help` load no heavy UI or LLM
library."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("textual", "openai", "litellm")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, env={**os.environ})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_grading_store_are_pure():
    mods = _modules_after("import interviewer, interviewer.core.models, interviewer.core.bank, "
                          "interviewer.core.importer, interviewer.core.rubric, interviewer.core.scoring, "
                          "interviewer.core.insights, interviewer.grading.base, interviewer.grading.service, "
                          "interviewer.store.repo, interviewer.config, interviewer.app.services")
    for heavy in (*HEAVY, "rich"):
        assert heavy not in mods, f"{heavy} imported by a pure layer"


def test_cli_import_is_light():
    mods = _modules_after("import interviewer.cli.main")
    for heavy in HEAVY:
        assert heavy not in mods, f"{heavy} imported by interviewer.cli.main"


def test_help_does_not_import_heavy_libraries():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "interviewer", "--help"],
                          capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    for heavy in HEAVY:
        assert heavy not in imported, f"`interviewer --help` imported {heavy}"


def test_bank_list_does_not_import_heavy_libraries(isolated_home):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "interviewer", "bank", "list"],
                          capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    for heavy in HEAVY:
        assert heavy not in imported
