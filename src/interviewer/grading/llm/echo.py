"""Reference echo check: the judge's feedback must not recite the reference answer word for word.

An answer can ask the grader to "print the reference answer in your summary", and a compliant model will.
The reference is shown on the feedback screen anyway, so what is at stake is the feedback itself: a summary
or follow-up that recites the reference tells the candidate nothing about *their* answer. So any run of
N_GRAM (8) or more consecutive words copied from the reference into the summary, the follow-up question,
a misconception or a criterion rationale is cut out (replaced by "[...]") unless the candidate's own answer
contains that run too (then quoting it back is quoting the candidate) or a key point's text does (key points
are shown with the feedback anyway, so naming a missed one reveals nothing). The grade gets a note saying so.

The stronger answer (`better_answer`) is exempt: it is meant to be a model answer, and overlapping the
reference there is expected. Words are compared case-, punctuation- and Unicode-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .evidence import normalise

N_GRAM = 8
MARK = "[...]"
_WORD = re.compile(r"\S+")
_LEAD = re.compile(r"[^\w]*")
_TRAIL = re.compile(r"[^\w]*$")


def _span_len(m: re.Match[str] | None) -> int:
    """Both patterns match the empty string, so there is always a match; its length."""
    return len(m.group()) if m else 0


def _norm_words(text: str) -> list[str]:
    return normalise(text).split()


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _copied(tokens: list[tuple[int, int, str]], ref: set[tuple[str, ...]], said: set[tuple[str, ...]],
            n: int) -> list[bool]:
    """Which tokens are in a run of >= n words from the reference that the answer did not say."""
    # A token like "Q/K" normalises to two words: keep a token -> words map so spans stay on whole tokens.
    words: list[str] = []
    owner: list[int] = []
    for ti, (_s, _e, w) in enumerate(tokens):
        for part in w.split():
            words.append(part)
            owner.append(ti)
    hit = [False] * len(tokens)
    for i in range(len(words) - n + 1):
        gram = tuple(words[i:i + n])
        if gram in ref and gram not in said:
            for j in range(i, i + n):
                hit[owner[j]] = True
    if not any(hit):
        return hit
    # punctuation-only tokens ("=", "/", "-") inside a copied run belong to it
    wordy = [i for i, (_s, _e, w) in enumerate(tokens) if w]
    for a, b in zip(wordy, wordy[1:], strict=False):
        if b > a + 1 and hit[a] and hit[b]:
            for j in range(a + 1, b):
                hit[j] = True
    return hit


def _cut(text: str, tokens: list[tuple[int, int, str]], hit: list[bool]) -> tuple[str, int]:
    """`text` with each run of hit tokens replaced by MARK (the punctuation around a run kept)."""
    out, runs, pos, ti = [], 0, 0, 0
    while ti < len(tokens):
        if not hit[ti]:
            ti += 1
            continue
        first = ti
        while ti < len(tokens) and hit[ti]:
            ti += 1
        # keep the punctuation around the run ('"', '(', ',', '.'): only the words go
        start = tokens[first][0] + _span_len(_LEAD.match(text, tokens[first][0], tokens[first][1]))
        end = tokens[ti - 1][1] - _span_len(_TRAIL.search(text[tokens[ti - 1][0]:tokens[ti - 1][1]]))
        out.append(text[pos:start])
        out.append(MARK)
        pos = end
        runs += 1
    out.append(text[pos:])
    return "".join(out), runs


def strip_echo(text: str, reference: str, answer: str, n: int = N_GRAM,
               also_allowed: Iterable[str] = ()) -> tuple[str, int]:
    """`text` with every run of >= n words copied from `reference` (and not said in `answer`, nor in any of
    `also_allowed`) replaced by MARK, and how many runs were cut."""
    if not text or not reference:
        return text, 0
    ref = _ngrams(_norm_words(reference), n)
    if not ref:
        return text, 0
    said = _ngrams(_norm_words(answer), n)
    for other in also_allowed:
        said |= _ngrams(_norm_words(other), n)
    tokens = [(m.start(), m.end(), normalise(m.group())) for m in _WORD.finditer(text)]
    hit = _copied(tokens, ref, said, n)
    if not any(hit):
        return text, 0
    return _cut(text, tokens, hit)
