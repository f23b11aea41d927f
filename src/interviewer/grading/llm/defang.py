"""Delimiter look-alikes in an answer, found in every spelling a model may read as markup, and defanged.

The answer reaches the model between `<answer-NONCE>` tags (grading.llm.prompt). Text in the answer that a model
could take for the end of those tags, for another of our sections, or for a chat-template turn marker must not
survive as such, whether or not the writer knows the nonce. What counts as "the same tag" is what the tag becomes
after the normalisations that happen between this program and the model's attention:

- Unicode compatibility forms (NFKC): full-width `＜／ａｎｓｗｅｒ＞`, small forms `﹤ ﹥`, mathematical letters.
  Tokenizers with an NFKC normaliser (SentencePiece's nmt_nfkc, used by many open models) turn them into ASCII.
- HTML/XML character references (`&lt;`, `&LT`, `&#60;`, `&#x3c;`) and escapes (`\\u003c`, `\\x3c`), which models
  decode without being asked.
- any whitespace, or none, anywhere inside the tag: `< /answer >`, `</answer` + 300 spaces + `>`, new lines.

Markers found: our own section tags (answer, reference, question, key points, rubric, ...), chat roles as tags
(`<system>`, `<|im_start|>`, `<|eot_id|>`, DeepSeek's full-width `<｜...｜>`), Llama 2 (`[INST]`, `<<SYS>>`),
Mistral (`[SYSTEM_PROMPT]`, `[TOOL_CALLS]`...), Gemma (`<start_of_turn>`), sentence tokens (`<s>`, `</s>`),
and role lines (`Human:`, `Assistant:`, `System:`, `User:`, `### Instruction:` at the start of a line).

A marker is defanged in place, keeping it readable: its angle brackets become `‹ ›`, its square brackets `⁅ ⁆`,
a role line's colon `∶` (none of these fold back under NFKC). Ordinary text such as `a < b and c > d` is left
alone. Invisible characters are removed before this runs (grading.answer.strip_invisible), so they cannot split
a marker. Found with regular expressions over a folded copy of the text (no HTML or Unicode library does
"fold, but keep offsets"); the folding is skipped for plain ASCII text without `&` or `\\`.
"""

from __future__ import annotations

import html
import re
import unicodedata

_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});?|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|.",
                  re.S)

_NAMES = (r"answer|candidate|reference|question|system|developer|user|assistant|human|model|instructions?|"
          r"key[_ -]?points?|rubric|grading|grade|im_start|im_end|start_of_turn|end_of_turn|tool|tools|think")
_MARKER = re.compile(
    "|".join((
        # <  /  answer-1234  ...  >  (any junk of spaces and slashes before the name, anything but <> after it)
        r"<[\s/\\|*.\-_]*(?:" + _NAMES + r")\b[^<>]*>",
        r"</?\s*(?:s|bos|eos|sys|inst)\s*>",                      # <s> </s> <bos> ...
        r"<\|[^|<>\n]{0,60}\|>",                                   # <|im_start|> <|eot_id|> <|user|> ...
        r"<<\s*/?\s*SYS\s*>>",                                     # Llama 2 system block
        r"\[\s*/?\s*(?:INST|SYS|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS)\s*\]",
        r"(?P<role>(?m:^[ \t>*#]*(?:human|assistant|system|user|developer|instruction|response)[ \t]*:))",
    )),
    re.I,
)
_SWAP = {"<": "\u2039", ">": "\u203a", "[": "\u2045", "]": "\u2046"}
_SWAP_ROLE = {":": "\u2236"}


def _fold(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text as a model may read it (references decoded, NFKC per character), and for each folded character
    the (start, end) of the original characters it came from."""
    if text.isascii() and "&" not in text and "\\" not in text:
        return text, [(i, i + 1) for i in range(len(text))]
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _REF.finditer(text):
        tok = m.group()
        if len(tok) > 1:
            if tok[0] == "&":
                piece = html.unescape(tok)
            else:
                try:
                    piece = chr(int(tok[2:], 16))
                except ValueError:
                    piece = tok
        else:
            piece = tok
        piece = unicodedata.normalize("NFKC", piece)
        out.append(piece)
        spans.extend([(m.start(), m.end())] * len(piece))
    return "".join(out), spans


def neutralise(answer: str) -> tuple[str, int]:
    """The answer with every delimiter look-alike defanged, and how many were found."""
    folded, origin = _fold(answer)
    found = list(_MARKER.finditer(folded))
    if not found:
        return answer, 0
    out: list[str] = []
    pos = 0
    for m in found:
        start, end = origin[m.start()][0], origin[m.end() - 1][1]
        if start < pos:  # two markers folded from one original token: already handled
            continue
        out.append(answer[pos:start])
        # rebuild the original span token by token, swapping the characters that make it markup
        swap = _SWAP_ROLE if m.group("role") else _SWAP
        i = m.start()
        while i < m.end():
            s, e = origin[i]
            j = i
            while j < m.end() and origin[j] == (s, e):
                j += 1
            piece = folded[i:j]
            swapped = "".join(swap.get(ch, ch) for ch in piece) if any(ch in swap for ch in piece) else None
            out.append(swapped if swapped is not None else answer[s:e])
            i = j
        pos = end
    out.append(answer[pos:])
    return "".join(out), len(found)


def markers(text: str) -> list[str]:
    """Every look-alike still present in `text`, as the folded strings found (for tests and checks)."""
    folded, _ = _fold(text)
    return [m.group() for m in _MARKER.finditer(folded)]
