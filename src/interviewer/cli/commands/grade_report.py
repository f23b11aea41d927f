"""`interviewer grade`'s report: the grade as a person reads it in a terminal, in the app's words."""

from __future__ import annotations

from typing import Any


def print_report(question: Any, grade: Any, attempt_id: int | None = None, answer: str = "", rubric: Any = None) -> None:
    """The grade as a person reads it in a terminal: every part indented under its heading, long lines wrapped
    under themselves (not back at the margin), a short quote shown in its place in the answer, Markdown in a
    stronger answer drawn, grader prose tidied (app.wording)."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from ...app import wording
    from ...core.scoring import verdict_help
    from ...grading.answer import MAX_ANSWER_CHARS
    from ...termsafe import safe, safe_model

    question, grade = safe_model(question), safe_model(grade)  # answer and model text: no control sequences
    answer = safe(answer)
    con = Console(highlight=False)
    kp_text = {kp.id: kp.text for kp in question.key_points}
    names = {c.id: c.name for c in rubric.criteria} if rubric is not None else {}

    def grid(*widths: int | None) -> Table:
        t = Table.grid(padding=(0, 1))
        for w in widths:
            t.add_column(no_wrap=w is not None, width=w) if w else t.add_column(ratio=1)
        return t

    def section(title: str, body) -> None:
        con.print(Text(f"\n{title}", style="bold"))
        con.print(Padding(body, (0, 0, 0, 2)))

    con.print(Text(f"{question.id} · {question.question}", style="bold"))
    head = Text(f"Score {grade.score:.0f}/100  ", style="bold")
    head.append(grade.verdict, style="bold green" if grade.score >= 60 else "bold yellow")
    con.print(head)
    con.print(Text(verdict_help(grade.verdict, grade.grader.backend), style="dim"))
    n = len(answer.strip())
    if n > MAX_ANSWER_CHARS:  # said first: a person who pasted too much should know before reading on
        con.print(Text(f"Only the start of your answer was graded: it is {n:,} characters long, and graders read "
                       f"the first {MAX_ANSWER_CHARS:,} or so.", style="yellow"))
    crit = grid(min(24, max([4, *(len(names.get(c.criterion_id, c.criterion_id)) for c in grade.criteria)])), 4, None)
    for c in grade.criteria:
        crit.add_row(Text(names.get(c.criterion_id, c.criterion_id)), Text("n/a" if c.level is None else f"{c.level}/4", style="bold"),
                     Text(c.rationale))
    section("Criteria", crit)
    if grade.key_points:
        marks = {"covered": ("✓", "green"), "partial": ("~", "yellow"), "missing": ("✗", "red")}
        kps = grid(1, 3, None)
        for kp in grade.key_points:
            mark, style = marks[kp.status.value]
            body = Text(kp_text.get(kp.key_point_id, ""))
            if kp.status.value == "partial":
                body.append(" (partly)", style="yellow")
            if kp.evidence:
                before, quote, after = wording.quote_in_context(kp.evidence, answer)
                body.append("\nyou said: \"", style="dim")
                body.append(before, style="dim")
                body.append(quote, style="bold" if before or after else "dim")
                body.append(after + "\"", style="dim")
            if kp.contradiction:
                body.append(f"\nyou said the opposite: \"{kp.contradiction}\"", style="red")
            if kp.discarded_evidence:
                body.append(f"\nquote not counted (not in your answer, or too slight to show the point): \"{kp.discarded_evidence}\"",
                            style="yellow")
            kps.add_row(Text(mark, style=style), Text(kp.key_point_id, style="dim"), body)
        section("Key points", kps)
    for title, items in (("Misconceptions", [m.as_text() for m in grade.misconceptions]), ("Flags", grade.flags)):
        if items:
            lines = grid(1, None)
            for m in items:
                lines.add_row(Text("-"), Text(m))
            section(title, lines)
    if grade.summary:
        section("Summary", Text(wording.tidy(grade.summary)))
    if grade.better_answer:
        better = wording.tidy(grade.better_answer)
        if wording.looks_like_markdown(better):
            from rich.markdown import Markdown

            section("A stronger answer, as you could say it", Markdown(better, hyperlinks=False))
        else:
            section("A stronger answer, as you could say it", Text(better))
    if grade.follow_up:
        section("Follow-up question", Text(wording.tidy(grade.follow_up)))
    info = grade.grader
    parts = [f"graded by {info.backend}" + (f":{info.model}" if info.model else "")]
    if info.prompt_version:
        parts.append(f"prompt {info.prompt_version}")
    parts.append(f"rubric {info.rubric_id}@{info.rubric_version}")
    parts.append(f"{grade.latency_ms / 1000:.1f} s")
    u = grade.usage
    if u.prompt_tokens is not None or u.completion_tokens is not None:
        parts.append(f"{u.prompt_tokens or 0}+{u.completion_tokens or 0} tokens")
    if u.cost_usd is not None:
        parts.append(f"${u.cost_usd:.4f}")
    if attempt_id is not None:
        parts.append(f"attempt {attempt_id}")
    notes = [x for x in grade.notes if not (n > MAX_ANSWER_CHARS and x.lower().startswith("the answer is"))]
    if notes:
        lines = grid(5, None)
        for x in notes:
            lines.add_row(Text("note:", style="dim"), Text(wording.sentence(x), style="dim"))
        con.print()
        con.print(lines)
    con.print(Text(" · ".join(parts), style="dim"))
