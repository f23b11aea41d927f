"""Misconceptions a judge names, kept only with the candidate's own words that state them.

The prompt lists the question's known misconceptions (`Question.misconceptions`) by id; the model names one by
its id, or a new one with its own claim and correction, and each time quotes the words that state it. A known one
gets the bank's claim and correction (the model's wording for it is not used); a new one keeps the model's.

The quote is checked as key-point evidence is (grading.llm.evidence): it must occur in the answer, outside text
addressed to the grader, be 3-60 words and share a content word with the claim (for a known misconception, with
its claim or its signals). A misconception whose quote fails is dropped, not kept without its quote: it is an
accusation, it lowers the correctness level and caps the verdict, and the score rests on verified facts only; the
grade's notes say what was dropped. A known misconception that contradicts key points (`contradicts`) makes
them missing, with the quote as the contradiction, as in the offline grader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...core.models import FoundMisconception, Question
from .evidence import QuoteChecker, normalise
from .schema import NEW, MisconceptionVerdict


def verify_misconceptions(items: Iterable[MisconceptionVerdict], question: Question, checker: QuoteChecker,
                          text: Callable[[str, str], str] = lambda s, _f: s.strip()
                          ) -> tuple[list[FoundMisconception], dict[str, str], list[str]]:
    """(misconceptions kept, key point id -> the words that contradict it, notes). `text(value, field)` cleans
    the model's own claim and correction (echo check, length cap)."""
    bank = {m.id: m for m in question.misconceptions}
    kept: list[FoundMisconception] = []
    contradicted: dict[str, str] = {}
    dropped: list[str] = []
    quotes: set[str] = set()
    for item in items:
        quote = item.quote.strip()
        known = bank.get(item.id) if item.id != NEW or NEW in bank else None
        if known is not None:
            if any(f.id == known.id for f in kept):
                continue
            label, topic = known.id, checker.topic(known.claim, *known.signals)
        else:
            claim = text(item.claim, "claim")
            if not claim:
                continue
            label, topic = f'"{claim[:60]}"', checker.topic(claim)
        if not quote or checker.check(quote, topic) is not None:
            dropped.append(label)
            continue
        if normalise(quote) in quotes:  # the same words named twice (a known one and a "new" one)
            continue
        quotes.add(normalise(quote))
        if known is not None:
            kept.append(FoundMisconception(claim=known.claim, correction=known.correction, evidence=quote,
                                           id=known.id, source="bank"))
            for kp in known.contradicts:
                contradicted.setdefault(kp, quote)
        else:
            kept.append(FoundMisconception(claim=claim, correction=text(item.correction, "correction"),
                                           evidence=quote, source="model"))
    notes = []
    if dropped:
        notes.append(f"misconception(s) {', '.join(dropped)} named without words from the answer that state them; "
                     "not counted")
    return kept, contradicted, notes
