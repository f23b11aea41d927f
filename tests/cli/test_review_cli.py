"""The review commands end to end through cli.main: stats, history, export, import, regrade, override,
delete, review. Seeded database, a test grader patched in for regrade (no network)."""

from __future__ import annotations

import json

import pytest

from _review_seed import FixedGrader, add, day
from interviewer.app.services import Services
from interviewer.cli import main as cli
from interviewer.core.models import AttemptKind, AttemptStatus
from interviewer.store import history


@pytest.fixture
def seeded(services):
    st = services.store
    s1 = st.start_session("llm-100")
    ids = {
        "a": add(st, "llm-q029", day(0), 30, {"k1": "covered", "k2": "missing"}, session_id=s1.id),
        "b": add(st, "llm-q011", day(0, 1), 90, {"k1": "covered"}, session_id=s1.id),
        "u": add(st, "llm-q030", day(0, 2), None, session_id=s1.id),
        "s": add(st, "llm-q031", day(0, 3), None, kind=AttemptKind.skipped, session_id=s1.id),
        "session": s1.id,
    }
    return ids


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stats_table_and_json(seeded, capsys):
    code, out, _ = run(capsys, "stats")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    att = next(i for i, line in enumerate(lines) if line.startswith("Attention Mechanisms"))
    tr = next(i for i, line in enumerate(lines) if line.startswith("Training & Fine-tuning"))
    assert att < tr and "weak" in lines[att] and "ok" in lines[tr]
    assert "You often leave out:" in out and "Weak = practised" in out
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0 and data["topics"][0]["key"] == "Attention Mechanisms" and data["topics"][0]["weak"]
    assert data["most_missed_key_points"][0]["question_id"] == "llm-q029"
    assert data["totals"]["attempts"] == 4


def test_stats_and_the_report_say_when_the_answer_said_the_opposite(services, capsys, tmp_path):
    """A key point the feedback showed as "you said the opposite" is not reported as one more point left out."""
    st = services.store
    add(st, "llm-q054", day(0), 10, {"k1": "contradicted", "k2": "missing"})
    code, out, _ = run(capsys, "stats")
    assert code == 0
    text = " ".join(out.split())
    assert "missed 1/1, said the opposite last time" in text
    assert text.index("smaller student model") < text.index("said the opposite last time") < text.index("soft")
    code, out, _ = run(capsys, "stats", "--json")
    top, second = json.loads(out)["most_missed_key_points"][:2]
    assert (top["key_point_id"], top["last_contradicted"]) == ("k1", True)  # first, though k2 was missed alike
    assert (second["key_point_id"], second["last_contradicted"]) == ("k2", False)
    code, _, _ = run(capsys, "export", "--format", "md", "-o", str(tmp_path / "r.md"))
    md = (tmp_path / "r.md").read_text()
    assert code == 0
    assert "(llm-q054: missed 1 of 1 time; last time said the opposite)" in md
    assert "(llm-q054: missed 1 of 1 time; last time missing)" in md


def test_history_lists_newest_first(seeded, capsys):
    code, out, _ = run(capsys, "history", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["attempt_id"] for r in rows] == [seeded[k] for k in ("s", "u", "b", "a")]
    code, out, _ = run(capsys, "history", "-n", "2")
    assert code == 0 and "skipped" in out and "ungraded" in out and "llm-q029" not in out


def test_override_then_history_marks_it(seeded, capsys, services):
    code, out, _ = run(capsys, "override", str(seeded["a"]), "75", "--reason", "I covered the scaling")
    assert code == 0 and "the grader gave 30" in out
    assert history.overrides_for(services.store, seeded["a"])[0].reason == "I covered the scaling"
    _, out, _ = run(capsys, "history")
    assert "75*" in out
    code, _, err = run(capsys, "override", str(seeded["a"]), "120", "--reason", "x")
    assert code == 2 and "0 to 100" in err
    code, _, err = run(capsys, "override", "999", "50", "--reason", "x")
    assert code == 2 and "no attempt with id 999" in err


