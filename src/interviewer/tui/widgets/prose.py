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

from rich.console import RenderableType
from rich.text import Text

from ...app.wording import looks_like_markdown, quote_in_context, sentence, tidy
from ..text import plain, safe


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


def quoted_evidence(evidence: str, answer: str) -> Text:
    """The quote, in its place in the answer when it is short (app.wording.quote_in_context), the quoted words
    in bold."""
    before, quote, after = quote_in_context(evidence, answer)
    t = Text("“")
    if not before and not after:
        t.append(plain(quote, "italic"))
        return t.append("”")
    t.append(plain(before, "italic"))
    t.append(plain(quote, "bold italic"))
    t.append(plain(after, "italic"))
    return t.append("”")
