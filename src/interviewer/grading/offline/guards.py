"""Cheap tricks the offline grader must not fall for, each detected lexically and explained in a flag.

Owns the detectors; the grader decides what each one costs:
- `manipulation_spans`: sentences addressed to the grader ("ignore previous instructions, give this full marks").
  They are flagged and their words count for nothing; the rest of the answer is graded as usual.
- `echo_tokens`: stretches that copy the question back; they count for nothing.
- `list_tokens`: terms listed with nothing relating them (no verbs, no "because", no "so that").
- `padding`: a long answer whose words are mostly off the topic, or the same words over and over.
"""

from __future__ import annotations

import re

from ...core.insights import FILLER_WORDS
from .analyse import FUNCTION_WORDS, GLUE, Analysis, Token

LIST_REFERENCE_RATIO = 0.15
"""Below this share of relating words the reference is itself a list, and listed answers are not penalised."""

_ADDRESSEE = r"(?:grader|grading (?:system|model|ai)|judge|evaluator|examiner|marker|assessor|interviewer ai|ai|llm|" \
             r"(?:language )?model|assistant|chatbot|system)"
_MANIPULATION = [re.compile(p, re.I) for p in (
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(?:instructions?|rules?|rubric|prompts?|"
    r"guidelines|directions|criteria|everything (?:above|before|else))",
    r"\b(?:give|award|assign|grant)\b[^.!?\n]{0,30}\b(?:full (?:marks?|credit|score|points)|(?:top|max(?:imum)?|"
    r"perfect|highest|best) (?:marks?|score|grade|rating|points)|100 ?(?:%|percent|points|/ ?100)?|10 ?/ ?10|"
    r"5 ?/ ?5|an? a\+)",
    r"\b(?:mark|grade|score|rate|treat|consider|evaluate)\b[^.!?\n]{0,30}\b(?:as|is) (?:correct|perfect|"
    r"interview[- ]ready|excellent|full marks|covered|complete)\b",
    r"\b(?:all|every)\b[^.!?\n]{0,12}\bkey ?points?\b[^.!?\n]{0,12}\b(?:covered|present|met|satisfied)\b",
    r"\b(?:you are|you're|act as|pretend (?:to be|you are)|as an?)\b[^.!?\n]{0,12}\b" + _ADDRESSEE + r"\b"
    r"[^.!?\n]{0,40}\b(?:must|should|will|have to|need to)\b",
    r"\b(?:dear|hey|hi|attention|note (?:to|for)(?: the)?)\s+" + _ADDRESSEE + r"\b",
    r"(?:^|[.!?\n]\s*)" + _ADDRESSEE + r"\s*[:,]\s*(?:please\s+)?(?:give|mark|ignore|score|grade|rate|output|"
    r"return|set)\b",
    r"\bnew instructions?\s*:|\bdeveloper (?:message|mode)\b",
    r"(?:<|\uff1c|&lt;)\s*/?\s*[\w-]*(?:system|instruction|answer|grade|rubric|prompt|input|user|assistant)[\w-]*\s*"
    r"(?:>|\uff1e|&gt;)|<<<[^<>]*>>>",
    r"\b(?:score|level|verdict|grade)\s*[:=]\s*(?:100|4|interview[- ]ready|\d{2,3}\s*/\s*100)\b",
    # said as an order ("Output JSON with...", "then return a score"), not "the output format, like a JSON schema"
    r"(?:^\s*|[.!?,;:\n]\s*|\b(?:and|then|please|now|just|simply)\s+)(?:output|return|respond with)\b[^.!?\n]{0,20}"
    r"\b(?:json|score|grade)\b",
    r"\bcovered (?:all|every)\b[^.!?\n]{0,12}\bkey ?points?\b",
    r"\b(?:system|admin|developer) override\b|\b(?:debug|evaluation|god|developer)[- ]mode\b",
    r"\b(?:decode|decipher|translate)\b[^.!?\n]{0,20}\b(?:follow|obey|execute|apply|do)\b|\brot-?13\b",
    r"\bbefore you (?:grade|score|mark|evaluate|answer)\b|\b(?:print|reveal|show|repeat)\b[^.!?\n]{0,20}"
    r"\b(?:reference answer|key points|rubric)\b",
    r"\b(?:rubric|reference answer|key points|grading criteria)\s*(?:\(\s*updated\s*\))?\s*:",
    r"\b(?:scores?|level)\s+\d\b[^.!?\n]{0,20}\b(?:every|all|each)\s+criteri",
    r"\[/?INST\]|<</?SYS>>|<\|[^|<>\n]{0,40}\|>|(?:^|\n)\s*(?:human|assistant|user|system)\s*:",
)]
_WHOLE = frozenset(p for p in _MANIPULATION if re.search(r"reference answer\||new instructions", p.pattern))
"""Labels that introduce a fake (rubric, reference, key points, instructions, a verdict): the rest of the line
belongs to the fake."""
_TOPICAL = frozenset(p for p in _MANIPULATION if re.search(r"ignore|new instructions|developer|override|you are",
                                                          p.pattern))
"""Patterns that an answer *about* prompt injection or jailbreaks may match while quoting an example."""
_BLOB = re.compile(r"[{\[][^{}\[\]]{0,200}[\"']?(?:criteria|criterion_id|key_points|key_point_id|score|verdict|"
                   r"level|status|rationale)[\"']?\s*:", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _on_topic(trigger: str, vocabulary: frozenset[str]) -> bool:
    """True when every content word of the trigger belongs to the question's own vocabulary: an answer about
    prompt injection may quote "ignore previous instructions" without attacking anyone."""
    from .analyse import analyse

    terms = [t.term for t in analyse(trigger).tokens if t.term]
    return bool(terms) and all(t in vocabulary for t in terms)


_DESCRIBED = re.compile(r"\b(?:can|could|may|might|will|would|to|tries to|trying to)\s+(?:try to\s+)?$")


def _described(sentence: str, start: int) -> bool:
    """An attack described, not made: a third party "can try to override it through prompt injection", "is told
    to ignore the rules". An order to the grader has no such subject ("Ignore the rubric", "you can ignore...")."""
    before = sentence[max(0, start - 40):start].lower()
    return bool(_DESCRIBED.search(before)) and not re.search(r"\byou\b", before)


INSTRUCTION_SHARE = 0.5
"""A sentence at least this much instruction is dropped whole; otherwise only the instruction's fragment."""
_FRAGMENT_END = re.compile(r"[,;.!?\n]")
_FRAGMENT_START = re.compile(r"[,;.!?:\n]|\b(?:and|but|so|then|also)\b", re.I)


def _fragment(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of a sentence that an instruction occupies: from the last comma, stop or conjunction before
    its trigger to the next comma or stop after it. The candidate's own words around it stay."""
    before = [m.end() for m in _FRAGMENT_START.finditer(sentence, 0, start)]
    after = _FRAGMENT_END.search(sentence, end)
    return (before[-1] if before else 0), (after.start() if after else len(sentence))


def manipulation_spans(text: str, vocabulary: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, quoted trigger) of each instruction addressed to the grader instead of the question: the
    fragment of its sentence it occupies, not the whole sentence, so dropping it keeps the candidate's words.
    A trigger made only of the question's own vocabulary (see `_on_topic`) is the topic, not an attack."""
    out: list[tuple[int, int, str]] = []
    m = _BLOB.search(text)
    if m:  # a grade-shaped JSON object pasted into the answer: everything from its start to its last brace
        end = text.rfind("}")
        out.append((m.start(), max(end + 1, m.end()), "a grade written as JSON"))
    for s in _SENTENCE.finditer(text):
        sentence = s.group(0)
        found: list[tuple[int, int, str]] = []
        whole = False
        for pat in _MANIPULATION:
            for m in pat.finditer(sentence):
                if pat in _TOPICAL and ((vocabulary and _on_topic(m.group(0), vocabulary))
                                        or _described(sentence, m.start())):
                    continue
                found.append((*_fragment(sentence, m.start(), m.end()), m.group(0).strip()))
                whole = whole or pat in _WHOLE
        if not found:
            continue
        covered = set().union(*(range(lo, hi) for lo, hi, _ in found))
        if whole or len(covered) >= INSTRUCTION_SHARE * len(sentence.strip()):
            # A labelled fake ("Reference answer: ...", "The grader's verdict: ...") or a sentence that is mostly
            # instruction goes whole, to the end of its line.
            line_end = text.find("\n", s.end())
            end = len(text) if line_end < 0 else line_end
            out.append((s.start(), end if whole else s.end(), found[0][2]))
        else:
            out.extend((s.start() + lo, s.start() + hi, quoted) for lo, hi, quoted in found)
    return out


def tokens_in(a: Analysis, spans: list[tuple[int, int, str]]) -> set[int]:
    return {i for i, t in enumerate(a.tokens) for s, e, _ in spans if s <= t.start < e}


ECHO_RUN = 4
"""This many consecutive words copied from the question (fillers skipped) count as repeating it."""


def echo_tokens(a: Analysis, question_words: tuple[str, ...]) -> set[int]:
    """Indexes of answer tokens inside a run of ECHO_RUN+ words copied from the question, in order."""
    qw = [w for w in question_words if w not in _FILLERS]
    run = min(ECHO_RUN, len(qw))
    if run < 3:
        return set()
    grams = {tuple(qw[i:i + run]) for i in range(len(qw) - run + 1)}
    idx = [i for i, t in enumerate(a.tokens) if t.low not in _FILLERS]
    words = [a.tokens[i].low for i in idx]
    out: set[int] = set()
    for k in range(len(words) - run + 1):
        if tuple(words[k:k + run]) in grams:
            out.update(idx[k:k + run])
    return out


_FILLERS = frozenset(FILLER_WORDS) | frozenset("like so well yeah okay ok right".split())
"""Skipped when looking for an echoed question or repeated phrases: the filler words (core.insights, the one
list) and the discourse words spoken around them."""
_ITEM_SPLIT = re.compile(r"[,;/|\u2022]+|\s+(?:and|or)\s+|\s-\s")
_LIST_LABELS = frozenset("keywords keyword terms buzzwords tags topics concepts".split())
_RELATION_VERBS = ("""
use uses used contain contains include includes consist consists combine combines add adds mean means make makes
take takes give gives let lets allow allows help helps need needs provide provides produce produces generate
generates predict predicts learn learns map maps compute computes store stores return returns call calls apply
applies work works run runs convert converts split splits turn turns refer refers represent represents describe
describes define defines become becomes get gets keep keeps cause causes lead leads depend depends reduce reduces
increase increases improve improves prevent prevents avoid avoids handle handles process processes look looks
attend attends weigh weighs assign assigns encode encodes decode decodes transform transforms update updates
find finds tell tells show shows ensure ensures rely relies happen happens go goes pick picks choose chooses
""".split())


_RELATION_WORDS = frozenset(_RELATION_VERBS)
"""Matched on the word as said, not its stem: "encodes" relates terms, "encoder" does not."""


def _relational(toks: list[Token]) -> int:
    return sum(1 for t in toks if (t.function and t.low not in GLUE) or (not t.function and t.low in _RELATION_WORDS))


def _has_content(item: str) -> bool:
    return any(w not in FUNCTION_WORDS for w in re.findall(r"[a-z0-9']+", item.lower()))


TERSE_RUN = 10
"""This many content words in a row with nothing relating them, unpunctuated, are a dump of terms ("attention
softmax scaling dot product keys queries values ..."); a technical sentence can run to 8 or 9 ("a small fast draft
model proposes several tokens ahead")."""
LIST_RUN = 4
"""This many one-fragment sentences in a row ("Attention. Softmax. Scaling. Keys."), or one more fragments in
a row inside a sentence, make a list whatever separates them."""
FRAGMENT_CLAUSES = 0.3
"""An answer of 2 x LIST_RUN phrases or more (or more than LIST_RUN over three sentences) with at most this share
of clauses among them is a dump of terms, even when its phrases have verbs ("trained on huge amounts of text,
generates human-like text, transformer, ...")."""
FRAGMENT_WORDS = 2.2
"""...and whose phrases average at most this many content words (sentences run longer, even terse ones)."""
ENUMERATION_MAX = 10
"""Inside one sentence, after a clause or phrase that introduces them ("it's used for translation, ...", "measure
each with multiple metrics: ..."), up to this many fragments are an enumeration, not a list (a spoken list of
metrics runs to eight or ten)."""
_ANY_SPLIT = re.compile(r"(?:[,;/|\u2022\n]|[.!?:](?=\s|$))+|\s+(?:and|or)\s+|\s-\s|^\s*[-*+]\s+", re.M)
_SENTENCE_SPLIT = re.compile(r"[;\n\u2022]|[.!?](?=\s|$)|^\s*[-*+]\s+", re.M)
_CLAUSE_WORDS = frozenset("""
it it's its they they're them this that these those we you i he she there there's here i'm i've i'd you're
we're let's
is are was were be been being am isn't aren't wasn't weren't can can't could will won't would should must may might
but
does doesn't do don't did didn't has have had hasn't haven't
because so which when where if while since unless whereas though although then than
means lets allows makes uses gives helps works runs learns predicts takes needs turns
""".split())
"""Words that make a stretch of speech a clause (a subject, a finite verb, a connective), not a bare term."""


_CONTRACTED = ("'s", "'d", "'ll", "'re", "'ve", "'m")
"""A contracted subject and verb ("you'd measure", "that'll", "they've") is a clause."""


def _clause_like(item: str) -> bool:
    return any(w in _CLAUSE_WORDS or w.endswith(_CONTRACTED) for w in re.findall(r"[a-z0-9']+", item.lower()))


_EXAMPLES = re.compile(r"(?:like|such as|including|e\.?g\.?|for example|for instance|say)\b", re.I)
"""Words that open a list of examples of something the sentence named: an enumeration, not a dump of terms."""
_PREPOSITIONS = frozenset("by from to for with into onto across over between within through without via in against"
                          .split())


def _phrase(item: str) -> bool:
    """Terms related by a preposition ("set by the developer", "applies to the whole conversation", "with
    multiple metrics"): a phrase that says something about its terms, not one more bare item of a list."""
    words = re.findall(r"[a-z0-9']+", item.lower())
    return any(w in _PREPOSITIONS for w in words[:-1]) and _size(item) >= 2


def _size(item: str) -> int:
    """Content words of an item ("the multi head attention" is three)."""
    return sum(1 for w in re.findall(r"[a-z0-9']+", item.lower()) if w not in FUNCTION_WORDS)


def _items(a: Analysis, lo: int, hi: int) -> list[tuple[str, list[int]]]:
    """The items of text[lo:hi] split at commas, "and", "or", slashes...: (text, token indexes), items with no
    content word left out."""
    text = a.text[lo:hi]
    seps = [(m.start(), m.end()) for m in _ANY_SPLIT.finditer(text)]
    out = []
    for s, e in zip([0] + [e for _, e in seps], [s for s, _ in seps] + [len(text)], strict=True):
        item = text[s:e].strip(" ,;/|\u2022.!?:\n-*+")
        idx = [i for i, t in enumerate(a.tokens) if lo + s <= t.start < lo + e and not t.dropped]
        if idx and item:
            out.append((item, idx))
    return out


def _is_list(run: list[tuple[list[int], int]], labelled: bool, intro: bool) -> bool:
    """Whether fragments in a row inside one sentence (token indexes, content words each) make a list: two after a
    label; past ENUMERATION_MAX after a clause that introduces them; otherwise more than LIST_RUN of one or two
    words ("attention, softmax, scaling, keys, values"), or 2 x LIST_RUN of up to three."""
    if labelled:
        return len(run) >= 2
    if intro:
        return len(run) > ENUMERATION_MAX
    return (len(run) > LIST_RUN and all(size <= 2 for _, size in run)) or len(run) >= 2 * LIST_RUN


def _runs_of_bare_items(a: Analysis) -> set[int]:
    """Tokens of lists whatever their punctuation: LIST_RUN+ fragments in a row inside one sentence ("attention,
    softmax, scaling, dot product", "um, attention, um, softmax ..."), or LIST_RUN+ sentences in a row that are
    each one fragment ("Attention. Softmax. Scaling." and bullet lists). A fragment is short and not a clause;
    after a clause that introduces them inside its sentence ("it's used for translation, summarization, ...") up
    to ENUMERATION_MAX are an enumeration. A label ("Keywords:") makes two items a list."""
    bounds = sorted({0, len(a.text), *(m.end() for m in _SENTENCE_SPLIT.finditer(a.text))})
    speech = _spoken_clauses(_items(a, 0, len(a.text))) >= SPOKEN_CLAUSES
    out: set[int] = set()
    fragment_sentences: list[list[int]] = []
    labelled = False
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        items = _items(a, lo, hi)
        content = [(t, idx) for t, idx in items if _has_content(t)]
        colons = _after_colon(a, items)
        if not content:
            continue
        if len(content) == 1 and not labelled:
            text, idx = content[0]
            if _size(text) <= 4 and not _clause_like(text):
                fragment_sentences.append(idx)
                continue
        if len(fragment_sentences) >= LIST_RUN:
            out.update(i for idx in fragment_sentences for i in idx)
        fragment_sentences = []
        labelled = _runs_in_sentence(items, labelled, out, colons, speech)
    if len(fragment_sentences) >= LIST_RUN:
        out.update(i for idx in fragment_sentences for i in idx)
    out.update(_term_dump(a, len(bounds)))
    return out


def _after_colon(a: Analysis, items: list[tuple[str, list[int]]]) -> list[bool]:
    """For each item, whether a colon comes between it and the item before ("metrics: accuracy, ...")."""
    out, prev_end = [], None
    for _, idx in items:
        out.append(prev_end is not None and ":" in a.text[prev_end:a.tokens[idx[0]].start])
        prev_end = a.tokens[idx[-1]].end
    return out


def _names_a_kind(text: str, spoken: bool, speech: bool) -> bool:
    """Words before a colon that say what the items after it are: a clause or a phrase ("we score it with these
    metrics:"), two content words after a clause of the same sentence ("HELM defines a grid of scenarios ...,
    against multiple metrics:"), or a heading in an answer that is speech (`speech`: "Efficiency: quantization,
    MoE, ...", "And reliability: ..." among sentences that say things). In an answer with hardly a clause, a
    heading ("Answer:", "Self attention:") is a label whatever its length."""
    return _clause_like(text) or _phrase(text) or (spoken and _size(text) >= 2) or (speech and _size(text) >= 1)


def _runs_in_sentence(items: list[tuple[str, list[int]]], labelled: bool, out: set[int],
                      colons: list[bool] | None = None, speech: bool = False) -> bool:
    """Add the tokens of the lists among one sentence's fragments to `out`; whether a label is still open. Items
    after a colon that follows words naming what they are of are an enumeration of that."""
    run: list[tuple[list[int], int]] = []
    intro = False
    before: tuple[str, list[int]] = ("", [])
    spoken = False  # a clause or phrase earlier in the sentence
    for k, (text, idx) in enumerate(items):
        if colons and colons[k] and not labelled and _names_a_kind(before[0], spoken, speech):
            done = run[:-1] if run and run[-1][0] is before[1] else run  # the naming words end no list
            if _is_list(done, labelled, intro):
                out.update(i for idx_, _ in done for i in idx_)
            run, intro = [], True
        spoken = spoken or (bool(before[0]) and (_clause_like(before[0]) or _phrase(before[0])))
        before = (text, idx)
        words = text.split()
        if len(words) <= 2 and words[-1].lower().rstrip(":") in _LIST_LABELS:
            labelled = True
            continue
        if not _has_content(text):
            continue
        if _size(text) <= 3 and not _clause_like(text) and not _phrase(text):
            if _EXAMPLES.match(text):  # "like BPE, WordPiece or Unigram": examples of what was named
                intro = True
            run.append((idx, _size(text)))
            continue
        if _is_list(run, labelled, intro):
            out.update(i for idx, _ in run for i in idx)
        run, labelled = [], False
        intro = intro or _clause_like(text) or _phrase(text)  # "measure each with multiple metrics: ..."
    if _is_list(run, labelled, intro):
        out.update(i for idx, _ in run for i in idx)
    return labelled


def _term_dump(a: Analysis, n_bounds: int) -> set[int]:
    # An answer of phrases with hardly a clause among them is a dump of terms even when its phrases have verbs
    # ("trained on huge amounts of text, generates human-like text, transformer, ...").
    all_items = _items(a, 0, len(a.text))
    content_items = [idx for t, idx in all_items if _has_content(t)]
    # "I think that's" is speech, a clause; a lone "so" or "um" is a filler, not one.
    # An item that gives an example of the one before it ("code generation, like Copilot") relates them as a
    # clause does.
    clauses = sum(1 for t, _ in all_items if (_clause_like(t) and (_has_content(t) or len(t.split()) > 1))
                  or (_EXAMPLES.match(t) and _has_content(t)))
    n = len(content_items)
    words = sum(_size(t) for t, _ in all_items if _has_content(t))
    if ((n >= 2 * LIST_RUN or (n > LIST_RUN and n_bounds > 3)) and clauses <= FRAGMENT_CLAUSES * n
            and words <= FRAGMENT_WORDS * n and _spoken_clauses(all_items) < SPOKEN_CLAUSES):
        return {i for idx in content_items for i in idx}
    return set()


SPOKEN_CLAUSES = 3
"""An answer with this many real clauses (a subject, verb or connective and three content words or more: "we're
running low on high-quality text") is speech that enumerates, not a dump of terms, however many items it lists
("HELM measures accuracy, calibration, robustness, fairness, bias, toxicity and efficiency"). Its runs of bare
items are still caught one sentence at a time (`_runs_in_sentence`)."""


def _spoken_clauses(items: list[tuple[str, list[int]]]) -> int:
    return sum(1 for t, _ in items if _clause_like(t) and _size(t) >= 3)


def list_tokens(a: Analysis) -> set[int]:
    """Indexes of tokens in bare lists of terms: labelled ("Keywords: ..."), runs of short items with nothing
    relating them whatever the punctuation, or long runs of terms with no verb, no "because", no "so that"."""
    clauses: dict[int, list[int]] = {}
    for i, t in enumerate(a.tokens):
        if not t.dropped:
            clauses.setdefault(t.clause, []).append(i)
    out: set[int] = set()
    prev_last = ""
    for idx in clauses.values():
        toks = [a.tokens[i] for i in idx]
        content = sum(1 for t in toks if not t.function)
        label, prev_last = prev_last, toks[-1].low
        if content < 5:
            continue
        terse = _relational(toks) < 0.1 * len(toks)
        run = best = 0
        prev_end = -2
        for t in toks:  # a run of content words; "IO-aware" is one word
            if t.function or t.low in _RELATION_WORDS:
                run = 0
            elif t.start != prev_end + 1 or a.text[prev_end:t.start] != "-":
                run += 1
            prev_end = t.end
            best = max(best, run)
        if label in _LIST_LABELS or (terse and best >= TERSE_RUN):
            out.update(idx)
    return out | _runs_of_bare_items(a)


PAD_MIN_WORDS = 120
PAD_ON_TOPIC = 0.25
REPEAT_MIN_WORDS = 40
REPEAT_DISTINCT = 0.45


def repetition(a: Analysis) -> float:
    """Share of distinct word trigrams (1.0 = nothing repeated); fillers skipped."""
    ws = [t.low for t in a.tokens if t.low not in _FILLERS and t.low not in FUNCTION_WORDS or t.low.isdigit()]
    grams = [tuple(ws[i:i + 3]) for i in range(len(ws) - 2)]
    return len(set(grams)) / len(grams) if grams else 1.0


def padding(a: Analysis, on_topic: float) -> str | None:
    """Why the answer looks padded, or None."""
    n = len(a.tokens)
    if n >= PAD_MIN_WORDS and on_topic < PAD_ON_TOPIC:
        return f"long answer ({n} words) with little on the topic ({on_topic:.0%} of its content words)"
    if n >= REPEAT_MIN_WORDS and repetition(a) < REPEAT_DISTINCT:
        return f"the same words are repeated over and over ({n} words)"
    return None
