"""Plain mode (`interviewer practice --plain`): the practice session as line-by-line prompts, for screen readers,
dumb terminals and pipes. The same session as the app (app.practice.Practice: same storage, grading, summary);
plain text out, lines in, no colour, no cursor movement.

Every prompt says what it is, and PROMPT_HELP (printed at the start, and by /help) lists them all:

- `answer> `     a line of the answer; an empty line ends it (an empty line before any text is ignored)
- `follow-up> `  after the feedback, the follow-up question: answer it, or an empty line to go on
- `grading failed: r, o or k> `  retry, grade offline, or keep the answer for later (empty line: keep)

At every prompt a line holding only /skip, /idk, /quit or /help does that, and is never stored as an answer:
/skip skips (text typed before it is kept with the skip, as the app's Ctrl+N does), /idk records "I don't
know", /quit ends the session (text typed before it is kept as a draft the app offers back). A line like
`/skp` is taken for a mistyped command and left out of the answer. End of input ends the session cleanly: text
typed before it is submitted, and the summary is printed.

An answer the database will not take (disk full, read-only, locked) is written to a rescue file (app.rescue),
the session ends there with the fault's message and exit code 2; Ctrl-C keeps the unfinished answer as a draft
(or in a rescue file) and exits 130.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from ...app import wording
from ...core.errors import DatabaseError, InterviewerError
from .plain_print import print_feedback, print_summary, say_block

if TYPE_CHECKING:
    from ...app.services import Services
    from .voice import PlainVoice

COMMANDS = ("/skip", "/idk", "/quit", "/help")
ANSWER, FOLLOW_UP, RETRY = "answer> ", "follow-up> ", "grading failed: r, o or k> "
PROMPT_HELP = (
    "How to answer: type as you would say it, over as many lines as you like; an empty line ends the answer.\n"
    "Prompts:\n"
    f"  {ANSWER.strip()}  a line of your answer to the question (an empty line: done)\n"
    f"  {FOLLOW_UP.strip()}  the interviewer's follow-up question: answer it, or an empty line to go on\n"
    f"  {RETRY.strip()}  r retries, o grades offline, k (or an empty line) keeps it for later\n"
    "At any prompt, a line with only:\n"
    "  /skip  skips (anything typed before it is kept with the skip)\n"
    "  /idk   records \"I don't know\"\n"
    "  /quit  ends the session (anything typed before it is kept as a draft for the app)\n"
    "  /help  shows this again\n"
    "In an answer, /voice FILE.wav adds what a recording of you saying it contains (the voice settings).\n"
    "End of input ends the session after the answer typed so far.")
_COMMAND_LIKE = re.compile(r"^/[A-Za-z]+$")
EXIT_FAULT = 2


def _safe(value: object) -> str:
    from ...termsafe import safe

    return safe(value)


@dataclass
class Reply:
    """What one prompt got: the text typed, and how it ended (None: an empty line)."""

    text: str
    command: str | None = None
    """/skip, /idk, /quit, or 'eof' (end of input)."""


class Plain:
    voice: PlainVoice | None = None
    """Plain mode's `/voice FILE` (cli.commands.voice.PlainVoice), set by run_plain."""

    def __init__(self, inp: TextIO, out: TextIO) -> None:
        self.inp, self.out = inp, out
        self.eof = False
        self.partial = ""
        """The lines of the answer being typed (kept if Ctrl-C comes in the middle of it)."""

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

    def command_of(self, s: str) -> str | None:
        """The command a line is (/skip, /idk, /quit, /help), 'typo' for an unknown /word, else None."""
        st = s.strip()
        if st.lower() in COMMANDS:
            return st.lower()
        if _COMMAND_LIKE.match(st):
            return "typo"
        return None

    def read(self, prompt: str, *, empty_ends_at_once: bool = False) -> Reply:
        """Lines up to an empty line, a command or end of input. `empty_ends_at_once`: an empty first line
        is an answer of its own (the follow-up's "go on"); otherwise it is ignored."""
        lines: list[str] = []
        self.partial = ""
        while True:
            self.prompt(prompt)
            s = self.line()
            if s is None:
                if not lines:
                    self.say()
                return Reply("\n".join(lines), "eof")
            if s.strip().split(" ")[0].lower() == "/voice" and self.voice is not None:  # cli.commands.voice
                lines += [t for t in [self.voice.take(s.strip()[6:].strip())] if t]
                self.partial = "\n".join(lines)
                continue
            cmd = self.command_of(s)
            if cmd == "/help":
                self.say(PROMPT_HELP)
                continue
            if cmd == "typo":
                self.say(f"{s.strip()} is not a command (commands: {', '.join(COMMANDS)}); that line was left "
                         "out of your answer.")
                continue
            if cmd is not None:
                return Reply("\n".join(lines), cmd)
            if not s.strip():
                if lines or empty_ends_at_once:
                    return Reply("\n".join(lines))
                continue
            lines.append(s)
            self.partial = "\n".join(lines)

    def choice(self) -> str:
        """The grading-failure choice: r, o or k (k on an empty line, /skip, /idk); 'quit' for /quit or end of
        input."""
        for _ in range(3):
            self.prompt(RETRY)
            s = self.line()
            if s is None:
                return "quit"
            cmd = self.command_of(s)
            if cmd == "/quit":
                return "quit"
            if cmd in ("/skip", "/idk") or not s.strip():
                return "k"
            if cmd == "/help":
                self.say(PROMPT_HELP)
                continue
            c = s.strip().lower()[:1]
            if c in ("r", "o", "k"):
                return c
            self.say("Type r to retry, o to grade offline, or k to keep it for later.")
        return "k"