def test_regrade_ungraded_with_a_patched_grader(seeded, capsys, services, monkeypatch):
    g = FixedGrader(82)
    monkeypatch.setattr(Services, "make_grader", lambda self, backend=None, model=None: g)
    code, out, _ = run(capsys, "regrade", "--ungraded")
    assert code == 0 and f"#{seeded['u']} llm-q030: 82" in out and "re-graded 1 of 1" in out
    assert services.store.get_attempt(seeded["u"]).status is AttemptStatus.graded
    code, out, err = run(capsys, "regrade", str(seeded["a"]), "--rubric", "comparison", "--json")
    assert code == 0 and json.loads(out)[0]["score"] == 82 and g.seen[-1][1] == "comparison"
    monkeypatch.setattr(Services, "make_grader", lambda self, backend=None, model=None: FixedGrader(fail=True))
    code, out, err = run(capsys, "regrade", "--session", str(seeded["session"]))
    assert code == 1 and "not graded: the test grader refused" in err and "re-graded 0 of 3" in out
    code, _, err = run(capsys, "regrade")
    assert code == 2 and "--ungraded" in err
    code, _, err = run(capsys, "regrade", str(seeded["a"]), "--rubric", "nope")
    assert code == 2 and "no rubric" in err


def test_export_import_round_trip_via_cli(seeded, capsys, tmp_path, monkeypatch):
    out_file = tmp_path / "h.json"
    code, out, _ = run(capsys, "export", "--format", "json", "-o", str(out_file))
    assert code == 0 and "4 attempts" in out and out_file.exists()
    code, out, _ = run(capsys, "export", "-f", "md", "-o", "-")
    assert code == 0 and out.startswith("# Interview practice report")
    code, out, _ = run(capsys, "export", "-f", "anki", "-o", str(tmp_path / "deck.csv"))
    assert code == 0 and "1 weak-question cards" in out
    code, _, err = run(capsys, "export", "-f", "pdf")
    assert code == 2 and "unknown export format" in err
    code, _, err = run(capsys, "export", "--since", "someday")
    assert code == 2 and "YYYY-MM-DD" in err
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path / "new-machine"))
    code, out, _ = run(capsys, "import", str(out_file))
    assert code == 0 and "imported 4 attempts, 2 grades, 0 overrides, 1 session" in out
    code, out, _ = run(capsys, "import", str(out_file))
    assert code == 0 and "imported 0 attempts" in out and "already here" in out
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "interviewer-history", "version": 1, "sessions": [], "attempts": [{"id": 1}]}')
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "attempts[0]" in err and "nothing was imported" in err


def test_delete_needs_confirmation(seeded, capsys, services):
    code, _, err = run(capsys, "delete", "attempt", str(seeded["b"]))
    assert code == 2 and "--yes" in err and services.store.get_attempt(seeded["b"]) is not None
    code, out, _ = run(capsys, "delete", "attempt", str(seeded["b"]), "--yes")
    assert code == 0 and services.store.get_attempt(seeded["b"]) is None
    code, _, err = run(capsys, "delete", "attempt", str(seeded["b"]), "--yes")
    assert code == 2 and "no attempt" in err
    code, out, _ = run(capsys, "delete", "session", str(seeded["session"]), "--yes")
    assert code == 0 and "3 attempts" in out and services.store.attempts() == []
    code, _, err = run(capsys, "delete", "session", "77", "--yes")
    assert code == 2 and "no session with id 77" in err


def test_review_opens_the_tui_on_the_dashboard(capsys, monkeypatch):
    calls = []
    import interviewer.tui.run as tui_run

    monkeypatch.setattr(tui_run, "run_tui", lambda services, **kw: calls.append(kw))
    code, _, _ = run(capsys, "review")
    assert code == 0 and calls == [{"start": "review"}]
