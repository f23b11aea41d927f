"""Quantities an answer states ("50K tokens", "three hundred billion tokens", "tens of thousands"), read as ranges
with a unit, so that a key point about a number is not shown by a sentence that gives another number of the same
thing. "GPT-3 was trained on roughly 300 billion tokens" names GPT-3 and tokens, the words of "GPT models use about
50K tokens", and says nothing of its vocabulary.

Deliberately small and hand-written (a number-words parser such as `word2number` reads "tens of thousands" as
nothing, and no kept library reads "50K" or "175B"): digits with a magnitude letter or word, number words ("fifty
thousand", "a hundred thousand"), a magnitude said as such ("tens of thousands": 10K up to 100K), and plain numbers
of 100 or more that are not years or percentages. Numbers under 100 with no magnitude ("20 tokens per parameter",
"top 2", "GPT-4") are left out: they are counts and names, and read as quantities they would void right answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .analyse import Analysis, Token

TOLERANCE = 4.0
"""A stated quantity agrees with a key point's when within this factor of it (a key point says "about 50K"; GPT-2's
50,257, LLaMA's 32K and "tens of thousands" all agree with it; 300 billion and 512 do not)."""

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_MAGNITUDE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_NUMBER_WORD = {**{w: i for i, w in enumerate(_ONES)}, **_TENS}
_UNIT = {"token": "token", "tokens": "token", "subword": "token", "subwords": "token", "word": "token",
         "words": "token", "parameter": "param", "parameters": "param", "param": "param", "params": "param",
         "weights": "param", "dimension": "dim", "dimensions": "dim", "dimensional": "dim", "dims": "dim"}
UNIT_REACH = 3
"""How many words after a number its unit may come ("50K different tokens", "70 billion parameter model")."""
_WITH_SUFFIX = re.compile(r"(\d+(?:\.\d+)?)([kmbt])")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?e\d+")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Quantity:
    lo: float
    hi: float
    unit: str | None

    def agrees(self, other: Quantity) -> bool:
        return self.lo <= other.hi * TOLERANCE and self.hi * TOLERANCE >= other.lo


def _magnitude(low: str) -> float | None:
    return _MAGNITUDE.get(low[:-1] if low.endswith("s") else low)


def _unit(a: Analysis, k: int) -> str | None:
    """The unit said just after the quantity that ends at token k, in its phrase (not past a comma)."""
    tokens = a.tokens
    for j in range(k + 1, min(k + 1 + UNIT_REACH, len(tokens))):
        t = tokens[j]
        if t.sentence != tokens[k].sentence or t.part != tokens[k].part or "," in a.text[tokens[j - 1].end:t.start]:
            return None
        if t.low in _UNIT:
            return _UNIT[t.low]
    return None


def _number(tokens: list[Token], i: int) -> tuple[float, int] | None:
    """A number said from token i (digits, or number words such as "thirty two" or "a hundred"): (value, the
    index after it)."""
    low = tokens[i].low
    if _DIGITS.fullmatch(low):
        return float(low.replace(",", "")), i + 1
    value, j = 0.0, i
    if low in ("a", "one") and i + 1 < len(tokens) and tokens[i + 1].low == "hundred":
        return 100.0, i + 2
    while j < len(tokens) and tokens[j].low in _NUMBER_WORD:
        value += _NUMBER_WORD[tokens[j].low]
        j += 1
    if j == i:
        return None
    if j < len(tokens) and tokens[j].low == "hundred":
        value, j = value * 100, j + 1
    return value, j


def stated(a: Analysis) -> list[tuple[int, Quantity]]:
    """The quantities the text states, each with the index of the token it starts on."""
    return list(_scan(a))


def _scan(a: Analysis) -> Iterable[tuple[int, Quantity]]:
    t = a.tokens
    i = 0
    while i < len(t):
        low = t[i].low
        found: tuple[float, float, int] | None = None  # (lo, hi, last token)
        if m := _WITH_SUFFIX.fullmatch(low):
            v = float(m.group(1)) * _SUFFIX[m.group(2)]
            found = (v, v, i)
        elif _SCIENTIFIC.fullmatch(low):
            v = float(low)
            found = (v, v, i)
        elif (mag := _magnitude(low)) is not None:  # "thousands of tokens", "tens of thousands", "a million"
            plural = low.endswith("s")
            found = (mag, mag * 1000, i) if plural else (mag, mag, i)
        elif low in ("tens", "hundreds") and i + 2 < len(t) and t[i + 1].low == "of" and (
                (mag := _magnitude(t[i + 2].low)) is not None):
            scale = 10 if low == "tens" else 100
            found = (scale * mag, scale * mag * 10, i + 2)
        elif (num := _number(t, i)) is not None:
            v, j = num
            if j < len(t) and (mag := _magnitude(t[j].low)) is not None:
                found = (v * mag, v * mag, j)
            elif v >= 100 and not _name_or_year(a, i, j - 1, v):
                found = (v, v, j - 1)
            else:
                i = j
                continue
        if found is None:
            i += 1
            continue
        lo, hi, last = found
        yield i, Quantity(lo, hi, _unit(a, last))
        i = last + 1


def _name_or_year(a: Analysis, i: int, k: int, v: float) -> bool:
    """Digits that name something rather than count it: a year, a percentage, a part of a name ("A-100"). A year
    is written without a thousands comma and counts no unit: "2,048 tokens" and "2048 tokens" (GPT-3's context)
    are counts."""
    after = a.text[a.tokens[k].end:a.tokens[k].end + 1]
    before = a.text[a.tokens[i].start - 1:a.tokens[i].start] if a.tokens[i].start else ""
    year = v.is_integer() and 1900 <= v <= 2100 and "," not in a.tokens[i].low and _unit(a, k) is None
    return year or after in ("%", "-") or before == "-"


def of_texts(analyses: Iterable[Analysis]) -> tuple[Quantity, ...]:
    """Every quantity a key point's statement and phrasings state (the point is about these numbers)."""
    return tuple(q for a in analyses for _, q in stated(a))


def contradicted_by(point: tuple[Quantity, ...], said: list[Quantity]) -> bool:
    """The words that show the point state a number of the point's kind (a unit the point uses, a number said with
    no unit, or any number when the point names none) and none that agrees with the point's: they give another
    number, so they do not show the point. A number with no unit counts what the point counts: "Early GPT-3 had
    2,048" gives GPT-3 another number than "GPT models use about 50K tokens"; "175B parameters" counts another thing."""
    if not point or any(s.agrees(p) for s in said for p in point):
        return False
    units = {q.unit for q in point if q.unit}
    return any(not units or s.unit is None or s.unit in units for s in said)
