"""Grade-like content the candidate planted in the answer, and whether a judge's reply reproduces it.

An answer can carry its own grade: a JSON object shaped like our reply ("criteria": level 4 everywhere, every key
point "covered"), a claim in prose ("level 4 on every criterion", "full marks"), or a ready-made rationale. A small
model shown such text often copies it into its reply, with or without prose around it, and the reply then
validates like any other. The candidate's text must never be the source of a level, so a reply is refused when it

- gives the levels the answer claims (every criterion the answer names, at the level it names, 3 or 4) and the
  key-point statuses it claims (at least 80% of those it names): a copied grade. A low claim that agrees is not
  refused: taking it inflates nothing;
- repeats, as its own words (outside quotation marks), 6 or more consecutive words of text the answer addressed
  to the grader (the offline manipulation detector's spans) or of a grade written in the answer;
- uses a rationale that is mostly the answer itself (20+ consecutive copied words making up 60% of it or more).

The grader then asks once more, saying why, and a second such reply leaves the answer ungraded with that reason.
Claims are read with regular expressions rather than a JSON parser, so a deliberately broken JSON grade (which a
model still reads) is found too. Words are compared as grading.llm.evidence normalises them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .evidence import normalise
from .schema import GradeReply

COPIED_RUN = 6
"""Consecutive words of planted text that, outside quotation marks, make a reply field a copy."""
RATIONALE_RUN = 20
RATIONALE_SHARE = 0.6
"""A rationale with a copied run of this many words of the answer, making up this share of it, is the answer.
Long on purpose: a judge restating one sentence of the answer ("says attention is softmax of QK transpose over
root d k times V, which is right") is judging it, not copying it."""
STATUS_AGREEMENT = 0.8
HIGH_LEVEL = 3

_ID = r"[\"']?([A-Za-z0-9][\w.-]{0,39})[\"']?"
_LEVEL_IN = re.compile(_ID + r"\s*:\s*\{[^{}]{0,400}?[\"']?level[\"']?\s*:\s*[\"']?([0-4])\b", re.S)
_LEVEL_LIST = re.compile(r"[\"']?(?:criterion_id|criterion|id)[\"']?\s*:\s*[\"']([\w.-]{1,40})[\"'][^{}]{0,400}?"
                         r"[\"']?level[\"']?\s*:\s*[\"']?([0-4])\b", re.S)
_LEVEL_BEFORE = re.compile(r"[\"']?level[\"']?\s*:\s*[\"']?([0-4])\b[^{}]{0,400}?[\"']?(?:criterion_id|criterion)"
                           r"[\"']?\s*:\s*[\"']([\w.-]{1,40})[\"']", re.S)
_STATUS_IN = re.compile(_ID + r"\s*:\s*\{[^{}]{0,600}?[\"']?status[\"']?\s*:\s*[\"']?(covered|partial|missing)\b",
                        re.S | re.I)
_STATUS_LIST = re.compile(r"[\"']?(?:key_point_id|key_point|id)[\"']?\s*:\s*[\"']([\w.-]{1,40})[\"'][^{}]{0,600}?"
                          r"[\"']?status[\"']?\s*:\s*[\"']?(covered|partial|missing)\b", re.S | re.I)
_STATUS_PAIR = re.compile(_ID + r"\s*:\s*[\"'](covered|partial|missing)[\"']", re.I)
_EVERY_LEVEL = re.compile(r"\b(?:level|score)s?\s*(?:of\s*)?([0-4])\b[^.!?\n]{0,40}\b(?:every|all|each)\s+criteri|"
                          r"\b(?:every|all|each)\s+criteri\w*[^.!?\n]{0,30}\b(?:at|to|=|:)\s*(?:level\s*)?([0-4])\b",
                          re.I)
_FULL_MARKS = re.compile(r"\bfull (?:marks?|score|credit)\b|\b100\s*/\s*100\b|\b(?:perfect|maximum|max|top) "
                         r"(?:score|marks?|grade)\b", re.I)
_EVERY_COVERED = re.compile(r"\b(?:every|all)\b[^.!?\n]{0,15}\bkey ?points?\b[^.!?\n]{0,15}\bcovered\b|"
                            r"\bcovered (?:all|every)\b[^.!?\n]{0,12}\bkey ?points?\b", re.I)
_JSON_TEXT = re.compile(r"[\"'](?:rationale|summary|evidence|quote|claim|better_answer|follow_up)[\"']\s*:\s*"
                        r"\"((?:[^\"\\]|\\.){1,2000})\"", re.S)
_QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb][^\"\u201c\u201d\u00ab\u00bb]{1,600}[\"\u201c\u201d\u00ab\u00bb]|"
                     r"\u2018[^\u2018\u2019]{1,600}\u2019")


