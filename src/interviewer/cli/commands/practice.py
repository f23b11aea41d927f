"""`interviewer practice`: start a practice session in the app, or with --plain as line-by-line prompts.

Plain mode is the same session (interviewer.app.practice.Practice: same storage, same grading, same summary)
for screen readers, dumb terminals and pipes: plain text out, lines in, no colour, no cursor movement.
An answer ends at an empty line (or end of input); a line with only /skip, /idk or /quit does what it says.
"""

from __future__ import annotations

import sys
from typing import Annotated, TextIO

import typer

from ...core.errors import InterviewerError

ORDERS = ("random", "weakest", "due", "in-order")
DIFFICULTIES = ("basic", "intermediate", "advanced")


def register(app: typer.Typer) -> None:
    app.command("practice")(practice)


def practice(
    plain: Annotated[bool, typer.Option("--plain", help="Line-by-line prompts instead of the app (screen "
                                        "readers, dumb terminals, pipes).")] = False,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Topic to practise (repeatable); "
                                                    "default all.")] = None,
    n: Annotated[int | None, typer.Option("-n", "--questions", help="Number of questions.")] = None,
    order: Annotated[str, typer.Option(help="random | weakest | due | in-order")] = "random",
    difficulty: Annotated[str | None, typer.Option(help="basic | intermediate | advanced")] = None,
    timer: Annotated[int | None, typer.Option(help="Per-answer target in seconds (0 = off).")] = None,
    mock: Annotated[bool, typer.Option("--mock", help="Mock interview: feedback held back until the end.")] = False,
    bank: Annotated[str | None, typer.Option(help="Bank id (default: practice.bank in config).")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the random order (repeatable sessions).")] = None,
    due: Annotated[bool, typer.Option("--due", help="The questions due for review (FSRS) first: same as "
                                      "--order due.")] = False,
    weak: Annotated[bool, typer.Option("--weak", help="Your weakest questions first (lowest mastery, see "
                                       "`interviewer stats`): same as --order weakest.")] = False,
) -> None:
    """Practise questions: opens the app on a new session, or runs it as plain prompts with --plain."""
    from ...app.practice import SessionOptions
    from ..context import services

    if due and weak:
        raise InterviewerError("--due and --weak are two different sessions", hint="choose one of them")
    if due or weak:
        chosen = "due" if due else "weakest"
        if order not in ("random", chosen):
            raise InterviewerError(f"--{'due' if due else 'weak'} and --order {order} disagree",
                                   hint="give one of them")
        order = chosen
    if order not in ORDERS:
        raise InterviewerError(f"unknown order {order!r}", hint="use one of: " + ", ".join(ORDERS))
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise InterviewerError(f"unknown difficulty {difficulty!r}", hint="use one of: " + ", ".join(DIFFICULTIES))
    svc = services()
    cfg = svc.config.practice
    count = n if n is not None else cfg.questions
    if not 1 <= count <= 100:
        raise InterviewerError(f"-n {count}: choose from 1 to 100 questions", hint="e.g. -n 5")
    b = svc.bank(bank)
    unknown = [t for t in (topic or []) if t not in b.topics()]
    if unknown:
        raise InterviewerError(f"no topic {unknown[0]!r} in bank {b.id}",
                               hint="topics: " + "; ".join(b.topics()))
    opts = SessionOptions(bank_id=b.id, topics=list(topic or []), difficulties=[difficulty] if difficulty else [],
                          count=count, order=order, timer_s=cfg.timer if timer is None else timer, mock=mock,
                          seed=seed)
    if plain:
        code = run_plain(svc, opts, sys.stdin, sys.stdout)
        svc.close()
        raise typer.Exit(code)
    from ...tui.run import run_tui

    run_tui(svc, start=opts)


# --------------------------------------------------------------------------- plain mode


def _safe(value: object) -> str:
    from ...termsafe import safe

    return safe(value)