class SessionFault(Exception):
    """The database stopped taking writes mid-session: the session ends with this message (exit code 2)."""

    def __init__(self, error: InterviewerError) -> None:
        super().__init__(str(error))
        self.error = error


def run_plain(svc: Services, opts, inp: TextIO, out: TextIO) -> int:
    """Run the session; the exit code (0, or EXIT_FAULT when a fault ended it)."""
    import asyncio

    from ...app.practice import Practice
    from .voice import PlainVoice

    io = Plain(inp, out)
    io.voice = PlainVoice(svc, io.say)
    p = Practice.start(svc, opts)
    g = svc.config.grader
    who = "offline grader" if g.backend == "offline" and not opts.backend else f"{g.backend} {g.model}".strip()
    io.say(f"interviewer practice: {len(p.items)} question{'s' if len(p.items) != 1 else ''} from "
           f"{p.session.bank_id}, {who}{', mock interview (feedback at the end)' if opts.mock else ''}.")
    if p.note:
        io.say(p.note)
    io.say(PROMPT_HELP)
    code = 0
    try:
        try:
            _questions(io, p, opts, asyncio)
        except KeyboardInterrupt:
            _keep_partial(io, p, svc)
            io.say("Interrupted. Your answers so far are saved.")
            code = 130
        if opts.mock and code == 0:
            for a in p.needs_grading():
                if not _grade(io, p, a, asyncio):
                    break
            for it in p.items:
                if it.answer is not None and it.answer.grade is not None:
                    io.say()
                    io.say(f"--- {it.question.question}")
                    print_feedback(io, p, it, it.answer)
        print_summary(io, _finish(p))
    except SessionFault as f:
        io.say()
        io.say(f"The session stopped: {f.error.message}")
        if f.error.hint:
            io.say(f"  -> {f.error.hint}")
        io.say("Every answer reported \"Saved.\" above is in the database.")
        print_summary(io, p.summary())
        return EXIT_FAULT
    return code


def _finish(p):
    try:
        return p.finish()
    except DatabaseError as e:  # the session's end time could not be written: nothing typed is lost
        raise SessionFault(e) from None


def _questions(io: Plain, p, opts, asyncio) -> None:
    from ...core.models import AttemptKind

    while not p.done:
        item = p.current
        q = item.question
        io.say()
        io.say(f"Question {p.position} · {q.topic} · {q.difficulty.value}")
        io.say(q.question)
        started = p.clock()
        r = io.read(ANSWER)
        if r.command == "/quit" or (r.command == "eof" and not r.text.strip()):
            _keep_draft(io, p, q, r.text, started)
            return
        kind = {"/skip": AttemptKind.skipped, "/idk": AttemptKind.dont_know}.get(r.command or "",
                                                                               AttemptKind.answer)
        ans = _submit(io, p, q, r.text, kind=kind, started_at=started)
        io.say({AttemptKind.answer: "Saved.", AttemptKind.skipped: "Skipped (saved).",
                AttemptKind.dont_know: "Recorded as “I don't know”."}[ans.attempt.kind])
        if ans.attempt.kind is AttemptKind.answer and not opts.mock:
            if _grade(io, p, ans, asyncio):
                print_feedback(io, p, item, ans)
                if not io.eof and _follow_up(io, p, item, ans, asyncio) == "quit":
                    return
        elif ans.attempt.kind is not AttemptKind.answer and not opts.mock:
            say_block(io, "Reference answer", q.reference)
        if io.eof or r.command == "eof":
            return
        p.advance()


