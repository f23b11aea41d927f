"""What every grader does to an answer before judging it: the same bound on its length and the same removal of
text a reader cannot see, so the offline grader and a model judge the same words a person would read.
"""

from __future__ import annotations

import re

# Characters a reader does not see but a model reads: zero-width and joiners, bidi controls, word joiners,
# BOM, soft hyphen, variation selectors, and the Unicode tag block (invisible ASCII look-alikes).
INVISIBLE_CHARS = ("\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufe00-\ufe0f"
                   "\U000e0000-\U000e007f\U000e0100-\U000e01ef")
"""The one list (a regex character class), shared with the offline grader's tokeniser (offline.analyse)."""
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")

MAX_ANSWER_CHARS = 16_000
"""The most of one answer sent to a model (about 4k tokens). A five-minute spoken answer is ~5,000 characters;
anything longer is cut at a word boundary before sending, and only what was sent is graded."""


def strip_invisible(answer: str) -> tuple[str, int]:
    """The answer without characters a reader cannot see (so the model reads what a person reads), and how
    many were removed."""
    text, n = _INVISIBLE.subn("", answer)
    return text, n


def bound_answer(answer: str, limit: int = MAX_ANSWER_CHARS) -> tuple[str, int]:
    """(the answer cut to at most `limit` characters at a word boundary, how many characters were left out)."""
    if len(answer) <= limit:
        return answer, 0
    cut = answer.rfind(" ", max(0, limit - 200), limit)
    cut = cut if cut > 0 else limit
    head = answer[:cut].rstrip()
    return head, len(answer) - len(head)
