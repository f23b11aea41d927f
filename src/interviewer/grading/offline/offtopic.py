"""Telling an answer to another question from an answer to this one (the offline grader's off-topic rules).

An answer is off topic when it uses little of the question's words and either never names what was asked, opens by
saying what something else is, or opens on something the question never mentions (`is_off_topic`); or when it is much
closer to another question of the bank than to this one (`answers_another`, offline.neighbours), by a smaller margin
when it also makes a wrong claim (`CONFUSED_SLACK`). Only where the key points are curated: derived key points are
too thin a vocabulary to tell. Moved out of offline.grader unchanged.
"""

from __future__ import annotations

import re
from functools import cache

from ...core.models import Question
from .analyse import Analysis, analyse, term
from .cues import CompiledQuestion, subject_words, telling
from .match import is_known, is_subject, names_subject
from .neighbours import MARGIN, NeighbourIndex, says_enough
from .score import OFF_TOPIC_SHARE


def is_off_topic(cq: CompiledQuestion, a: Analysis, on_topic: float, flags: list[str], echo: dict[int, str]) -> bool:
    """An answer to another question: it uses little of the question's words and either never names what was
    asked or opens by saying what something else is ("Cross-attention is what connects the decoder to the
    encoder" to "What is self-attention?" names attention in passing). Only where the key points are curated:
    with key points derived from a reference, the question's vocabulary is too thin to tell (on the Mohler set
    it cost agreement with the human graders). Words that repeat the question (`echo`) count for nothing, but
    they do name its subject ("BPE, byte pair encoding... I think it's a tokenization method")."""
    if cq.derived or not a.tokens or on_topic >= OFF_TOPIC_SHARE or cq.subject is None:
        return False
    if _opens_on_the_question(a):
        return False
    named = ", ".join(dict.fromkeys(cq.subject.values()))
    if not names_subject(cq, a) and not is_subject(cq, set(echo.values())):
        flags.append(f"off topic: the answer never names what the question asks about ({named}) and most of its "
                     "words are not the question's; answer the question that was asked")
        return True
    other = _opening_subject(a)
    if other is not None and _another_subject(cq, [a.tokens[i].term for i in other]):
        flags.append(f'off topic: the answer opens by saying what "{a.span(other[0], other[-1])}" is, '
                     f"not what the question asks about ({named}), and most of its words are not the question's; "
                     "answer the question that was asked")
        return True
    opening = _opening_words(a)
    if not opening or _names_nothing(a, opening) or not _foreign(cq, a.tokens[opening[0]].term) \
            or _known_compound(cq, a, opening[0]):
        return False
    said = a.span(opening[0], opening[-1])
    flags.append(f'off topic: the answer opens on something the question never mentions ("{said}") and most of '
                 "its words are not the question's; answer the question that was asked")
    return True


FAR_MARGIN = 0.28
"""How much closer to another question or concept an answer that `covering`s half the key points must be to be
off topic all the same. Right answers on the tuning sets lean toward a neighbour by 0.24 at most (a chunking
answer to the context-window question), and none moves at 0.25; semi-supervised self-training explained for
"supervised vs unsupervised learning" leaned 0.55 toward it while its shared words covered half the points. It was
0.35 until feature standardization (scikit-learn's standard scaler) explained for layer normalization covered
three of five points ("zero mean and unit variance", "converge faster") while leaning 0.31 toward it (fourteenth
held-out set, read and retired); 0.28 keeps 0.04 above the right answers and was chosen with that answer in view."""


CONFUSED_SLACK = 0.05
"""How much smaller every margin of offline.neighbours is for an answer that makes a wrong claim: it reads as the other
question or concept when it leans toward it by this much less. Two signs of one confusion: "So Flash Attention stops
every token from attending to every other token ... a fixed window" makes the linear-cost claim and leans 0.12
toward the computational-bottleneck question; on its own neither makes it an answer to another question. On the
tuning sets (6,460 answers) 0.05 took 23 off-topic and 15 wrong answers to 0 (a ResNet block explained as a
transformer block, word2vec's frozen vectors as fixed positional encodings, online learning as in-context learning,
one-hot vectors as embeddings) and moved no strong, partial, weak or mixed answer; 0.07 took 3 mixed answers off
topic (few-shot chain of thought told as zero-shot's trigger). Right answers told wrong lean away on the tuning sets
(-0.09 and -0.12)."""


def answers_another(cq: CompiledQuestion, a: Analysis, index: NeighbourIndex | None, question_id: str,
                     flags: list[str], *, covering: bool = False, slack: float = 0.0) -> bool:
    """An answer much closer to another question of the bank than to this one (offline.neighbours), whatever
    share of the question's words it uses: an answer to a neighbouring question, or one that describes another
    concept under this one's name. Curated key points only, like the rules above. An answer `covering` half the
    key points or more answers this question unless it is FAR_MARGIN closer to the other."""
    if index is None or cq.derived:
        return False
    other = index.closer(question_id, a, slack)
    if other is None or (covering and other.margin < FAR_MARGIN):
        return False
    if other.question is not None:
        flags.append(f"off topic: the answer is much closer to another question of this bank "
                     f'("{other.question.question}") than to this one; answer the question that was asked')
    elif other.concept is not None:
        flags.append(f"off topic: the answer reads as an explanation of {other.concept.name}, not of what the "
                     "question asks about; answer the question that was asked")
    return True


