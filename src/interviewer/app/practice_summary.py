"""The end-of-session summary: per-question scores and times, per-topic averages, the weakest key points and
what to practise next. Pure over a `Practice` object's state (no store access), so the TUI's summary screen and
plain mode print the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.models import AttemptKind, KeyPointStatus, Question
from ..core.weak import is_weak
from .practice_items import Item

CONTRADICTED = "contradicted"
"""A summary's key point the answer said the opposite of (missing, with the grade's contradiction)."""
KEY_POINT_NOTE = {CONTRADICTED: " (you said the opposite)", "partial": " (partly covered)"}
"""What the summary adds after a key point's text, by its status (nothing for one left out)."""


@dataclass
class SummaryRow:
    question: Question
    kind: str
    """answer | skipped | dont_know | unanswered"""
    score: float | None
    verdict: str
    duration_s: float | None
    status: str
    follow_up_scores: list[float | None] = field(default_factory=list)


@dataclass
class SessionSummary:
    rows: list[SummaryRow]
    topic_averages: list[tuple[str, float, int]]
    """(topic, average score, graded answers), weakest first."""
    weakest_key_points: list[tuple[Question, str, str]]
    """(question, key point text, contradicted | missing | partial), most in need first: "contradicted" is a missing
    point the answer said the opposite of (the feedback's "you said the opposite")."""
    next_steps: list[str]
    avg_score: float | None
    answered: int
    graded: int
    total_seconds: float
    """Time on every question of the session, the sum of its rows' whole seconds: the time column adds up to it."""
    answering_seconds: float = 0.0
    """Time on the questions answered (skipped and "I don't know" left out): their rows add up to it."""


def summarise(items: Sequence[Item], *, pending: int, untried_topics: Sequence[str] = ()) -> SessionSummary:
    """The summary of a session's items; `pending` is how many saved answers still wait for a grade;
    `untried_topics` are the bank's topics never practised (for "what to practise next")."""
    rows: list[SummaryRow] = []
    by_topic: dict[str, list[float]] = defaultdict(list)
    weak_kps: list[tuple[float, int, Question, str, str]] = []
    total = answering = 0.0
    for n, it in enumerate(items):
        a = it.answer
        if a is None:
            rows.append(SummaryRow(it.question, "unanswered", None, "", None, "not reached"))
            continue
        score = a.score
        status = a.attempt.status.value if a.grade is None else "graded"
        shown = round(max(0.0, a.attempt.duration_s or 0.0))  # whole seconds, as each row shows it: the sums agree
        total += shown
        if a.attempt.kind is AttemptKind.answer:
            answering += shown
        rows.append(SummaryRow(
            it.question, a.attempt.kind.value, score, a.grade.grade.verdict if a.grade else "",  # as its grader says it
            a.attempt.duration_s, status, [f.score for f in it.follow_ups],
        ))
        if score is not None and a.grade is not None:  # a score is the grade's
            by_topic[it.question.topic].append(score)
            texts = {kp.id: kp.text for kp in it.question.key_points}
            for kr in a.grade.grade.key_points:
                if kr.status is not KeyPointStatus.covered and kr.key_point_id in texts:
                    said = CONTRADICTED if kr.contradiction and kr.status is KeyPointStatus.missing else kr.status.value
                    weak_kps.append((score, n, it.question, texts[kr.key_point_id], said))
    topic_avgs = sorted(((t, sum(v) / len(v), len(v)) for t, v in by_topic.items()), key=lambda x: (x[1], x[0]))
    need = {CONTRADICTED: 0, KeyPointStatus.missing.value: 1}
    weak_kps.sort(key=lambda x: (need.get(x[4], 2), x[0], x[1]))
    weakest = [(q, text, st) for _, _, q, text, st in weak_kps[:5]]
    scores = [r.score for r in rows if r.score is not None]
    return SessionSummary(
        rows=rows, topic_averages=topic_avgs, weakest_key_points=weakest,
        next_steps=next_steps(rows, topic_avgs, pending, untried_topics),
        avg_score=sum(scores) / len(scores) if scores else None,
        answered=sum(1 for r in rows if r.kind == "answer"), graded=len(scores), total_seconds=total,
        answering_seconds=answering,
    )


def next_steps(rows: list[SummaryRow], topic_avgs: list[tuple[str, float, int]], pending: int,
               untried_topics: Sequence[str] = ()) -> list[str]:
    steps: list[str] = []
    weak = [t for t in topic_avgs if is_weak(t[1])]  # core.review's one definition of weak
    for topic, avg, _ in weak[:2]:
        steps.append(f"Practise '{topic}' again (average {avg:.0f} this session): start a session with that topic.")
    gaps = [r for r in rows if r.kind in ("skipped", "dont_know")]
    if gaps:
        s = "s" if len(gaps) != 1 else ""
        steps.append(f"Read the reference answer{s} of the {len(gaps)} question{s} you skipped or did not know, "
                     f"then try {'them' if s else 'it'} again.")
    if pending:
        s = "s" if pending != 1 else ""
        steps.append(f"{pending} answer{s} {'are' if s else 'is'} ungraded: grade {'them' if s else 'it'} from the "
                     "home screen (key g).")
    if topic_avgs and not weak:
        best, avg, _ = topic_avgs[-1]
        practised = {t for t, _, _ in topic_avgs}
        fresh = [t for t in untried_topics if t not in practised]
        step = f"Solid work: '{best}' averaged {avg:.0f} this session. Try its harder questions"
        step += f", or a topic you have not practised yet, such as '{fresh[0]}'." if fresh else "."
        steps.append(step)
    if not steps:
        steps.append("Answer a few questions to get a recommendation.")
    return steps
