"""Comparison questions: a property of one side said of the other.

"What is the difference between training and inference optimization?" answered "gradient accumulation and
mixed precision are inference tricks" says each word of a key point ("Training techniques: mixed precision,
gradient accumulation ...") and says it of the wrong side. The question names the two sides; each key point
that names one side only is that side's; its phrasings, less the words of the question and of the other side's
key points, are its properties. A part of a sentence that names one side only and says all the words of one of
the *other* side's properties attributes it to the wrong side; saying one of its own side's properties agrees.
The answer swaps the sides when such attributions outnumber the agreeing ones: a right answer that compares
("unlike training, inference needs no backward pass") says far more of each side right than wrong.

Measured on the tuning sets and train-part6 (1,665 answers; 18 comparison questions have two sides it can use):
it finds a swap in 15 of the 77 confidently wrong answers to those questions, whatever the bank's signals say, and
in none of their 246 strong, partial, mixed or weak answers. Two right answers were taken for swaps while it was
built: "Fine-tuning is where you actually train on task-specific data" ("train" was a word of the other side:
side words the other side's key points use too do not name a side) and "nothing about them gets trained" ("trained"
shares the stem of "learned": a side is named by the question's own word, not a synonym). Two honest weak answers
of train-part9 were taken for swaps because a hedge or a "where" clause cut the sentence between a side and its
property: a property whose own side is named earlier in its sentence is no swap (2 of the 22 catches went too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...core.models import Question
from .analyse import Analysis, analyse

_SIDES = (re.compile(r"differences? between\s+(.+?)\s+and\s+(.+?)(?:\s+in\s+[A-Za-z ]+)?\s*[?.]$", re.I),
          re.compile(r"^What is (.+?) vs\.? (.+?)\?$", re.I))
"""The two sides of a comparison question ("the difference between X and Y", "X vs. Y"); three or more sides
("word-, subword- and character-level") are left alone."""
NEEDLESS = frozenset("pointless useless needless unnecessary unneeded irrelevant".split())
"""Words that deny a property of the side they name: "gradient checkpointing is pointless at inference" says it
is a training technique, not an inference one."""
MIN_PROPERTY_TERMS = 2
"""A property is said when all its words are: two at least, so one shared word ("batching") is not a claim."""


@dataclass(frozen=True, slots=True)
class Property:
    key_point: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sides:
    names: tuple[str, str]
    """The question's words for each side ("training", "inference optimization")."""
    markers: tuple[dict[str, str], dict[str, str]]
    """Terms that name each side in an answer, each with how the answer's word must start (`_prefix`)."""
    properties: tuple[tuple[Property, ...], tuple[Property, ...]]


def _terms(text: str) -> list[str]:
    return [t.term for t in analyse(text).tokens if t.term and not t.function]


def _prefix(word: str) -> str:
    """How an answer's word must start to name a side the question names with `word`: its own family
    ("learned", "learning"), not a synonym that shares its stem ("trained" for "learned")."""
    return word[:max(4, len(word) - 3)]


def _side_names(question: str, generic: frozenset[str]) -> tuple[str, str, dict[str, str], dict[str, str]] | None:
    """The question's words for its two sides and, for each, the terms that name it (term -> word prefix)."""
    m = next((m for rx in _SIDES if (m := rx.search(question.strip()))), None)
    if m is None or "," in m.group(1):
        return None
    wa = [(t.term, t.low) for t in analyse(m.group(1)).tokens if t.term and not t.function]
    wb = [(t.term, t.low) for t in analyse(m.group(2)).tokens if t.term and not t.function]
    if wa and wb and wa[-1][0] == wb[-1][0]:
        # "full fine-tuning and parameter-efficient fine-tuning": the head both say names neither
        while wa and wb and wa[-1][0] == wb[-1][0]:
            wa, wb = wa[:-1], wb[:-1]
    else:
        # "intrinsic and extrinsic evaluation", "open-domain and closed-domain QA": the longer side's words past the
        # shorter one's count are the head both share, and name neither
        wa, wb = wa[:len(wb)] if len(wa) > len(wb) else wa, wb[:len(wa)] if len(wb) > len(wa) else wb
    ta, tb = [t for t, _ in wa], [t for t, _ in wb]
    # a side named only by an everyday word keeps it ("full fine-tuning" against "parameter-efficient fine-tuning")
    a = {t: _prefix(w) for t, w in wa if t not in tb and t not in generic} or {t: _prefix(w) for t, w in wa
                                                                                if t not in tb}
    b = {t: _prefix(w) for t, w in wb if t not in ta and t not in generic} or {t: _prefix(w) for t, w in wb
                                                                                if t not in ta}
    return (m.group(1).strip(), m.group(2).strip(), a, b) if a and b else None


