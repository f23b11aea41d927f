"""Every grader judges the words a person reads: the offline grader's tokeniser and the text sent to a model
remove the same invisible characters (one list, grading.answer.INVISIBLE_CHARS)."""

from __future__ import annotations

import re

from interviewer.grading.answer import INVISIBLE_CHARS, strip_invisible
from interviewer.grading.offline.analyse import visible

_OPENERS = "\u202e\u2066\u2067\u2068"


def _samples() -> list[str]:
    """The first and last character of each range in the class, and each single character."""
    out = []
    for m in re.finditer(r"(.)-(.)|(.)", INVISIBLE_CHARS, re.S):
        out.extend(c for c in m.groups() if c)
    return out


def test_both_paths_remove_the_same_characters():
    chars = _samples()
    assert "\u00ad" in chars and "\ufe0f" in chars and "\U000e0041" not in chars  # a range's inside is not sampled
    for c in chars + ["\U000e0041"]:
        text = f"attention{c} is all you need"
        stripped, n = strip_invisible(text)
        seen, _, hidden = visible(text)
        assert n == 1 and stripped == "attention is all you need", hex(ord(c))
        assert hidden, hex(ord(c))
        if c in _OPENERS:  # the offline grader also drops what a direction override hides: a reader sees it reversed
            assert seen.startswith("attention"), hex(ord(c))
        else:
            assert seen == stripped, hex(ord(c))
