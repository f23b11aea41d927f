"""Hypothesis fuzzing: any input to the Markdown importer, the bank loader, the rubric loader or the config
loader gives either a result or the project's own clear error, never a traceback."""

from __future__ import annotations

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewer.config import load_config
from interviewer.core.bank import load_bank
from interviewer.core.errors import BankError, ConfigError, FileFormatError, RubricError
from interviewer.core.importer import import_markdown
from interviewer.core.rubric import load_rubric

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

md_line = st.one_of(
    st.sampled_from(["## Topic", "### Q1: What is X?", "### Q2. Why?", "**Answer:** yes", "Answer:", "- item",
                     "1. first", "---", "", "# Title", "**A:** b", "Question 3: how?", "### ", "## ", "**Q4:**"]),
    st.text(max_size=40),
)


@FUZZ
@given(st.lists(md_line, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]))
def test_markdown_importer_never_crashes(lines, nl):
    try:
        res = import_markdown(nl.join(lines))
    except BankError as e:
        assert "no questions found" in str(e)
        return
    assert res.bank.questions
    for p in res.problems:
        assert p.line >= 1


scalar = st.one_of(st.text(max_size=20), st.integers(-5, 200), st.booleans(), st.floats(allow_nan=False))
question = st.fixed_dictionaries(
    {"id": st.one_of(st.just("q-1"), st.text(max_size=8)), "number": st.integers(-1, 3),
     "topic": st.text(max_size=5), "question": st.text(max_size=12), "reference": st.text(max_size=12)},
    optional={"difficulty": st.sampled_from(["basic", "hard", ""]), "rubric": scalar,
              "key_points": st.lists(st.fixed_dictionaries({"id": st.text(max_size=4), "text": st.text(max_size=8)},
                                                           optional={"alternatives": st.lists(scalar, max_size=2),
                                                                     "extra": scalar}), max_size=3),
              "surprise": scalar},
)
bank_doc = st.fixed_dictionaries(
    {},
    optional={"bank": st.fixed_dictionaries({"id": st.text(max_size=6), "title": st.text(max_size=6)},
                                            optional={"version": st.integers(-1, 3)}),
              "questions": st.lists(question, max_size=3), "other": scalar},
)


@FUZZ
@given(bank_doc)
def test_bank_loader_never_crashes_on_structured_input(tmp_path, doc):
    p = tmp_path / "b.toml"
    p.write_text(tomli_w.dumps(doc))
    try:
        load_bank(p)
    except BankError as e:
        assert str(p) in str(e)


@FUZZ
@given(st.binary(max_size=300))
def test_every_file_loader_survives_arbitrary_bytes(tmp_path, raw):
    p = tmp_path / "f.toml"
    p.write_bytes(raw)
    for loader, err in ((load_bank, BankError), (load_rubric, RubricError),
                        (lambda path: load_config(path, env={}), ConfigError)):
        try:
            loader(p)
        except err as e:
            assert isinstance(e, FileFormatError) and str(p) in str(e)
