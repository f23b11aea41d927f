"""OfflineGrader: the embedded default. Deterministic key-point coverage, no network, no model, ~1 ms an answer.

What it judges, and how:
- each key point (curated, or derived from the reference when there are none) is covered / partial / missing,
  by matching its statement and its alternative phrasings against the answer (stems, synonyms, multi-word terms,
  typos, negation), with the answer's own words as evidence;
- a coverage *level* (0-4) for the rubric criteria marked `offline = true`, from key-point coverage blended with
  similarity to the reference (term recall and character n-gram recall);
- every other criterion is reported as not assessed (level None), never a made-up number; the score comes from
  `core.scoring.overall_score` over what was assessed.

Cheap tricks are caught in `guards` and cost credit: a bare keyword list, the question pasted back, a long
padded or repetitive answer; instructions addressed to the grader are flagged and ignored. Weights and
thresholds below were set on the Mohler et al. (2011) dev half and the shipped calibration set, globally (no
per-question constants).
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from ...core.models import CriterionScore, Grade, GraderInfo, KeyPointResult, KeyPointStatus, Question, Rubric
from ...core.scoring import band_floor, coverage_part, overall_score, verdict_for
from ..answer import MAX_ANSWER_CHARS, bound_answer
from ..base import Grader, GradeRequest
from . import feedback as fb
from . import guards, lists
from .analyse import Analysis, analyse, drop, undropped
from .claims import claim_words, closest_misconceptions, found_misconceptions
from .contradict import WrongClaims, wrong_claims
from .cues import CompiledQuestion, compile_question
from .match import (
    KeyPointMatch,
    evidence,
    match_key_point,
    on_topic_share,
)
from .neighbours import NeighbourIndex
from .offtopic import CONFUSED_SLACK, answers_another, is_off_topic, names_a_sibling, sibling_names
from .probe import probed, stronger
from .score import (
    COVERED_AT,
    answer_quality,
    cap_for_no_side,
    cap_for_wrong_claims,
    correctness_level,
    coverage_level,
    key_point_status,
    rationale,
)
from .swaps import names_a_side

ALGORITHM_VERSION = "offline-13"
"""offline-2: correctness judged from wrong claims (known misconceptions, denied or inverted key points).
offline-3: the top band is called "complete" (core.verdict_names); an answer that reads solid with none found is
shown the known misconceptions closest to what it said.
offline-4: what the speaker says they do not know ("I don't remember how it routes the tokens") is neither
evidence nor a denial; ", and" and ", or" start another statement, so a claim's words are not read across them;
every sentence that says a found misconception again counts for nothing, not only the first; a belief reported to
be rejected ("people sometimes think ...") and what is said of the thing set against the subject are no claim;
an opening that says how many or what kind ("There are a few families") names no other subject.
offline-5: "distinct from X, where ..." sets X against the subject; "easy to confuse with X" reports a confusion, and
what follows a colon after it says what X is; an "and" between two statements that each have their own verb ("X is
like BERT and decoder-only is like GPT") joins no claim across it.
offline-6: "it's not the same as X, which ..." sets X against the subject, and so do examples of X after a comma
("different from classic unsupervised learning, like clustering"); ", while" splits a claim said in its own words; a
sentence that ends on "topics" or "terms" labels no list after it; a sentence that opens on another thing "by
contrast" ("Knowledge distillation, by contrast, trains a student") is said of that thing, and so is another name
for the thing set against the subject ("different from adversarial examples, or evasion attacks, where ..."); "don't
confuse X with Y", "people say X, but ..." and "Another one is that ..." after a reported misconception report beliefs;
a relative clause that describes the thing set against the subject is said of it however long the description;
"pointless" or "useless" between a claim's words splits them; "the advantage over X, which ...", a sentence opening on
"Whereas X ..." and "alternatives like X ..." describe X; "Cross-attention, by contrast, ..." asked about
self-attention names another thing; everyday words ("most modern LLMs") say no claim in its own words; an answer that
covers half the key points or more is not taken for an answer to a neighbouring question.
offline-7: "rather than X", and a thing named after "than" or "not" and then described after a comma ("more adaptive
than top-k, which keeps ...", "it's not top-k, which keeps ...") describe that thing, not the subject; a sentence
that uses two of the words a found misconception's signals keep using says it again and shows no key point; a
sentence opening on another thing that "goes the opposite way" is said of it; a phrase's words do not run into an
example after ", like"; "Another is that ..." reports a belief after any earlier report, and "X is different too:
..." opens on another thing; "A and B for X and Y" pairs B with Y; a claim in its own words
is not made by a sentence that has what the claim says is missing ("without human review"); "it's not pruning, where
..." names pruning.
offline-8: "X after Y" is not the claim "X then Y" ("a feed-forward part after the attention" said the feed-forward
comes first); a key point's short phrasing keeps its order word ("after SFT", "before deployment"), on the side of
the next word where the phrasing puts it, instead of shrinking to the noun.
offline-9: a denial of the failure a point prevents ("gradients don't explode or vanish") agrees with it; "not the
same as X" is no claim of sameness; ", while", "prefer it over" and "keeps ... from" split a signal's words; what
follows "a soft (smooth, differentiable) version of" is a likeness, not a claim; a "no" before a noun does not deny
the clause after it ("there's no recurrence you add positional encodings"); "everything" is a claim about all.
offline-10: a misconception that gives the subject a sibling's mechanism, naming the sibling (top-p's threshold told
for top-k), is not made by a part of a sentence that opens on the sibling's name ("whereas top-p adds tokens until
..."), for the siblings the bank marks distinct.
offline-11: an answer that never names the asked subject and leans toward a sibling the bank marks distinct by the
ordinary margin answers the sibling (BPE and the tokenization levels, pre-training vs instruction tuning and
supervised vs unsupervised marked); an answer to "the difference between A and B" that names neither A nor B stays
below "solid" (score.CAP_NO_SIDE).
offline-12: a claim said in its own words is looked for in every run of its words, not only the largest, until a run
is turned down for where it stands (after a contrast, in a "whereas" clause): a run turned down for itself (split by
"but", none of the claim's core words) no longer hides one that makes the claim (offline.ownwords._runs).
offline-13: asked for many things ("What are some common applications of LLMs?", lists.asks_for_many), a long
enumeration a clause introduces, or a run of items inside a sentence of speech, is the answer, not a keyword list."""

class OfflineGrader(Grader):
    name = "offline"

    def __init__(self, cache_size: int = 512) -> None:
        self._cache: dict[tuple[Any, ...], CompiledQuestion] = {}
        self._banks: dict[tuple[Any, ...], NeighbourIndex] = {}
        self._building = threading.Lock()
        self._last_bank: tuple[tuple[Question, ...], tuple[Any, ...]] | None = None
        self._cache_size = cache_size

    def compiled(self, q: Question) -> CompiledQuestion:
        key = (q.id, q.question, q.reference,
               tuple((kp.id, kp.text, tuple(kp.alternatives)) for kp in q.key_points),
               tuple((m.id, tuple(m.signals), tuple(m.contradicts)) for m in q.misconceptions))
        cq = self._cache.get(key)
        if cq is None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            cq = self._cache[key] = compile_question(q)
        return cq

    def _bank_key(self, bank: tuple[Question, ...]) -> tuple[Any, ...]:
        """What a bank's profiles depend on; remembered for the last bank seen, so `grade` and `grade_sync` of one
        request build it once (the memo holds the tuple, so its identity cannot be reused)."""
        last = self._last_bank
        if last is not None and last[0] is bank:
            return last[1]
        key = tuple((q.id, q.question, q.reference, tuple((kp.text, tuple(kp.alternatives)) for kp in q.key_points))
                    for q in bank)
        self._last_bank = (bank, key)
        return key

    def neighbours(self, bank: tuple[Question, ...]) -> NeighbourIndex | None:
        """The bank's questions as profiles (offline.neighbours), built once per bank."""
        if not bank:
            return None
        key = self._bank_key(bank)
        index = self._banks.get(key)
        if index is None:
            with self._building:  # eval grades several answers at once: one build per bank
                index = self._banks.get(key)
                if index is None:
                    if len(self._banks) >= 8:
                        self._banks.clear()
                    index = self._banks[key] = NeighbourIndex(bank)
        return index

    async def grade(self, request: GradeRequest) -> Grade:
        if request.bank and self._bank_key(request.bank) not in self._banks:
            # The first answer of a bank builds its profiles (about 0.2 s for 100 questions): off the event loop,
            # so the app stays responsive while it does.
            await asyncio.to_thread(self.neighbours, request.bank)
        return self.grade_sync(request)

    def grade_sync(self, request: GradeRequest) -> Grade:
        t0 = time.perf_counter()
        q, rubric, answer = request.question, request.rubric, request.answer
        probe = probed(q, request.prompt)  # an answer to "Some candidates say ... Is that right?" (offline.probe)
        q = probe or q
        cut = len(answer) > MAX_ANSWER_CHARS
        if cut:  # the same bound as the LLM path; it also keeps the matcher's time bounded
            answer = bound_answer(answer)[0]
        cq = self.compiled(q)
        a = analyse(answer)
        flags: list[str] = []
        echo, content, is_list, padded, on_topic = _screen(cq, a, flags)
        matches = [match_key_point(kp, a) for kp in cq.key_points]
        # Pasting the question back: most of the answer was copied and what is left matches nothing.
        novel = {t.term for t in a.tokens if t.term and t.term not in cq.question_terms}
        echoed = bool(echo) and len(novel) <= 1 and not any(m.hits for m in matches)
        if echoed:
            flags.append("question repeated: the answer mostly copies the question back; copied words do not count")
        claimed = undropped(a, echo)  # a claim made with the question's own words is made
        index = self.neighbours(request.bank)
        wrong = wrong_claims(cq, claimed, sibling_names(cq, index, q))
        # quoted before the sentences that make them stop counting (the quote skips only ignored text)
        found = found_misconceptions(cq, a, wrong)
        against = {k: claim_words(a, hits) for k, hits in wrong.contradicted.items()}
        # An answer that covers half the key points or more answers this question, however much it then says
        # about a neighbouring one ("Parameters are the weights ... Tokens are ...", then Chinchilla's ratio),
        # unless it reads overwhelmingly as that other one (offtopic.FAR_MARGIN).
        covering = 0 < len(matches) <= 2 * sum(1 for m in _right(a, matches, wrong) if m.score >= COVERED_AT)
        off_topic = (not is_list and is_off_topic(cq, a, on_topic, flags, echo)) or names_a_sibling(
            cq, a, index, q, flags) or answers_another(
            cq, a, index, q.id, flags, covering=covering, slack=CONFUSED_SLACK if wrong.count else 0.0)
        no_side = False  # an answer to "the difference between A and B" that names neither (score.CAP_NO_SIDE)
        if cq.sides is not None and not off_topic and content > 0 and not names_a_side(cq.sides, a):
            no_side = True
            flags.append(f'comparison: the answer never names "{cq.sides.names[0]}" or "{cq.sides.names[1]}", so it '
                         "does not say which is which; name each side as you contrast them")
        matches = _without_wrong_sentences(a, matches, wrong)
        if off_topic:  # words shared with the key points, said about something else, show none of them
            for m in matches:
                m.score, m.hits = 0.0, []
        results = [(m, key_point_status(m, demote=is_list or bool(padded))) for m in matches]
        quality = answer_quality(cq, a, matches, on_topic, content)
        kp_results = [KeyPointResult(key_point_id=m.kp.id, status=s, evidence=quote, contradiction=against.get(m.kp.id))
                      for (m, s), quote in zip(results, _quotes(a, results, cq.shared), strict=True)]
        level, cap = coverage_level(quality, cq.derived, is_list=is_list, padded=bool(padded), echoed=echoed,
                                    content=content, off_topic=off_topic, kp_share=coverage_part(kp_results),
                                    missing=sum(1 for k in kp_results if k.status is KeyPointStatus.missing),
                                    no_side=no_side)
        criteria = _criteria(rubric, cq, level, wrong.count, results, quality, cap < 4)
        score = cap_for_no_side(cap_for_wrong_claims(overall_score(criteria, rubric.weights(), kp_results),
                                                     wrong.count), no_side)
        notes = [fb.NOTE_SCOPE, fb.NOTE_TEMPLATES] + ([fb.NOTE_DERIVED] if cq.derived else [])
        closest: list[tuple[str, str]] = []
        if not found and not off_topic and not probe and score >= band_floor("solid"):  # where a verdict could
            # mislead (an answer to a probe has just said what is right about the closest one)
            closest = closest_misconceptions(cq, claimed)
            if closest:
                notes.insert(0, fb.check_yourself(closest))
        if cut:  # first: a person who pasted too much should read this before anything else
            notes.insert(0, f"The answer is {len(request.answer):,} characters long: only the first "
                            f"{MAX_ANSWER_CHARS:,} were graded, the rest was not read.")
        return Grade(
            score=score,
            verdict=verdict_for(score, "offline"),
            criteria=criteria,
            key_points=kp_results,
            misconceptions=found,
            summary=fb.summary(results, flags, empty=not a.tokens, wrong=found),
            better_answer=stronger(probe) if probe else fb.better_answer(q, results, cq.derived),
            follow_up=fb.follow_up(q, results, wrong=found, closest=closest),
            flags=flags,
            notes=notes,
            grader=GraderInfo(backend="offline", model="", prompt_version=ALGORITHM_VERSION,
                              rubric_id=rubric.id, rubric_version=rubric.version),
            latency_ms=round((time.perf_counter() - t0) * 1000.0, 3),
        )


def _screen(cq: CompiledQuestion, a: Analysis, flags: list[str]) -> tuple[dict[int, str], int, bool, str | None,
                                                                          float]:
    """Text that must not count dropped (instructions to the grader, the question pasted back, keyword lists)
    and flagged. Returns (echoed question tokens with their terms, content words left, whether the answer is a list, the
    padding found, the on-topic share)."""
    spans = guards.manipulation_spans(a.text, cq.vocabulary)
    if spans:
        quoted = "; ".join(f'"{s[2][:60]}"' for s in spans[:2])
        flags.append(f"manipulation: the answer contains instructions addressed to the grader ({quoted}); "
                     "they were ignored and did not count")
        drop(a, guards.tokens_in(a, spans))
    echo = {i: a.tokens[i].term for i in guards.echo_tokens(a, cq.question_words) if a.tokens[i].term}
    drop(a, set(echo))
    content = sum(1 for t in a.tokens if t.term)

    if a.hidden:
        flags.append("hidden text: the answer contains invisible or direction-override characters; "
                     "text hidden by them was ignored")
    # A reference that is itself a list ("push and pop") makes a listed answer legitimate.
    listed = lists.list_tokens(a, cq.asks_for_many) \
        if not cq.derived or cq.ref_function_ratio >= lists.LIST_REFERENCE_RATIO else set()
    is_list = False
    if listed:
        kept = [i for i, t in enumerate(a.tokens) if t.term]
        is_list = sum(1 for i in kept if i in listed) >= 0.6 * len(kept)
        drop(a, listed)
        flags.append("keyword list: " + ("the answer is" if is_list else "part of the answer is") +
                     " a list of terms with nothing relating them; listed terms do not count, so explain "
                     "how they connect")
        content = sum(1 for t in a.tokens if t.term)
    on_topic = on_topic_share(cq, a)
    padded = guards.padding(a, on_topic)
    if padded:
        flags.append(f"padding: {padded}")
    return echo, content, is_list, padded, on_topic


def _quotes(a: Analysis, results: list[tuple[KeyPointMatch, KeyPointStatus]],
            shared: frozenset[str]) -> list[str | None]:
    """Each shown key point's evidence (none for a missing one): the phrase its words sit in, or just the words
    around them where an earlier key point already quotes that phrase (one phrase can show two points; the same
    quote twice shows nothing new). Of two equally good places, the one with the point's own words, not words
    `shared` with other points ("layer")."""
    out: list[str | None] = []
    for m, status in results:
        quote = evidence(a, m.hits, shared=shared) if status is not KeyPointStatus.missing else None
        if quote is not None and quote in out:
            quote = evidence(a, m.hits, whole_phrase=False, shared=shared)
        out.append(quote)
    return out


def _wrong_sentences(a: Analysis, wrong: WrongClaims) -> set[int]:
    """The sentences that make a wrong claim, or say a found one again."""
    bad = {a.tokens[i].sentence for _, hits in wrong.misconceptions for i in hits}
    bad |= {a.tokens[i].sentence for hits in wrong.contradicted.values() for i in hits}
    return bad | {a.tokens[i].sentence for hits in wrong.repeated for i in hits}


def _right(a: Analysis, matches: list[KeyPointMatch], wrong: WrongClaims) -> list[KeyPointMatch]:
    """The matches that show a key point outside the sentences that make a wrong claim (for whether the answer
    covers half the key points: "Layer normalization ... for each channel you compute the mean and variance across
    the mini-batch, normalize the activations" covers nothing of layer norm)."""
    bad = _wrong_sentences(a, wrong)
    return [m for m in matches if m.kp.id not in wrong.contradicted
            and not any(a.tokens[i].sentence in bad for i in m.hits)]


def _without_wrong_sentences(a: Analysis, matches: list[KeyPointMatch], wrong: WrongClaims) -> list[KeyPointMatch]:
    """Key points matched without the sentences that make a wrong claim, which then count for nothing (not for
    key points, not for the similarity to the reference): a sentence that states a misconception is no evidence
    of anything right, whatever right words it uses ("the feed-forward layers scale quadratically with sequence
    length" shows nothing about attention). A key point said the other way round, or whose words run across a
    wrong claim's, is not covered at all. On the tuning sets this took wrong answers' mean from 17.4 to 14.8,
    right answers unchanged; counting every sentence that says a found claim again (`WrongClaims.repeated`), not
    only the first, took it from 9.7 to 8.3, nothing else moved."""
    claims = [(min(h), max(h)) for _, h in wrong.misconceptions]
    bad = _wrong_sentences(a, wrong)
    for m in matches:
        if m.kp.id in wrong.contradicted:  # said the opposite: never covered, whatever else matched
            m.score, m.hits = 0.0, []
        elif m.hits and any(lo <= max(m.hits) and min(m.hits) <= hi for lo, hi in claims):
            m.score, m.hits = 0.0, []  # its words run across the words of a wrong claim: they show nothing right
    if not bad:
        return matches
    drop(a, {i for i, t in enumerate(a.tokens) if t.sentence in bad})
    return [match_key_point(m.kp, a) if any(a.tokens[i].dropped for i in m.hits) else m for m in matches]


def _criteria(rubric: Rubric, cq: CompiledQuestion, level: int, wrong_count: int,
              results: list[tuple[KeyPointMatch, KeyPointStatus]], quality: float, capped: bool) -> list[CriterionScore]:
    cov = sum(1 for _, s in results if s is KeyPointStatus.covered)
    part = sum(1 for _, s in results if s is KeyPointStatus.partial)
    correct = correctness_level(level, wrong_count, cov + 0.5 * part)
    criteria: list[CriterionScore] = []
    for c in rubric.criteria:
        if c.offline:
            criteria.append(CriterionScore(criterion_id=c.id, level=level, rationale=rationale(
                results, quality, capped)))
        elif c.correctness:
            criteria.append(CriterionScore(criterion_id=c.id, level=correct, rationale=fb.correctness_rationale(
                wrong_count, len(cq.misconceptions), level, cov, part)))
        else:
            criteria.append(CriterionScore(criterion_id=c.id, level=None, rationale=fb.NOT_ASSESSED))
    return criteria
