"""Keyword lists: terms listed with nothing relating them (no verbs, no "because", no "so that"), whatever the
punctuation, told from speech that enumerates ("it's used for translation, summarization, ...", "Code: completion
in the IDE, generating functions, ..."). A cheap trick the offline grader must not fall for (see `guards` for the
others); the grader decides what a list costs.
"""

from __future__ import annotations

import re

from .analyse import GLUE, Analysis, Token
from .items import clause_like, has_content, phrase, quoted, short_item, size, states

LIST_REFERENCE_RATIO = 0.15
"""Below this share of relating words the reference is itself a list, and listed answers are not penalised."""

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
_PUNCTUATED = re.compile(r"[,;:.!?()\n]")
"""Punctuation between two words ends a run of terms (`TERSE_RUN`): what it separates are items."""


def _relational(toks: list[Token]) -> int:
    return sum(1 for t in toks if (t.function and t.low not in GLUE) or (not t.function and t.low in _RELATION_WORDS))


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
SHORT_LIST = 4
SHORT_ITEM = 4
"""An answer of SHORT_LIST items or more, each of at most SHORT_ITEM content words, none saying anything of the next
and hardly a clause among them, is a keyword list however short ("neural network, transformer, next-token
prediction, massive text corpus, billions of parameters, text generation"). On two keyword-list sets written for
it by people who never saw the grader (data/calibration, lists1 and lists2), the rules above let 4 and 7 of 100
such lists score above the honest weak answer to the same question; a terse answer in note form says something
("Freezes the base weights; trains two small low-rank matrices") and stays an answer."""
SHORT_LIST_PHRASES = 0.2
"""...and of which at most this share relate their terms by a preposition ("no training from scratch" in a list of
six; "Perplexity for language modeling, BLEU for translation, ROUGE for summarization" is an answer). Chosen on the
first two keyword-list sets: lists above the honest weak answer 1 and 1 of 100 (3 with none allowed), one more
terse answer flagged (headings with notes: "Word-level: large vocabulary, unknown-word problem. Subword: ...").
Twentieth session, on the first four sets: a hyphenated word counts as one term and a quotation as one (`terms`),
a preposition inside a hyphenated word makes no phrase ("in-context learning"), and a verb in -s between two
content words says something (`states`): lists above the weak answer 0 of 400 (3 before), terse answers flagged 0
(5 before)."""
ENUMERATION_MAX = 10
"""Inside one sentence, after a clause or phrase that introduces them ("it's used for translation, ...", "measure
each with multiple metrics: ..."), up to this many fragments are an enumeration, not a list (a spoken list of
metrics runs to eight or ten)."""
_ANY_SPLIT = re.compile(r"(?:[,;/|\u2022\n]|(?<![Ee]\.[Gg])(?<![Ii]\.[Ee])[.!?:](?=\s|$))+|\s+(?:and|or)\s+|\s-\s|^\s*[-*+]\s+",
                        re.M)
_SENTENCE_SPLIT = re.compile(r"[;\n\u2022]|(?<![Ee]\.[Gg])(?<![Ii]\.[Ee])[.!?](?=\s|$)|^\s*[-*+]\s+", re.M)
"""Where items and sentences end; not at the full stop of "e.g." or "i.e.", which opens the examples of what was just
named ("stable convergence, e.g. mixed precision, gradient accumulation")."""
EXAMPLES = re.compile(r"(?:like|such as|including|e\.?g\.?|for example|for instance|say)\b", re.I)
"""Words that open a list of examples of something the sentence named: an enumeration, not a dump of terms."""
_NAMES_EXAMPLES = re.compile(r"\w.*?\b(?:like|such as|including)\s+\w", re.I)
"""An item that names a thing and then gives examples of it ("things like toxicity", "chatbots like ChatGPT")."""


def _gives_examples(item: str) -> bool:
    """An item that opens examples ("like BPE") or names a thing and then its examples ("chatbots like ChatGPT")."""
    return bool(EXAMPLES.match(item) or _NAMES_EXAMPLES.match(item))


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


