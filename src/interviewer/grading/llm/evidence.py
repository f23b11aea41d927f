"""Evidence verification: a key point (or a misconception) counts only with a real quote from the answer.

Judges paraphrase, invent, and can be talked into quoting "model" for every key point. A quote is accepted when

1. it occurs in the answer the model was shown: after normalising case, whitespace, punctuation and Unicode forms
   (curly quotes and ligatures match), on word boundaries; a quote may skip words with an ellipsis
   ("softmax ... scaled"), each part then occurring in order;
2. it is not inside text the answer addresses to the grader (the offline manipulation detector's spans, a grade
   written as JSON): the candidate's instructions are not evidence of anything;
3. it is at least MIN_QUOTE_WORDS words and at most MAX_QUOTE_WORDS (a quote of most of the answer shows nothing
   in particular);
4. it bears on what it is quoted for: it shares a content word (stemmed, with the offline grader's synonyms) with
   the key point's own statement or its listed alternative phrasings, or with the misconception's claim and
   signals. Words the question itself contains, and everyday words ("use", "way"), do not count for this
   unless the point has no other words.

A covered/partial key point whose quote fails is downgraded to missing and the quote is kept in
`KeyPointResult.discarded_evidence`, so the grade shows what was not believed and why the score is lower; the
grade's notes say which rule each discarded quote broke.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ...core.models import KeyPointResult, KeyPointStatus, Question
from ..offline.analyse import analyse
from ..offline.words import GENERIC_TERMS

if TYPE_CHECKING:
    from .schema import KeyPointVerdict

_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ELLIPSIS = re.compile(r"\.{3,}|\u2026|\[\s*\.\.\.\s*\]")
MIN_QUOTE_CHARS = 2
MIN_QUOTE_WORDS = 3
MAX_QUOTE_WORDS = 60
MAX_DISCARDED_CHARS = 300
"""A discarded quote is kept for the record, cut to this length (a model can "quote" megabytes)."""
_GAP = "\x00"
"""Joins the pieces of the answer left around excluded spans: no quote can bridge it."""

ABSENT, TRIVIAL, FLAGGED, LONG = "absent", "trivial", "flagged", "long"


def normalise(text: str) -> str:
    """Lowercase, Unicode NFKC, apostrophes dropped, any other punctuation/whitespace run -> one space."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = _APOSTROPHES.sub("", t)
    return _NON_WORD.sub(" ", t).strip()


def _parts(quote: str) -> list[str]:
    return [p for p in (normalise(x) for x in _ELLIPSIS.split(quote or "")) if p]


def _find(parts: list[str], hay: str) -> bool:
    pos = 0
    for p in parts:
        i = hay.find(" " + p + " ", pos)
        if i < 0:
            return False
        pos = i + len(p) + 1
    return True


def quote_in_answer(quote: str, answer: str, *, answer_normalised: str | None = None) -> bool:
    """True when the quote (or each '...'-separated part, in order) occurs in the answer."""
    parts = _parts(quote)
    if not parts or sum(len(p.replace(" ", "")) for p in parts) < MIN_QUOTE_CHARS:
        return False
    return _find(parts, " " + (answer_normalised if answer_normalised is not None else normalise(answer)) + " ")


@lru_cache(maxsize=4096)
def content_terms(text: str) -> frozenset[str]:
    """The content words of a text as the offline grader matches them (stems folded through its synonyms)."""
    return frozenset(t.term for t in analyse(text).tokens if t.term and not t.function)


class QuoteChecker:
    """Checks quotes against one answer: the answer as the model saw it, minus spans addressed to the grader."""

    def __init__(self, answer: str, question: Question | None = None,
                 excluded: Sequence[tuple[int, int]] = ()) -> None:
        self.full = " " + normalise(answer) + " "
        kept, pos = [], 0
        for s, e in sorted(excluded):
            if s > pos:
                kept.append(answer[pos:s])
            pos = max(pos, e)
        kept.append(answer[pos:])
        self.clean = " " + f" {_GAP} ".join(normalise(k) for k in kept) + " "
        self.question_terms = content_terms(question.question) if question is not None else frozenset()

    def topic(self, *texts: str) -> frozenset[str]:
        """The words that make a quote bear on a point described by `texts` (its statement, its alternatives)."""
        terms: set[str] = set()
        for t in texts:
            terms |= content_terms(t)
        specific = terms - GENERIC_TERMS - self.question_terms
        return frozenset(specific or terms - GENERIC_TERMS or terms)

    def check(self, quote: str, topic: frozenset[str] | None = None) -> str | None:
        """None when the quote is real evidence; otherwise why not: absent, flagged, trivial or long."""
        parts = _parts(quote)
        words = sum(len(p.split()) for p in parts)
        if not parts or sum(len(p.replace(" ", "")) for p in parts) < MIN_QUOTE_CHARS:
            return TRIVIAL
        if not _find(parts, self.full):
            return ABSENT
        if not _find(parts, self.clean):
            return FLAGGED
        if words < MIN_QUOTE_WORDS:
            return TRIVIAL
        if words > MAX_QUOTE_WORDS:
            return LONG
        if topic is not None and not (content_terms(quote) & topic):
            return TRIVIAL
        return None


REASONS = {
    ABSENT: "does not occur in the answer",
    TRIVIAL: f"is too slight to show the point (fewer than {MIN_QUOTE_WORDS} words, or none of the point's own "
             "terms)",
    FLAGGED: "comes from text the answer addresses to the grader",
    LONG: f"is not a quote but most of the answer (over {MAX_QUOTE_WORDS} words)",
}


def _short(text: str) -> str:
    return text if len(text) <= MAX_DISCARDED_CHARS else text[:MAX_DISCARDED_CHARS - 1].rstrip() + "\u2026"


def verify_key_points(verdicts: Iterable[KeyPointVerdict], answer: str, checker: QuoteChecker | None = None,
                      topics: dict[str, frozenset[str]] | None = None) -> tuple[list[KeyPointResult], list[str]]:
    """KeyPointResults with only verified evidence, and notes on what was discarded and why.
    `topics` maps a key point id to the words its quote must bear on (QuoteChecker.topic); without it, only
    occurrence, length and flagged spans are checked."""
    checker = checker or QuoteChecker(answer)
    results: list[KeyPointResult] = []
    discarded: dict[str, list[str]] = {}
    unquoted: list[str] = []
    for v in verdicts:
        status = KeyPointStatus(v.status)
        quote = (v.evidence or "").strip()
        if status is KeyPointStatus.missing:
            results.append(KeyPointResult(key_point_id=v.id, status=status))
        elif not quote:
            unquoted.append(v.id)
            results.append(KeyPointResult(key_point_id=v.id, status=KeyPointStatus.missing))
        elif (why := checker.check(quote, (topics or {}).get(v.id))) is None:
            results.append(KeyPointResult(key_point_id=v.id, status=status, evidence=quote))
        else:
            discarded.setdefault(why, []).append(v.id)
            results.append(KeyPointResult(key_point_id=v.id, status=KeyPointStatus.missing,
                                          discarded_evidence=_short(quote)))
    notes = [f"evidence for key point(s) {', '.join(ids)} {REASONS[why]}; not counted as covered"
             for why, ids in discarded.items()]
    if unquoted:
        notes.append(f"key point(s) {', '.join(unquoted)} were marked covered without a quote; not counted")
    return results, notes
