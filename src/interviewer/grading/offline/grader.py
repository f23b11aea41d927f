"""OfflineGrader: the embedded default. Deterministic key-point coverage, no network, no model, ~1 ms an answer.

What it judges, and how:
- each key point (curated, or derived from the reference when there are none) is covered / partial / missing,
  by matching its statement and its alternative phrasings against the answer (stems, synonyms, multi-word terms,
  typos, negation), with the answer's own words as evidence;
- a coverage *level* (0-4) for the rubric criteria marked `offline = true`, from key-point coverage blended with
  similarity to the reference (term recall and character n-gram recall);
- every other criterion is reported as not assessed (level None), never a made-up number; the score comes from
  `core.scoring.overall_score` over what was assessed.

Cheap tricks are caught in `offline_guards` and cost credit: a bare keyword list, the question pasted back, a long
padded or repetitive answer; instructions addressed to the grader are flagged and ignored. Weights and
thresholds below were set on the Mohler et al. (2011) dev half and the shipped calibration set, globally (no
per-question constants).
"""

from __future__ import annotations

import math
import time

from ...core.models import CriterionScore, Grade, GraderInfo, KeyPointResult, KeyPointStatus, Question
from ...core.scoring import overall_score, verdict_for
from ..base import Grader, GradeRequest
from ..llm.prompt import MAX_ANSWER_CHARS, bound_answer
from . import feedback as fb
from . import guards
from .analyse import analyse, char_grams, drop
from .cues import CompiledQuestion, compile_question
from .match import char_recall, evidence, match_key_point, on_topic_share, reference_recall

ALGORITHM_VERSION = "offline-1"

COVERED_AT = 0.6
PARTIAL_AT = 0.3
"""A key point's match score (0-1) at which it counts as covered / partly covered."""

# quality = sqrt(weighted blend of key-point coverage, reference term recall, character n-gram recall)
#           + ON_TOPIC_BONUS * (on-topic share - 0.5).
# The square root: lexical overlap understates what a paraphrasing answer covers, most at the low end.
BLEND_CURATED = (0.70, 0.20, 0.10)
BLEND_DERIVED = (0.40, 0.40, 0.20)
ON_TOPIC_BONUS = 0.10
"""Quality gained (or lost) for an answer whose content words are all (or none) on the topic, centred at 50%."""
LEVEL_AT_CURATED = (0.25, 0.45, 0.60, 0.75)
LEVEL_AT_DERIVED = (0.25, 0.35, 0.45, 0.55)
"""Quality at which the coverage level reaches 1, 2, 3, 4 (derived key points are cruder: lower bars)."""
CAP_KEYWORDS = 1
LIST_REFERENCE_RATIO = 0.15
"""Below this share of relating words the reference is itself a list, and listed answers are not penalised."""
CAP_PADDED = 2
CAP_ECHO = 0