def _is_list(run: list[tuple[list[int], int]], labelled: bool, intro: bool, many: bool = False) -> bool:
    """Whether fragments in a row inside one sentence (token indexes, content words each) make a list: two after a
    label; past ENUMERATION_MAX after a clause that introduces them (never, where the question asks for many
    things: `asks_for_many`); otherwise more than LIST_RUN of one or two words ("attention, softmax, scaling, keys,
    values"), or 2 x LIST_RUN of up to three."""
    if labelled:
        return len(run) >= 2
    if intro:
        return not many and len(run) > ENUMERATION_MAX
    return (len(run) > LIST_RUN and all(size <= 2 for _, size in run)) or len(run) >= 2 * LIST_RUN


def _runs_of_bare_items(a: Analysis, many: bool = False) -> set[int]:
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
        content = [(t, idx) for t, idx in items if has_content(t)]
        colons = _after_colon(a, items)
        if not content:
            continue
        if len(content) == 1 and not labelled:
            text, idx = content[0]
            if size(text) <= 4 and not clause_like(text):
                fragment_sentences.append(idx)
                continue
        if len(fragment_sentences) >= LIST_RUN:
            out.update(i for idx in fragment_sentences for i in idx)
        fragment_sentences = []
        labelled = _runs_in_sentence(items, labelled, out, colons, speech, many)
    if len(fragment_sentences) >= LIST_RUN:
        out.update(i for idx in fragment_sentences for i in idx)
    out.update(_term_dump(a, len(bounds), many))
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
    return clause_like(text) or phrase(text) or (spoken and size(text) >= 2) or (speech and size(text) >= 1)


_OPENING_PREPOSITION = re.compile(r"\s*(?:for|in|with|on|across|within|during|at)\s+\w", re.I)


def _runs_in_sentence(items: list[tuple[str, list[int]]], labelled: bool, out: set[int],
                      colons: list[bool] | None = None, speech: bool = False, many: bool = False) -> bool:
    """Add the tokens of the lists among one sentence's fragments to `out`; whether a label is still open. Items
    after a colon that follows words naming what they are of are an enumeration of that."""
    run: list[tuple[list[int], int]] = []
    intro = many and speech  # speech answering a question that asks for many things: every run enumerates them
    before: tuple[str, list[int]] = ("", [])
    spoken = False  # a clause or phrase earlier in the sentence
    for k, (text, idx) in enumerate(items):
        if colons and colons[k] and not labelled and _names_a_kind(before[0], spoken, speech):
            done = run[:-1] if run and run[-1][0] is before[1] else run  # the naming words end no list
            if _is_list(done, labelled, intro, many):
                out.update(i for idx_, _ in done for i in idx_)
            run, intro = [], True
        spoken = spoken or (bool(before[0]) and (clause_like(before[0]) or phrase(before[0])))
        before = (text, idx)
        words = text.split()
        if len(words) <= 2 and words[-1].lower().rstrip(":") in _LIST_LABELS:
            labelled = True
            continue
        # "For classification or extraction, accuracy, precision, recall, F1": a phrase that says what the items
        # are for opens an enumeration
        opener = not run and not spoken and bool(_OPENING_PREPOSITION.match(text))
        intro = intro or opener
        if opener or not has_content(text):
            continue
        if size(text) <= 3 and not clause_like(text) and not phrase(text):
            if _gives_examples(text):  # "like BPE, WordPiece or Unigram", "things like toxicity, bias, ...":
                # examples of what was named
                intro = True
            run.append((idx, size(text)))
            continue
        if _is_list(run, labelled, intro, many):
            out.update(i for idx, _ in run for i in idx)
        run, labelled = [], False
        intro = intro or clause_like(text) or phrase(text)  # "measure each with multiple metrics: ..."
    if _is_list(run, labelled, intro, many):
        out.update(i for idx, _ in run for i in idx)
    return labelled


