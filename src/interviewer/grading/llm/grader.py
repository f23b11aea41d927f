"""LLMGrader: GradeRequest -> prompt -> backend (retried) -> validated reply -> verified evidence -> Grade.

What the model is trusted with: criterion levels with rationales, key-point statuses with quotes, and the
feedback text. What it is not trusted with: the score (core.scoring computes it from the levels, the rubric
weights and the *verified* key-point coverage) and its quotes (grading.llm.evidence checks each one against the
answer; a quote that is not there does not count, and is kept as discarded evidence). Nor is it trusted not
to recite the reference: runs of 8+ words copied from it into the summary, follow-up, misconceptions or
rationales are cut (grading.llm.echo). The answer it sees is bounded and stripped of invisible text
(grading.answer, grading.llm.prompt), and the grade says when either happened.

A reply that does not validate is repaired when the fix is unambiguous (grading.llm.schema), otherwise the model
is asked once more with the validation error; a second failure raises GradingError and the attempt is stored
as ungraded with that reason. Every error text is redacted: no key reaches the screen or the database.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from ...backends.base import Backend, BackendError, ChatRequest, ChatResponse
from ...backends.redact import Redactor, one_line
from ...backends.retry import CallStats, RetryPolicy, call_with_retries
from ...config import GraderConfig
from ...core.models import CriterionScore, Grade, GraderInfo, KeyPointResult, Rubric, Usage
from ...core.scoring import coverage_part, overall_score, verdict_for
from ..answer import MAX_ANSWER_CHARS
from ..base import Grader, GradeRequest, GradingError
from .cache import GradeCache, cache_key
from .echo import strip_echo
from .evidence import verify_key_points
from .prompt import PROMPT_VERSION, Prompt, build_prompt, reask_message
from .schema import GradeReply, ParseOutcome, parse_reply, reply_schema

MAX_TOKENS = 2000
REASK_MAX_TOKENS = 3000
MAX_ECHOED_REPLY = 4000


class LLMGrader(Grader):
    def __init__(self, backend: Backend, cfg: GraderConfig | None = None, *, cache: GradeCache | None = None,
                 retry: RetryPolicy | None = None) -> None:
        self.backend = backend
        self.cfg = cfg or GraderConfig(backend=backend.name if backend.name in ("openai", "ollama", "litellm")
                                       else "openai", model=backend.model)
        self.name = backend.label
        self.cache = cache
        self.policy = retry or RetryPolicy(max_retries=self.cfg.max_retries)
        self.redactor = Redactor(backend.secrets())
        self.last_stats = CallStats()
        """What the retry layer did in the latest grading (requests made, waits), for the UI and tests."""

    # ------------------------------------------------------------------ public

    async def grade(self, request: GradeRequest) -> Grade:
        if not request.answer.strip():
            raise GradingError("the answer is empty: nothing to grade", hint="write or say an answer first")
        try:
            return await self._grade(request)
        except asyncio.CancelledError:
            raise
        except GradingError as e:
            raise self._clean(e.message, e.hint, retryable=e.retryable) from None
        except BackendError as e:
            raise self._clean(e.message, e.hint, retryable=e.retryable) from None
        except Exception as e:  # a bug or an unexpected library error: still one redacted line
            raise self._clean(f"grading failed unexpectedly ({type(e).__name__}: {one_line(str(e), 200)})",
                              "try again, or grade with the offline grader") from None

    async def check(self) -> list[tuple[str, bool, str]]:
        try:
            checks = await self.backend.check()
        except BackendError as e:
            checks = [("backend", False, f"{e.message} -> {e.hint}")]
        return [(n, ok, self.redactor(d)) for n, ok, d in checks]

    async def aclose(self) -> None:
        await self.backend.aclose()

    # ------------------------------------------------------------------ internals

    def _clean(self, message: str, hint: str, *, retryable: bool = False) -> GradingError:
        return GradingError(one_line(self.redactor(message), 300), hint=self.redactor(hint), retryable=retryable,
                            requests=self.last_stats.requests)

    def _key(self, request: GradeRequest) -> str:
        return cache_key(request, backend=self.backend.name, model=self.backend.model,
                         base_url=self.backend.base_url, prompt_version=PROMPT_VERSION)

    async def _grade(self, request: GradeRequest) -> Grade:
        key = self._key(request) if self.cache is not None else None
        if self.cache is not None and key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.last_stats = CallStats()
                return hit

        await self.backend.prepare()  # imports and client set-up: not model latency, and no request yet
        prompt = build_prompt(request)
        schema = reply_schema(request.rubric)
        crit_ids = [c.id for c in request.rubric.criteria]
        kp_ids = [kp.id for kp in request.question.key_points]
        stats = self.last_stats = CallStats()
        t0 = self.policy.clock()
        wall0 = time.perf_counter()
        deadline_at = t0 + self.cfg.deadline
        messages = prompt.messages
        max_tokens = MAX_TOKENS
        responses: list[ChatResponse] = []
        notes: list[str] = []
        outcome = ParseOutcome()
        for round_ in (1, 2):
            chat = ChatRequest(messages=messages, schema=schema, max_tokens=max_tokens, timeout=self.cfg.timeout)
            resp = await call_with_retries(
                lambda t, chat=chat: self.backend.complete(replace(chat, timeout=t)),
                policy=self.policy, deadline_at=deadline_at, timeout=self.cfg.timeout, stats=stats)
            responses.append(resp)
            text = self.redactor.exact(resp.text)
            outcome = parse_reply(text, criterion_ids=crit_ids, key_point_ids=kp_ids)
            if outcome.ok:
                break
            cut = resp.finish_reason == "length"
            error = outcome.error or "invalid reply"
            if cut:
                error = f"the reply was cut off at the token limit ({error})"
            elif resp.finish_reason == "content_filter":
                error = f"the provider's content filter stopped the reply ({error})"
            if round_ == 1:
                notes.append(f"re-asked once: {one_line(error, 160)}")
                messages = [*prompt.messages,
                            {"role": "assistant", "content": text[:MAX_ECHOED_REPLY]},
                            {"role": "user", "content": reask_message(error, request,
                                                                      truncated=cut or outcome.truncated)}]
                if cut or outcome.truncated:
                    max_tokens = REASK_MAX_TOKENS
            else:
                raise GradingError(f"the model did not return a valid grade, even when asked again: "
                                   f"{one_line(error, 200)}",
                                   hint="try again, use a larger model, or grade with the offline grader")
        assert outcome.reply is not None
        if outcome.repairs:
            notes.append("reply repaired: " + "; ".join(outcome.repairs))
        latency_ms = round((time.perf_counter() - wall0) * 1000.0, 1)
        if prompt.omitted:
            total = len(request.answer.strip())
            notes.insert(0, f"the answer is {total:,} characters long; only the first {total - prompt.omitted:,} "
                            f"were sent to the grader (limit {MAX_ANSWER_CHARS:,}), so the rest was not graded")
        grade = self._build(request, outcome.reply, responses, prompt.neutralised, notes, latency_ms, prompt=prompt)
        if self.cache is not None and key is not None:
            self.cache.put(key, grade)
        return grade

    def _build(self, request: GradeRequest, reply: GradeReply, responses: list[ChatResponse], neutralised: int,
               notes: list[str], latency_ms: float, prompt: Prompt | None = None) -> Grade:
        rubric = request.rubric
        seen = prompt.answer_sent if prompt is not None and prompt.answer_sent else request.answer
        kp_results, ev_notes = verify_key_points(reply.key_points, seen)  # quotes from what the model was shown
        notes = [*notes, *ev_notes]
        reference, echoed = request.question.reference, 0
        kp_texts = [kp.text for kp in request.question.key_points]

        def unechoed(text: str) -> str:
            nonlocal echoed
            text, n = strip_echo(text.strip(), reference, request.answer, also_allowed=kp_texts)
            echoed += n
            return text

        criteria = [CriterionScore(criterion_id=c.id, level=reply.criteria[c.id].level,
                                   rationale=unechoed(reply.criteria[c.id].rationale)) for c in rubric.criteria]
        summary, follow_up = unechoed(reply.summary), unechoed(reply.follow_up)
        misconceptions = [unechoed(m) for m in reply.misconceptions if m.strip()]
        if echoed:
            notes.append(f"the feedback recited the reference answer word for word ({echoed} passage(s)); cut as "
                         "[...]: compare with the reference answer instead")
        if any(kp.discarded_evidence for kp in kp_results):
            criteria, capped = cap_coverage_criteria(criteria, rubric, kp_results)
            if capped:
                notes.append(f"{', '.join(capped)} level lowered to match the verified key points")
        score = overall_score(criteria, rubric.weights(), kp_results)
        flags: list[str] = []
        if reply.instructions_in_answer:
            flags.append("the answer contains instructions addressed to the grader; they were not followed")
        if neutralised:
            flags.append(f"the answer contained {neutralised} tag-like string(s) resembling prompt delimiters; "
                         "they were neutralised")
        if prompt is not None and prompt.invisible:
            flags.append(f"hidden text: the answer contained {prompt.invisible} invisible character(s) (zero-width, "
                         "bidi or tag characters); they were removed before grading")
        served = {r.model for r in responses if r.model and r.model != self.backend.model}
        if served:
            notes.append(f"served by {', '.join(sorted(served))}")
        if any(r.structured == "json_object" for r in responses):
            notes.append("the server refused JSON-schema output; JSON mode was used and the reply validated locally")
        usage = Usage(
            prompt_tokens=_sum(r.prompt_tokens for r in responses),
            completion_tokens=_sum(r.completion_tokens for r in responses),
            cost_usd=_sum(r.cost_usd for r in responses),
        )
        return Grade(
            score=score, verdict=verdict_for(score), criteria=criteria, key_points=kp_results,
            misconceptions=misconceptions,
            summary=summary, better_answer=reply.better_answer.strip(), follow_up=follow_up,
            flags=flags, notes=notes,
            grader=GraderInfo(backend=self.backend.name, model=self.backend.model, prompt_version=PROMPT_VERSION,
                              rubric_id=rubric.id, rubric_version=rubric.version),
            latency_ms=latency_ms, usage=usage,
        )


def _sum(values):
    vals = [v for v in values if v is not None]
    return sum(vals) if vals else None


def cap_coverage_criteria(criteria: list[CriterionScore], rubric: Rubric,
                          key_points: list[KeyPointResult]) -> tuple[list[CriterionScore], list[str]]:
    """Coverage-type criteria (offline = true in the rubric) may not claim more than the verified key points
    support: when quotes were discarded, their level is capped at round(4 * verified coverage)."""
    cov = coverage_part(key_points)
    if cov is None:
        return criteria, []
    cap = round(4 * cov)
    coverage_ids = {c.id for c in rubric.criteria if c.offline}
    out, capped = [], []
    for c in criteria:
        if c.criterion_id in coverage_ids and c.level is not None and c.level > cap:
            out.append(c.model_copy(update={"level": cap}))
            capped.append(c.criterion_id)
        else:
            out.append(c)
    return out, capped
