"""Whether a phrase is said in an answer: every word of it in one sentence, close together, not negated (or negated,
when a denial is looked for), and asserted, not turned away ("prevents ...", "if ...", "unlike X, where ...").

The strict reading the offline grader's correctness rests on (`contradict`): a wrong claim must be made, not
brushed against. Also used by `lint` to check that a bank's signals do not fire on its own right statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .analyse import NARROW_STEMS, Analysis, stem, term
from .asserted import unsure, used_to
from .contrast import BE, contrasted
from .cues import MARKER_OF, OPPOSITE, CompiledKeyPoint, CompiledMisconception, StrictCue, strict_cue
from .denials import attached_to_a_denial
from .joins import and_another, comma_while, example_opens, new_subject, parallel_verbs
from .match import near
from .opposites import BLOCKERS, BREAKS, PRIVATIVE
from .runs import runs_across

MAX_CONTENT_GAP = 1
"""At most this many other content words between two words of a strict phrase ("runs, um, the whole thing in
parallel" says "runs in parallel"; "runs the model and later in parallel decodes" does not)."""
MAX_TOKEN_GAP = 6
"""And at most this many tokens of any kind (fillers, small words) from one word to the next."""
BLOCK_WINDOW = 4
"""How far before a claim a blocking word ("prevents", "instead of") turns it away."""


def positions(t: str, a: Analysis) -> list[int]:
    """Token indexes where term t is said (exactly, as a synonym, a joined compound, or a near form)."""
    if t.startswith("@"):
        want = t[1:]
        return [i for i, tok in enumerate(a.tokens) if not tok.dropped and MARKER_OF.get(tok.low) == want]
    if t.startswith("="):  # a narrow word, said as itself, not as its group's broader head (analyse.claim_term)
        return [i for i, tok in enumerate(a.tokens) if not tok.dropped and NARROW_STEMS.get(stem(tok.low)) == t]
    hits = list(a.positions.get(t, ())) + list(a.joined.get(t, ()))
    if hits:
        return hits
    for u, idx in a.positions.items():
        if u[:1] == t[:1] and near(t, u) and not _agent_noun(t, u):
            return list(idx)
    return []


def _agent_noun(t: str, u: str) -> bool:
    """The claim's term t is a role (it has a counterpart role: teacher/student) and u is its verb ("teach"): "a big
    model teaches a smaller model" says nothing of the teacher being the smaller model. (Not "larger" for "large":
    a comparative is no role.)"""
    return t[len(u):] in ("er", "or") and t.startswith(u) and _is_role(t)


def _is_role(t: str) -> bool:
    """The term names a role with a counterpart role (teacher/student, encoder/decoder)."""
    return any(role for _, role in OPPOSITE.get(t, ()))


AGENTS = frozenset(("model", "llm"))
"""What a claim's subject may be said as a pronoun for ("Then it executes the API call itself" after "The model
picks the function"): the thing that acts in most of the bank's wrong claims."""
_OTHER_ACTORS = frozenset(("application", "app", "code", "developer", "user", "client", "server", "system",
                           "framework", "program", "runtime", "orchestrator", "host", "you", "your", "we", "human",
                           "person", "people", "retriever", "router", "tokenizer", "teacher", "student", "encoder",
                           "decoder", "verifier", "library", "sdk", "service", "agent", "database", "engine"))
"""Things a pronoun may stand for instead of the model."""


def standing_for(a: Analysis) -> list[int]:
    """The "it"s that stand for the model (AGENTS: the model and the LLM are one actor): the nearest actor before
    each, in its sentence or the one before, is the model (not one of _OTHER_ACTORS), and a content word follows the
    pronoun within two tokens in its sentence (`sayings` then asks for the claim's next word within three)."""
    out: list[int] = []
    for i, tok in enumerate(a.tokens):
        if tok.low not in ("it", "it'll", "it's") or tok.dropped:
            continue
        nxt = [k for k in range(i + 1, min(i + 3, len(a.tokens))) if not a.tokens[k].function and a.tokens[k].term]
        if not nxt or a.tokens[nxt[0]].sentence != tok.sentence:
            continue
        for k in range(i - 1, -1, -1):
            prev = a.tokens[k]
            if prev.sentence < tok.sentence - 1:
                break
            if prev.term in AGENTS:
                out.append(i)
                break
            if prev.low in _OTHER_ACTORS or prev.term in _OTHER_ACTORS:
                break
    return out


def said(cue: StrictCue, a: Analysis, *, negated: bool = False, rivals: frozenset[str] = frozenset()) -> list[int] | None:
    """The token indexes of the closest complete saying of `cue` in one sentence, or None.

    negated=False: no chosen word may be negated (unless the cue is itself negative); negated=True: at least one
    must be (the phrase said under a denial). Sentences that report a belief to reject it are skipped. `rivals`:
    terms that, said between the phrase's words, make two subjects of it (see `rival_subjects`)."""
    return next(sayings(cue, a, negated=negated, rivals=rivals), None)


def sayings(cue: StrictCue, a: Analysis, *, negated: bool = False,
            rivals: frozenset[str] = frozenset()) -> Iterator[list[int]]:
    """Every sentence's closest complete saying of `cue` (as `said`), in the answer's order."""
    per_term = [positions(t, a) for t in cue.terms]
    if cue.terms[0] in AGENTS and len(cue.terms) >= 4 and all(per_term[1:]):
        # "it" for the model only where three more words say the claim: in a shorter phrasing the subject is what
        # tells it from a right statement ("LLMs don't forget" against "it shouldn't forget the old things")
        after = set(per_term[1])
        per_term[0] = sorted(set(per_term[0]) | {i for i in standing_for(a)
                                                  if after & set(range(i + 1, i + 4))})
    if not all(per_term):
        return
    sentences = set.intersection(*({a.tokens[i].sentence for i in p} for p in per_term)) - a.distanced
    for s in sorted(sentences):
        best: list[int] | None = None
        groups = [[i for i in p if a.tokens[i].sentence == s] for p in per_term]
        for chosen in _choices(groups, cue.ordered):
            if not _fits(cue, a, chosen, negated) or _between(a, chosen, rivals):
                continue
            if best is None or max(chosen) - min(chosen) < max(best) - min(best):
                best = chosen
        if best is not None:
            yield best


def _fits(cue: StrictCue, a: Analysis, chosen: list[int], negated: bool) -> bool:
    """Whether these tokens say `cue`: close together, about one subject, and negated (or not) as `said` asks
    (a denial negates at least half of the phrase's words: "a mask so it doesn't see the future" denies nothing
    about "mask future tokens")."""
    if not _close(a, chosen, claim=cue.text) or (cue.linked >= 0 and not any(
            a.tokens[k].low in BE for k in range(chosen[cue.linked] + 1, chosen[cue.linked + 1]))):
        return False
    if _other_side_between(cue, a, chosen) or any(_in_a_pair(cue, a, i) or _in_a_compound(cue, a, i)
                                                   for i in chosen) or runs_across(cue, a, chosen) \
            or _paired_lists(a, chosen):
        return False
    flags = [a.tokens[i].negated for i in chosen]
    if negated and not cue.negated and 2 * sum(flags) < len(flags):
        return False
    if negated and "," in a.text[a.tokens[min(chosen)].end:a.tokens[max(chosen)].start]:
        return False  # a negation ends at a comma: "doesn't collapse onto a few experts, there's capacity" denies
        # nothing about "expert capacity"
    if "@always" in cue.terms or "@all" in cue.terms or "@only" in cue.terms:
        # "isn't always better" rejects "always better" although the hedge keeps it from denying "better"
        flags = [f or a.tokens[i].hedged for f, i in zip(flags, chosen, strict=True)]
    elif not negated and (any(a.tokens[i].hedged or a.tokens[i].unsure for i in chosen)
                          or _not_known(a, min(chosen))):
        return False  # "alignment isn't just prompt engineering" does not say it is prompt engineering
    if negated != any(flags) and not cue.negated:
        return False
    if cue.negated and not any(flags):  # the negation must bear on the phrase's own words
        return False
    if cue.negated and not negated and not _negated_alike(cue, a, chosen):
        return False
    return negated or not (blocked(a, min(chosen)) or _in_condition(a, chosen) or contrasted(a, min(chosen))
                           or not cue.negated and attached_to_a_denial(a, min(chosen)))


def _not_known(a: Analysis, first: int) -> bool:
    """What follows a thing the speaker says they do not know, in its clause, is no claim either: "I don't remember
    the exact formula or how it gets combined with the embeddings" says nothing of concatenating them. (Only a
    claim: as evidence of a key point, Token.unsure keeps its short scope.)"""
    c = a.tokens[first].clause
    return any(t.unsure and t.clause == c for t in a.tokens[:first])


def _negated_alike(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """A negative phrase is said when at least half of the words it negates are negated in the answer too: "you
    don't give any examples, you just ask the model to do the task" negates only "examples" of "without examples
    the model can't do the task", and says that zero-shot works."""
    own = [i for t, i in zip(cue.terms, chosen, strict=True) if t in cue.negated_terms]
    return not own or 2 * sum(1 for i in own if a.tokens[i].negated) >= len(own)


def _in_a_pair(cue: StrictCue, a: Analysis, i: int) -> bool:
    """The word is one half of a hyphenated pair of counterpart roles ("encoder-decoder", "teacher-student") that
    the phrase does not name whole: the pair names one thing, an architecture or a setup, not either role ("GPT
    is an encoder-decoder model" does not say "GPT is an encoder")."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(a.tokens) and a.text[min(a.tokens[i].end, a.tokens[j].end):
                                              max(a.tokens[i].start, a.tokens[j].start)] == "-":
            other = a.tokens[j].term
            if other not in cue.terms and (other, True) in OPPOSITE.get(a.tokens[i].term, ()):
                return True
    return False


def _paired_lists(a: Analysis, chosen: list[int]) -> bool:
    """The phrase's first word ends one list and its last word begins another ("BLEU and ROUGE, for translation and
    summaries"): the lists pair up in order, so the last of one with the first of the other is no claim."""
    first, last = min(chosen), max(chosen)
    return first > 1 and last + 2 < len(a.tokens) and a.tokens[first - 1].low == "and" \
        and a.tokens[last + 1].low == "and" and not a.tokens[first - 2].function and not a.tokens[last + 2].function


def _hyphened(a: Analysis, i: int, j: int) -> bool:
    """Tokens i and j (neighbours) are written as one hyphenated word."""
    lo, hi = min(i, j), max(i, j)
    return 0 <= lo and hi < len(a.tokens) and a.text[a.tokens[lo].end:a.tokens[hi].start] == "-"


COMPOUND_HEADS = frozenset("""efficient bound intensive hungry heavy free aware friendly agnostic sensitive specific
dependent based saving""".split())
"""Adjectives that make the word hyphened before them a modifier: "more memory-efficient" says nothing of "more
memory", "compute-bound" nothing of computing."""
TURNING_PREFIXES = frozenset("semi non un pseudo quasi anti".split())
"""Prefixes that make the word hyphened after them another thing: "non-linear" says nothing of "linear"."""
SELF_TURNED = frozenset(term(w) for w in "supervised supervision".split())
"""The words "self-" turns ("self-supervised data is huge" says nothing of supervised data); most it does not turn:
self-attention is attention."""


def _in_a_compound(cue: StrictCue, a: Analysis, i: int) -> bool:
    """The word is only part of a hyphenated word the phrase does not say whole: the modifier before one of
    COMPOUND_HEADS, the word after one of TURNING_PREFIXES, or a single letter in a name ("top-p", "top-k",
    "k-means": "with top-p the number of tokens varies" does not say "p is the number of tokens")."""
    after, before = i + 1, i - 1
    if len(a.tokens[i].low) == 1 and a.tokens[i].low.isalpha() and any(
            _hyphened(a, other, i) and a.tokens[other].term and a.tokens[other].term not in cue.terms
            for other in (before, after)):
        return True
    return (_hyphened(a, i, after) and a.tokens[after].low in COMPOUND_HEADS
            and a.tokens[after].term not in cue.terms) or (
        _hyphened(a, before, i) and a.tokens[before].term not in cue.terms
        and (a.tokens[before].low in TURNING_PREFIXES or (a.tokens[before].low == "self"
                                                          and a.tokens[i].term in SELF_TURNED)))


def blocked(a: Analysis, first: int) -> bool:
    """A word just before the claim turns it away ("prevents the model from looking ahead", "drop recurrence",
    "you skip collecting a big labeled dataset"), or puts it in the past ("tasks that used to need separate
    specialised systems")."""
    s = a.tokens[first].sentence
    return any((a.tokens[k].low in BLOCKERS or a.tokens[k].low in PRIVATIVE or used_to(a, k))
               for k in range(max(0, first - BLOCK_WINDOW), first) if a.tokens[k].sentence == s)


SPLIT_WORDS = BREAKS | PRIVATIVE
"""Words that make two things of what is said around them ("but", "instead", "without")."""
_SPLITTERS = SPLIT_WORDS | {"then", "pointless", "useless", "unnecessary", "irrelevant"}
"""... and words that say something has no place there ("gradient checkpointing is pointless at inference")."""


def _other_side_between(cue: StrictCue, a: Analysis, chosen: list[int]) -> bool:
    """The counterpart of one of the claim's words said between its words: they are about two subjects ("had an
    encoder and a decoder, the encoder reads the input" does not say "the decoder reads the input")."""
    return _between(a, chosen, {o for t in cue.terms for o, _ in OPPOSITE.get(t, ())} - set(cue.terms))


def _between(a: Analysis, chosen: list[int], terms: set[str] | frozenset[str]) -> bool:
    """One of `terms` said between the chosen words (not one of them)."""
    picked = set(chosen)
    return bool(terms) and any(a.tokens[k].term in terms for k in range(min(chosen) + 1, max(chosen))
                               if k not in picked)


def rival_subjects(m: CompiledMisconception, cue: StrictCue) -> frozenset[str]:
    """The other subject of a misconception that pairs two things the wrong way round: in its claim ("BLEU is for
    summarization and ROUGE is for translation") a word that comes after this signal's first word and one of its
    other words, and begins another of its signals ("ROUGE for translation"). Said between this signal's words it
    is what they are said of: "BLEU, and I think ROUGE for summarization" puts ROUGE on summaries, not BLEU."""
    claim, names = _claim_names(m.claim)
    if not cue.terms or cue.terms[0] not in claim or not names:
        return frozenset()
    start = claim.index(cue.terms[0])
    said_of = next((i for i in range(start + 1, len(claim)) if any(near(claim[i], t) for t in cue.terms[1:])), None)
    if said_of is None:
        return frozenset()
    firsts = {c.terms[0] for c in m.cues if c.terms}
    return frozenset(t for t in claim[said_of + 1:] if t in firsts and t in names and t not in cue.terms)


@lru_cache(maxsize=4096)
def _claim_names(claim: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A claim's terms, and those of the names in it (BLEU, ROUGE, Longformer: not "model" or "accuracy"). Cached:
    asked for every signal of every misconception of every answer, and a bank has a few hundred claims."""
    named = strict_cue(claim)
    return (named.terms if named else ()), frozenset(term(w.lower()) for w in _NAME.findall(claim))


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w-]*")
_CONDITIONS = frozenset("if unless whether".split())


def _in_condition(a: Analysis, chosen: list[int]) -> bool:
    """The claim's words all inside an "if" clause: a condition, not something asserted ("if you just keep
    fine-tuning on new data, the updates overwrite old knowledge"). A claim that runs on into what follows the
    condition ("if you set temperature to zero hallucinations go away") is the implication, and is made."""
    first, last = min(chosen), max(chosen)
    s = a.tokens[first].sentence
    for k in range(max(0, first - BLOCK_WINDOW), first):
        if a.tokens[k].sentence == s and a.tokens[k].low in _CONDITIONS:
            between = a.text[a.tokens[k].end:a.tokens[last].start]
            if a.tokens[k].low == "whether" and unsure(a, k):  # "not sure whether more tokens is ...": a question
                return "," not in between
            after = a.text[a.tokens[last].end:a.tokens[last + 1].start] if last + 1 < len(a.tokens) else "."
            # the condition ends right where the claim does ("if <claim>, <what follows>")
            return "," not in between and " then " not in f" {between.lower()} " and "," in after
    return False


_KEEP = frozenset("keep keeps kept keeping stop stops stopped stopping".split())


def _turned_away(a: Analysis, first: int, k: int) -> bool:
    """The word at k, after a verb of preferring or keeping since the claim's first word, turns what follows away:
    "transformers prefer it over batch norm" does not say they use batch norm, nor "the scaling keeps the scores
    from getting too large" that it makes them larger."""
    low = a.tokens[k].low
    if low == "over":
        return any(a.tokens[m].low.startswith("prefer") for m in range(first, k))
    return low == "from" and any(a.tokens[m].low in _KEEP for m in range(first, k))


def _close(a: Analysis, chosen: list[int], *, claim: str = "") -> bool:
    """Close together, with nothing between that splits them into two things or takes one away (BREAKS,
    PRIVATIVE, "then", "and also", ", while", "prefer ... over", "keep ... from"), unless the claim's own words
    (`claim`, its text) say that word itself ("answers first then explains", "RLHF removes hallucinations")."""
    idx = sorted(set(chosen))
    own: frozenset[str] | None = None  # the claim's words, split only when a splitter turns up
    for i, j in zip(idx, idx[1:], strict=False):
        for k in range(i + 1, j):
            if (low := a.tokens[k].low) in _SPLITTERS or (low == "also" and a.tokens[k - 1].low == "and") or (
                    and_another(a, k)) or comma_while(a, k) or _turned_away(a, idx[0], k) or (
                    low == "and" and (new_subject(a, k, j) or parallel_verbs(a, i, k, j))) or example_opens(a, k):
                own = frozenset(claim.lower().split()) if own is None else own
                if low not in own:  # "and also" starts another statement: "we use ROUGE and also check facts"
                    return False
        if j - i > MAX_TOKEN_GAP:
            return False
        gap = [k for k in range(i + 1, j) if not a.tokens[k].function and a.tokens[k].term]
        if len(gap) > MAX_CONTENT_GAP:
            return False
        if gap and a.tokens[gap[0] + 1].low == "for" and " for " not in f" {claim.lower()} ":
            return False  # "a benchmark for language models" is no language model: what follows "for" is what the
            # word between is for
        if gap and a.tokens[gap[-1] - 1].low == "for" and "," in a.text[a.tokens[gap[-1]].end:a.tokens[j].start] \
                and " for " not in f" {claim.lower()} ":
            return False  # "fine-tune for behavior, retrieve for knowledge": two things, each with what it is for
    return True


def _choices(groups: list[list[int]], ordered: bool) -> list[list[int]]:
    """Candidate picks (one index per term): anchored on each occurrence of the rarest term, the nearest of the
    others; in order when `ordered` (each next term after the previous one)."""
    anchor = min(range(len(groups)), key=lambda k: len(groups[k]))
    out = []
    for p in groups[anchor]:
        if ordered:
            # outward from the anchor, each term as close as it can be: the ones after it left to right, the ones
            # before it right to left (so a word the phrase says twice, "doubling ... doubles", takes two places)
            chosen = [-1] * len(groups)
            chosen[anchor] = p
            for k in range(anchor + 1, len(groups)):
                chosen[k] = min((i for i in groups[k] if i > chosen[k - 1]), default=-1)
                if chosen[k] < 0:
                    break
            for k in range(anchor - 1, -1, -1):
                chosen[k] = max((i for i in groups[k] if i < chosen[k + 1]), default=-1)
                if chosen[k] < 0:
                    break
            if min(chosen) >= 0:
                out.append(chosen)
        else:
            out.append([p if k == anchor else min(g, key=lambda i: abs(i - p)) for k, g in enumerate(groups)])
    return out


def split(a: Analysis, idx: list[int]) -> bool:
    """A word between them that makes two things of them ("post-LN ... but modern LLMs are pre-LN", ", while")."""
    return any(a.tokens[k].low in SPLIT_WORDS or comma_while(a, k) for k in range(idx[0] + 1, idx[-1]))


def of_the_counterpart(kp: CompiledKeyPoint, a: Analysis, hits: list[int]) -> bool:
    """The sentence of `hits` names the counterpart role of the point's own role word and not that word
    ("Encoder-only models ... are not natural for generating text" denies nothing of "decoder-only suits text
    generation")."""
    statement = next((c for c in kp.cues if not c.phrase), None)
    said_here = {t.term for t in a.tokens if t.sentence == a.tokens[hits[0]].sentence and not t.dropped}
    own = [t for t in (statement.terms if statement else ()) if _is_role(t)]
    return bool(own) and not said_here & set(own) and any(
        o in said_here for t in own for o, role in OPPOSITE.get(t, ()) if role)


CONSEQUENCE_OPENERS = frozenset("that this so".split())
"""A sentence opening on one of these right after a claim says what follows from it ("... attend only to a sliding
window. That makes the cost scale as n times the window size"): it stands on the claim, not beside it."""


def consequence(a: Analysis, hits: list[int]) -> list[int]:
    """The tokens of the sentence after the claim's, when it opens by referring back to it (CONSEQUENCE_OPENERS)."""
    nxt = max(a.tokens[i].sentence for i in hits) + 1
    idx = [i for i, t in enumerate(a.tokens) if t.sentence == nxt]
    return idx if idx and a.tokens[idx[0]].low in CONSEQUENCE_OPENERS else []
