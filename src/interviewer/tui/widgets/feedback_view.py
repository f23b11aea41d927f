"""The body of the feedback screen: every part of a grade, rendered as plain text (no markup from answers or
models is ever interpreted).

Sections, in reading order: score and verdict, warnings, summary, criteria (level or "not assessed", with the
rationale), key points covered (with the quoted words) and missed, misconceptions, wording insights, the
stronger answer, the reference answer, the follow-up question, and the person's own answer.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ...core.models import Attempt, Grade, KeyPointStatus, Question, Rubric
from ...core.scoring import VERDICT_HELP
from ..text import bar, clock, plain, score_style

MARK = {KeyPointStatus.covered: ("✓", "green"), KeyPointStatus.partial: ("~", "yellow"),
        KeyPointStatus.missing: ("✗", "red")}


def headline(grade: Grade) -> Text:
    t = Text()
    t.append(f" {grade.score:.0f} ", score_style(grade.score) + " reverse")
    t.append(" / 100  ")
    t.append(plain(grade.verdict, score_style(grade.score)))
    t.append("  " + bar(grade.score / 100, 20), score_style(grade.score))
    help_ = VERDICT_HELP.get(grade.verdict)
    if help_:
        t.append("\n" + help_, "dim")
    g = grade.grader
    who = g.backend + (f" · {g.model}" if g.model else "")
    t.append("\nGraded by ", "dim")
    t.append(plain(who, "dim"))
    if grade.latency_ms:
        t.append(f" in {grade.latency_ms / 1000:.1f} s" if grade.latency_ms >= 1000 else
                 f" in {grade.latency_ms:.0f} ms", "dim")
    if g.rubric_id:
        t.append(plain(f" · rubric {g.rubric_id}@{g.rubric_version}", "dim"))
    return t


def criteria_text(grade: Grade, rubric: Rubric | None) -> Text:
    names = {c.id: c.name for c in rubric.criteria} if rubric else {}
    t = Text()
    for i, cs in enumerate(grade.criteria):
        if i:
            t.append("\n")
        t.append(plain(names.get(cs.criterion_id, cs.criterion_id), "bold"))
        if cs.level is None:
            t.append("  not assessed", "dim italic")
        else:
            st = score_style(cs.level * 25)
            t.append(f"  {'●' * cs.level}{'○' * (4 - cs.level)} {cs.level}/4", st)
        if cs.rationale:
            t.append("\n  ")
            t.append(plain(cs.rationale))
    return t


def key_points_text(grade: Grade, question: Question) -> Text:
    texts = {kp.id: kp.text for kp in question.key_points}
    results = {r.key_point_id: r for r in grade.key_points}
    t = Text()
    order = [kp.id for kp in question.key_points] + [k for k in results if k not in texts]
    first = True
    for status in (KeyPointStatus.covered, KeyPointStatus.partial, KeyPointStatus.missing):
        for kid in order:
            r = results.get(kid)
            if r is None or r.status is not status:
                continue
            if not first:
                t.append("\n")
            first = False
            mark, style = MARK[status]
            t.append(f"{mark} ", f"bold {style}")
            t.append(plain(texts.get(kid, kid)))
            if status is KeyPointStatus.partial:
                t.append(" (partly)", "yellow")
            if r.evidence:
                t.append("\n    “")
                t.append(plain(r.evidence, "italic"))
                t.append("”")
            if r.discarded_evidence:
                t.append("\n    quote not found in your answer, not counted: ", "dim")
                t.append(plain(r.discarded_evidence, "dim strike"))
    missing_ids = [kid for kid in texts if kid not in results]
    for kid in missing_ids:
        if not first:
            t.append("\n")
        first = False
        t.append("? ", "dim")
        t.append(plain(texts[kid]))
        t.append(" (not checked)", "dim")
    return t


def wording_text(grade: Grade) -> Text | None:
    w = grade.insights
    if w is None:
        return None
    t = Text()
    t.append(f"{w.word_count} words · ~{clock(w.speaking_seconds)} spoken · {w.filler_count} filler"
             f"{'s' if w.filler_count != 1 else ''}")
    if w.fillers:
        t.append("\nFillers: ")
        t.append(plain(", ".join(f"{k} ×{v}" for k, v in sorted(w.fillers.items(), key=lambda kv: -kv[1]))))
    if w.repeated_words:
        t.append("\nRepeated: ")
        t.append(plain(", ".join(f"{k} ×{v}" for k, v in w.repeated_words)))
    if w.key_terms_used:
        t.append("\nKey terms used: ", "green")
        t.append(plain(", ".join(w.key_terms_used)))
    if w.key_terms_missed:
        t.append("\nKey terms you could add: ", "yellow")
        t.append(plain(", ".join(w.key_terms_missed)))
    if w.speaking_seconds > 150:
        t.append("\nLong for a spoken answer: aim for one to two minutes.", "dim")
    elif 0 < w.word_count < 25:
        t.append("\nShort: an interviewer will expect a few sentences.", "dim")
    return t


def bullets(items: list[str], style: str = "") -> Text:
    t = Text()
    for i, s in enumerate(items):
        if i:
            t.append("\n")
        t.append("• ", style)
        t.append(plain(s))
    return t


class Section(Vertical):
    """A titled block. Title and body are plain text."""

    DEFAULT_CLASSES = "section"

    def __init__(self, title: str, body: Text, *, classes: str = "", id: str | None = None) -> None:
        super().__init__(classes=classes, id=id)
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(plain(self.title_text), classes="section-title")
        yield Static(self.body, classes="section-body")


class FeedbackView(Vertical):
    """All feedback for one answer. With grade=None it shows what is useful without one (reference, key
    points, the saved answer) and why there is no grade."""

    def __init__(self, question: Question, attempt: Attempt, grade: Grade | None, rubric: Rubric | None,
                 *, error: str | None = None, follow_up_allowed: bool = True, **kw) -> None:
        super().__init__(**kw)
        self.question, self.attempt, self.grade, self.rubric = question, attempt, grade, rubric
        self.error = error
        self.follow_up_allowed = follow_up_allowed

    def compose(self) -> ComposeResult:
        g, q, a = self.grade, self.question, self.attempt
        if g is None:
            yield from self._ungraded()
        else:
            yield Static(headline(g), id="headline", classes="headline")
            if g.flags:
                yield Section("Warnings", bullets(g.flags, "bold red"), classes="warn", id="flags")
            if g.summary:
                yield Section("Summary", plain(g.summary), id="summary")
            yield Section("Criteria", criteria_text(g, self.rubric), id="criteria")
            if g.key_points or q.key_points:
                yield Section("Key points", key_points_text(g, q), id="key-points")
            yield Section("Misconceptions", bullets(g.misconceptions, "red") if g.misconceptions
                          else Text("None spotted.", "dim"), id="misconceptions")
            w = wording_text(g)
            if w is not None:
                yield Section("Wording", w, id="wording")
            if g.better_answer:
                yield Section("A stronger answer", plain(g.better_answer), id="better")
        yield Section("Reference answer", plain(q.reference), id="reference")
        if g is not None and g.notes:
            yield Section("About this grading", bullets(g.notes, "dim"), id="notes")
        if g is not None and g.follow_up and self.follow_up_allowed:
            t = plain(g.follow_up, "bold")
            t.append("\nPress f to answer it: it is saved and graded as a follow-up to this answer.", "dim")
            yield Section("Follow-up question", t, classes="follow-up", id="follow-up")
        if a.answer.strip():
            yield Section("Your answer", plain(a.answer), classes="answer", id="your-answer")

    def _ungraded(self) -> ComposeResult:
        a = self.attempt
        kind = a.kind.value
        if kind == "skipped":
            msg = Text("Skipped. Here is what a good answer covers.", "bold")
        elif kind == "dont_know":
            msg = Text("Recorded as “I don't know”. Here is what a good answer covers.", "bold")
        else:
            msg = Text("Not graded yet. Your answer is saved; grade it later from the home screen (g).", "bold")
            if self.error:
                msg.append("\nWhy: ")
                msg.append(plain(self.error, "yellow"))
        yield Static(msg, id="headline", classes="headline")
        if self.question.key_points:
            yield Section("Key points to cover", bullets([kp.text for kp in self.question.key_points]),
                          id="key-points")