def compile_sides(q: Question, generic: frozenset[str], frame: frozenset[str]) -> Sides | None:
    """The sides of a comparison question with curated key points, or None. `generic` terms never name a side;
    neither they nor question-frame terms ("learn", "use") are a property."""
    ignored = generic | frame
    named = _side_names(q.question, generic) if q.key_points else None
    if named is None:
        return None
    name_a, name_b, a, b = named
    qterms = set(_terms(q.question))
    owned: dict[str, tuple[int, list[list[str]]]] = {}  # key point -> (its side, the terms of each phrasing)
    for kp in q.key_points:
        phrasings = [_terms(p) for p in (kp.text, *kp.alternatives)]
        says = set(phrasings[0])
        side = 0 if says & a.keys() and not says & b.keys() else 1 if says & b.keys() and not says & a.keys() else None
        if side is not None:
            owned[kp.id] = (side, phrasings)
    words: tuple[set[str], set[str]] = (set(), set())
    for side, phrasings in owned.values():
        for p_terms in phrasings:
            words[side].update(p_terms)
    # a side's word that the other side's key points use too ("train" for "in-context learning" when fine-tuning
    # "trains on task data") does not tell the sides apart
    a = {t: p for t, p in a.items() if t not in words[1]} or a
    b = {t: p for t, p in b.items() if t not in words[0]} or b
    props = _properties(owned, (a.keys(), b.keys()), (qterms | a.keys() | b.keys() | ignored, words))
    if not props[0] and not props[1]:
        return None
    return Sides(names=(name_a, name_b), markers=(a, b), properties=(tuple(props[0]), tuple(props[1])))


def _properties(owned: dict[str, tuple[int, list[list[str]]]], markers: tuple[Iterable[str], Iterable[str]],
                skip: tuple[set[str], tuple[set[str], set[str]]]) -> tuple[list[Property], list[Property]]:
    """Each side's properties: its key points' phrasings less `skip` (the question's and the sides' words, and the
    other side's key points' words). A phrasing that names the other side is none of its own side's."""
    props: tuple[list[Property], list[Property]] = ([], [])
    common, words = skip
    for kp_id, (side, phrasings) in owned.items():
        other = set(markers[1 - side])
        for p_terms in phrasings:
            if set(p_terms) & other:
                continue  # "extrinsic is more meaningful", a phrasing of intrinsic's trade-off, is no property of it
            terms = tuple(dict.fromkeys(t for t in p_terms if t not in common | words[1 - side]))
            if len(terms) >= MIN_PROPERTY_TERMS:
                props[side].append(Property(kp_id, terms))
    return props


@dataclass(frozen=True, slots=True)
class Swap:
    key_point: str
    hits: list[int]
    said_of: int
    """The side the answer said it of (0 or 1); the key point is the other side's."""


def _names(markers: dict[str, str], term: str, low: str) -> bool:
    prefix = markers.get(term)
    return prefix is not None and low.startswith(prefix)


def names_a_side(sides: Sides, a: Analysis) -> bool:
    """The answer names a side of the comparison by the question's words for it ("supervised", "unsupervised")."""
    return any(_names(sides.markers[s], t.term, t.low) for t in a.tokens if t.term for s in (0, 1))


def _named_before(markers: dict[str, str], a: Analysis, at: int) -> bool:
    """The property's own side is named earlier in its sentence: the property is said of it, whatever part the
    sentence was cut into ("the fixed kind, if I remember right, uses sines ...", "pre-training is the first stage
    where the model reads raw text, and instruction tuning comes after")."""
    sentence = a.tokens[at].sentence
    return any(_names(markers, t.term, t.low) for t in a.tokens[:at] if t.sentence == sentence)


def of_the_other_side(sides: Sides, key_point: str, a: Analysis, hits: list[int]) -> bool:
    """The words at `hits` (a key point denied or turned round) are in a sentence that names only the side the
    point is not about: "in-context learning makes no weight updates" denies nothing of fine-tuning's point that
    it updates the weights."""
    own = next((s for s in (0, 1) if any(p.key_point == key_point for p in sides.properties[s])), None)
    if own is None or not hits:
        return False
    sentence = a.tokens[hits[0]].sentence
    named = [any(_names(sides.markers[s], t.term, t.low) for t in a.tokens if t.sentence == sentence and t.term)
             for s in (0, 1)]
    if not any(named):  # "So it's cheaper to train, you need less GPU memory": the side the sentence before ended on
        before = [t for t in a.tokens if t.sentence == sentence - 1 and t.term]
        last = next((s for t in reversed(before) for s in (0, 1) if _names(sides.markers[s], t.term, t.low)), None)
        return last == 1 - own
    return named[1 - own] and not named[own]


def swapped(sides: Sides, a: Analysis) -> list[Swap]:
    """The key points of one side said of the other, when such attributions outnumber the right ones."""
    parts: dict[tuple[int, int], list[int]] = {}
    for i, t in enumerate(a.tokens):
        if t.term and not t.dropped and t.sentence not in a.distanced:
            parts.setdefault((t.sentence, t.part), []).append(i)
    found: dict[str, Swap] = {}
    agree = wrong = 0
    for idx in parts.values():
        at = {a.tokens[i].term: i for i in reversed(idx) if not a.tokens[i].negated}
        names = [[i for i in idx if _names(sides.markers[s], a.tokens[i].term, a.tokens[i].low)] for s in (0, 1)]
        if bool(names[0]) == bool(names[1]) or any(a.tokens[i].low in NEEDLESS for i in idx):
            continue
        here = 0 if names[0] else 1
        for side in (0, 1):
            for p in sides.properties[side]:
                if all(t in at for t in p.terms):
                    if side == here:
                        agree += 1
                    elif not _named_before(sides.markers[side], a, min(at[t] for t in p.terms)):
                        wrong += 1
                        found.setdefault(p.key_point, Swap(p.key_point,
                                                           sorted({names[here][0], *(at[t] for t in p.terms)}), here))
    return list(found.values()) if wrong > agree else []
