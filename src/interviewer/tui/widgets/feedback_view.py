"""The body of the feedback screen: every part of a grade, rendered as plain text (no markup from answers or
models is ever interpreted).

Sections, in reading order: score and verdict, warnings, summary, delivery (a spoken answer: measured from
the recording, tui.widgets.delivery_view), criteria (level or "not assessed", with the rationale), key points
covered (with the quoted words) and missed, misconceptions, wording insights (a typed answer's speaking time
labelled as an estimate), the stronger answer, the reference answer, the follow-up question, and the person's
own answer.
"""

from __future__ import annotations

import re

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ...app.wording import tidy
from ...core.delivery import Delivery
from ...core.models import Attempt, FoundMisconception, Grade, KeyPointStatus, Question, Rubric
from ...core.scoring import verdict_help
from ...grading.answer import MAX_ANSWER_CHARS
from ..text import bar, clock, plain, score_style
from .prose import markdown_block, note, prose, quoted_evidence

MARK = {KeyPointStatus.covered: ("✓", "green"), KeyPointStatus.partial: ("~", "yellow"),
        KeyPointStatus.missing: ("✗", "red")}


def headline(grade: Grade) -> Text:
    t = Text()
    t.append(f" {grade.score:.0f} ", score_style(grade.score) + " reverse")
    t.append(" / 100  ")
    t.append(plain(grade.verdict, score_style(grade.score)))
    t.append("  " + bar(grade.score / 100, 20), score_style(grade.score))
    help_ = verdict_help(grade.verdict, grade.grader.backend)
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


def _grid() -> Table:
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    return g


def criteria_text(grade: Grade, rubric: Rubric | None) -> Table:
    """One row per criterion: the level (dots and n/4, or a dash when not assessed), then name and rationale."""
    names = {c.id: c.name for c in rubric.criteria} if rubric else {}
    g = _grid()
    for cs in grade.criteria:
        body = Text()
        body.append(plain(names.get(cs.criterion_id, cs.criterion_id), "bold"))
        rationale = cs.rationale
        if cs.level is None:
            level = Text("   -    ", "dim")
            note = rationale if rationale.lower().startswith("not assessed") else "not assessed by this grader"
            body.append("  ")
            body.append(plain(note, "dim italic"))
            if rationale == note:
                rationale = ""
        else:
            level = Text(f"{'●' * cs.level}{'○' * (4 - cs.level)} {cs.level}/4", score_style(cs.level * 25))
        if rationale:
            body.append("\n")
            body.append(plain(rationale))
        g.add_row(level, body)
    return g


def key_points_text(grade: Grade, question: Question, answer: str = "") -> Table:
    """Covered first (with the words quoted from the answer; a quote of a word or two is shown in its place in
    the answer), then partial, then missed."""
    texts = {kp.id: kp.text for kp in question.key_points}
    results = {r.key_point_id: r for r in grade.key_points}
    order = [kp.id for kp in question.key_points] + [k for k in results if k not in texts]
    g = _grid()
    for status in (KeyPointStatus.covered, KeyPointStatus.partial, KeyPointStatus.missing):
        for kid in order:
            r = results.get(kid)
            if r is None or r.status is not status:
                continue
            mark, style = MARK[status]
            body = plain(texts.get(kid, kid))
            if status is KeyPointStatus.partial:
                body.append(" (partly)", "yellow")
            if r.evidence:
                body.append("\n")
                body.append_text(quoted_evidence(r.evidence, answer))
            if r.contradiction:
                body.append("\nyou said the opposite: “", "red")
                body.append(plain(r.contradiction, "italic red"))
                body.append("”", "red")
            if r.discarded_evidence:
                body.append("\nquote not counted (not in your answer, or too slight to show the point): ", "dim")
                body.append(plain(r.discarded_evidence, "dim strike"))
            g.add_row(Text(mark, f"bold {style}"), body)
    for kid in texts:
        if kid not in results:
            g.add_row(Text("?", "dim"), plain(texts[kid]).append(" (not checked)", "dim"))
    return g


def wording_text(grade: Grade, spoken: bool = False) -> Text | None:
    """What the words say. A spoken answer's time and fillers are measured (the Delivery section); a typed
    answer's are estimates from the text, and say so."""
    w = grade.insights
    if w is None:
        return None
    t = Text()
    if spoken:
        t.append(f"{w.word_count} words in the answer as submitted (time and fillers as spoken: see Delivery)")
    else:
        t.append(f"{w.word_count} words · ~{clock(w.speaking_seconds)} if spoken (estimate: 150 words a minute) · "
                 f"{w.filler_count} filler{'s' if w.filler_count != 1 else ''} typed")
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
    if w.speaking_seconds > 150 and not spoken:
        t.append("\nLong for a spoken answer: aim for one to two minutes.", "dim")
    elif 0 < w.word_count < 25:
        t.append("\nShort: an interviewer will expect a few sentences.", "dim")
    return t


def misconceptions_text(items: list[FoundMisconception]) -> Table:
    """Each wrong claim: what is wrong, the answer's words that say it, what is right."""
    g = _grid()
    for m in items:
        body = plain(m.claim, "bold")
        if m.evidence:
            body.append("\nyou said: “")
            body.append(plain(" ".join(m.evidence.split()), "italic"))
            body.append("”")
        if m.correction:
            body.append("\nright: ", "green")
            body.append(plain(m.correction))
        g.add_row(Text("✗", "bold red"), body)
    return g


