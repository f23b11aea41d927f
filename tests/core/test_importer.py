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


MISCONCEPTIONS_MD = """# Attention bank
## Attention
### Q1: What is Flash Attention?
**Answer:** FlashAttention computes exact attention, tiled to cut reads and writes of GPU memory.

**Common misconceptions:**
- FlashAttention approximates attention — It computes exact attention; the speed comes from IO-aware tiling.
  (said as: flash attention is approximate; approximates the attention)
- It reduces the FLOPs -> It does about the same FLOPs; it is faster because it moves less data.
- A bullet with no correction

### Q2: What is a KV cache?
**Answer:** The stored keys and values of earlier tokens, reused at each decoding step.
"""


def test_misconceptions_are_imported_with_corrections_and_signals(tmp_path):
    r = import_markdown(MISCONCEPTIONS_MD)
    q1, q2 = r.bank.questions
    assert "misconception" not in q1.reference.lower()  # the block is not part of the reference answer
    m1, m2 = q1.misconceptions
    assert (m1.id, m1.claim) == ("m1", "FlashAttention approximates attention")
    assert m1.correction.startswith("It computes exact attention")
    assert m1.signals == ["flash attention is approximate", "approximates the attention"]
    assert m2.claim == "It reduces the FLOPs" and "moves less data" in m2.correction and m2.signals == []
    assert q2.misconceptions == []  # imported banks may have none
    assert [p.line for p in r.problems] == [10] and "without a correction" in r.problems[0].message
    # The bank round-trips through its TOML with the misconceptions.
    from interviewer.core.bank import dump_bank

    f = tmp_path / "b.toml"
    f.write_text(dump_bank(r.bank))
    assert load_bank(f).questions[0].misconceptions == q1.misconceptions


SIBLINGS_MD = """## Decoding
### Q1: What is top-p sampling?
**Answer:** Sample from the smallest set of tokens whose cumulative probability reaches p.
**Not to be confused with:** Q2

### Q2: What is top-k sampling?
**Answer:** Sample from the k most likely tokens.

Distinct from: Q1, Q7, question 2

### Q3: What is beam search?
**Answer:** Keep the B best partial sequences at each step.
Not to be confused with: the others
"""


def test_siblings_are_imported_by_number_and_round_trip(tmp_path):
    from interviewer.core.bank import dump_bank

    r = import_markdown(SIBLINGS_MD, bank_id="dec")
    q1, q2, q3 = r.bank.questions
    assert (q1.distinct_from, q2.distinct_from, q3.distinct_from) == ([q2.id], [q1.id], [])
    assert "confused" not in q1.reference and "Distinct" not in q2.reference  # not part of the reference answer
    messages = [(p.line, p.message) for p in r.problems]
    assert [m for line, m in messages if line == 9] == [  # unknown and itself, reported and left out
        f"'Not to be confused with: Q{n}' names no other question of this file; it was left out" for n in (7, 2)]
    assert [line for line, m in messages if "names no question number" in m] == [13]
    f = tmp_path / "b.toml"
    f.write_text(dump_bank(r.bank))
    assert load_bank(f).questions[0].distinct_from == [q2.id]


def test_lint_warns_about_missing_and_unspecific_misconceptions(tmp_path, isolated_home):
    from interviewer.core.bank import dump_bank

    r = import_markdown(MISCONCEPTIONS_MD.replace("approximates the attention", "attention"))
    f = tmp_path / "b.toml"
    f.write_text(dump_bank(r.bank))
    proc = subprocess.run([sys.executable, "-m", "interviewer", "bank", "lint", str(f)], capture_output=True,
                          text=True)
    out = " ".join((proc.stdout + proc.stderr).split())  # the console wraps long lines
    assert proc.returncode == 0, out  # warnings, not errors
    assert "question attention-q002: no misconceptions" in out
    assert "signal 'attention' has fewer than two content words" in out
    assert "misconception m2 has no usable signal" in out
    strict = subprocess.run([sys.executable, "-m", "interviewer", "bank", "lint", "--strict", str(f)],
                            capture_output=True, text=True)
    assert strict.returncode != 0


def test_lint_warns_about_a_sibling_marked_on_one_side_only(tmp_path):
    from interviewer.core.bank import dump_bank

    bank = import_markdown(MISCONCEPTIONS_MD).bank
    first, second = bank.questions[:2]
    one_sided = bank.model_copy(update={"questions": [first.model_copy(update={"distinct_from": [second.id]}),
                                                      *bank.questions[1:]]})
    f = tmp_path / "b.toml"
    f.write_text(dump_bank(one_sided))
    proc = subprocess.run([sys.executable, "-m", "interviewer", "bank", "lint", str(f)], capture_output=True,
                          text=True)
    out = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode == 0, out
    assert f"question {first.id}: distinct_from names {second.id}, but {second.id} does not name {first.id}" in out
    f.write_text(dump_bank(bank))  # unmarked: no such warning
    clean = subprocess.run([sys.executable, "-m", "interviewer", "bank", "lint", str(f)], capture_output=True, text=True)
    assert "distinct_from" not in clean.stdout + clean.stderr


def test_lint_names_a_signal_that_would_call_the_reference_wrong(tmp_path):
    from interviewer.core.bank import dump_bank

    md = MISCONCEPTIONS_MD.replace("(said as: flash attention is approximate;", "(said as: exact attention tiled;")
    f = tmp_path / "b.toml"
    f.write_text(dump_bank(import_markdown(md).bank))
    proc = subprocess.run([sys.executable, "-m", "interviewer", "bank", "lint", str(f)], capture_output=True,
                          text=True)
    assert "signal 'exact attention tiled' fires on the reference answer" in " ".join((proc.stdout + proc.stderr).split())


def test_the_built_in_bank_has_misconceptions_for_every_question_and_lints_clean_of_them():
    from interviewer.core.bank import load_bank as load
    from interviewer.grading.offline.lint import misconception_warnings

    bank = load(SEED.parents[2] / "data" / "banks" / "llm-100.toml")
    counts = [len(q.misconceptions) for q in bank.questions]
    assert min(counts) >= 3 and sum(counts) >= 300
    assert all(m.correction and m.signals for q in bank.questions for m in q.misconceptions)
    firing = [w for q in bank.questions for w in misconception_warnings(q) if "fires on" in w]
    assert firing == []