class Plain:
    def __init__(self, inp: TextIO, out: TextIO) -> None:
        self.inp, self.out = inp, out
        self.eof = False

    def say(self, text: str = "") -> None:
        self.out.write(_safe(text) + "\n")
        self.out.flush()

    def prompt(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def line(self) -> str | None:
        s = self.inp.readline()
        if s == "":
            self.eof = True
            return None
        return s.rstrip("\r\n")

    def answer(self, first: str | None = None) -> str | None:
        """Lines up to an empty line or end of input. None at end of input with nothing typed."""
        lines: list[str] = [first] if first else []
        while True:
            self.prompt("> ")
            s = self.line()
            if s is None:
                if not lines:
                    self.say()
                    return None
                break
            if not s.strip():
                if lines:
                    break
                continue
            if not lines and s.strip() in ("/skip", "/idk", "/quit"):
                return s.strip()
            lines.append(s)
        return "\n".join(lines)


def run_plain(svc, opts, inp: TextIO, out: TextIO) -> int:
    import asyncio

    from ...app.practice import Practice
    from ...core.models import AttemptKind

    io = Plain(inp, out)
    p = Practice.start(svc, opts)
    g = svc.config.grader
    who = "offline grader" if g.backend == "offline" and not opts.backend else f"{g.backend} {g.model}".strip()
    io.say(f"interviewer practice: {len(p.items)} question{'s' if len(p.items) != 1 else ''} from {p.session.bank_id}, "
           f"{who}{', mock interview (feedback at the end)' if opts.mock else ''}.")
    if p.note:
        io.say(p.note)
    io.say("Type your answer as you would say it; finish with an empty line. "
           "A line with only /skip, /idk or /quit does that.")
    quit_ = False
    while not p.done and not quit_:
        item = p.current
        q = item.question
        io.say()
        io.say(f"Question {p.position} · {q.topic} · {q.difficulty.value}")
        io.say(q.question)
        started = p.clock()
        text = io.answer()
        if text is None or text == "/quit":
            break
        kind = {"/skip": AttemptKind.skipped, "/idk": AttemptKind.dont_know}.get(text, AttemptKind.answer)
        ans = p.submit(q, "" if kind is not AttemptKind.answer else text, kind=kind, started_at=started)
        io.say({AttemptKind.answer: "Saved.", AttemptKind.skipped: "Skipped (saved).",
                AttemptKind.dont_know: "Recorded as I don't know."}[kind])
        if kind is AttemptKind.answer and not opts.mock:
            if not _grade(io, p, ans, asyncio):
                quit_ = io.eof
            else:
                print_feedback(io, p, item, ans)
                fu = ans.grade.grade.follow_up if ans.grade else ""
                if fu and not io.eof:
                    io.say()
                    io.say("Follow-up: " + fu)
                    io.say("(answer it, or an empty line to go on)")
                    io.prompt("> ")
                    first = io.line()
                    if first and first.strip() and first.strip() != "/quit":
                        fu_text = io.answer(first) or first
                        fa = p.submit(q, fu_text, started_at=p.clock(), parent=ans.attempt, prompt=fu)
                        if _grade(io, p, fa, asyncio):
                            print_feedback(io, p, item, fa, follow_up=True)
                    elif first is not None and first.strip() == "/quit":
                        quit_ = True
        elif kind is not AttemptKind.answer and not opts.mock:
            io.say("Reference answer: " + q.reference)
        p.advance()
    if opts.mock:
        for a in p.needs_grading():
            _grade(io, p, a, asyncio)
        for it in p.items:
            if it.answer is not None and it.answer.grade is not None:
                io.say()
                io.say(f"--- {it.question.question}")
                print_feedback(io, p, it, it.answer)
    print_summary(io, p.finish())
    return 0


def _grade(io: Plain, p, ans, asyncio) -> bool:
    """Grade with the session's grader; on failure offer retry / offline / keep. True when graded."""
    grader = None
    while True:
        io.say("Grading…")
        try:
            asyncio.run(p.grade(ans, grader))
            return True
        except KeyboardInterrupt:
            io.say("Stopped. The answer is saved and can be graded later.")
            return False
        except InterviewerError as e:
            io.say(f"Grading failed: {e.message}")
            io.prompt("[r]etry, grade [o]ffline, or [k]eep for later? ")
            choice = (io.line() or "k").strip().lower()[:1]
            if choice == "r":
                grader = None
            elif choice == "o":
                grader = p.services.make_grader("offline")
            else:
                io.say("Kept for later: it is saved without a grade.")
                return False


def print_feedback(io: Plain, p, item, ans, follow_up: bool = False) -> None:
    g = ans.grade.grade
    q = item.question
    io.say()
    io.say(f"Score {g.score:.0f}/100 · {g.verdict}" + (" (follow-up)" if follow_up else ""))
    if g.flags:
        for f in g.flags:
            io.say(f"Warning: {f}")
    if g.summary:
        io.say(g.summary)
    names = {c.id: c.name for c in p.rubric_for(q).criteria}
    io.say("Criteria:")
    for c in g.criteria:
        level = "not assessed" if c.level is None else f"{c.level}/4"
        why = c.rationale if c.rationale and not c.rationale.lower().startswith("not assessed") else ""
        io.say(f"  {names.get(c.criterion_id, c.criterion_id)}: {level}" + (f". {why}" if why else ""))
    texts = {kp.id: kp.text for kp in q.key_points}
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
    if g.misconceptions:
        io.say("Misconceptions:")
        for m in g.misconceptions:
            io.say(f"  ! {m.as_text()}")
    w = g.insights
    if w is not None:
        io.say(f"Wording: {w.word_count} words, about {w.speaking_seconds:.0f} s spoken, {w.filler_count} filler"
               f"{'s' if w.filler_count != 1 else ''}" + (f" ({', '.join(w.fillers)})" if w.fillers else ""))
    if g.better_answer:
        io.say("A stronger answer: " + g.better_answer)
    io.say("Reference answer: " + q.reference)


def print_summary(io: Plain, s) -> None:
    io.say()
    avg = f", average {s.avg_score:.0f}" if s.avg_score is not None else ""
    io.say(f"Session summary: {s.answered} answered, {s.graded} graded{avg}.")
    for i, r in enumerate(s.rows, 1):
        score = f"{r.score:.0f}" if r.score is not None else {"skipped": "skipped", "dont_know": "didn't know",
                                                              "unanswered": "not reached"}.get(r.kind, r.status)
        t = f", {int(r.duration_s)} s" if r.duration_s is not None else ""
        io.say(f"  {i}. {r.question.question} - {score}{t}")
    if s.topic_averages:
        io.say("Topics, weakest first: " + "; ".join(f"{t} {a:.0f}" for t, a, _ in s.topic_averages))
    if s.weakest_key_points:
        io.say("Weakest key points:")
        for _q, text, status in s.weakest_key_points:
            io.say(f"  - {text} ({status})")
    io.say("Next:")
    for step in s.next_steps:
        io.say("  " + step)
