"""A validated reply turned into a Grade, from verified facts only.

The steps, each owned elsewhere and run here in order:
1. key-point quotes checked against the answer the model saw, minus text addressed to the grader
   (grading.llm.evidence); misconceptions kept only with a verified quote, known ones in the bank's words, and the
   key points they contradict made missing (grading.llm.misconceptions);
2. the model's text bounded (LIMITS, with a note naming each field cut) and stripped of recited reference
   passages (grading.llm.echo);
3. the levels reconciled with what was verified, and the verdict capped for stated misconceptions
   (grading.llm.reconcile); the score computed by core.scoring;
4. flags: the model's own (instructions in the answer) beside the offline detector's, delimiter look-alikes and
   hidden text; notes: what was discarded, corrected, cut or repaired.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ...backends.base import ChatResponse
from ...core.models import CriterionScore, Grade, GraderInfo, KeyPointResult, KeyPointStatus, Usage
from ...core.scoring import overall_score, verdict_for
from ..base import GradeRequest
from .echo import strip_echo
from .evidence import QuoteChecker, verify_key_points
from .misconceptions import verify_misconceptions
from .prompt import Prompt
from .reconcile import cap_score, reconcile
from .schema import LIMITS, GradeReply

MODEL_FLAG = "the answer contains instructions addressed to the grader; they were not followed"


@dataclass
class Screening:
    """What the offline manipulation detector found in the answer the model saw."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def ranges(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _ in self.spans]

    def flag(self) -> str | None:
        if not self.spans:
            return None
        quoted = "; ".join(f'"{" ".join(t.split())[:60]}"' for _, _, t in self.spans[:2])
        return (f"manipulation (offline check): the answer contains text addressed to the grader ({quoted}); it "
                "earns nothing, and quotes from it do not count as evidence")


def cap(text: str, name: str, cut: dict[str, int]) -> str:
    """`text` within LIMITS[name] characters (cut at a word, with an ellipsis); records the cut in `cut`."""
    limit = LIMITS[name]
    if len(text) <= limit:
        return text
    cut[name] = max(cut.get(name, 0), len(text))
    head = text[:limit - 1]
    space = head.rfind(" ", limit // 2)
    return (head[:space] if space > 0 else head).rstrip() + "\u2026"


_N = TypeVar("_N", int, float)


def _sum(values: Iterable[_N | None]) -> _N | None:
    vals = [v for v in values if v is not None]
    return sum(vals) if vals else None


def assemble(request: GradeRequest, reply: GradeReply, prompt: Prompt, screening: Screening,
             responses: Sequence[ChatResponse], notes: list[str], *, backend: str, model: str, prompt_version: str,
             latency_ms: float) -> Grade:
    rubric, question = request.rubric, request.question
    seen = prompt.answer_sent or request.answer
    checker = QuoteChecker(seen, question, screening.ranges)
    topics = {kp.id: checker.topic(kp.text, *kp.alternatives) for kp in question.key_points}
    quoted, ev_notes = verify_key_points(reply.key_points, seen, checker, topics)
    notes = [*notes, *ev_notes]

    cut: dict[str, int] = {}
    echoed = 0
    kp_texts = [kp.text for kp in question.key_points]

    def clean(text: str, name: str) -> str:
        nonlocal echoed
        text, n = strip_echo(cap(text.strip(), name, cut), question.reference, request.answer,
                             also_allowed=kp_texts)
        echoed += n
        return text

    found, contradicted, mis_notes = verify_misconceptions(reply.misconceptions, question, checker, clean)
    notes.extend(mis_notes)
    verified = _uncover_contradicted(quoted, contradicted, notes)

    criteria = [CriterionScore(criterion_id=c.id, level=reply.criteria[c.id].level,
                               rationale=clean(reply.criteria[c.id].rationale, "rationale"))
                for c in rubric.criteria]
    summary, follow_up = clean(reply.summary, "summary"), clean(reply.follow_up, "follow_up")
    better = cap(reply.better_answer.strip(), "better_answer", cut)  # a model answer may follow the reference
    notes.extend(_cut_notes(echoed, cut))

    criteria, fixes = reconcile(criteria, rubric, [k.status for k in reply.key_points], quoted, verified,
                                len(found))
    notes.extend(fixes)
    score, capped = cap_score(overall_score(criteria, rubric.weights(), verified), len(found))
    if capped:
        notes.append(capped)

    flags = _flags(reply, screening, prompt)
    notes.extend(_response_notes(responses, model))
    usage = Usage(prompt_tokens=_sum(r.prompt_tokens for r in responses),
                  completion_tokens=_sum(r.completion_tokens for r in responses),
                  cost_usd=_sum(r.cost_usd for r in responses))
    return Grade(
        score=score, verdict=verdict_for(score), criteria=criteria, key_points=verified, misconceptions=found,
        summary=summary, better_answer=better, follow_up=follow_up, flags=flags, notes=notes,
        grader=GraderInfo(backend=backend, model=model, prompt_version=prompt_version, rubric_id=rubric.id,
                          rubric_version=rubric.version),
        latency_ms=latency_ms, usage=usage,
    )


def _uncover_contradicted(quoted: list[KeyPointResult], contradicted: dict[str, str],
                          notes: list[str]) -> list[KeyPointResult]:
    """The key points the answer contradicts made missing (with the contradiction); a note names those the
    model had counted."""
    verified: list[KeyPointResult] = []
    undone: list[str] = []
    for kp in quoted:
        if kp.key_point_id in contradicted:
            if kp.status is not KeyPointStatus.missing:
                undone.append(kp.key_point_id)
            kp = KeyPointResult(key_point_id=kp.key_point_id, status=KeyPointStatus.missing,
                                discarded_evidence=kp.discarded_evidence, contradiction=contradicted[kp.key_point_id])
        verified.append(kp)
    if undone:
        notes.append(f"key point(s) {', '.join(undone)} not counted as covered: the answer says the opposite "
                     "(see the misconceptions)")
    return verified


def _cut_notes(echoed: int, cut: dict[str, int]) -> list[str]:
    notes: list[str] = []
    if echoed:
        notes.append(f"the feedback recited the reference answer word for word ({echoed} passage(s)); cut as "
                     "[...]: compare with the reference answer instead")
    if cut:
        notes.append("cut to the length limit: " + ", ".join(
            f"{name.replace('_', ' ')} ({n:,} \u2192 {LIMITS[name]:,} characters)" for name, n in cut.items()))
    return notes


def _flags(reply: GradeReply, screening: Screening, prompt: Prompt) -> list[str]:
    """The model's own flag beside the offline detector's, delimiter look-alikes and hidden text."""
    flags: list[str] = []
    if reply.instructions_in_answer:
        flags.append(MODEL_FLAG)
    if (offline := screening.flag()) is not None:
        flags.append(offline)
    if prompt.neutralised:
        flags.append(f"the answer contained {prompt.neutralised} tag-like string(s) resembling prompt delimiters; "
                     "they were neutralised")
    if prompt.invisible:
        flags.append(f"hidden text: the answer contained {prompt.invisible} invisible character(s) (zero-width, "
                     "bidi or tag characters); they were removed before grading")
    return flags


def _response_notes(responses: Sequence[ChatResponse], model: str) -> list[str]:
    notes: list[str] = []
    served = {r.model for r in responses if r.model and r.model != model}
    if served:
        notes.append(f"served by {', '.join(sorted(served))}")
    if any(r.structured == "json_object" for r in responses):
        notes.append("the server refused JSON-schema output; JSON mode was used and the reply validated locally")
    return notes
