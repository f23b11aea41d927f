"""`interviewer grade`'s report: the grade as a person reads it in a terminal, in the app's words."""

from __future__ import annotations

from typing import Any

_MARKS = {"covered": ("✓", "green"), "partial": ("~", "yellow"), "missing": ("✗", "red")}


def print_report(question: Any, grade: Any, attempt_id: int | None = None, answer: str = "", rubric: Any = None) -> None:
    """The grade as a person reads it in a terminal: every part indented under its heading, long lines wrapped
    under themselves (not back at the margin), a short quote shown in its place in the answer, Markdown in a
    stronger answer drawn, grader prose tidied (app.wording)."""
    from rich.console import Console
    from rich.text import Text

    from ...core.scoring import band_floor, verdict_help
    from ...grading.answer import MAX_ANSWER_CHARS
    from ...termsafe import safe, safe_model

    question, grade = safe_model(question), safe_model(grade)  # answer and model text: no control sequences
    answer = safe(answer)
    con = Console(highlight=False)
    names = {c.id: c.name for c in rubric.criteria} if rubric is not None else {}

    con.print(Text(f"{question.id} · {question.question}", style="bold"))
    head = Text(f"Score {grade.score:.0f}/100  ", style="bold")
    head.append(grade.verdict, style="bold green" if grade.score >= band_floor("solid") else "bold yellow")
    con.print(head)
    con.print(Text(verdict_help(grade.verdict, grade.grader.backend), style="dim"))
    n = len(answer.strip())
    if n > MAX_ANSWER_CHARS:  # said first: a person who pasted too much should know before reading on
        con.print(Text(f"Only the start of your answer was graded: it is {n:,} characters long, and graders read "
                       f"the first {MAX_ANSWER_CHARS:,} or so.", style="yellow"))
    _section(con, "Criteria", _criteria(grade, names))
    if grade.key_points:
        _section(con, "Key points", _key_points(question, grade, answer))
    _lists_and_prose(con, grade)
    _notes(con, grade, cut=n > MAX_ANSWER_CHARS)
    con.print(Text(" · ".join(_footer(grade, attempt_id)), style="dim"))


def _grid(*widths: int | None) -> Any:
    from rich.table import Table

    t = Table.grid(padding=(0, 1))
    for w in widths:
        t.add_column(no_wrap=w is not None, width=w) if w else t.add_column(ratio=1)
    return t


def _section(con: Any, title: str, body: Any) -> None:
    from rich.padding import Padding
    from rich.text import Text

    con.print(Text(f"\n{title}", style="bold"))
    con.print(Padding(body, (0, 0, 0, 2)))


def _criteria(grade: Any, names: dict[str, str]) -> Any:
    from rich.text import Text

    crit = _grid(min(24, max([4, *(len(names.get(c.criterion_id, c.criterion_id)) for c in grade.criteria)])), 4, None)
    for c in grade.criteria:
        crit.add_row(Text(names.get(c.criterion_id, c.criterion_id)), Text("n/a" if c.level is None else f"{c.level}/4", style="bold"),
                     Text(c.rationale))
    return crit


def _key_points(question: Any, grade: Any, answer: str) -> Any:
    from rich.text import Text

    kp_text = {kp.id: kp.text for kp in question.key_points}
    kps = _grid(1, 3, None)
    for kp in grade.key_points:
        mark, style = _MARKS[kp.status.value]
        kps.add_row(Text(mark, style=style), Text(kp.key_point_id, style="dim"),
                    _key_point_body(kp, kp_text.get(kp.key_point_id, ""), answer))
    return kps


def _key_point_body(kp: Any, text: str, answer: str) -> Any:
    from rich.text import Text

    from ...app import wording

    body = Text(text)
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
    return body


def _lists_and_prose(con: Any, grade: Any) -> None:
    """Misconceptions and flags as lists; the summary, a stronger answer and the follow-up as prose."""
    from rich.text import Text

    from ...app import wording

    for title, items in (("Misconceptions", [m.as_text() for m in grade.misconceptions]), ("Flags", grade.flags)):
        if items:
            lines = _grid(1, None)
            for m in items:
                lines.add_row(Text("-"), Text(m))
            _section(con, title, lines)
    if grade.summary:
        _section(con, "Summary", Text(wording.tidy(grade.summary)))
    if grade.better_answer:
        better = wording.tidy(grade.better_answer)
        if wording.looks_like_markdown(better):
            from rich.markdown import Markdown

            _section(con, "A stronger answer, as you could say it", Markdown(better, hyperlinks=False))
        else:
            _section(con, "A stronger answer, as you could say it", Text(better))
    if grade.follow_up:
        _section(con, "Follow-up question", Text(wording.tidy(grade.follow_up)))


def _footer(grade: Any, attempt_id: int | None) -> list[str]:
    """Who graded, with what, how long it took and what it cost."""
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
    return parts


def _notes(con: Any, grade: Any, *, cut: bool) -> None:
    """The grader's notes, dim, before the footer (the too-long note is left out when it was said first)."""
    from rich.text import Text

    from ...app import wording

    notes = [x for x in grade.notes if not (cut and x.lower().startswith("the answer is"))]
    if notes:
        lines = _grid(5, None)
        for x in notes:
            lines.add_row(Text("note:", style="dim"), Text(wording.sentence(x), style="dim"))
        con.print()
        con.print(lines)