def _term_dump(a: Analysis, n_bounds: int, many: bool = False) -> set[int]:
    # An answer of phrases with hardly a clause among them is a dump of terms even when its phrases have verbs
    # ("trained on huge amounts of text, generates human-like text, transformer, ...").
    all_items = _items(a, 0, len(a.text))
    if _introduced(all_items) or _sectioned(a.text) or _predicated(a.text):  # "Used for chatbots, ...", notes under
        return set()  # headings, "GPT is ..., ...; BERT is ..., ..."
    if many and clause_like(next((t for t, _ in all_items if has_content(t) and size(t) > 1), "")):
        return set()  # asked for many things: "Sure, so the common ones are text generation, summarization, ..."
    content_items = [idx for t, idx in all_items if has_content(t)]
    # "I think that's" is speech, a clause; a lone "so" or "um" is a filler, not one.
    # An item that gives an example of the one before it ("code generation, like Copilot") relates them as a
    # clause does.
    # A quotation ('"Let's think step by step"') is a phrase named, one term, whatever its words.
    clauses = sum(1 for t, _ in all_items if not quoted(t) and (
        (clause_like(t) and (has_content(t) or len(t.split()) > 1)) or (_gives_examples(t) and has_content(t))))
    n = len(content_items)
    items = [t for t, _ in all_items if has_content(t)]
    words = sum(size(t) for t in items)
    phrases = sum(1 for t in items if phrase(t) and not quoted(t))
    # Items of which one says something of its object ("reuses the cache") are a sentence in note form cut at each
    # "and", not a dump ("stores keys and values of earlier tokens; each new token computes only its own K and V and
    # reuses the cache, ...": a terse answer of the second keyword-list set; no keyword list moved on the first two).
    if ((n >= 2 * LIST_RUN or (n > LIST_RUN and n_bounds > 3)) and clauses <= FRAGMENT_CLAUSES * n
            and words <= FRAGMENT_WORDS * n and _spoken_clauses(all_items) < SPOKEN_CLAUSES and 2 * phrases <= n
            and not any(states(t) for t in items)):
        return {i for idx in content_items for i in idx}
    # A short answer of bare items: one clause at most, none that says something of what follows ("freezes the base
    # weights"), hardly any that relates its terms by a preposition ("BLEU for translation"), none long.
    if (n >= SHORT_LIST and clauses <= min(1, FRAGMENT_CLAUSES * n) and phrases <= SHORT_LIST_PHRASES * n
            and all(short_item(t, SHORT_ITEM) for t in items)):
        return {i for idx in content_items for i in idx}
    return set()


SPOKEN_CLAUSES = 3
"""An answer with this many real clauses (a subject, verb or connective and three content words or more: "we're
running low on high-quality text") is speech that enumerates, not a dump of terms, however many items it lists
("HELM measures accuracy, calibration, robustness, fairness, bias, toxicity and efficiency"). Its runs of bare
items are still caught one sentence at a time (`_runs_in_sentence`)."""


def _spoken_clauses(items: list[tuple[str, list[int]]]) -> int:
    return sum(1 for t, _ in items if clause_like(t) and size(t) >= 3)


def list_tokens(a: Analysis, many: bool = False) -> set[int]:
    """Indexes of tokens in bare lists of terms: labelled ("Keywords: ..."), runs of short items with nothing
    relating them whatever the punctuation, or long runs of terms with no verb, no "because", no "so that".
    `many`: the question asks for many things (`asks_for_many`), so an enumeration a clause introduces is the answer
    however long it runs, and so is any run of items inside a sentence of an answer that is speech."""
    clauses: dict[int, list[int]] = {}
    for i, t in enumerate(a.tokens):
        if not t.dropped:
            clauses.setdefault(t.clause, []).append(i)
    out: set[int] = set()
    prev_label = ""
    for idx in clauses.values():
        toks = [a.tokens[i] for i in idx]
        content = sum(1 for t in toks if not t.function)
        # a label is a clause of its own ("Keywords: ..."), not the last word of a sentence ("... on niche topics")
        label, prev_label = prev_label, (toks[-1].low if len(toks) <= 2 else "")
        if content < 5:
            continue
        terse = _relational(toks) < 0.1 * len(toks)
        run = best = 0
        prev_end = -2
        for t in toks:  # a run of content words; "IO-aware" is one word
            if t.function or t.low in _RELATION_WORDS:
                run = 0
            elif prev_end >= 0 and _PUNCTUATED.search(a.text[prev_end:t.start]):
                run = 1  # "longer context, more efficient architectures, ...": items, which the item rules read
            elif t.start != prev_end + 1 or a.text[prev_end:t.start] != "-":
                run += 1
            prev_end = t.end
            best = max(best, run)
        if label in _LIST_LABELS or (terse and best >= TERSE_RUN):
            out.update(idx)
    return out | _runs_of_bare_items(a, many)


