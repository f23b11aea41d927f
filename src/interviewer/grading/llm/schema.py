"""The structured reply a judge model must return, and the pure function that parses and repairs it.

`reply_schema(rubric)` is the JSON schema sent to the server (strict-mode compatible: every object closed,
every property required). It depends only on the rubric, so it is the same for every question graded with
that rubric and sits in the cacheable part of the request. Key-point ids are checked here, locally.

`parse_reply(text, criterion_ids=..., key_point_ids=...)` never raises and never guesses: it repairs what is
unambiguous (Markdown fences, prose around one JSON object, a double-encoded JSON string, extra fields, id and
status case) and otherwise returns the validation error, which the grader sends back once in a re-ask.
Whatever the backend claims about structured output, every reply goes through here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ...core.models import Rubric

STATUSES = ("covered", "partial", "missing")


class KeyPointVerdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    status: Literal["covered", "partial", "missing"]
    evidence: str = ""

    @field_validator("id", "status", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("evidence", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return "" if v is None else v


class CriterionVerdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rationale: str = Field(min_length=1)
    level: Annotated[int, Field(ge=0, le=4)]

    @field_validator("level", mode="before")
    @classmethod
    def _no_bool(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("level must be an integer 0-4, not true/false")
        return v


class GradeReply(BaseModel):
    """What the model returns. Scores are *not* here: the score is computed in code (core.scoring)."""

    model_config = ConfigDict(extra="ignore")

    key_points: list[KeyPointVerdict]
    criteria: dict[str, CriterionVerdict]
    misconceptions: list[str] = Field(default_factory=list)
    summary: str
    better_answer: str
    follow_up: str
    instructions_in_answer: bool = False


# ----------------------------------------------------------------------------------------------- schema


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(properties),
            "properties": properties}


def reply_schema(rubric: Rubric) -> dict[str, Any]:
    """JSON schema of GradeReply for this rubric (OpenAI strict / Ollama `format` compatible)."""
    criterion = _closed({
        "rationale": {"type": "string", "description": "One or two sentences: why this level."},
        "level": {"type": "integer", "enum": [0, 1, 2, 3, 4]},
    })
    return _closed({
        "key_points": {
            "type": "array",
            "description": "One entry per key point id, in the order given.",
            "items": _closed({
                "id": {"type": "string"},
                "status": {"type": "string", "enum": list(STATUSES)},
                "evidence": {"type": "string",
                             "description": "Words copied exactly from the answer; empty when missing."},
            }),
        },
        "criteria": _closed({c.id: criterion for c in rubric.criteria}),
        "misconceptions": {"type": "array", "items": {"type": "string"}},
        "summary": {"type": "string"},
        "better_answer": {"type": "string"},
        "follow_up": {"type": "string"},
        "instructions_in_answer": {"type": "boolean"},
    })


# ----------------------------------------------------------------------------------------------- parsing


@dataclass
class ParseOutcome:
    reply: GradeReply | None = None
    error: str | None = None
    """One line saying what is wrong (sent back to the model in the re-ask)."""
    repairs: list[str] = field(default_factory=list)
    """Unambiguous fixes that were applied, e.g. 'removed a Markdown code fence'."""
    truncated: bool = False
    """The text looks cut off (an unclosed JSON object)."""

    @property
    def ok(self) -> bool:
        return self.reply is not None


_FENCE = re.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\n?(.*?)```", re.S)


def _objects(text: str) -> tuple[list[str], bool]:
    """Balanced top-level {...} spans (string-aware), and whether an object was left unclosed."""
    spans: list[str] = []
    depth = 0
    start = -1
    in_str = esc = False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"' and depth > 0:
            in_str = True
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append(text[start:i + 1])
    return spans, depth > 0


def _loads_dict(text: str) -> dict | None:
    try:
        v = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(v, str):  # a JSON object sent as a JSON string
        try:
            v = json.loads(v)
        except (ValueError, RecursionError):
            return None
    return v if isinstance(v, dict) else None


def _looks_like_grade(d: dict) -> bool:
    return "criteria" in d or "key_points" in d


def extract_object(text: str) -> tuple[dict | None, list[str], str | None, bool]:
    """(object, repairs, error, truncated): the one JSON object in a reply, if it is unambiguous."""
    s = text.strip().lstrip("\ufeff")
    if not s:
        return None, [], "the reply was empty", False
    d = _loads_dict(s)
    if d is not None:
        return d, (["decoded a JSON object sent as a string"] if s.startswith('"') else []), None, False
    try:
        whole = json.loads(s)
    except (ValueError, RecursionError):
        whole = None
    if whole is not None and not isinstance(whole, (dict, str)):
        return None, [], f"the reply is a JSON {type(whole).__name__}, not a JSON object", False

    repairs: list[str] = []
    fences = [f.strip() for f in _FENCE.findall(s)]
    if len(fences) == 1:
        d = _loads_dict(fences[0])
        if d is not None:
            return d, ["removed a Markdown code fence"], None, False
    elif not fences and s.startswith("```"):  # an opening fence whose closing fence never came
        s = re.sub(r"^```[ \t]*[A-Za-z0-9]*[ \t]*\n?", "", s)
        repairs.append("removed an unclosed Markdown code fence")

    spans, unclosed = _objects(s)
    found = [d for d in (_loads_dict(sp) for sp in spans) if d is not None]
    grades = list({json.dumps(d, sort_keys=True): d for d in found if _looks_like_grade(d)}.values())
    if len(grades) == 1:
        extra = "ignored text around the JSON object" if len(spans) != 1 or s.strip() != spans[0] else ""
        return grades[0], repairs + ([extra] if extra else []), None, False
    if len(grades) > 1:
        return None, repairs, f"the reply holds {len(grades)} JSON objects; send exactly one", False
    if unclosed:
        return None, repairs, "the reply is cut off: the JSON object is never closed (truncated output)", True
    if found:
        return None, repairs, "the JSON object in the reply has neither 'criteria' nor 'key_points'", False
    head = " ".join(s.split())[:60]
    return None, repairs, f"the reply is not JSON (it starts: {head!r})", False


def _validation_message(err: ValidationError, limit: int = 3) -> str:
    parts = []
    for e in err.errors()[:limit]:
        loc = ".".join(str(p) for p in e["loc"]) or "reply"
        got = e.get("input")
        shown = "" if e["type"] == "missing" else f" (got {json.dumps(got)[:40]})"
        parts.append(f"{loc}: {e['msg']}{shown}")
    more = len(err.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def parse_reply(text: str | None, *, criterion_ids: Iterable[str], key_point_ids: Iterable[str]) -> ParseOutcome:
    """Parse a judge's reply into a GradeReply checked against this rubric and question. Pure; never raises."""
    crit_ids = list(criterion_ids)
    kp_ids = list(key_point_ids)
    obj, repairs, error, truncated = extract_object(text or "")
    if obj is None:
        return ParseOutcome(error=error, repairs=repairs, truncated=truncated)

    known_top = set(GradeReply.model_fields)
    extra_top = sorted(k for k in obj if k not in known_top)
    if extra_top:
        repairs.append(f"ignored extra fields: {', '.join(extra_top)}")
    try:
        reply = GradeReply.model_validate(obj)
    except ValidationError as err:
        return ParseOutcome(error=_validation_message(err), repairs=repairs)

    # Criteria: every rubric criterion, and only those.
    crits = {k.strip().lower(): v for k, v in reply.criteria.items()}
    missing_c = [c for c in crit_ids if c not in crits]
    if missing_c:
        return ParseOutcome(error=f"criteria missing: {', '.join(missing_c)} (give a level and rationale for "
                                  f"each of {', '.join(crit_ids)})", repairs=repairs)
    unknown_c = sorted(k for k in crits if k not in crit_ids)
    if unknown_c:
        repairs.append(f"ignored unknown criteria: {', '.join(unknown_c)}")

    # Key points: each id exactly once, no others.
    seen: dict[str, KeyPointVerdict] = {}
    for kp in reply.key_points:
        if kp.id in seen:
            if seen[kp.id] == kp:
                repairs.append(f"dropped a repeated identical entry for key point {kp.id}")
                continue
            return ParseOutcome(error=f"key point {kp.id} appears twice with different verdicts", repairs=repairs)
        seen[kp.id] = kp
    unknown_k = [k for k in seen if k not in kp_ids]
    if unknown_k:
        return ParseOutcome(error=f"unknown key point ids: {', '.join(unknown_k)} (the ids are "
                                  f"{', '.join(kp_ids) or 'none'})", repairs=repairs)
    missing_k = [k for k in kp_ids if k not in seen]
    if missing_k:
        return ParseOutcome(error=f"key points missing: {', '.join(missing_k)} (give a status for each of "
                                  f"{', '.join(kp_ids)})", repairs=repairs)

    reply = reply.model_copy(update={
        "criteria": {c: crits[c] for c in crit_ids},
        "key_points": [seen[k] for k in kp_ids],
    })
    return ParseOutcome(reply=reply, repairs=repairs)
