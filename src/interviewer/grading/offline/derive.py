"""Key points cut from a reference answer when a question has none curated (marked drafted: no person reviewed
them). Moved out of offline.cues unchanged when that module reached its size limit.
"""

from __future__ import annotations

import re

from ...core.models import KeyPoint
from .analyse import analyse

MAX_DERIVED = 6
CHUNK_TERMS = 4
"""A derived key point holds at most this many content terms before it is cut in two."""
_MD = re.compile(r"\*\*|__|`|^#+\s*|^\s*>\s?", re.M)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)\s*$")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_CLAUSE = re.compile(r";\s+|,\s+(?=(?:and|but|whereas|while|which|so|or)\b)|\s+(?=whereas\b)|:\s+")


def clean(text: str) -> str:
    """The text without Markdown marks, its whitespace collapsed."""
    return re.sub(r"\s+", " ", _MD.sub("", text)).strip()


def _units(reference: str) -> list[str]:
    lines = [ln for ln in reference.splitlines() if ln.strip()]
    bullets = [m.group(1) for ln in lines if (m := _BULLET.match(ln))]
    if len(bullets) >= 2:
        return [clean(b) for b in bullets]
    prose = clean(" ".join(lines))
    out: list[str] = []
    for sent in _SENT.split(prose):
        out.extend(p.strip(" ,.;:") for p in _CLAUSE.split(sent) if p.strip(" ,.;:"))
    return out


def _content_count(text: str) -> int:
    return sum(1 for t in analyse(text).tokens if not t.function)


def _cut(unit: str) -> list[str]:
    """Cut a unit with many content words into pieces of about CHUNK_TERMS content words, at word gaps."""
    a = analyse(unit)
    content = [i for i, t in enumerate(a.tokens) if not t.function]
    n = len(content)
    if n <= CHUNK_TERMS + 1:
        return [unit]
    pieces = -(-n // CHUNK_TERMS)
    size = -(-n // pieces)
    out = []
    for p in range(pieces):
        idx = content[p * size:(p + 1) * size]
        if not idx:
            continue
        first = idx[0] if p else 0
        last = content[(p + 1) * size - 1] if (p + 1) * size - 1 < n and p < pieces - 1 else len(a.tokens) - 1
        out.append(a.span(first, last).strip(" ,.;:"))
    return [o for o in out if o]


def derive_key_points(reference: str) -> list[KeyPoint]:
    """Key points cut from a reference answer (marked drafted: no person reviewed them)."""
    units = [u for u in _units(reference) if _content_count(u) > 0]
    pieces = [p for u in units for p in _cut(u)] if len(units) < MAX_DERIVED else units
    while len(pieces) > MAX_DERIVED:  # merge the shortest neighbours
        i = min(range(len(pieces) - 1), key=lambda k: len(pieces[k]) + len(pieces[k + 1]))
        pieces[i:i + 2] = [pieces[i] + "; " + pieces[i + 1]]
    if not pieces:
        text = clean(reference)[:300] or "the reference answer"
        pieces = [text if len(text) >= 3 else "the reference answer"]
    return [KeyPoint(id=f"k{i + 1}", text=p[:300] if len(p) >= 3 else p + "...", drafted=True)
            for i, p in enumerate(pieces)]