_ASKS_FOR_MANY = re.compile(r"^(?:(?:what|which) (?:are (?:some|the|a few) (?:[\w-]+ ){0,3}?[\w-]+s|[\w-]+s (?:are|do|can|"
                            r"should))\b|(?:name|list) )")


def asks_for_many(question_words: tuple[str, ...]) -> bool:
    """The question asks for several things by name ("What are some common applications of LLMs?", "What are the
    future directions ...?", "What metrics are used ...?"), not what one thing is ("What are embeddings?"): its
    answer enumerates them, and a long enumeration after a clause that introduces it ("Common applications are text
    generation, summarization, translation, ... and agents that use tools") is the answer, not a dump of terms
    (ENUMERATION_MAX), and in an answer that is speech so is a run of short items inside a sentence ("Fourth,
    multimodality, native image, audio and video, and agents that use tools"). A bare list, a labelled one or a run
    of one-word sentences is still a list."""
    return bool(_ASKS_FOR_MANY.match(" ".join(w.lower() for w in question_words)))


_INTRO = re.compile(r"^\s*(?:(?:(?:mostly|mainly|often|commonly|widely)\s+)?(?:used|applied|employed|deployed|"
                    r"needed|required|measured|evaluated|seen|found)\s+(?:for|to|in|on|at|by|with|as|into)"
                    r"|[a-z]+\s+[a-z]+s\s+(?:at|on|to|toward|towards|into))\b", re.I)
"""Words that open an enumeration of what they name ("Used for chatbots, ...", "Research aims at longer context,
..."). A subject and a verb in -s take a preposition of aim ("aims at", "focuses on"): "code examples in prompt" is a
noun and its place, the first item of a keyword list (lists1)."""


_HEADING = re.compile(r"^\s*[A-Za-z][\w'-]*(?:\s[\w'-]+){0,2}:\s")
SECTION_ITEMS = 3
_NOTE_SPLIT = re.compile(r",|\s+(?:and|or)\s+")
"""Where the notes of one sentence part (`_sectioned`, `_predicated`)."""


def _notes(text: str) -> list[str]:
    """The notes of one sentence (or of what is left of it) that say something, split at commas, "and", "or"."""
    return [i for i in _NOTE_SPLIT.split(text) if has_content(i)]


def _content_sentences(text: str) -> list[str]:
    """The sentences of an answer that say something."""
    return [t for t in _SENTENCE_SPLIT.split(text) if t and has_content(t)]


def _sectioned(text: str) -> bool:
    """Notes under two headings or more, a few items each ("Word-level: huge vocabulary, out-of-vocabulary issues.
    Character-level: tiny vocabulary, very long sequences. Subword: ..."): a comparison set out in note form, each
    heading what its notes are about, not a dump of terms (a dump under one heading is still one:
    "Self attention: queries, keys, values, softmax, scaling")."""
    headed = [t for t in _content_sentences(text) if _HEADING.match(t)]
    return len(headed) >= 2 and all(len(_notes(_HEADING.sub("", t))) <= SECTION_ITEMS for t in headed)


def _predicated(text: str) -> bool:
    """Two sentences or more, each opening on a clause of two content words or more that the notes after it
    are said of ("GPT is decoder-only and autoregressive, ..., good for generation; BERT is encoder-only, ..."): a
    comparison in note form, each sentence's items what its subject is."""
    firsts = [next(iter(_notes(t)), "") for t in _content_sentences(text)]
    return len(firsts) >= 2 and all(clause_like(f) and size(f) >= 2 for f in firsts)


def _introduced(items: list[tuple[str, list[int]]]) -> bool:
    """The first item says what the rest are ("Used for chatbots, summarization, ...")."""
    first = next((t for t, _ in items if has_content(t)), "")
    return bool(_INTRO.match(first)) or states(first)
