"""The built-in bank and the bank loader's validation errors."""

from __future__ import annotations

import re

import pytest

from interviewer.core.bank import discover_banks, dump_bank, load_bank
from interviewer.core.errors import BankError
from interviewer.locations import Locations

BANK = Locations.from_env({"INTERVIEWER_HOME": "/nonexistent"}).builtin_banks_dir / "llm-100.toml"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK)


def test_builtin_bank_has_100_questions_in_10_topics(bank):
    assert len(bank.questions) == 100
    assert len(bank.topics()) == 10
    assert [q.number for q in bank.questions] == list(range(1, 101))
    assert [q.id for q in bank.questions] == [f"llm-q{n:03d}" for n in range(1, 101)]


def test_every_question_has_3_to_6_hand_written_key_points(bank):
    for q in bank.questions:
        assert 3 <= len(q.key_points) <= 6, q.id
        for kp in q.key_points:
            assert not kp.drafted, f"{q.id}/{kp.id} is still a draft"
            assert kp.alternatives, f"{q.id}/{kp.id} has no alternative phrasings"


def test_rubric_names_exist_and_comparisons_use_the_comparison_rubric(bank, services):
    rubrics = set(services.rubrics)
    assert {"default", "comparison"} <= rubrics
    for q in bank.questions:
        assert q.rubric in rubrics
    diff = [q for q in bank.questions if re.search(r"difference between", q.question, re.I)]
    assert diff and all(q.rubric == "comparison" for q in diff)
    assert {q.difficulty.value for q in bank.questions} == {"basic", "intermediate", "advanced"}


def test_reference_markdown_is_kept(bank):
    q2 = bank.get("llm-q002")
    assert "- **Self-attention mechanism**" in q2.reference


def test_dump_then_load_round_trips(bank, tmp_path):
    p = tmp_path / "b.toml"
    p.write_text(dump_bank(bank))
    assert load_bank(p) == bank


GOOD = '''
[bank]
id = "mini"
title = "Mini"

[[questions]]
id = "mini-q001"
number = 1
topic = "T"
question = "What is X?"
reference = "X is Y."

[[questions.key_points]]
id = "k1"
text = "X is Y"
'''


def _write(tmp_path, text):
    p = tmp_path / "bank.toml"
    p.write_text(text)
    return p


def test_minimal_bank_loads(tmp_path):
    b = load_bank(_write(tmp_path, GOOD))
    assert b.get("mini-q001").key_points[0].text == "X is Y"


def test_unknown_key_names_file_question_and_field(tmp_path):
    p = _write(tmp_path, GOOD.replace('reference = "X is Y."', 'reference = "X is Y."\nanswr = "typo"'))
    with pytest.raises(BankError) as ei:
        load_bank(p)
    msg = str(ei.value)
    assert str(p) in msg and "question mini-q001" in msg and "answr" in msg and "unknown key" in msg
    assert ei.value.line == 7  # the line of the question's id


def test_duplicate_question_ids_are_errors(tmp_path):
    second = GOOD.split("[[questions]]")[1].replace("number = 1", "number = 2")
    p = _write(tmp_path, GOOD + "\n[[questions]]" + second)
    with pytest.raises(BankError) as ei:
        load_bank(p)
    assert "duplicate question id 'mini-q001'" in str(ei.value)
    assert ei.value.line is not None and ei.value.line > 15


def test_distinct_from_must_name_another_question_of_the_bank(tmp_path):
    second = GOOD.split("[[questions]]")[1].replace("number = 1", "number = 2").replace("mini-q001", "mini-q002")
    ok = GOOD.replace('reference = "X is Y."', 'reference = "X is Y."\ndistinct_from = ["mini-q002"]', 1)
    b = load_bank(_write(tmp_path, ok + "\n[[questions]]" + second))
    assert b.get("mini-q001").distinct_from == ["mini-q002"] and b.get("mini-q002").distinct_from == []
    for bad in ("mini-q009", "mini-q001"):  # unknown, itself
        p = _write(tmp_path, GOOD.replace('reference = "X is Y."', f'reference = "X is Y."\ndistinct_from = ["{bad}"]'))
        with pytest.raises(BankError, match=f"distinct_from names \\['{bad}'\\], which are not other questions"):
            load_bank(p)


def test_the_built_in_bank_marks_its_confusable_siblings_on_both_sides(bank):
    marked = {q.id: q.distinct_from for q in bank.questions if q.distinct_from}
    assert marked == {"llm-q022": ["llm-q023"], "llm-q023": ["llm-q022"], "llm-q038": ["llm-q039"],
                      "llm-q039": ["llm-q038"], "llm-q043": ["llm-q044"],
                      "llm-q044": ["llm-q043"], "llm-q094": ["llm-q096"], "llm-q096": ["llm-q094"]}


def test_duplicate_key_point_ids_are_errors(tmp_path):
    p = _write(tmp_path, GOOD + '\n[[questions.key_points]]\nid = "k1"\ntext = "again"\n')
    with pytest.raises(BankError, match="duplicate key point id 'k1'"):
        load_bank(p)


def test_missing_field_and_bad_value(tmp_path):
    with pytest.raises(BankError, match=r"field 'questions\[0\]\.reference'.*required but missing"):
        load_bank(_write(tmp_path, GOOD.replace('reference = "X is Y."', "")))
    with pytest.raises(BankError, match="difficulty"):
        load_bank(_write(tmp_path, GOOD.replace('topic = "T"', 'topic = "T"\ndifficulty = "easy"')))


def test_invalid_toml_gives_the_line(tmp_path):
    p = _write(tmp_path, GOOD.replace('title = "Mini"', 'title = "Mini'))
    with pytest.raises(BankError) as ei:
        load_bank(p)
    assert ei.value.line == 4 and "invalid TOML" in str(ei.value)


def test_not_utf8_and_missing_file(tmp_path):
    p = tmp_path / "bin.toml"
    p.write_bytes(b"[bank]\nid = \"\xff\"\n")
    with pytest.raises(BankError, match="not UTF-8"):
        load_bank(p)
    with pytest.raises(BankError, match="file not found"):
        load_bank(tmp_path / "nope.toml")


def test_discover_reports_broken_user_banks_without_failing(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "broken.toml").write_text("[bank\n")
    (user / "mini.toml").write_text(GOOD)
    banks, problems = discover_banks(BANK.parent, user)
    assert {b.bank.id for b in banks} == {"llm-100", "mini"}
    assert len(problems) == 1 and "broken.toml" in problems[0].error


def test_bank_show_names_the_siblings_not_to_confuse(capsys, isolated_home):
    from interviewer.cli.main import main

    assert main(["bank", "show", "llm-q043"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Not to be confused with: llm-q044 (What is top-k sampling?)" in out
    assert main(["bank", "show", "llm-q045"]) == 0
    assert "confused" not in capsys.readouterr().out
