"""The offline grader's words to the candidate: summary, follow-up question, stronger answer, notes.

Owns the templates. They are filled from the key points and the reference, not written by a model, and the
notes say so: the offline grader can tell *what* is missing, not *why* an explanation is wrong.
"""

from __future__ import annotations

import re

from ...core.models import KeyPointStatus, Question
from .match import KeyPointMatch

NOTE_SCOPE = ("The offline grader judges key-point coverage and similarity to the reference only; correctness, "
              "clarity and depth were not assessed. Grade with an LLM backend (e.g. --backend openai or ollama) "
              "for full rubric feedback.")
NOTE_TEMPLATES = "The summary, follow-up question and stronger answer are built from templates and the key points."
NOTE_DERIVED = ("This question has no curated key points: they were derived automatically from the reference "
                "answer, so coverage is approximate.")
NOT_ASSESSED = "not assessed by the offline grader"


def _lower_first(s: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (LLM, RAG, BPE)."""
    s = s.strip().rstrip(".")
    first = s.split(" ", 1)[0]
    return s if len(first) > 1 and first.isupper() else s[:1].lower() + s[1:]


def _sentence(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip()).rstrip(".;:,")
    return (s[:1].upper() + s[1:] + ".") if s else ""


def summary(results: list[tuple[KeyPointMatch, KeyPointStatus]], flags: list[str], empty: bool) -> str:
    if empty:
        return "No answer was given, so no key point could be found."
    n = len(results)
    cov = [m.kp.text for m, s in results if s is KeyPointStatus.covered]
    part = [m.kp.text for m, s in results if s is KeyPointStatus.partial]
    miss = [m.kp.text for m, s in results if s is KeyPointStatus.missing]
    parts = [f"Covered {len(cov)} of {n} key points" + (f", {len(part)} partly" if part else "") + "."]
    if miss:
        shown = "; ".join(_lower_first(t) for t in miss[:2])
        parts.append(f"Missing: {shown}" + (f" (and {len(miss) - 2} more)" if len(miss) > 2 else "") + ".")
    elif part:
        parts.append(f"Say more clearly: {_lower_first(part[0])}.")
    else:
        parts.append("Every key point is there.")
    if flags:
        parts.append("Flagged: " + "; ".join(f.split(":", 1)[0] for f in flags) + ".")
    return " ".join(parts)


def follow_up(question: Question, results: list[tuple[KeyPointMatch, KeyPointStatus]]) -> str:
    """One interviewer-style question probing the weakest key point (missing first, then partial)."""
    order = {KeyPointStatus.missing: 0, KeyPointStatus.partial: 1, KeyPointStatus.covered: 2}
    weak = sorted(results, key=lambda r: (order[r[1]], r[0].score))
    if not weak or weak[0][1] is KeyPointStatus.covered:
        return (f"Good. Can you give a concrete example, or a trade-off, for this: "
                f"{_lower_first(question.question)}?")
    m, status = weak[0]
    point = _lower_first(m.kp.text)
    if status is KeyPointStatus.partial:
        return f"You touched on this briefly: {point}. Can you explain it more precisely?"
    return f"What about this point: {point}? How does it fit into your answer?"


def better_answer(question: Question, results: list[tuple[KeyPointMatch, KeyPointStatus]], derived: bool) -> str:
    """A stronger answer as the candidate could say it, built from the key points (or the reference)."""
    if derived or not results:
        ref = re.sub(r"\*\*|__|`", "", question.reference)
        ref = re.sub(r"^\s*[-*+]\s+", "", ref, flags=re.M)
        return re.sub(r"\s+", " ", ref).strip()
    points = [_sentence(m.kp.text) for m, _ in results]
    return "A complete answer makes each of these points, in your own words: " + " ".join(points)