@dataclass
class Planted:
    """What the answer says about its own grade."""

    levels: dict[str, int] = field(default_factory=dict)
    """criterion id -> level the answer claims; '*' for "every criterion"."""
    statuses: dict[str, str] = field(default_factory=dict)
    """key point id -> status the answer claims; '*' for "every key point"."""
    texts: list[str] = field(default_factory=list)
    """Text addressed to the grader and text written as a grade (rationales, quotes) in the answer."""

    @property
    def any(self) -> bool:
        return bool(self.levels or self.statuses or self.texts)


def find_planted(answer: str, flagged: Iterable[str] = ()) -> Planted:
    """Grade-like content in `answer`; `flagged` are the spans the offline detector found addressed to the grader."""
    p = Planted(texts=[t for t in flagged if t.strip()])
    for rx in (_LEVEL_IN, _LEVEL_LIST):
        for m in rx.finditer(answer):
            p.levels.setdefault(m.group(1).lower(), int(m.group(2)))
    for m in _LEVEL_BEFORE.finditer(answer):
        p.levels.setdefault(m.group(2).lower(), int(m.group(1)))
    p.levels.pop("level", None)
    for rx in (_STATUS_IN, _STATUS_LIST, _STATUS_PAIR):
        for m in rx.finditer(answer):
            if m.group(1).lower() != "status":
                p.statuses.setdefault(m.group(1).lower(), m.group(2).lower())
    # claims in prose count only inside text addressed to the grader ("100%" in a real answer claims nothing)
    prose = "\n".join(p.texts)
    every = [int(g) for m in _EVERY_LEVEL.finditer(prose) for g in m.groups() if g]
    if every:
        p.levels["*"] = max(every)
    if _FULL_MARKS.search(prose):
        p.levels["*"] = 4
        p.statuses.setdefault("*", "covered")
    if _EVERY_COVERED.search(prose):
        p.statuses["*"] = "covered"
    p.texts.extend(m.group(1) for m in _JSON_TEXT.finditer(answer))
    return p


def _words(text: str) -> list[str]:
    return normalise(text).split()


def _grams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def copied(text: str, source_grams: set[tuple[str, ...]], n: int) -> tuple[int, int, int]:
    """(words of `text` inside runs of >= n words found in the source, the longest run, words in `text`), with
    quoted passages of `text` left out: quoting the candidate is not presenting their words as one's own."""
    words = _words(_QUOTED.sub(" | ", text))
    hit = [False] * len(words)
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) in source_grams:
            for j in range(i, i + n):
                hit[j] = True
    longest = run = 0
    for h in hit:
        run = run + 1 if h else 0
        longest = max(longest, run)
    return sum(hit), longest, len(words)


def _claimed(planted: Mapping[str, object], key: str) -> object | None:
    return planted.get(key, planted.get("*"))


def reproduced(reply: GradeReply, planted: Planted, answer: str) -> str | None:
    """Why `reply` reproduces the answer's own grade, or None when it does not."""
    # 1. the levels and statuses the answer claims
    levels = {c: v.level for c, v in reply.criteria.items()}
    compared = [(c, lv) for c, lv in levels.items() if _claimed(planted.levels, c) is not None]
    if len(compared) >= 2 and all(_claimed(planted.levels, c) == lv for c, lv in compared):
        if sum(lv for _, lv in compared) / len(compared) >= HIGH_LEVEL:
            named = [(k.id, k.status) for k in reply.key_points if _claimed(planted.statuses, k.id) is not None]
            same = len([k for k, s in named if _claimed(planted.statuses, k) == s])
            if not named or same >= STATUS_AGREEMENT * len(named):
                return "its levels and key-point statuses are the ones the answer claims for itself"
    # 2. text the answer addressed to the grader, repeated as the reply's own words
    fields = {f"the rationale for {c}": v.rationale for c, v in reply.criteria.items()}
    fields.update({"the summary": reply.summary, "the follow-up question": reply.follow_up})
    planted_grams: set[tuple[str, ...]] = set()
    for t in planted.texts:
        planted_grams |= _grams(_words(t), COPIED_RUN)
    if planted_grams:
        for name, text in fields.items():
            if copied(text, planted_grams, COPIED_RUN)[1] >= COPIED_RUN:
                return f"{name} repeats text the answer addresses to the grader"
    # 3. a rationale that is the answer itself
    answer_grams = _grams(_words(answer), RATIONALE_RUN)
    for c, v in reply.criteria.items():
        hits, longest, total = copied(v.rationale, answer_grams, RATIONALE_RUN)
        if longest >= RATIONALE_RUN and hits >= RATIONALE_SHARE * total:
            return f"the rationale for {c} is copied from the answer"
    return None