class OfflineGrader(Grader):
    name = "offline"

    def __init__(self, cache_size: int = 512) -> None:
        self._cache: dict[tuple, CompiledQuestion] = {}
        self._cache_size = cache_size

    def compiled(self, q: Question) -> CompiledQuestion:
        key = (q.id, q.question, q.reference,
               tuple((kp.id, kp.text, tuple(kp.alternatives)) for kp in q.key_points))
        cq = self._cache.get(key)
        if cq is None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            cq = self._cache[key] = compile_question(q)
        return cq

    async def grade(self, request: GradeRequest) -> Grade:
        return self.grade_sync(request)

    def grade_sync(self, request: GradeRequest) -> Grade:
        t0 = time.perf_counter()
        q, rubric, answer = request.question, request.rubric, request.answer
        cut = len(answer) > MAX_ANSWER_CHARS
        if cut:  # the same bound as the LLM path; it also keeps the matcher's time bounded
            answer = bound_answer(answer)[0]
        cq = self.compiled(q)
        a = analyse(answer)
        flags: list[str] = []

        spans = guards.manipulation_spans(a.text, cq.vocabulary)
        if spans:
            quoted = "; ".join(f'"{s[2][:60]}"' for s in spans[:2])
            flags.append(f"manipulation: the answer contains instructions addressed to the grader ({quoted}); "
                         "they were ignored and did not count")
            drop(a, guards.tokens_in(a, spans))
        echo = guards.echo_tokens(a, cq.question_words)
        drop(a, echo)
        content = sum(1 for t in a.tokens if t.term)

        if a.hidden:
            flags.append("hidden text: the answer contains invisible or direction-override characters; "
                         "text hidden by them was ignored")
        # A reference that is itself a list ("push and pop") makes a listed answer legitimate.
        listed = guards.list_tokens(a) if not cq.derived or cq.ref_function_ratio >= LIST_REFERENCE_RATIO else set()
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

        matches = [match_key_point(kp, a) for kp in cq.key_points]
        # Pasting the question back: most of the answer was copied and what is left matches nothing.
        novel = {t.term for t in a.tokens if t.term and t.term not in cq.question_terms}
        echoed = bool(echo) and len(novel) <= 1 and not any(m.hits for m in matches)
        if echoed:
            flags.append("question repeated: the answer mostly copies the question back; copied words do not count")
        results = []
        for m in matches:
            status = (KeyPointStatus.covered if m.score >= COVERED_AT else
                      KeyPointStatus.partial if m.score >= PARTIAL_AT else KeyPointStatus.missing)
            if status is KeyPointStatus.covered and (is_list or padded):
                status = KeyPointStatus.partial
            if not m.hits:
                status = KeyPointStatus.missing
            results.append((m, status))

        kp_part = sum(min(m.score, 1.0) for m in matches) / len(matches) if matches else 0.0
        rec = reference_recall(cq, a)
        chars = char_recall(cq.ref_grams, char_grams(" ".join(t.low for t in a.tokens if not t.dropped)))
        w_kp, w_rec, w_char = BLEND_DERIVED if cq.derived else BLEND_CURATED
        quality = math.sqrt(w_kp * kp_part + w_rec * rec + w_char * chars)
        if content:
            quality += ON_TOPIC_BONUS * (on_topic - 0.5)
        level = sum(1 for x in (LEVEL_AT_DERIVED if cq.derived else LEVEL_AT_CURATED) if quality >= x)
        cap = 4
        if is_list:
            cap = min(cap, CAP_KEYWORDS)
        if padded:
            cap = min(cap, CAP_PADDED)
        if echoed:
            cap = min(cap, CAP_ECHO)
        if content == 0:
            cap = 0
        level = min(level, cap)

        criteria = []
        for c in rubric.criteria:
            if c.offline:
                criteria.append(CriterionScore(criterion_id=c.id, level=level, rationale=self._rationale(
                    results, quality, level, cap < 4)))
            else:
                criteria.append(CriterionScore(criterion_id=c.id, level=None, rationale=fb.NOT_ASSESSED))
        kp_results = [KeyPointResult(key_point_id=m.kp.id, status=s,
                                     evidence=evidence(a, m.hits) if s is not KeyPointStatus.missing else None)
                      for m, s in results]
        score = overall_score(criteria, rubric.weights(), kp_results)
        notes = [fb.NOTE_SCOPE, fb.NOTE_TEMPLATES] + ([fb.NOTE_DERIVED] if cq.derived else [])
        if cut:
            notes.append(f"the answer is {len(request.answer):,} characters: only the first {MAX_ANSWER_CHARS:,} "
                         "were graded")
        return Grade(
            score=score,
            verdict=verdict_for(score),
            criteria=criteria,
            key_points=kp_results,
            summary=fb.summary(results, flags, empty=not a.tokens),
            better_answer=fb.better_answer(q, results, cq.derived),
            follow_up=fb.follow_up(q, results),
            flags=flags,
            notes=notes,
            grader=GraderInfo(backend="offline", model="", prompt_version=ALGORITHM_VERSION,
                              rubric_id=rubric.id, rubric_version=rubric.version),
            latency_ms=round((time.perf_counter() - t0) * 1000.0, 3),
        )

    @staticmethod
    def _rationale(results, quality: float, level: int, capped: bool) -> str:
        n = len(results)
        cov = sum(1 for _, s in results if s is KeyPointStatus.covered)
        part = sum(1 for _, s in results if s is KeyPointStatus.partial)
        text = (f"{cov} of {n} key points covered, {part} partly; similarity to the reference and key points "
                f"{quality:.2f} on a 0-1 scale")
        return text + (", level capped by a flag below." if capped else ".")