def _follow_up(io: Plain, p, item, ans, asyncio) -> str | None:
    """Ask the follow-up, if the grade has one. 'quit' when the person ended the session there."""
    from ...core.models import AttemptKind

    fu = ans.grade.grade.follow_up if ans.grade else ""
    if not fu:
        return None
    io.say()
    io.say("Follow-up: " + wording.tidy(fu))
    io.say("(answer it, or an empty line to go on)")
    started = p.clock()
    r = io.read(FOLLOW_UP, empty_ends_at_once=True)
    if r.command == "/quit" or (r.command == "eof" and not r.text.strip()):
        _keep_draft(io, p, item.question, r.text, started, parent=ans.attempt, prompt=fu)
        return "quit"
    if r.command == "/skip" or (r.command is None and not r.text.strip()):
        return None
    kind = AttemptKind.dont_know if r.command == "/idk" else AttemptKind.answer
    fa = _submit(io, p, item.question, r.text, kind=kind, started_at=started, parent=ans.attempt, prompt=fu)
    if fa.attempt.kind is AttemptKind.answer:
        if _grade(io, p, fa, asyncio):
            print_feedback(io, p, item, fa, follow_up=True)
    else:
        io.say("Recorded as “I don't know”.")
    return "quit" if r.command == "eof" else None


def _submit(io: Plain, p, question, text: str, **kw):
    if io.voice is not None:  # the takes of /voice go with this answer
        io.voice.stage(p, question, kw.get("parent"))
    try:
        return p.submit(question, text, **kw)
    except DatabaseError as e:
        from ...app.rescue import rescue_answer

        if text.strip():
            kept = rescue_answer(p.services.locations.data_dir, text, question_id=question.id,
                                 prompt=kw.get("prompt") or question.question, reason=e.message)
            io.say("Your answer was NOT saved" + (f"; it is in {kept}." if kept else "; here it is, as typed:"))
            if kept is None:
                io.say(text)
        raise SessionFault(e) from None


def _keep_draft(io: Plain, p, question, text: str, started, *, parent=None, prompt=None) -> None:
    """Text typed before /quit (or Ctrl-C) becomes a draft the app offers back; a rescue file if it cannot."""
    if not text.strip():
        return
    takes = io.voice.takes if io.voice is not None else None  # the takes of /voice stay with the draft
    if p.save_draft(question, text, started_at=started, parent=parent, prompt=prompt, takes=takes) is not None:
        io.say("Your unfinished answer is kept as a draft: `interviewer` offers it back.")
        return
    from ...app.rescue import rescue_answer

    kept = rescue_answer(p.services.locations.data_dir, text, question_id=question.id,
                         prompt=prompt or question.question, reason=p.draft_error.message)
    io.say(f"Your unfinished answer could not be kept as a draft ({p.draft_error.message})"
           + (f"; it is in {kept}." if kept else "; here it is, as typed:"))
    if kept is None:
        io.say(text)


def _keep_partial(io: Plain, p, svc: Services) -> None:
    item = p.current
    if item is not None and io.partial.strip():
        _keep_draft(io, p, item.question, io.partial, None)


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
        except DatabaseError as e:  # the answer is saved; its grade could not be
            raise SessionFault(DatabaseError(f"the grade could not be saved: {e.message} (your answer is saved "
                                             f"as attempt {ans.attempt.id})", hint=e.hint, kind=e.kind)) from None
        except InterviewerError as e:
            io.say(f"Grading failed: {e.message}")
            choice = io.choice()
            if choice == "r":
                grader = None
            elif choice == "o":
                grader = p.services.make_grader("offline")
            else:
                io.say("Kept for later: it is saved without a grade.")
                if choice == "quit":
                    io.eof = True
                return False
