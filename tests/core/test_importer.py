"""The Markdown importer: the seed round trip, the variants people write, and honest problem reports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SEED
from interviewer.core.bank import load_bank
from interviewer.core.errors import BankError
from interviewer.core.importer import draft_key_points, import_markdown, import_markdown_file


def test_seed_round_trips_to_100_questions_in_10_topics():
    res = import_markdown_file(SEED, bank_id="llm-100", id_prefix="llm")
    assert res.problems == []
    assert res.skipped_sections == ["Table of Contents", "Summary"]
    bank = res.bank
    assert len(bank.questions) == 100
    assert len(bank.topics()) == 10
    builtin = load_bank(__import__("interviewer.locations", fromlist=["x"]).Locations.from_env(
        {"INTERVIEWER_HOME": "/x"}).builtin_banks_dir / "llm-100.toml")
    for imported, curated in zip(bank.questions, builtin.questions, strict=True):
        assert imported.id == curated.id
        assert imported.question == curated.question
        assert imported.reference == curated.reference
        assert imported.topic == curated.topic
        assert 1 <= len(imported.key_points) <= 6
        assert all(kp.drafted for kp in imported.key_points)


def test_crlf_bom_and_trailing_whitespace_give_the_same_bank():
    text = SEED.read_text()
    messy = "\ufeff" + "\r\n".join(line + "   " for line in text.splitlines())
    a = import_markdown(text, bank_id="x")
    b = import_markdown(messy, bank_id="x")
    assert a.bank == b.bank


VARIANTS = """# My Questions

## Basics

Q1. What is a token?
**A:** A piece of text the model reads.

### Question 2: What is a vector?
Answer: A list of numbers.
It can be long.

### 3) What is softmax?
A: It turns scores into probabilities.

**Q4:** What is a GPU?
**Answer**: A parallel processor.
- Many cores
- Fast matrix maths

### What is a tensor?
**Answer:** A multi-dimensional array.

## Broken

### Q6: A question with no answer

### Q7: Fine again?
**Answer:** Yes.

Some stray text after the answer block.
"""


def test_variants_people_write():
    res = import_markdown(VARIANTS)
    qs = {q.number: q for q in res.bank.questions}
    assert res.bank.id == "my-questions"
    assert sorted(qs) == [1, 2, 3, 4, 5, 7]
    assert qs[1].question == "What is a token?" and qs[1].reference == "A piece of text the model reads."
    assert qs[2].reference == "A list of numbers.\nIt can be long."
    assert qs[3].question == "What is softmax?"
    assert qs[4].question == "What is a GPU?" and "- Many cores" in qs[4].reference
    assert qs[5].question == "What is a tensor?"
    assert {q.topic for q in res.bank.questions} == {"Basics", "Broken"}
    lines = {p.line: p.message for p in res.problems}
    assert any("no answer" in m for m in lines.values())
    no_answer_line = VARIANTS.splitlines().index("### Q6: A question with no answer") + 1
    assert no_answer_line in lines
    # the stray paragraph after Q7's answer belongs to Q7's answer (answers run to the next heading)
    assert "Some stray text" in qs[7].reference


def test_stray_text_before_any_question_in_a_section_is_reported():
    text = "## S\n\n### Q1: What?\n**Answer:** This.\n\n---\n\nLoose paragraph.\n"
    res = import_markdown(text)
    assert [p.line for p in res.problems] == [8]


def test_duplicate_numbers_are_reported_not_merged():
    text = "## S\n### Q1: What is A?\n**Answer:** a.\n### Q1: What is B?\n**Answer:** b.\n"
    res = import_markdown(text)
    assert len(res.bank.questions) == 1
    assert res.problems[0].line == 4 and "appears twice" in res.problems[0].message


def test_no_questions_is_a_clear_error():
    with pytest.raises(BankError, match="no questions found"):
        import_markdown("# Title\n\nJust prose.\n")


def test_key_points_drafted_from_bullets_and_from_prose():
    kps = draft_key_points("- **Encoder**: reads input\n- **Decoder**: writes output\n- Third point here")
    assert [k.text for k in kps] == ["Encoder: reads input", "Decoder: writes output", "Third point here"]
    assert kps[0].alternatives[0] == "Encoder" and all(k.drafted for k in kps)
    prose = ("A model is trained on text, learning patterns in language, enabling it to generate text. "
             "It uses transformers.")
    kps = draft_key_points(prose)
    assert len(kps) >= 2


def test_cli_import_writes_a_loadable_bank_into_the_user_dir(isolated_home):
    proc = subprocess.run([sys.executable, "-m", "interviewer", "bank", "import", str(SEED), "--id", "seed",
                           "--prefix", "llm"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "imported 100 questions in 10 topics" in proc.stdout
    bank = load_bank(isolated_home / "banks" / "seed.toml")
    assert len(bank.questions) == 100
    again = subprocess.run([sys.executable, "-m", "interviewer", "bank", "import", str(SEED), "--id", "seed"],
                           capture_output=True, text=True)
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    listed = subprocess.run([sys.executable, "-m", "interviewer", "bank", "list"], capture_output=True, text=True)
    assert "seed" in listed.stdout and "(yours)" in listed.stdout
