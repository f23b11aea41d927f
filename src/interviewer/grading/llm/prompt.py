"""The grading prompt: versioned templates (grading/llm/prompts/*.txt) filled for one answer.

Layout, chosen so providers' prompt caching applies: the system message is static for a rubric (role, rules,
spoken-style guidance, rubric text, output contract with the JSON schema); the user message holds the
question, reference and key points, and the answer comes last. The answer is marked as data: it sits
between `<answer-NONCE>` tags whose nonce is random per request, and any tag-like text in the answer that
could pass for a delimiter or a chat-role marker is neutralised first, so an answer cannot close its own
delimiter or impersonate the instructions.

What reaches the model is what a person reading the answer would see: invisible characters (zero-width, bidi
controls, Unicode tag characters that smuggle ASCII past a reader, variation selectors) are removed and
counted. An answer longer than MAX_ANSWER_CHARS is cut at a word boundary before sending, with a marker
saying how much was left out, so no answer can blow the context window or the bill; the grade says so.

Bump PROMPT_VERSION whenever a template or the schema changes: it is part of every stored grade and of the
grade cache key, so old grades stay explainable and are never served for a new prompt.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from ...core.models import Question, Rubric
from ...core.rubric import render_rubric
from ..answer import bound_answer, strip_invisible
from ..base import GradeRequest
from .schema import reply_schema

PROMPT_VERSION = "grade-v1"

# Tag-like text that could pose as our delimiter or as a chat-role / special-token marker.
_TAGLIKE = re.compile(
    r"<\s*/?\s*(?:answer|candidate|reference|question|system|developer|user|assistant|instructions?|"
    r"key[_ -]?points?|rubric|grading|im_start|im_end)\b[^<>]{0,200}>",
    re.I,
)
_SPECIAL_TOKEN = re.compile(r"<\|[^|<>\n]{0,40}\|>")
@cache
def template(part: str, version: str = PROMPT_VERSION) -> Template:
    """A prompt template file: grading/llm/prompts/<version>.<part>.txt (system, user, reask)."""
    text = resources.files(__package__).joinpath("prompts", f"{version}.{part}.txt").read_text(encoding="utf-8")
    return Template(text)


def neutralise(answer: str) -> tuple[str, int]:
    """The answer with delimiter look-alikes defanged (< > -> ‹ ›), and how many were found."""
    count = 0

    def defang(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return m.group(0).replace("<", "\u2039").replace(">", "\u203a")

    text = _TAGLIKE.sub(defang, answer)
    text = _SPECIAL_TOKEN.sub(defang, text)
    return text, count


def new_nonce() -> str:
    return secrets.token_hex(8)


def system_prompt(rubric: Rubric) -> str:
    """The static part for a rubric (identical for every question graded with it)."""
    return _system_prompt(rubric.model_dump_json())


@cache
def _system_prompt(rubric_json: str) -> str:
    rubric = Rubric.model_validate_json(rubric_json)
    schema = json.dumps(reply_schema(rubric), separators=(",", ":"))
    return template("system").substitute(rubric=render_rubric(rubric), schema=schema).strip()


def key_points_text(question: Question) -> str:
    if not question.key_points:
        return "(none for this question: return an empty key_points list)"
    return "\n".join(f"- {kp.id}: {kp.text}" for kp in question.key_points)


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str
    nonce: str
    neutralised: int
    """How many tag-like strings in the answer were defanged (reported as a flag on the grade)."""
    invisible: int = 0
    """How many invisible characters were removed from the answer (reported as a flag on the grade)."""
    omitted: int = 0
    """Characters of an oversized answer left out of the prompt (reported as a note on the grade)."""
    answer_sent: str = ""
    """The answer exactly as the model saw it (before delimiter defanging): quotes are checked against it."""

    @property
    def messages(self) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


def build_prompt(request: GradeRequest, nonce: str | None = None) -> Prompt:
    nonce = nonce or new_nonce()
    q = request.question
    visible, invisible = strip_invisible(request.answer.strip())
    sent, omitted = bound_answer(visible)
    answer, n = neutralise(sent)
    if omitted:
        answer += f"\n[... the answer goes on for {omitted:,} more characters, not shown: grade what is above]"
    asked = ""
    if request.prompt and request.prompt.strip() != q.question.strip():
        asked = (f"Asked as a follow-up: {request.prompt.strip()}\n(The reference and key points belong to the "
                 "question above; judge the answer against the follow-up, using them as background.)\n")
    user = template("user").substitute(
        question=q.question.strip(), asked=asked, reference=q.reference.strip(),
        key_points=key_points_text(q), nonce=nonce, answer=answer,
    )
    return Prompt(system=system_prompt(request.rubric), user=user.strip(), nonce=nonce, neutralised=n,
                  invisible=invisible, omitted=omitted, answer_sent=sent)


def reask_message(error: str, request: GradeRequest, *, truncated: bool = False) -> str:
    advice = ("Keep each rationale to one or two sentences, the summary to three and the better answer under "
              "120 words, so the whole reply fits.") if truncated else ""
    kp_ids = ", ".join(kp.id for kp in request.question.key_points) or "none"
    crit_ids = ", ".join(c.id for c in request.rubric.criteria)
    text = template("reask").substitute(error=error, advice=advice, key_point_ids=kp_ids, criterion_ids=crit_ids)
    return re.sub(r"\n{2,}", "\n", text).strip()
