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


@pytest.fixture
def grade(services):
    """grade(question_id, answer) -> Grade from the offline grader, as the app grades: with the bank the question
    comes from."""
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.offline import OfflineGrader

    g = OfflineGrader()

    def _grade(qid: str, answer: str):
        bank, q = services.find_question(qid)
        return g.grade_sync(GradeRequest(question=q, rubric=services.rubric_for(q), answer=answer,
                                         bank=tuple(bank.questions)))

    return _grade


@pytest.fixture
def seeded(services):
    """The review test database (tests/_review_seed.py): three sessions at fixed times. Attention is weak, Prompt Engineering middling, Training strong."""
    from _review_seed import add, day
    from interviewer.core.models import AttemptKind

    bank = services.bank()
    by_topic: dict[str, list[str]] = {}
    for q in bank.questions:
        by_topic.setdefault(q.topic, []).append(q.id)
    A1, A2 = by_topic["Attention Mechanisms"][:2]
    T1, T2 = by_topic["Training & Fine-tuning"][:2]
    P1, P2 = by_topic["Prompt Engineering"][:2]
    st = services.store
    s1, s2, s3 = (st.start_session(bank.id) for _ in range(3))
    ids = {
        "a1_0": add(st, A1, day(0), 35, {"k1": "covered", "k2": "missing"}, session_id=s1.id),
        "t1_0": add(st, T1, day(0, 1), 85, {"k1": "covered"}, session_id=s1.id),
        "p1_0": add(st, P1, day(0, 2), 60, {"k1": "covered", "k3": "missing"}, session_id=s1.id),
        "a1_3": add(st, A1, day(3), 45, {"k1": "covered", "k2": "missing"}, session_id=s2.id),
        "a2_3": add(st, A2, day(3, 1), 50, {"k2": "missing"}, session_id=s2.id),
        "t1_3": add(st, T1, day(3, 2), None, session_id=s2.id),  # grading failed
        "p1_3": add(st, P1, day(3, 3), 70, {"k1": "covered", "k3": "partial"}, session_id=s2.id),
        "a2_7": add(st, A2, day(7), 55, {"k2": "partial"}, session_id=s3.id),
        "t2_7": add(st, T2, day(7, 1), 90, {"k1": "covered"}, session_id=s3.id),
        "p2_7": add(st, P2, day(7, 2), None, kind=AttemptKind.skipped, session_id=s3.id),
    }
    return {"A1": A1, "A2": A2, "T1": T1, "T2": T2, "P1": P1, "P2": P2, "ids": ids, "sessions": (s1, s2, s3),
            "bank": bank}
