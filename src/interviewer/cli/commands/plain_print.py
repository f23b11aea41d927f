"""What plain mode prints after an answer and at the end of a session: the feedback and the summary, in the
same words as the app (app.wording), Markdown read as plain text, nothing but lines of text."""

from __future__ import annotations

from ...app import wording
from ...app.practice_summary import KEY_POINT_NOTE
from ...grading.answer import MAX_ANSWER_CHARS


def print_feedback(io, p, item, ans, follow_up: bool = False) -> None:
    g = ans.grade.grade
    q = item.question
    io.say()
    io.say(f"Score {g.score:.0f}/100 · {g.verdict}" + (" (follow-up)" if follow_up else ""))
    n = len(ans.attempt.answer.strip())
    if n > MAX_ANSWER_CHARS:  # said first: a person who pasted too much should know before reading on
        io.say(f"Only the start of your answer was graded: it is {n:,} characters long, and graders read the "
               f"first {MAX_ANSWER_CHARS:,} or so.")
    if g.flags:
        for f in g.flags:
            io.say(f"Warning: {f}")
    if g.summary:
        io.say(wording.tidy(g.summary))
    _say_criteria(io, g, {c.id: c.name for c in p.rubric_for(q).criteria})
    _say_key_points(io, g, {kp.id: kp.text for kp in q.key_points})
    if g.misconceptions:
        io.say("Misconceptions:")
        for m in g.misconceptions:
            io.say(f"  ! {m.as_text()}")
    from .voice import say_wording

    say_wording(io.say, ans)  # measured delivery when spoken (/voice), else the typed answer's estimate
    if g.better_answer:
        say_block(io, "A stronger answer", wording.tidy(g.better_answer))
    say_block(io, "Reference answer", q.reference)
    notes = [x for x in g.notes if not (n > MAX_ANSWER_CHARS and x.lower().startswith("the answer is"))]
    if notes:
        io.say("About this grading:")
        for x in notes:
            io.say("  " + wording.sentence(x))


def _say_criteria(io, g, names: dict[str, str]) -> None:
    io.say("Criteria:")
    for c in g.criteria:
        level = "not assessed" if c.level is None else f"{c.level}/4"
        why = c.rationale if c.rationale and not c.rationale.lower().startswith("not assessed") else ""
        io.say(f"  {names.get(c.criterion_id, c.criterion_id)}: {level}" + (f". {why}" if why else ""))


def _say_key_points(io, g, texts: dict[str, str]) -> None:
    covered = [r for r in g.key_points if r.status.value != "missing"]
    missed = [r for r in g.key_points if r.status.value == "missing"]
    if covered:
        io.say("Key points covered:")
        for r in covered:
            ev = f' (you said: "{" ".join(r.evidence.split())}")' if r.evidence else ""
            io.say(f"  + {texts.get(r.key_point_id, r.key_point_id)}{' (partly)' if r.status.value == 'partial' else ''}{ev}")
    if missed:
        io.say("Key points missed:")
        for r in missed:
            opposite = f' (you said the opposite: "{" ".join(r.contradiction.split())}")' if r.contradiction else ""
            io.say(f"  - {texts.get(r.key_point_id, r.key_point_id)}{opposite}")


def say_block(io, title: str, text: str) -> None:
    """A reference or a stronger answer: Markdown read as plain text (no ** or backticks), on its own lines
    under its title when it has several, else on the title's line."""
    lines = wording.plain_markdown(text).splitlines() if wording.looks_like_markdown(text) else [
        " ".join(text.split())]
    if len(lines) == 1:
        io.say(f"{title}: {lines[0]}")
        return
    io.say(f"{title}:")
    for line in lines:
        io.say(f"  {line}" if line else "")


def print_summary(io, s) -> None:
    io.say()
    avg = f", average {s.avg_score:.0f}" if s.avg_score is not None else ""
    io.say(f"Session summary: {s.answered} answered, {s.graded} graded{avg}.")
    for i, r in enumerate(s.rows, 1):
        score = f"{r.score:.0f}" if r.score is not None else wording.state(r.kind, r.status)
        t = f", {round(r.duration_s)} s" if r.duration_s is not None else ""  # whole seconds, as the TUI shows
        io.say(f"  {i}. {r.question.question} - {score}{t}")
    if s.rows:  # the rows add up to these, as on the summary screen
        in_all = f", {s.total_seconds:.0f} s in all" if s.total_seconds != s.answering_seconds else ""
        io.say(f"Time: {s.answering_seconds:.0f} s answering{in_all}.")
    if s.topic_averages:
        io.say("Topics, weakest first: " + "; ".join(f"{t} {a:.0f}" for t, a, _ in s.topic_averages))
    if s.weakest_key_points:
        io.say("Key points you left out or got wrong:")
        for _q, text, status in s.weakest_key_points:
            io.say(f"  - {text}{KEY_POINT_NOTE.get(status, '')}")
    io.say("What to practise next:")
    for step in s.next_steps:
        io.say("  " + step)
