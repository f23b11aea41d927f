"""Plain mode prints in the app's words: a Markdown reference read as plain text (no ** or backticks, list items
as "- "), the vocabulary for an answer's state, a cut answer said right after the score."""

from __future__ import annotations

import io as _io

from interviewer.app.practice import Practice, SessionOptions
from interviewer.cli.commands.plain_print import print_feedback, print_summary, say_block
from interviewer.core.models import AttemptKind
from interviewer.grading.answer import MAX_ANSWER_CHARS
from tui_helpers import FrozenClock, KeywordGrader


class Out:
    def __init__(self) -> None:
        self.buf = _io.StringIO()

    def say(self, text: str = "") -> None:
        self.buf.write(text + "\n")

    @property
    def text(self) -> str:
        return self.buf.getvalue()


def test_a_markdown_reference_reads_as_plain_text(services):
    q = services.bank().get("llm-q003")
    out = Out()
    say_block(out, "Reference answer", q.reference)
    assert out.text.startswith("Reference answer:\n  - Encoder-only (e.g., BERT): Bidirectional")
    assert "**" not in out.text and "`" not in out.text
    out = Out()
    say_block(out, "A stronger answer", "One plain sentence.")
    assert out.text == "A stronger answer: One plain sentence.\n"


async def test_feedback_and_summary_in_the_apps_words(services):
    q1, q2 = services.bank().questions[:2]
    p = Practice.start(services, SessionOptions(count=2), clock=FrozenClock(), questions=[q1, q2])
    p.grader = KeywordGrader()
    long = (q1.key_points[0].alternatives[0] + " ") * (MAX_ANSWER_CHARS // 10)
    a = p.submit(q1, long, started_at=p.clock())
    await p.grade(a)
    out = Out()
    print_feedback(out, p, p.items[0], a)
    lines = out.text.splitlines()
    assert lines[1].startswith("Score ") and lines[2].startswith("Only the start of your answer was graded")
    p.advance()
    p.submit(q2, "", kind=AttemptKind.dont_know, started_at=p.clock())
    p.advance()
    out = Out()
    print_summary(out, p.finish())
    assert f"{q2.question} - I don't know" in out.text and "What to practise next:" in out.text