def none_found_text(g: Grade, q: Question) -> Text:
    """What "no misconception" means, said as far as it is true: the offline grader only checks the question's
    known misconceptions and its key points said the other way round, so "none spotted" would claim more."""
    if g.grader.backend != "offline":
        return Text("None spotted.", "dim")
    n = len(q.misconceptions)
    if n == 0:
        return Text("Not checked: this question lists no known misconceptions (only key points said the other "
                    "way round were looked for).", "dim")
    return Text(f"None of this question's {n} known misconception{'s' if n != 1 else ''} found. A wrong claim "
                "in other words would not be caught (see About this grading).", "dim")


def is_cut_note(text: str) -> bool:
    """A grader's note that the answer was cut (both graders start it 'The answer is N characters')."""
    return bool(re.match(r"(?i)the answer is [\d,]+ characters", text.strip()))


def notes_table(notes: list[str]) -> Table:
    g = _grid()
    for n in notes:
        g.add_row(Text("•", "dim"), note(n, "dim"))
    return g


def bullets(items: list[str], style: str = "") -> Table:
    g = _grid()
    for s in items:
        g.add_row(Text("•", style), plain(s))
    return g


class Section(Vertical):
    """A titled block. Title and body are plain text."""

    DEFAULT_CLASSES = "section"

    def __init__(self, title: str, body: RenderableType, *, classes: str = "", id: str | None = None) -> None:
        super().__init__(classes=f"section {classes}".strip(), id=id)
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(plain(self.title_text), classes="section-title")
        yield Static(self.body, classes="section-body")


class FeedbackView(Vertical):
    """All feedback for one answer. With grade=None it shows what is useful without one (reference, key
    points, the saved answer) and why there is no grade."""

    def __init__(self, question: Question, attempt: Attempt, grade: Grade | None, rubric: Rubric | None,
                 *, error: str | None = None, follow_up_allowed: bool = True, delivery: Delivery | None = None,
                 **kw) -> None:
        super().__init__(**kw)
        self.question, self.attempt, self.grade, self.rubric = question, attempt, grade, rubric
        self.delivery = delivery
        self.error = error
        self.follow_up_allowed = follow_up_allowed

    def compose(self) -> ComposeResult:
        g, q, a = self.grade, self.question, self.attempt
        if g is None:
            yield from self._ungraded()
        else:
            yield Static(headline(g), id="headline", classes="headline")
            yield from self._cut()
            if g.flags:
                yield Section("Warnings", bullets(g.flags, "bold red"), classes="warn", id="flags")
            if g.summary:
                yield Section("Summary", prose(g.summary), id="summary")
            yield from self._delivery()
            yield Section("Criteria", criteria_text(g, self.rubric), id="criteria")
            if g.key_points or q.key_points:
                yield Section("Key points", key_points_text(g, q, a.answer), id="key-points")
            yield Section("Misconceptions", misconceptions_text(g.misconceptions) if g.misconceptions
                          else none_found_text(g, q), id="misconceptions")
            w = wording_text(g, spoken=self.delivery is not None)
            if w is not None:
                yield Section("Wording", w, id="wording")
            if g.better_answer:
                yield Section("A stronger answer", markdown_block(tidy(g.better_answer)), id="better")
        yield Section("Reference answer", markdown_block(q.reference), id="reference")
        notes = [n for n in (g.notes if g is not None else []) if not (self.cut and is_cut_note(n))]
        if notes:
            yield Section("About this grading", notes_table(notes), id="notes")
        if g is not None and g.follow_up and self.follow_up_allowed:
            t = prose(g.follow_up, "bold")
            t.append("\nPress f to answer it: it is saved and graded as a follow-up to this answer.", "dim")
            yield Section("Follow-up question", t, classes="follow-up", id="follow-up")
        if a.answer.strip():
            yield Section("Your answer", plain(a.answer), classes="answer", id="your-answer")

    @property
    def cut(self) -> bool:
        """The answer is longer than a grader reads (grading.answer.MAX_ANSWER_CHARS): only its start was graded."""
        return len(self.attempt.answer.strip()) > MAX_ANSWER_CHARS

    def _cut(self) -> ComposeResult:
        """Said first, not last among the notes: a person who pasted too much should know before reading on."""
        if self.cut:
            n = len(self.attempt.answer.strip())
            yield Section("Only the start of your answer was graded", Text(
                f"Your answer is {n:,} characters long; graders read the first {MAX_ANSWER_CHARS:,} or so (about "
                f"{MAX_ANSWER_CHARS // 6:,} words, far more than a spoken answer) and nothing after them.",
                "yellow"), classes="warn", id="cut")

    def _delivery(self) -> ComposeResult:
        if self.delivery is not None:
            from .delivery_view import delivery_table

            yield Section("Delivery, measured from your recording", delivery_table(self.delivery), id="delivery")

    def _ungraded(self) -> ComposeResult:
        a = self.attempt
        kind = a.kind.value
        if kind == "skipped":
            msg = Text("Skipped. Here is what a good answer covers.", "bold")
        elif kind == "dont_know":
            msg = Text("Recorded as “I don't know”. Here is what a good answer covers.", "bold")
        else:
            msg = Text()
            msg.append("Ungraded. Your answer is saved; grade it later from the home screen (g).", "bold")
            if self.error:
                msg.append("\nWhy: ")
                msg.append(plain(self.error, "yellow"))
        yield Static(msg, id="headline", classes="headline")
        yield from self._delivery()
        if self.question.key_points:
            yield Section("Key points to cover", bullets([kp.text for kp in self.question.key_points]),
                          id="key-points")
