"""Shared pieces for the TUI and practice tests: a small deterministic test grader, a frozen clock, and
helpers that seed a database with graded history.

`KeywordGrader` is a real `Grader` (it reads the question's key points and the answer), not a canned
result: a key point counts as covered when one of its alternatives appears in the answer. Tests use it where
they need control over delay and failure; the real offline grader is used where it exists.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from interviewer.core.models import (
    CriterionScore,
    Grade,
    GraderInfo,
    KeyPointResult,
    KeyPointStatus,
)
from interviewer.core.scoring import overall_score, verdict_for
from interviewer.grading.base import Grader, GradeRequest, GradingError

FROZEN = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


class FrozenClock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime = FROZEN) -> None:
        self.now = at

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class KeywordGrader(Grader):
    name = "keyword-test"

    def __init__(self, *, delay: float = 0.0, fail: str | None = None, follow_up: str = "Why does that matter?",
                 fail_times: int | None = None) -> None:
        self.delay = delay
        self.fail = fail
        self.fail_times = fail_times
        self.follow_up = follow_up
        self.calls = 0
        self.started = asyncio.Event()

    async def grade(self, request: GradeRequest) -> Grade:
        self.calls += 1
        self.started.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail and (self.fail_times is None or self.calls <= self.fail_times):
            raise GradingError(self.fail, hint="check the test backend")
        low = request.answer.lower()
        kps = []
        for kp in request.question.key_points:
            hit = next((alt for alt in kp.alternatives if alt.lower() in low), None)
            if hit:
                i = low.index(hit.lower())
                kps.append(KeyPointResult(key_point_id=kp.id, status=KeyPointStatus.covered,
                                          evidence=request.answer[i:i + len(hit)]))
            else:
                kps.append(KeyPointResult(key_point_id=kp.id, status=KeyPointStatus.missing))
        covered = sum(1 for k in kps if k.status is KeyPointStatus.covered)
        level = round(4 * covered / len(kps)) if kps else 0
        criteria = [CriterionScore(criterion_id=c.id, level=level if c.id == "coverage" else None,
                                   rationale=f"{covered} of {len(kps)} key points" if c.id == "coverage" else "")
                    for c in request.rubric.criteria]
        score = overall_score(criteria, request.rubric.weights(), kps)
        return Grade(score=score, verdict=verdict_for(score), criteria=criteria, key_points=kps,
                     summary="Keyword test grade.", follow_up=self.follow_up if request.prompt is None else "",
                     grader=GraderInfo(backend="keyword-test", rubric_id=request.rubric.id,
                                       rubric_version=request.rubric.version))


# --------------------------------------------------------------------------- Pilot helpers


def tui_app(services, **kw):
    """The app as the CLI builds it, with test-friendly defaults: frozen clock, no TTS, no backend check."""
    from interviewer.tui.app import make_app

    opts = {"clock": FrozenClock(), "tts_program": None, "check_backend": False, "offer_drafts": False, "seed": 1}
    opts.update(kw)
    return make_app(services, **opts)


async def until(pilot, cond, timeout: float = 10.0, what: str = "") -> None:
    """Let the app run until cond() is true (fails the test with `what` after `timeout` seconds)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what or cond}; screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)
    await pilot.pause()


def screen_is(app, name: str):
    return lambda: any(c.__name__ == name for c in type(app.screen).__mro__) and app.screen.is_mounted


async def type_text(pilot, text: str) -> None:
    """Put text in the focused answer editor as typing would (one insert, like a paste)."""
    from textual.widgets import TextArea

    ta = pilot.app.screen.query_one(TextArea)
    ta.insert(text)
    await pilot.pause()


def visible_text(widget) -> str:
    """All plain text rendered by a widget and its children (Static contents)."""
    from rich.console import Console
    from textual.widgets import Static

    parts = []
    console = Console(width=200, record=True, color_system=None, file=__import__("io").StringIO())
    for w in [widget, *widget.query(Static)]:
        if isinstance(w, Static):
            console.print(w.content if hasattr(w, "content") else w.renderable)
    parts.append(console.export_text())
    return "\n".join(parts)
