"""Evidence verification: a key point counts only if the quote offered for it occurs in the answer.

Judges paraphrase and sometimes invent. A quote is accepted when, after normalising case, whitespace and
punctuation (and Unicode forms, so curly quotes and ligatures match), it occurs in the normalised answer on
word boundaries. A quote may skip words with an ellipsis ("softmax ... scaled"): each part must then occur,
in order. A covered/partial key point whose quote fails is downgraded to missing and the quote is kept in
`KeyPointResult.discarded_evidence`, so the grade shows what was not believed and why the score is lower.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ...core.models import KeyPointResult, KeyPointStatus
from .schema import KeyPointVerdict

_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ELLIPSIS = re.compile(r"\.{3,}|\u2026|\[\s*\.\.\.\s*\]")
MIN_QUOTE_CHARS = 2


def normalise(text: str) -> str:
    """Lowercase, Unicode NFKC, apostrophes dropped, any other punctuation/whitespace run -> one space."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = _APOSTROPHES.sub("", t)
    return _NON_WORD.sub(" ", t).strip()


def quote_in_answer(quote: str, answer: str, *, answer_normalised: str | None = None) -> bool:
    """True when the quote (or each '...'-separated part, in order) occurs in the answer."""
    parts = [normalise(p) for p in _ELLIPSIS.split(quote or "")]
    parts = [p for p in parts if p]
    if not parts or sum(len(p.replace(" ", "")) for p in parts) < MIN_QUOTE_CHARS:
        return False
    hay = " " + (answer_normalised if answer_normalised is not None else normalise(answer)) + " "
    pos = 0
    for p in parts:
        i = hay.find(" " + p + " ", pos)
        if i < 0:
            return False
        pos = i + len(p) + 1
    return True


def verify_key_points(verdicts: Iterable[KeyPointVerdict], answer: str) -> tuple[list[KeyPointResult], list[str]]:
    """KeyPointResults with only verified evidence, and notes on what was discarded."""
    norm = normalise(answer)
    results: list[KeyPointResult] = []
    discarded: list[str] = []
    unquoted: list[str] = []
    for v in verdicts:
        status = KeyPointStatus(v.status)
        quote = (v.evidence or "").strip()
        if status is KeyPointStatus.missing:
            results.append(KeyPointResult(key_point_id=v.id, status=status))
        elif not quote:
            unquoted.append(v.id)
            results.append(KeyPointResult(key_point_id=v.id, status=KeyPointStatus.missing))
        elif quote_in_answer(quote, answer, answer_normalised=norm):
            results.append(KeyPointResult(key_point_id=v.id, status=status, evidence=quote))
        else:
            discarded.append(v.id)
            results.append(KeyPointResult(key_point_id=v.id, status=KeyPointStatus.missing,
                                          discarded_evidence=quote))
    notes: list[str] = []
    if discarded:
        notes.append(f"evidence for key point(s) {', '.join(discarded)} does not occur in the answer; "
                     "not counted as covered")
    if unquoted:
        notes.append(f"key point(s) {', '.join(unquoted)} were marked covered without a quote; not counted")
    return results, notes