@cache
def subject_of(question: str) -> frozenset[str]:
    """The subject terms of a question's text (`CompiledQuestion.subject`'s keys), for another question of the bank
    than the one compiled."""
    return frozenset(subject_words(analyse(question)) or ())


SIBLING_MARGIN = MARGIN
"""How much closer to a sibling the bank marks `distinct_from` an answer that never names the asked subject must be,
wherever it names the sibling (or names nothing): the ordinary margin, not the twins' (neighbours.TWIN_MARGIN). A
twin needs the larger one because a right answer leans toward its twin by up to 0.16; a right answer names what was
asked. Word-, character- and subword-level tokenization explained for "Explain BPE", BPE nowhere, leaned 0.19 toward
the question on those levels (fourth held-out set, read and retired) and read as "solid"; two off-topic answers to
"What is top-p?" of other sets (0.16, 0.17) went to 0 with it. Only for an answer with the neighbour rule's
MIN_TERMS content terms: an honest weak answer to top-p of a keyword-list set, 9 terms, never naming p, leaned 0.18
toward top-k (counted, not read) and went 25 -> 0 without that floor."""


def names_a_sibling(cq: CompiledQuestion, a: Analysis, index: NeighbourIndex | None, q: Question,
                    flags: list[str]) -> bool:
    """An answer that opens on the name of a sibling the bank marks as distinct from the asked question
    (`Question.distinct_from`), by a word of it the asked one's name lacks ("Top-k sampling restricts the choice to
    the k most probable tokens" to "What is top-p (nucleus) sampling?"), never names what sets the asked subject
    apart from it (p, nucleus) and leans toward it: an answer to the sibling, by its name. Or one that never names
    the asked subject and leans toward the sibling by SIBLING_MARGIN, wherever it names it. The neighbour rule cannot
    tell it (siblings share most of their words, so it needs neighbours.TWIN_MARGIN), nor can `is_off_topic` (the
    shared words are the question's, and "top" and "sampling" name its subject). Only for siblings the bank marks: questions this alike may instead be
    kinds of each other (zero-shot chain-of-thought is a fair answer to "What is chain-of-thought prompting?") or one
    thing under two names (sparse expert models, Mixture of Experts), and their words do not tell which."""
    if index is None or cq.derived or not cq.subject or not q.distinct_from:
        return False
    opening = {a.tokens[i].term for i in _opening_words(a)}
    said = {t.term for t in a.tokens}
    for other in q.distinct_from:
        sibling = index.questions.get(other)
        if sibling is None:
            continue
        named, unnamed = _names_apart(cq, sibling)
        if not unnamed or unnamed & said:
            continue
        lean = index.lean(q.id, other, a)
        if named & opening and lean > 0:
            flags.append(f"off topic: the answer opens on another question of this bank by its name "
                         f'("{sibling.question}") and never names what this one asks about; '
                         "answer the question that was asked")
            return True
        if lean > SIBLING_MARGIN and says_enough(a):
            flags.append(f"off topic: the answer is much closer to another question of this bank "
                         f'("{sibling.question}") than to this one and never names what this one asks about; '
                         "answer the question that was asked")
            return True
    return False


def sibling_names(cq: CompiledQuestion, index: NeighbourIndex | None, q: Question) -> tuple[frozenset[str],
                                                                                         frozenset[str]]:
    """The words that name the siblings the bank marks as distinct from the asked question and not it ("p",
    "nucleus" asked about top-k), and those that name it and not them ("k"): for offline.contrast.of_a_sibling."""
    theirs: set[str] = set()
    ours: set[str] = set()
    if index is not None and cq.subject and not cq.derived:
        for other in q.distinct_from:
            sibling = index.questions.get(other)
            if sibling is not None:
                named, unnamed = _names_apart(cq, sibling)
                theirs |= named
                ours |= unnamed
    return frozenset(theirs), frozenset(ours)


def _names_apart(cq: CompiledQuestion, sibling: Question) -> tuple[frozenset[str], frozenset[str]]:
    """The words of a sibling's name the asked question's lacks, and of the asked one's name the sibling's lacks
    (`cq.subject` is set). A word the asked question's own reference uses is part of its own story, not a name that
    sets the sibling apart: BPE's reference says "word", "subword", "character" and "token", the words that name
    the question on tokenization levels, and m8's claim "When tokenizing new text, BPE recounts ..." read as said of
    that sibling (a mixed answer's catch was lost, 59 -> 96)."""
    assert cq.subject is not None
    theirs = subject_of(sibling.question)
    return (frozenset(theirs - cq.subject.keys() - cq.ref_weights.keys()),
            frozenset(cq.subject.keys() - theirs))


_PERSONS = frozenset(("i i'd i'm i've we we're we'd you you'd you're they people folks candidates someone "
                      "both these those it it's its this each either neither them").split())
