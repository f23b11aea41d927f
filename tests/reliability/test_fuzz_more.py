"""Hypothesis fuzzing of the two remaining file readers: the JSON history import (`interviewer import`) and the
labelled JSONL of `interviewer eval`. Whatever the file holds, the result is either a result or the project's
own error naming the file (and the line, where the file has lines to name); never a traceback, and a failed
import writes nothing (all or nothing)."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewer.app.exporting import EXPORT_FORMAT, export_data, import_history, read_history_file
from interviewer.core.errors import FileFormatError, InterviewerError
from interviewer.core.models import CriterionScore, Grade, GraderInfo, KeyPointResult, KeyPointStatus, Usage
from interviewer.grading.evaluate import load_records

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# JSON values, including the awkward ones: huge ints, NaN/inf, lone surrogates, control characters, nesting.
awkward_text = st.one_of(st.text(max_size=12), st.sampled_from(["\ud800", "a\udfffb", "\x00\x1b[2J", "", " ",
                                                                "2025-13-40", "2025-01-01T00:00:00", "llm-q001"]))
leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.integers(min_value=2 ** 63, max_value=2 ** 70),
                 st.floats(allow_nan=True, allow_infinity=True), awkward_text)
json_value = st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                          max_leaves=8)


def write_like_export(path: Path, data) -> None:
    """The layout `export` writes (one session/attempt per line), ASCII-escaped so any string can be written."""
    if not isinstance(data, dict) or not isinstance(data.get("sessions"), list) or not isinstance(
            data.get("attempts"), list):
        path.write_text(json.dumps(data))
        return
    enc = json.dumps
    head = ",\n".join(f" {enc(k)}: {enc(v)}" for k, v in data.items() if k not in ("sessions", "attempts"))
    parts = []
    for key in ("sessions", "attempts"):
        items = ",\n".join(f"  {enc(x)}" for x in data[key])
        parts.append(f" {enc(key)}: [\n{items}\n ]" if items else f" {enc(key)}: []")
    path.write_text("{\n" + (head + ",\n" if head else "") + ",\n".join(parts) + "\n}\n")


# ---------------------------------------------------------------------------------------------- a real export


@pytest.fixture(scope="module")
def valid_export(tmp_path_factory) -> dict:
    """A real export: two sessions, answers with grades and overrides, a follow-up, a skip, a pending answer."""
    from interviewer.app.services import Services
    from interviewer.core.models import AttemptKind
    from interviewer.locations import Locations

    home = tmp_path_factory.mktemp("src-home")
    svc = Services.create(locations=Locations.from_env({"INTERVIEWER_HOME": str(home)}))
    st_ = svc.store
    g = Grade(score=62.5, verdict="solid", summary="Good.", better_answer="Better.", follow_up="Why?",
              criteria=[CriterionScore(criterion_id="correctness", level=3, rationale="Right.")],
              key_points=[KeyPointResult(key_point_id="k1", status=KeyPointStatus.covered, evidence="softmax")],
              grader=GraderInfo(backend="offline", rubric_id="default", rubric_version=1),
              usage=Usage(prompt_tokens=10, completion_tokens=5))
    for n in range(2):
        s = st_.start_session("llm-100")
        a = st_.add_attempt(bank_id="llm-100", question_id=f"llm-q03{n}", prompt="Explain attention.",
                            answer=f"softmax of scores {n}", session_id=s.id, duration_s=42.0)
        st_.add_grade(a.id, g)
        st_.add_attempt(bank_id="llm-100", question_id=f"llm-q03{n}", prompt="Why scale?", answer="variance",
                        session_id=s.id, parent_id=a.id)
        st_.add_attempt(bank_id="llm-100", question_id="llm-q001", prompt="p", answer="", session_id=s.id,
                        kind=AttemptKind.skipped)
    st_.add_attempt(bank_id="llm-100", question_id="llm-q002", prompt="p", answer="pending one")
    from interviewer.app import reviewing

    reviewing.override(svc, 1, 80, "the grader missed my point", now=datetime.now(UTC) + timedelta(seconds=1))
    data = export_data(svc)
    svc.close()
    assert len(data["attempts"]) == 7 and data["format"] == EXPORT_FORMAT
    return data


@pytest.fixture
def target(tmp_path_factory):
    """A fresh database to import into."""
    from interviewer.app.services import Services
    from interviewer.locations import Locations

    home = tmp_path_factory.mktemp("dst-home")
    svc = Services.create(locations=Locations.from_env({"INTERVIEWER_HOME": str(home)}))
    yield svc
    svc.close()


def counts(svc) -> tuple[int, ...]:
    c = svc.store.conn
    return tuple(c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("sessions", "attempts", "grades", "overrides"))


def test_the_valid_export_imports(tmp_path, valid_export, target):
    p = tmp_path / "ok.json"
    write_like_export(p, valid_export)
    c = import_history(target, p)
    assert (c["sessions"], c["attempts"], c["grades"], c["overrides"]) == (2, 7, 2, 1)
    assert counts(target) == (2, 7, 2, 1)


def _mutate(data, path: list[int], op: str, value):
    """Walk `path` (indices into keys/items, taken modulo their count) and change what is there."""
    node = data
    for step in path:
        kids = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        if not kids:
            break
        key, child = kids[step % len(kids)]
        if op == "set" and not isinstance(child, dict | list):
            node[key] = value
            return data
        if not isinstance(child, dict | list) or not child:
            break
        node = child
    if isinstance(node, dict):
        keys = list(node)
        if op == "delete" and keys:
            del node[keys[path[-1] % len(keys)] if path else keys[0]]
        elif keys:
            node[keys[(path[-1] if path else 0) % len(keys)] if op != "add" else "surprise"] = value
    elif isinstance(node, list):
        if op == "delete" and node:
            node.pop((path[-1] if path else 0) % len(node))
        else:
            node.append(value) if op == "add" else node.insert(0, value)
    return data


@pytest.mark.slow
@FUZZ
@given(path=st.lists(st.integers(0, 50), min_size=1, max_size=6),
       ops=st.lists(st.tuples(st.sampled_from(["set", "delete", "add"]), json_value), min_size=1, max_size=3))
def test_import_of_a_damaged_export_is_all_or_nothing(tmp_path, valid_export, target, path, ops):
    data = json.loads(json.dumps(valid_export))
    for op, value in ops:
        data = _mutate(data, path, op, value)
    p = tmp_path / "fuzzed.json"
    write_like_export(p, data)
    before = counts(target)
    try:
        c = import_history(target, p)
    except InterviewerError as e:
        assert str(p) in str(e), str(e)
        laid_out = isinstance(data, dict) and all(isinstance(data.get(k), list) for k in ("sessions", "attempts"))
        record_level = str(e).split(": ", 2)[-1].startswith(("attempts[", "sessions["))
        if isinstance(e, FileFormatError) and laid_out and record_level:
            assert e.line is not None, f"a record-level error should name its line: {e}"
        assert counts(target) == before  # nothing written
    else:
        assert all(v >= 0 for v in c.values())
    assert target.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                 st.builds(lambda rest: json.dumps({"format": EXPORT_FORMAT, "version": 1, **rest}).encode(),
                           st.dictionaries(st.sampled_from(["sessions", "attempts", "since", "exported_at", "x"]),
                                           json_value, max_size=4)),
                 st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n)))
def test_history_reader_survives_any_bytes(tmp_path, raw):
    p = tmp_path / "any.json"
    p.write_bytes(raw)
    try:
        hf = read_history_file(p)
    except InterviewerError as e:
        assert str(p) in str(e)
    else:
        assert hf.format == EXPORT_FORMAT


def test_a_record_error_names_its_line(tmp_path, valid_export, target):
    data = json.loads(json.dumps(valid_export))
    data["attempts"][4]["grades"] = [{"created_at": "2025-01-01T00:00:00+00:00", "grade": {"score": 120}}]
    p = tmp_path / "bad.json"
    write_like_export(p, data)
    with pytest.raises(FileFormatError) as ei:
        import_history(target, p)
    line = p.read_text().splitlines()[ei.value.line - 1]
    assert json.loads(line.strip().rstrip(","))["id"] == data["attempts"][4]["id"]
    assert f"{p}:{ei.value.line}: attempts[4].grades[0].grade" in str(ei.value)


# ---------------------------------------------------------------------------------------------- eval JSONL


@pytest.fixture(scope="module")
def eval_services(tmp_path_factory):
    from interviewer.app.services import Services
    from interviewer.locations import Locations

    return Services.create(locations=Locations.from_env({"INTERVIEWER_HOME": str(tmp_path_factory.mktemp("e"))}))


good_record = st.fixed_dictionaries(
    {"answer": st.text(max_size=30), "score": st.floats(0, 5)},
    optional={"question": st.text(min_size=3, max_size=30), "reference": st.text(min_size=1, max_size=30),
              "question_id": st.sampled_from(["llm-q001", "llm-q999", "x"]), "qid": st.text(max_size=8),
              "level": st.sampled_from(["strong", "weak"])})
line = st.one_of(
    good_record.map(json.dumps),
    st.dictionaries(st.sampled_from(["answer", "score", "label", "question", "reference", "question_id", "qid"]),
                    json_value, max_size=6).map(json.dumps),
    json_value.map(json.dumps),
    st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.just('{"answer": "a", "score": ' + "9" * 5000 + "}"),
)


@FUZZ
@given(lines=st.lists(line, max_size=8), label_field=st.sampled_from([None, "score", "label"]))
def test_eval_reader_gives_records_or_names_the_line(tmp_path, eval_services, lines, label_field):
    p = tmp_path / "labels.jsonl"
    p.write_text("\n".join(lines) + "\n")
    n_lines = len(p.read_text().splitlines())
    try:
        records, field = load_records(p, services=eval_services, label_field=label_field)
    except InterviewerError as e:
        msg = str(e)
        assert str(p) in msg, msg
        at = re.match(re.escape(str(p)) + r":(\d+): ", msg)
        if at:
            assert 1 <= int(at[1]) <= n_lines
    else:
        assert records and field
        assert [r.line for r in records] == sorted({r.line for r in records})
        assert all(0 <= r.label <= 5 and 1 <= r.line <= n_lines for r in records)


def test_eval_reader_names_the_line_of_each_problem(tmp_path, eval_services):
    ok = json.dumps({"answer": "softmax", "score": 3, "question": "Explain attention.", "reference": "It weighs."})
    cases = {
        '{"answer": "a", "score": ' + "9" * 5000 + "}": "not usable JSON",
        "[" * 5000 + "]" * 5000: "nested too deeply",
        json.dumps({"answer": "\ud800", "score": 1, "question": "Qqq", "reference": "r"}): "lone surrogate",
        json.dumps({"answer": "a", "score": 1, "question": "Q", "reference": "r"}): "question is not usable",
        "not json": "not valid JSON",
    }
    for bad, needle in cases.items():
        p = tmp_path / "l.jsonl"
        p.write_text(f"{ok}\n\n{bad}\n")
        with pytest.raises(InterviewerError) as ei:
            load_records(p, services=eval_services)
        assert str(ei.value).startswith(f"{p}:3: ") and needle in str(ei.value), str(ei.value)
    p.write_bytes(ok.encode() + b"\n" + b'{"answer": "caf\xe9"}\n')
    with pytest.raises(InterviewerError, match=r":2: not UTF-8 text"):
        load_records(p, services=eval_services)


def test_cli_import_and_eval_print_one_line_errors(capsys, tmp_path):
    from interviewer.cli.main import main

    p = tmp_path / "deep.json"
    p.write_text("[" * 5000 + "]" * 5000)
    assert main(["import", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {p}: not usable JSON (nested too deeply)") and "Traceback" not in err
    q = tmp_path / "l.jsonl"
    q.write_text('{"answer": "a", "score": 1, "question": "Q", "reference": "r"}\n')
    assert main(["eval", str(q), "--backend", "offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {q}:1: the record's question is not usable") and "Traceback" not in err
    sqlite3.connect(":memory:").close()
