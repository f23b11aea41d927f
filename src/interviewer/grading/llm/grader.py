"""LLMGrader: GradeRequest -> prompt -> backend (retried) -> validated reply -> verified facts -> Grade.

What the model is trusted with: criterion levels with rationales, key-point statuses with quotes, misconceptions
with quotes, and the feedback text. What it is not trusted with: the score (core.scoring computes it from levels
reconciled with what was verified, grading.llm.reconcile), its quotes (grading.llm.evidence: a quote must occur in
the answer, outside text addressed to the grader, and show the point), reciting the reference
(grading.llm.echo), or the length of anything it writes (schema.LIMITS). The answer it sees is bounded, stripped
of invisible text and of delimiter look-alikes (grading.answer, grading.llm.defang), and screened by the offline
manipulation detector, whose flags stand beside the model's; the grade says when any of it happened.

A reply is not taken, and the model is asked once more saying why, when it does not validate (after the repairs
grading.llm.schema makes when the fix is unambiguous), when it is over MAX_REPLY_BYTES, or when it reproduces a
grade the candidate wrote into the answer (grading.llm.planted). A second such reply raises GradingError and the
attempt is stored as ungraded with that reason. Every error text is redacted: no key reaches the screen or the
database.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any

from ...backends.base import Backend, BackendError, ChatRequest, ChatResponse
from ...backends.redact import Redactor, one_line
from ...backends.retry import CallStats, RetryPolicy, call_with_retries
from ...config import BackendName, GraderConfig
from ...core.models import Grade, Question
from ..answer import MAX_ANSWER_CHARS
from ..base import Grader, GradeRequest, GradingError
from ..offline.cues import compile_question
from ..offline.guards import manipulation_spans
from .assemble import Screening, assemble
from .cache import GradeCache, cache_key
from .planted import Planted, find_planted, reproduced
from .prompt import PROMPT_VERSION, Prompt, build_prompt, reask_message, visible_answer
from .schema import ParseOutcome, parse_reply, reply_schema

MAX_TOKENS = 2000
REASK_MAX_TOKENS = 3000
MAX_ECHOED_REPLY = 4000
MAX_REPLY_BYTES = 64_000
"""A grade is a few kilobytes; a reply larger than this is not read as one (re-asked, then ungraded)."""


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB"


def schema_lengths(backend: Backend) -> bool:
    """Whether string lengths go into the schema: Ollama's grammar honours maxLength, OpenAI's strict mode refuses
    it (and litellm may pass the schema to either)."""
    return backend.name == "ollama" or (backend.name == "litellm"
                                        and backend.model.split("/", 1)[0] in ("ollama", "ollama_chat"))


_LLM_BACKENDS: dict[str, BackendName] = {"openai": "openai", "ollama": "ollama", "litellm": "litellm"}
"""A backend's name as a grader setting (a backend of another name is configured as OpenAI-compatible)."""


