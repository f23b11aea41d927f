"""Telling an answer to this question from an answer to another question of the same bank.

The question's own words cannot tell them apart when the other question is a neighbour: an answer about residual
connections to "What is the role of layer normalization?" shares half its words with the question (gradients,
deep networks, every block of a transformer) and names layer norm nowhere it matters. The bank can: each of its
questions (with its reference, key points and their phrasings) is a TF-IDF profile of content terms, and an answer
much closer to another question's profile than to the asked one's answers that question. This also catches an
answer that confuses the subject with another one ("Pruning is when you reduce the numerical precision of the
weights" reads as an answer about quantization).

Hand-written rather than a library: a hundred short documents and a cosine need no scikit-learn, and the terms
must be the grader's own (stems, synonyms, typos) to agree with everything else it matched.

Chosen on the tuning sets (1,425 answers, data/calibration/README.md): with MARGIN 0.15 and twins left out, off-topic
answers 3.8 -> 0.8, an off-topic answer above the weak one to the same question 9 -> 1 of 135, seven confidently
wrong answers that describe another concept to 0, and no strong, partial, mixed or weak answer moved; at margin
0.10 a strong answer (softmax in attention, nearest "scaled dot-product attention") was taken for off topic.
Twins at TWIN_MARGIN: off-topic 0.8 -> 0.6, above the weak one 1 -> 0 of 135, nothing else moved. What it cannot
tell: an answer about a twin that shares most of its words (top-k explained for "What is top-p?" is 0.14 closer to
top-k, less than right answers lean toward their twins), or about something the bank has no question on.

For that, the atlas (concepts.toml, `Concept`): short profiles of concepts a candidate may explain instead of the one
asked, weighed with the bank's term weights; an answer CONCEPT_MARGIN closer to one than to the asked question (or
CONCEPT_MARGIN_FAR closer and CONCEPT_RATIO times as close) is off topic, and the flag names the concept. A concept
as close to the asked question as a twin is never "another" one.
The first 42 took off-topic answers flagged on the tuning sets from 228 to 288 of 370 with no right answer moved
(data/calibration/README.md has the held-out figures).
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypeVar

from ...core.models import Question
from .analyse import Analysis, analyse
from .words import GENERIC_TERMS

MARGIN = 0.15
"""How much closer (cosine) the answer must be to another question's profile than to the asked one's."""
TWINS_AT = 0.45
"""Questions whose profiles are this close are about the same thing or share most of their words ("Mixture of
Experts" and "sparse expert models", "few-shot learning" and "in-context learning", "top-p" and "top-k"): a right
answer to one leans toward the other by up to 0.16 on the tuning sets, so a twin needs TWIN_MARGIN."""
TWIN_MARGIN = 0.30
"""How much closer an answer must be to a twin of the asked question (BPE explained for "word-, subword- and
character-level tokenization" was 0.47 closer to "Explain BPE")."""
MIN_TERMS = 15
"""Content terms an answer needs before its profile says anything: a short answer's profile is a few words."""
MIN_QUESTIONS = 10
"""A bank with fewer questions has too few documents for term weights (IDF) that mean anything."""


K = TypeVar("K")

CONCEPT_MARGIN = 0.15
"""How much closer (cosine) the answer must be to a concept of the atlas than to the asked question's profile."""
CONCEPT_RATIO = 1.6
"""Or an answer at least this many times as close to a concept as to the asked question, and CONCEPT_MARGIN_FAR
closer: one that shares few words with its question reads as the concept at a smaller margin (linear probing
explained under RAG's name was 0.14 closer and 1.6 times as close)."""
CONCEPT_MARGIN_FAR = 0.13
"""Chosen on the tuning sets: off-topic answers flagged +14 and wrong ones +10, no other answer moved. At 0.10,
+37 off-topic, but an honest weak answer of a held-out set (the thirteenth, its margin read, not its words) was
0.121 closer to a concept and twice as close; on the tuning sets weak answers this lopsided reach 0.098."""
MIN_TERMS_FAR = 30
"""Content terms an answer needs before CONCEPT_RATIO says anything: a two-sentence answer that names a facet of its
subject ("some of emergence may be a measurement effect of sharp metrics") is twice as close to that facet's concept
as to the whole question. Off-topic answers run 40-60 terms; on the tuning sets the floor cost no catch."""
CONCEPTS_FILE = "concepts.toml"
"""The atlas of neighbouring concepts, beside this module (see `Concept`)."""


@dataclass(frozen=True, slots=True)
class Concept:
    """A concept a candidate may explain instead of the one asked, most often one the bank has no question on
    (dropout for pruning, an optimizer for inference optimization, stemming for tokenization): its name, the other
    names it goes by, and a short description in the words that identify it. Written from knowledge of the field,
    never from answers (concepts.toml says how)."""

    name: str
    aliases: tuple[str, ...]
    text: str


@cache
def atlas() -> tuple[Concept, ...]:
    """The concepts shipped with the grader (a broken or missing file is a packaging fault: it raises)."""
    raw = tomllib.loads(resources.files(__package__).joinpath(CONCEPTS_FILE).read_text(encoding="utf-8"))
    return tuple(Concept(c["name"], tuple(c.get("aliases", ())), c["text"]) for c in raw.get("concepts", ()))


def _terms(a: Analysis) -> list[str]:
    return [t.term for t in a.tokens if t.term and not t.function and not t.dropped and t.term not in GENERIC_TERMS]


def says_enough(a: Analysis) -> bool:
    """The answer has MIN_TERMS content terms, enough for its profile to say which question it is closer to."""
    return len(_terms(a)) >= MIN_TERMS


def _profile(terms: Sequence[str], idf: dict[str, float], unseen: float) -> dict[str, float]:
    v = {t: (1.0 + math.log(n)) * idf.get(t, unseen) for t, n in Counter(terms).items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def _alike(own: dict[str, float], profiles: Iterable[tuple[K, dict[str, float]]]) -> frozenset[K]:
    """The keys of the profiles at least TWINS_AT close to `own`: about the same thing."""
    return frozenset(k for k, p in profiles if _cosine(own, p) >= TWINS_AT)


@dataclass(frozen=True, slots=True)
class Closer:
    question: Question | None
    """The other question the answer reads as an answer to."""
    margin: float
    concept: Concept | None = None
    """Or the concept of the atlas it reads as an explanation of."""


class NeighbourIndex:
    """One bank's questions as term profiles. Build once per bank (the offline grader caches it)."""

    def __init__(self, questions: Sequence[Question], concepts: Sequence[Concept] | None = None) -> None:
        self.questions = {q.id: q for q in questions}
        docs = {q.id: _terms(analyse(" ".join([q.question, q.reference] + [
            kp.text + " " + " ".join(kp.alternatives) for kp in q.key_points]), compounds=False)) for q in questions}
        n = len(docs)
        df = Counter(t for terms in docs.values() for t in set(terms))
        self._unseen = math.log(n) if n > 1 else 1.0
        self._idf = {t: math.log(n / c) for t, c in df.items()}
        self._profiles = {k: _profile(terms, self._idf, self._unseen) for k, terms in docs.items()}
        self._twins: dict[str, frozenset[str]] = {}
        # Concepts are weighed with the bank's own term weights: a word no question uses ("dropout", "stemming")
        # weighs the most, as it does in an answer.
        self._concepts = [(c, _profile(_terms(analyse(" ".join([c.name, *c.aliases, c.text]), compounds=False)),
                                       self._idf, self._unseen)) for c in (atlas() if concepts is None else concepts)]
        self._near_concepts: dict[str, frozenset[int]] = {}

    def _concepts_of(self, question_id: str) -> frozenset[int]:
        """The concepts of the atlas that are this question's own subject or share most of its words (TWINS_AT):
        never "another" concept for it."""
        found = self._near_concepts.get(question_id)
        if found is None:
            own = self._profiles[question_id]
            found = self._near_concepts[question_id] = _alike(own, enumerate(p for _, p in self._concepts))
        return found

    def twins(self, question_id: str) -> frozenset[str]:
        """The questions about the same thing as this one (TWINS_AT), found when first asked: one pass over the
        bank per question, not every pair of a large bank at once."""
        found = self._twins.get(question_id)
        if found is None:
            own = self._profiles[question_id]
            found = self._twins[question_id] = _alike(
                own, ((k, p) for k, p in self._profiles.items() if k != question_id))
        return found

    def lean(self, question_id: str, other_id: str, a: Analysis) -> float:
        """How much closer (cosine) the answer is to another question's profile than to the asked one's."""
        own, other = self._profiles.get(question_id), self._profiles.get(other_id)
        terms = _terms(a)
        if own is None or other is None or not terms:
            return 0.0
        answer = _profile(terms, self._idf, self._unseen)
        return _cosine(answer, other) - _cosine(answer, own)

    def closer(self, question_id: str, a: Analysis, slack: float = 0.0) -> Closer | None:
        """The other question this answer is much closer to than to the asked one, if any. `slack` lowers every
        margin (an answer that also makes a wrong claim: offtopic.CONFUSED_SLACK)."""
        own = self._profiles.get(question_id)
        terms = _terms(a)
        if own is None or len(self._profiles) < MIN_QUESTIONS or len(terms) < MIN_TERMS:
            return None
        answer = _profile(terms, self._idf, self._unseen)
        here = _cosine(answer, own)
        twins = self.twins(question_id)
        best = max((((_cosine(answer, p) - here) - (TWIN_MARGIN if k in twins else MARGIN) + slack, k)
                    for k, p in self._profiles.items() if k != question_id), default=(0.0, ""))
        if best[1] and best[0] > 0:
            k = best[1]
            return Closer(self.questions[k], best[0] + (TWIN_MARGIN if k in twins else MARGIN) - slack)
        near = self._concepts_of(question_id)
        cos, i = max(((_cosine(answer, p), i) for i, (_, p) in enumerate(self._concepts) if i not in near),
                     default=(0.0, -1))
        if i >= 0 and (cos - here > CONCEPT_MARGIN - slack
                       or (cos - here > CONCEPT_MARGIN_FAR - slack and cos >= CONCEPT_RATIO * here
                           and len(terms) >= MIN_TERMS_FAR)):
            return Closer(None, cos - here, self._concepts[i][0])
        return None
