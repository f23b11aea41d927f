"""Shared fixtures: every test runs against its own INTERVIEWER_HOME so nothing touches the real user dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A copy of the seed the built-in bank was made from (shared/seed/000_e23eb26f7a2d4ac6.txt), so the
# importer round trip runs on any clone.
SEED = ROOT / "tests" / "data" / "seed-llm-100.md"
MOHLER = ROOT.parent / "shared" / "asag" / "mohler-dev.jsonl"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    for var in ("INTERVIEWER_BACKEND", "INTERVIEWER_MODEL", "INTERVIEWER_BASE_URL", "INTERVIEWER_API_KEY_ENV",
                "INTERVIEWER_TIMEOUT", "INTERVIEWER_BANK", "INTERVIEWER_RUBRIC", "INTERVIEWER_TIMER",
                "OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def services(isolated_home):
    from interviewer.app.services import Services

    svc = Services.create()
    yield svc
    svc.close()