"""Words an answer opens on that make it about a person or about what was asked ("So both exist because ...",
"It's when ..."): what follows is what they do or are, not another subject."""


def _opening_words(a: Analysis) -> list[int]:
    """The first words an answer's first sentence is about: its first content word and the content words right
    after it (at most three; "Beam search keeps ..."), unless it opens on a person ("I'd group it ...", "So you
    split ...") or refers back to what was asked ("So both exist because ..."), where the first content word is
    what they do."""
    first = a.tokens[0].sentence if a.tokens else 0
    for i, t in enumerate(a.tokens[:OPENING_SUBJECT]):
        if t.sentence != first or t.low in _PERSONS:
            return []
        if t.function or not t.term or t.low in _HEDGES:
            continue
        run = [i]
        while len(run) < 3 and run[-1] + 1 < len(a.tokens) and not a.tokens[run[-1] + 1].function \
                and a.tokens[run[-1] + 1].term and a.tokens[run[-1] + 1].sentence == first:
            run.append(run[-1] + 1)
        return run
    return []


def _another_subject(cq: CompiledQuestion, terms: list[str]) -> bool:
    """The words an answer opens on name something other than what was asked: none of the question's subject
    terms, or a word the question, its reference and its key points never use ("Multi-query attention is ..." to
    "Explain the attention formula", "Cross-attention is ..." to "What is self-attention?")."""
    if not is_subject(cq, set(terms)):
        return True
    # every subject term named, then an alias: "Catastrophic forgetting, sometimes called catastrophic interference"
    return not set(cq.subject or ()) <= set(terms) and any(_foreign(cq, t) for t in terms)


_CAMEL = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])")


def _known_compound(cq: CompiledQuestion, a: Analysis, i: int) -> bool:
    """A word written as a compound of the question's own words ("LayerNorm" for layer normalization)."""
    parts = _CAMEL.findall(a.span(i, i))
    return len(parts) >= 2 and all(is_known(cq, term(p.lower())) for p in parts)


def _foreign(cq: CompiledQuestion, t: str) -> bool:
    """A word of substance that the question, its reference and its key points never use."""
    return telling((t,)) > 0 and t not in _DISCOURSE and not is_known(cq, t)


_DISCOURSE = frozenset(term(w) for w in """honestly now main standard fix reason way idea key point thing trick
approach answer difference problem issue goal basic simplest general overall short real usual common typical
big important first name term word misconception myth mistake pitfall trap confusion families family kinds kind
types type options option ways methods techniques categories flavours flavors variants one ones""".split())
"""Words that open an answer without naming a subject ("The standard fix is ...", "Honestly the main direction
is ...", "the fixed ones are ...": "ones" stands for what was asked)."""
_HOW_MANY = frozenset("few several couple bunch lot lots many various handful".split())


def _how_many(a: Analysis, i: int) -> bool:
    """A word that says how many and stands for what was asked: "There are a few, I think." (not "few-shot",
    whose second half may have been dropped as the question's own word)."""
    return a.tokens[i].low in _HOW_MANY and a.text[a.tokens[i].end:a.tokens[i].end + 1] != "-"


def _names_nothing(a: Analysis, opening: list[int]) -> bool:
    """Opening words that say how many of what was asked, or what kind ("There are a few families", "Options
    include ..."): no other subject."""
    rest = opening[1:] if _how_many(a, opening[0]) else opening
    return not rest or all(a.tokens[i].term in _DISCOURSE for i in rest)


_DEFINING = frozenset("is are means refers".split())
"""Words after which the opening words are what the answer defines ("Self-consistency is ...")."""


def _opening_subject(a: Analysis) -> list[int] | None:
    """The specific words an answer's first sentence opens on before it says what they are ("So in-context
    learning is ..." -> in-context learning), or None when it does not open that way within OPENING_SUBJECT
    words."""
    words: list[int] = []
    for i, t in enumerate(a.tokens[:OPENING_SUBJECT]):
        if t.sentence != a.tokens[0].sentence:
            return None
        if t.low in _DEFINING:
            specific = [k for k in words if telling((a.tokens[k].term,))]
            return specific or None
        if t.term and not t.function and t.term not in _DISCOURSE:  # "A common misconception is that ..."
            words.append(i)
    return None


OPENING_SUBJECT = 8
"""How far into the first sentence the defining word ("is", "means") is looked for."""


_REFERS_BACK = frozenset("it it's its they they're them this that that's".split())
_HEDGES = frozenset("think believe guess suppose mean say know remember basically".split())
OPENING_WORDS = 6
"""How far into the answer a pronoun standing for what was asked is looked for."""


def _opens_on_the_question(a: Analysis) -> bool:
    """A spoken answer that opens by referring back to what was asked ("It's the creativity setting", "I believe
    it's quadratic") answers that question, however few of its words it repeats; an answer to another question
    opens by naming its own subject ("Data poisoning is ...")."""
    first = [t for t in a.tokens[:OPENING_WORDS] if t.sentence == a.tokens[0].sentence]
    for t in first:
        if t.low in _REFERS_BACK:
            return True
        if t.term and not t.function and t.low not in _HEDGES:  # a content word first: it names its own subject
            return False
    return False
