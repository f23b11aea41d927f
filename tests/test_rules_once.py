"""Every rule a person sees is written once (issue 17): the score bands in core/scoring.py, "weak" in
core/weak.py, the filler words in core/insights.py, the terminal-safe text rule in termsafe.py, the bar in
app/wording.py. Everything else imports them. These checks read src/ and fail when a copy comes back: a band
number compared with a score or said in a sentence, the control-character class, a bar drawn by hand, a filler
list written out. Each pattern is narrow on purpose (60 seconds, 80 columns, 40 characters are not bands)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "interviewer"

_BAND = r"(?:80|60|40)(?:\.0)?"
_SCOREISH = r"\w*(?:score|mastery|avg|average|mean)\w*"

RULES: list[tuple[str, str, re.Pattern[str]]] = [
    # (what, its one home relative to src/interviewer, a copy of it anywhere else)
    ("a score band compared", "core/scoring.py",
     re.compile(rf"\b{_SCOREISH}\s*[<>]=?\s*{_BAND}\b|\b{_BAND}\s*[<>]=?\s*{_SCOREISH}\b")),
    ("a score band said", "core/scoring.py",
     re.compile(rf"\b{_BAND}\+|\({_BAND}\)|\b(?:below|above|under) {_BAND}\b(?!\s*%)|\b{_BAND} or (?:above|more)\b"
                r"|\b(?:0-39|40-59|60-79|80-100)\b")),
    ("the weak threshold compared", "core/weak.py", re.compile(r"[<>]=?\s*WEAK_BELOW\b|\bWEAK_BELOW\s*[<>]")),
    ("a band looked up by hand", "core/scoring.py", re.compile(r"for \w+, \w+ in VERDICT_BANDS if")),
    ("the control-character class", "termsafe.py", re.compile(r"\\x00-\\x08|\\x7f-\\x9f|\\x0b-\\x1f")),
    ("a bar drawn by hand", "app/wording.py", re.compile(r"[\"']█[\"']\s*\*")),
]


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize(("what", "home", "pattern"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_is_written_only_in_its_home(what, home, pattern):
    copies = []
    for path in _sources():
        rel = path.relative_to(SRC).as_posix()
        if rel == home:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                copies.append(f"{rel}:{n}: {line.strip()}")
    assert not copies, f"{what} outside {home} (import it from there instead):\n" + "\n".join(copies)


@pytest.mark.parametrize(("what", "home", "pattern"), RULES, ids=[r[0] for r in RULES])
def test_each_pattern_finds_its_rule_at_home(what, home, pattern):
    """The patterns are not vacuous: each finds the rule where it lives (or, for comparisons made only at home,
    a copy written the way it used to be)."""
    text = (SRC / home).read_text(encoding="utf-8")
    old_copies = {
        "a score band compared": "    if score >= 60:",
        "a score band said": 'f"solid+ (60+)"',
        "the weak threshold compared": "return mastery is not None and mastery < WEAK_BELOW",
        "a band looked up by hand": 'next(lo for lo, name in VERDICT_BANDS if name == "solid")',
    }
    assert pattern.search(text) or pattern.search(old_copies.get(what, ""))


def test_the_bands_are_written_once():
    """80, 60 and 40 as band floors appear in core/scoring.py's table and nowhere else in it either."""
    text = (SRC / "core" / "scoring.py").read_text(encoding="utf-8")
    for floor in ("80.0", "60.0", "40.0"):
        assert len(re.findall(rf"\({re.escape(floor)}, \"", text)) == 1
    assert not re.search(r"\b(?:0-39|40-59|60-79|80-100)\b:", text)  # help ranges are derived (band_range)


def _filler_lists(path: Path) -> list[int]:
    """Lines where a string, or a tuple/list/set of strings, lists the vocal fillers (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    docs |= {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    lines = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
            text = n.value
        elif isinstance(n, ast.Tuple | ast.List | ast.Set):
            text = " ".join(e.value for e in n.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        else:
            continue
        if len(set(re.findall(r"\b(?:umm?|uhh?|erm?|hmm)\b", text))) >= 4:  # a list, not "um" and "uh" in prose
            lines.append(n.lineno)
    return lines


def test_the_filler_words_are_listed_once():
    """core.insights.FILLER_WORDS is the list; the offline grader's function words, glue and echo checks add
    their own words to it rather than writing the fillers out again."""
    home = SRC / "core" / "insights.py"
    assert _filler_lists(home)
    copies = [f"{p.relative_to(SRC)}:{n}" for p in _sources() if p != home for n in _filler_lists(p)]
    assert not copies, copies


def test_no_built_in_module_is_looked_up_by_name():
    """Commands and screens are imported by name: a missing module is an ImportError, never a silently missing
    feature. importlib stays for optional third-party packages (voice, backends' clients, fsrs)."""
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"import_module\(\s*(f?[\"'][^\"']*[\"'])", text):
            arg = m.group(1)
            if "interviewer" in arg or "__package__" in text[m.start():m.start() + 120] or arg.startswith(("f'.", 'f".', "'.", '".')):
                found.append(f"{path.relative_to(SRC)}: {arg}")
    assert not found, found
    assert not re.search(r"except\s+\(?[^)]*ModuleNotFoundError", (SRC / "tui" / "app.py").read_text(encoding="utf-8"))
