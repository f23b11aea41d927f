"""Text from banks, graders and answers, made readable on screen without ever being run as markup.

- `markdown_block`: a reference or a stronger answer written in Markdown (bold, lists, code) drawn as Markdown
  by Rich, links shown as text (never as terminal hyperlinks), control characters made visible first; plain
  text stays plain text.
- `quoted_evidence`: the words of the answer that show a key point. A quote of one or two words ("token",
  "softmax") says little on its own, so it is shown in its place in the answer, with a few words either side
  and the quoted words in bold: "…by the square root of the **softmax** over…". The words shown are the
  answer's own; nothing is added.
- `prose` / `note`: grader prose with doubled punctuation mended (app.wording.tidy), and a note as a sentence.
"""

from __future__ import annotations

import re

from rich.console import RenderableType
from rich.text import Text

from ...app.wording import looks_like_markdown, sentence, tidy
from ..text import plain, safe

CONTEXT_WORDS = 4
"""Words of the answer shown on each side of a short quote."""
SHORT_QUOTE_WORDS = 3
"""Quotes with fewer words than this are shown in context."""


def markdown_block(text: str) -> RenderableType:
    if not looks_like_markdown(text):
        return plain(text)
    from rich.markdown import Markdown

    return _Trimmed(Markdown(safe(text), hyperlinks=False))


class _Trimmed:
    """A renderable without the blank lines Rich's Markdown puts before a leading list and after the last
    block, so a section's body starts right under its title like every other section's."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        lines = console.render_lines(self.renderable, options, pad=False, new_lines=False)
        while lines and not "".join(seg.text for seg in lines[0]).strip():
            lines.pop(0)
        while lines and not "".join(seg.text for seg in lines[-1]).strip():
            lines.pop()
        for line in lines:
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement.get(console, options, self.renderable)


def prose(text: str, style: str = "") -> Text:
    return plain(tidy(text), style)


def note(text: str, style: str = "") -> Text:
    return plain(sentence(text), style)


_WORD = re.compile(r"\S+")


def quoted_evidence(evidence: str, answer: str) -> Text:
    """The quote, in its place in the answer when it is short (see the module docstring)."""
    quote = " ".join(evidence.split())
    t = Text("“")
    if len(quote.split()) >= SHORT_QUOTE_WORDS or not answer:
        t.append(plain(quote, "italic"))
        return t.append("”")
    flat = " ".join(answer.split())
    m = re.search(r"(?<!\w)" + re.escape(quote) + r"(?!\w)", flat, re.I) or re.search(re.escape(quote), flat, re.I)
    if m is None:
        t.append(plain(quote, "italic"))
        return t.append("”")
    before = list(_WORD.finditer(flat, 0, m.start()))
    after = list(_WORD.finditer(flat, m.end()))
    start = before[-CONTEXT_WORDS].start() if len(before) > CONTEXT_WORDS else 0
    end = after[CONTEXT_WORDS - 1].end() if len(after) > CONTEXT_WORDS else len(flat)
    if start > 0:
        t.append("…")
    t.append(plain(flat[start:m.start()], "italic"))
    t.append(plain(flat[m.start():m.end()], "bold italic"))
    t.append(plain(flat[m.end():end], "italic"))
    if end < len(flat):
        t.append("…")
    return t.append("”")
