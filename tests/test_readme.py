"""The README stays true: every test it names as the check of a guarantee exists, and the quick start's two
commands are the Makefile's and CI's."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_every_test_named_in_the_readme_exists():
    refs = re.findall(r"`(tests/[\w/]+\.py)::(\w+)", README)
    assert len(refs) >= 20
    missing = []
    for path, name in refs:
        f = ROOT / path
        if not f.exists() or not re.search(rf"^(async )?def {name}\(", f.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_quick_start_commands_exist_and_ci_runs_the_readme_test_command():
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
