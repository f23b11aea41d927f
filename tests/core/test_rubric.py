"""Rubric files: the shipped ones, validation, and the prompt rendering."""

from __future__ import annotations

import pytest

from interviewer.core.errors import RubricError
from interviewer.core.rubric import load_rubric, render_rubric
from interviewer.locations import Locations

RUBRICS = Locations.from_env({"INTERVIEWER_HOME": "/x"}).builtin_rubrics_dir


def test_shipped_rubrics_load_with_normalised_weights():
    for rid, crits in (("default", {"correctness", "coverage", "clarity", "depth"}),
                       ("comparison", {"sides", "contrast", "coverage", "clarity"})):
        r = load_rubric(RUBRICS / f"{rid}.toml")
        assert {c.id for c in r.criteria} == crits
        assert sum(r.weights().values()) == pytest.approx(1.0)
        assert all([lv.level for lv in c.levels] == [0, 1, 2, 3, 4] for c in r.criteria)
        assert "fillers" in r.guidance.lower() or "filler" in r.guidance.lower()
        assert [c.id for c in r.criteria if c.offline] == ["coverage"]


def test_render_contains_every_level_and_weight():
    text = render_rubric(load_rubric(RUBRICS / "default.toml"))
    assert "Criterion `correctness`" in text and "(weight 0.35)" in text
    assert text.count("\n  4: ") == 4


def _rubric(levels="0,1,2,3,4", weight="1.0", rid="r"):
    lv = ",\n".join(f'{{ level = {n}, description = "level {n} text" }}' for n in levels.split(","))
    return f'''id = "{rid}"
name = "R"
version = 1

[[criteria]]
id = "c"
name = "C"
weight = {weight}
description = "a criterion"
levels = [
{lv}
]
'''


def test_missing_level_zero_weight_and_id_mismatch_are_errors(tmp_path):
    p = tmp_path / "r.toml"
    p.write_text(_rubric(levels="0,1,2,4"))
    with pytest.raises(RubricError, match=r"criterion c.*each of 0, 1, 2, 3, 4"):
        load_rubric(p)
    p.write_text(_rubric(weight="0"))
    with pytest.raises(RubricError, match="greater than 0"):
        load_rubric(p)
    p.write_text(_rubric(rid="other"))
    with pytest.raises(RubricError, match="does not match the file name"):
        load_rubric(p)
    p.write_text(_rubric() + 'surprise = 1\n')
    with pytest.raises(RubricError, match="unknown key"):
        load_rubric(p)


def test_rubric_cli_lists_and_shows(isolated_home):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "interviewer", "rubric", "list"], capture_output=True, text=True)
    assert out.returncode == 0 and "default (v1)" in out.stdout and "comparison (v1)" in out.stdout
    out = subprocess.run([sys.executable, "-m", "interviewer", "rubric", "show", "nope"], capture_output=True,
                         text=True)
    assert out.returncode == 2 and "no rubric with id 'nope'" in out.stderr