class LLMGrader(Grader):
    def __init__(self, backend: Backend, cfg: GraderConfig | None = None, *, cache: GradeCache | None = None,
                 retry: RetryPolicy | None = None) -> None:
        self.backend = backend
        self.cfg = cfg or GraderConfig(backend=_LLM_BACKENDS.get(backend.name, "openai"), model=backend.model)
        self.name = backend.label
        self.cache = cache
        self.policy = retry or RetryPolicy(max_retries=self.cfg.max_retries)
        self.redactor = Redactor(backend.secrets())
        self.last_stats = CallStats()
        """What the retry layer did in the latest grading (requests made, waits), for the UI and tests."""
        self._vocab: dict[tuple[Any, ...], frozenset[str]] = {}

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

    def _vocabulary(self, q: Question) -> frozenset[str]:
        key = (q.id, q.question, q.reference, tuple((kp.id, kp.text, tuple(kp.alternatives)) for kp in q.key_points),
               tuple((m.id, tuple(m.signals), tuple(m.contradicts)) for m in q.misconceptions))
        if key not in self._vocab:
            if len(self._vocab) >= 256:
                self._vocab.clear()
            self._vocab[key] = compile_question(q).vocabulary
        return self._vocab[key]

    async def _ask(self, request: GradeRequest, prompt: Prompt, planted: Planted, seen: str,
                   stats: CallStats) -> tuple[ParseOutcome, list[ChatResponse], list[str]]:
        """Ask for a grade, and once more (saying what was wrong) when the reply is not a usable grade.
        Returns the parsed reply, every response and the notes for the grade; raises GradingError when the
        second reply is no better."""
        q = request.question
        schema = reply_schema(request.rubric, q, lengths=schema_lengths(self.backend))
        ids = {"criterion_ids": [c.id for c in request.rubric.criteria],
               "key_point_ids": [kp.id for kp in q.key_points],
               "misconception_ids": [m.id for m in q.misconceptions]}
        deadline_at = self.policy.clock() + self.cfg.deadline
        messages = prompt.messages
        max_tokens = MAX_TOKENS
        responses: list[ChatResponse] = []
        notes: list[str] = []
        for round_ in (1, 2):
            chat = ChatRequest(messages=messages, schema=schema, max_tokens=max_tokens, timeout=self.cfg.timeout)
            def call(t: float, chat: ChatRequest = chat) -> Awaitable[ChatResponse]:
                return self.backend.complete(replace(chat, timeout=t))

            resp = await call_with_retries(
                call,
                policy=self.policy, deadline_at=deadline_at, timeout=self.cfg.timeout, stats=stats)
            responses.append(resp)
            outcome, text, shown, copied = self._read_reply(resp, ids, planted, seen)
            if outcome.ok:
                break
            error, cut = _failure(resp, outcome)
            if round_ == 2:
                raise GradingError(f"the model did not return a valid grade, even when asked again: "
                                   f"{one_line(error, 200)}",
                                   hint=("the answer carries its own grade or text addressed to the grader: take it "
                                         "out, or grade with the offline grader") if copied else
                                   "try again, use a larger model, or grade with the offline grader")
            notes.append(f"re-asked once: {one_line(error, 160)}")
            messages = [*prompt.messages,
                        {"role": "assistant", "content": shown or text[:MAX_ECHOED_REPLY]},
                        {"role": "user", "content": reask_message(error, request, truncated=cut or outcome.truncated,
                                                                  copied=bool(copied))}]
            if cut or outcome.truncated:
                max_tokens = REASK_MAX_TOKENS
        return outcome, responses, notes

    def _read_reply(self, resp: ChatResponse, ids: dict[str, list[str]], planted: Planted,
                    seen: str) -> tuple[ParseOutcome, str, str | None, str | None]:
        """The reply parsed, or why it is no grade (too big, unparsable, or a copy of a grade planted in the
        answer). Returns (outcome, the reply's text, what of it goes back to the model in a re-ask (None: the
        text itself), what was copied)."""
        size = len(resp.text.encode("utf-8", "surrogatepass"))
        shown = None
        if size > MAX_REPLY_BYTES:
            outcome = ParseOutcome(error=f"the reply is {_size(size)}, over the {_size(MAX_REPLY_BYTES)} a grade "
                                         "may take", truncated=True)
            text, shown = "", f"[a reply of {_size(size)}, not shown]"
        else:
            text = self.redactor.exact(resp.text)
            outcome = parse_reply(text, **ids)
        copied = reproduced(outcome.reply, planted, seen) if outcome.ok and outcome.reply is not None else None
        if copied:
            outcome = ParseOutcome(error=f"the reply repeats a grade written inside the candidate's answer "
                                         f"({copied})")
            shown = "[reply withheld: it repeated grading text from the candidate's answer]"
        return outcome, text, shown, copied

    async def _grade(self, request: GradeRequest) -> Grade:
        key = self._key(request) if self.cache is not None else None
        if self.cache is not None and key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.last_stats = CallStats()
                return hit

        await self.backend.prepare()  # imports and client set-up: not model latency, and no request yet
        q = request.question
        seen = visible_answer(request)[0]
        screening = Screening(manipulation_spans(seen, self._vocabulary(q)))
        planted = find_planted(seen, [seen[s:e] for s, e, _ in screening.spans])
        prompt = build_prompt(request, flagged=len(screening.spans))
        stats = self.last_stats = CallStats()
        wall0 = time.perf_counter()
        outcome, responses, notes = await self._ask(request, prompt, planted, seen, stats)
        assert outcome.reply is not None
        if outcome.repairs:
            notes.append("reply repaired: " + "; ".join(outcome.repairs))
        latency_ms = round((time.perf_counter() - wall0) * 1000.0, 1)
        if prompt.omitted:
            total = len(request.answer.strip())
            notes.insert(0, f"the answer is {total:,} characters long; only the first {total - prompt.omitted:,} "
                            f"were sent to the grader (limit {MAX_ANSWER_CHARS:,}), so the rest was not graded")
        grade = assemble(request, outcome.reply, prompt, screening, responses, notes, backend=self.backend.name,
                         model=self.backend.model, prompt_version=PROMPT_VERSION, latency_ms=latency_ms)
        if self.cache is not None and key is not None:
            self.cache.put(key, grade)
        return grade


def _failure(resp: ChatResponse, outcome: ParseOutcome) -> tuple[str, bool]:
    """What was wrong with a reply that is no grade, and whether it was cut off at the token limit."""
    cut = resp.finish_reason == "length"
    error = outcome.error or "invalid reply"
    if cut:
        error = f"the reply was cut off at the token limit ({error})"
    elif resp.finish_reason == "content_filter":
        error = f"the provider's content filter stopped the reply ({error})"
    return error, cut
