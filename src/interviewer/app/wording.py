"""The words every front end uses for the state of an answer, and the small repairs text gets before a person
reads it. One vocabulary for the screens, plain mode, the CLI and the exports:

- an answer the person chose not to give is "skipped";
- an honest "I don't know" is "I don't know" (never "idk", "dont know" or "didn't know");
- a saved answer with no grade (grading was stopped, failed, or has not run yet) is "ungraded";
- a score the person set after disputing a grade is "your score" (marked `*` in tables, with `YOUR_SCORE_NOTE`);
- a question the session never reached is "not reached".

`tidy` mends what templates and models get wrong in prose (a doubled "??", a space before a comma);
`plain_markdown` turns a bank's Markdown (references, stronger answers) into text that reads well where
Markdown is not drawn: plain mode, the CLI's tables, CSV. `bar` is the one bar of blocks a figure is drawn as.
No Textual, no Rich.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

SKIPPED = "skipped"
DONT_KNOW = "I don't know"
UNGRADED = "ungraded"
NOT_REACHED = "not reached"
YOUR_SCORE_MARK = "*"
YOUR_SCORE_NOTE = "* your own score (you disputed the grade); it counts instead of the grader's"

_KIND = {"skipped": SKIPPED, "dont_know": DONT_KNOW, "unanswered": NOT_REACHED}


def state(kind: object, status: object = "") -> str:
    """The word for an answer that has no score: skipped, I don't know, not reached, or ungraded."""
    kind = getattr(kind, "value", kind)
    return _KIND.get(str(kind), UNGRADED)


def score_label(score: float | None, kind: object = "answer", status: object = "", *,
                overridden: bool = False) -> str:
    """"72", "72*" (your score), or the state word when there is no score."""
    if score is None:
        return state(kind, status)
    return f"{score:.0f}" + (YOUR_SCORE_MARK if overridden else "")


def counted(n: int, word: str) -> str:
    """"1 session", "2 sessions": a count with its noun (a regular plural)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def answers_said(attempts: int, passed: int, graded: int | None = None) -> str:
    """How many answers (and of them graded), and how many questions were skipped or met with "I don't know" ("1
    answer, 1 graded, 9 not answered"): what the home screen, the review dashboard, `stats` and the report say, as
    the session summary does ("1 answered"), instead of counting a skip as an answer."""
    out = counted(attempts - passed, "answer") + (f", {graded} graded" if graded is not None else "")
    return out + (f", {passed} not answered" if passed else "")


def bar(fraction: float, width: int = 10) -> str:
    """The one bar (mastery, a topic's average, a score, the input level): `width` cells, `fraction` (0-1) of
    them full, as the app and `interviewer stats` draw it."""
    fraction = min(1.0, max(0.0, fraction))
    full = int(round(fraction * width))
    return "█" * full + "░" * (width - full)


_DOUBLED = re.compile(r"([?!,;:])\1+")
_DOTS = re.compile(r"(?<!\.)\.\.(?!\.)")
_SPACE_BEFORE = re.compile(r"\s+([,;:?!])(?=\s|$)")
_QUESTION_DOT = re.compile(r"\?\.(?=\s|$)")


def tidy(text: str) -> str:
    """Prose as a careful editor would leave it: "??" -> "?", ".." -> "." (an ellipsis "..." is kept),
    "word ," -> "word,", "?." -> "?". Nothing else changes (words, capitals and quotes are the writer's)."""
    if not text:
        return text
    out = _DOUBLED.sub(r"\1", text)
    out = _DOTS.sub(".", out)
    out = _QUESTION_DOT.sub("?", out)
    return _SPACE_BEFORE.sub(r"\1", out)


def sentence(text: str) -> str:
    """A note as a sentence: capital first letter, a full stop at the end (unless it ends in ? ! or ...)."""
    text = tidy(" ".join(text.split()))
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!…" else text + "."


def plain_markdown(md: str) -> str:
    """Markdown as readable plain text: emphasis and code marks removed, headings as lines, list items as
    "- item", paragraphs kept apart. Uses markdown-it-py (Rich's own Markdown parser) so nesting and code spans
    are read correctly."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(md or "")
    out: list[str] = []
    prefix: list[str] = []
    counters: list[int] = []
    for tok in tokens:
        if _list_token(tok, prefix, counters, out):
            continue
        if tok.type == "inline":
            text = "".join(c.content if c.type not in ("softbreak", "hardbreak") else " "
                           for c in tok.children or [])
            if prefix:
                indent = "  " * (len(prefix) - 1)
                mark = f"{counters[-1]}. " if prefix[-1] == "#" else "- "
                out.append(f"{indent}{mark}{text}")
            else:
                out.append(text)
        elif tok.type in ("paragraph_close", "heading_close") and not prefix:
            out.append("")
        elif tok.type in ("fence", "code_block"):
            out.extend(tok.content.rstrip("\n").splitlines())
            out.append("")
    text = "\n".join(out).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _list_token(tok: Token, prefix: list[str], counters: list[int], out: list[str]) -> bool:
    """Follow list nesting for plain_markdown (`prefix`: "- " or "#" per open list, `counters`: the item number
    in each); whether `tok` was a list token."""
    if tok.type == "bullet_list_open":
        counters.append(0)
        prefix.append("- ")
    elif tok.type == "ordered_list_open":
        counters.append(int(tok.attrGet("start") or 1) - 1)
        prefix.append("#")
    elif tok.type in ("bullet_list_close", "ordered_list_close"):
        counters.pop()
        prefix.pop()
        if not prefix:
            out.append("")
    elif tok.type == "list_item_open" and prefix and prefix[-1] == "#":
        counters[-1] += 1
    else:
        return False
    return True


CONTEXT_WORDS = 4
"""Words of the answer shown on each side of a short quote."""
SHORT_QUOTE_WORDS = 3
"""Quotes with fewer words than this are shown in their place in the answer."""
_WORD = re.compile(r"\S+")


def quote_in_context(quote: str, answer: str) -> tuple[str, str, str]:
    """(before, the quote, after) for showing the words of an answer that back a key point. A quote of one or
    two words ("token", "softmax") says little on its own, so it comes with up to CONTEXT_WORDS words of the
    answer either side, "…" marking where the answer goes on; a longer quote, or one not found in the answer,
    stands alone. Only the answer's own words are used."""
    quote = " ".join(quote.split())
    if len(quote.split()) >= SHORT_QUOTE_WORDS or not answer:
        return "", quote, ""
    flat = " ".join(answer.split())
    m = re.search(r"(?<!\w)" + re.escape(quote) + r"(?!\w)", flat, re.I) or re.search(re.escape(quote), flat, re.I)
    if m is None:
        return "", quote, ""
    before = list(_WORD.finditer(flat, 0, m.start()))
    after = list(_WORD.finditer(flat, m.end()))
    start = before[-CONTEXT_WORDS].start() if len(before) > CONTEXT_WORDS else 0
    end = after[CONTEXT_WORDS - 1].end() if len(after) > CONTEXT_WORDS else len(flat)
    return (("…" if start > 0 else "") + flat[start:m.start()], flat[m.start():m.end()],
            flat[m.end():end] + ("…" if end < len(flat) else ""))


def looks_like_markdown(text: str) -> bool:
    """True when the text uses Markdown marks worth drawing (bold, code, a list, a heading)."""
    return bool(re.search(r"\*\*|__|`|^\s*(?:[-*+]|\d+[.)])\s|^#{1,6}\s", text or "", re.M))
