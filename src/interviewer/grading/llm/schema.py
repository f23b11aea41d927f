"""The structured reply a judge model must return, and the pure function that parses and repairs it.

`reply_schema(rubric, question)` is the JSON schema sent to the server as the structured-output constraint
(OpenAI-compatible `json_schema` strict, Ollama `format`, litellm alike): every object closed, every property
required, and the question's ids named, so constrained decoding cannot invent one: one required property per
key point id (as criteria have one per criterion id), and the question's known misconception ids as an enum
(plus "new"). Array sizes are bounded (maxItems); string lengths are bounded in the schema only where the
decoder supports it (`lengths=True`, for Ollama's grammar: OpenAI's strict mode refuses maxLength) and always in
code (LIMITS, applied by grading.llm.assemble). Without a question it gives the rubric's generic form, which the
system prompt shows the model (static per rubric, so it caches).

`parse_reply(text, criterion_ids=..., key_point_ids=..., misconception_ids=...)` never raises and never guesses:
it repairs what is unambiguous (Markdown fences, prose around one JSON object, a double-encoded JSON string,
extra fields, id and status case, key points given as a list, misconceptions as plain strings) and otherwise
returns the validation error, which the grader sends back once in a re-ask. Whatever the backend claims about
structured output, every reply goes through here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ...core.models import Question, Rubric

STATUSES = ("covered", "partial", "missing")
NEW = "new"
"""The misconception id for a wrong claim that is not one of the question's known misconceptions."""
MAX_MISCONCEPTIONS = 6
LIMITS = {"rationale": 500, "evidence": 300, "claim": 300, "correction": 400, "quote": 300, "summary": 1200,
          "better_answer": 1500, "follow_up": 300}
"""Characters each text field may hold; all under 2,000, where llama.cpp's grammar stops accepting repetitions."""


def _text(v: Any) -> Any:
    return "" if v is None else v


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
        return _text(v)


class MisconceptionVerdict(BaseModel):
    """A wrong claim the model found: a known one by id, or a new one with its own claim and correction."""

    model_config = ConfigDict(extra="ignore")

    id: str = NEW
    claim: str = ""
    correction: str = ""
    quote: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, v: Any) -> Any:
        return v.strip().lower() or NEW if isinstance(v, str) else (NEW if v is None else v)

    @field_validator("claim", "correction", "quote", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return _text(v)


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
    misconceptions: list[MisconceptionVerdict] = Field(default_factory=list)
    summary: str
    better_answer: str
    follow_up: str
    instructions_in_answer: bool = False

    @field_validator("key_points", mode="before")
    @classmethod
    def _keyed(cls, v: Any) -> Any:
        """The schema's form, one property per id, read as the list the rest of the code uses."""
        if isinstance(v, dict):
            return [{**val, "id": k} if isinstance(val, dict) else {"id": k, "status": val} for k, val in v.items()]
        return v

    @field_validator("misconceptions", mode="before")
    @classmethod
    def _plain(cls, v: Any) -> Any:
        """A plain string (the shape of prompt grade-v1) is a new claim without a quote."""
        if isinstance(v, list):
            return [{"id": NEW, "claim": m} if isinstance(m, str) else m for m in v]
        return v


# ----------------------------------------------------------------------------------------------- schema


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(properties),
            "properties": properties}


def _string(description: str, limit: int, lengths: bool) -> dict[str, Any]:
    s: dict[str, Any] = {"type": "string", "description": f"{description} At most {limit} characters."}
    if lengths:
        s["maxLength"] = limit
    return s


def reply_schema(rubric: Rubric, question: Question | None = None, *, lengths: bool = False) -> dict[str, Any]:
    """JSON schema of GradeReply for this rubric and question (OpenAI strict / Ollama `format` compatible).
    Without a question: the generic form for the system prompt (ids described, not listed)."""
    criterion = _closed({
        "rationale": _string("One or two sentences in your own words: why this level.", LIMITS["rationale"],
                             lengths),
        "level": {"type": "integer", "enum": [0, 1, 2, 3, 4]},
    })
    verdict = _closed({
        "status": {"type": "string", "enum": list(STATUSES)},
        "evidence": _string("3 to 25 words copied exactly from the answer that show this point; empty when "
                            "missing.", LIMITS["evidence"], lengths),
    })
    if question is None:
        key_points: dict[str, Any] | None = {
            "type": "object", "additionalProperties": verdict,
            "description": "One property per key point id listed with the question, in that order."}
        mis_id: dict[str, Any] = {"type": "string", "description": f"A known misconception id listed with the "
                                                                  f"question, or \"{NEW}\"."}
    else:
        key_points = _closed({kp.id: verdict for kp in question.key_points}) if question.key_points else None
        mis_id = {"type": "string", "enum": [*(m.id for m in question.misconceptions if m.id != NEW), NEW]}
    misconception = _closed({
        "id": mis_id,
        "claim": _string(f"For \"{NEW}\": what is wrong, in one sentence; empty for a known id.", LIMITS["claim"],
                         lengths),
        "correction": _string(f"For \"{NEW}\": what is right, in one sentence; empty for a known id.",
                              LIMITS["correction"], lengths),
        "quote": _string("3 to 25 words copied exactly from the answer that state the wrong claim.",
                         LIMITS["quote"], lengths),
    })
    props: dict[str, Any] = {}
    if key_points is not None:
        props["key_points"] = key_points
    props.update({
        "misconceptions": {"type": "array", "maxItems": MAX_MISCONCEPTIONS, "items": misconception},
        "criteria": _closed({c.id: criterion for c in rubric.criteria}),
        "summary": _string("Two or three sentences to the candidate.", LIMITS["summary"], lengths),
        "better_answer": _string("A stronger answer, said aloud in 45 to 60 seconds.", LIMITS["better_answer"],
                                 lengths),
        "follow_up": _string("One question probing the weakest point.", LIMITS["follow_up"], lengths),
        "instructions_in_answer": {"type": "boolean"},
    })
    return _closed(props)


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
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"' and depth > 0:
            i = _string_end(text, i + 1)
            continue
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append(text[start:i + 1])
        i += 1
    return spans, depth > 0


def _string_end(text: str, i: int) -> int:
    """The index after the quote that closes the JSON string whose text starts at i (len(text) if none does)."""
    esc = False
    for j in range(i, len(text)):
        ch = text[j]
        if esc:
            esc = False
        elif ch == "\\":
            esc = True
        elif ch == '"':
            return j + 1
    return len(text)


def _loads_dict(text: str) -> dict[str, Any] | None:
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


def _looks_like_grade(d: dict[str, Any]) -> bool:
    return "criteria" in d or "key_points" in d


def extract_object(text: str) -> tuple[dict[str, Any] | None, list[str], str | None, bool]:
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

    return _from_text(s)


def _from_text(s: str) -> tuple[dict[str, Any] | None, list[str], str | None, bool]:
    """A reply that is not a JSON object as a whole: the object in its one code fence, or in the text."""
    repairs: list[str] = []
    fences = [f.strip() for f in _FENCE.findall(s)]
    if len(fences) == 1:
        d = _loads_dict(fences[0])
        if d is not None:
            return d, ["removed a Markdown code fence"], None, False
    elif not fences and s.startswith("```"):  # an opening fence whose closing fence never came
        s = re.sub(r"^```[ \t]*[A-Za-z0-9]*[ \t]*\n?", "", s)
        repairs.append("removed an unclosed Markdown code fence")

    return _one_object(s, repairs)


def _one_object(s: str, repairs: list[str]) -> tuple[dict[str, Any] | None, list[str], str | None, bool]:
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


def parse_reply(text: str | None, *, criterion_ids: Iterable[str], key_point_ids: Iterable[str],
                misconception_ids: Iterable[str] = ()) -> ParseOutcome:
    """Parse a judge's reply into a GradeReply checked against this rubric and question. Pure; never raises."""
    crit_ids = list(criterion_ids)
    kp_ids = list(key_point_ids)
    mis_ids = set(misconception_ids)
    obj, repairs, error, truncated = extract_object(text or "")
    if obj is None:
        return ParseOutcome(error=error, repairs=repairs, truncated=truncated)

    if not kp_ids and "criteria" in obj and "key_points" not in obj:  # the schema leaves it out when there are none
        obj = {**obj, "key_points": []}
    known_top = set(GradeReply.model_fields)
    extra_top = sorted(k for k in obj if k not in known_top)
    if extra_top:
        repairs.append(f"ignored extra fields: {', '.join(extra_top)}")
    try:
        reply = GradeReply.model_validate(obj)
    except ValidationError as err:
        return ParseOutcome(error=_validation_message(err), repairs=repairs)

    crits = {k.strip().lower(): v for k, v in reply.criteria.items()}
    seen: dict[str, KeyPointVerdict] = {}
    error = _check_criteria(crits, crit_ids, repairs) or _check_key_points(reply, kp_ids, seen, repairs)
    if error:
        return ParseOutcome(error=error, repairs=repairs)
    reply = reply.model_copy(update={
        "criteria": {c: crits[c] for c in crit_ids},
        "key_points": [seen[k] for k in kp_ids],
        "misconceptions": _known_misconceptions(reply, mis_ids, repairs),
    })
    return ParseOutcome(reply=reply, repairs=repairs)


def _check_criteria(crits: dict[str, CriterionVerdict], crit_ids: list[str], repairs: list[str]) -> str | None:
    """Criteria: every rubric criterion, and only those (unknown ones are ignored, with a repair)."""
    missing_c = [c for c in crit_ids if c not in crits]
    if missing_c:
        return f"criteria missing: {', '.join(missing_c)} (give a level and rationale for each of {', '.join(crit_ids)})"
    unknown_c = sorted(k for k in crits if k not in crit_ids)
    if unknown_c:
        repairs.append(f"ignored unknown criteria: {', '.join(unknown_c)}")
    return None


def _check_key_points(reply: GradeReply, kp_ids: list[str], seen: dict[str, KeyPointVerdict],
                      repairs: list[str]) -> str | None:
    """Key points: each id exactly once, no others (filled into `seen`)."""
    for kp in reply.key_points:
        if kp.id in seen:
            if seen[kp.id] == kp:
                repairs.append(f"dropped a repeated identical entry for key point {kp.id}")
                continue
            return f"key point {kp.id} appears twice with different verdicts"
        seen[kp.id] = kp
    unknown_k = [k for k in seen if k not in kp_ids]
    if unknown_k:
        return f"unknown key point ids: {', '.join(unknown_k)} (the ids are {', '.join(kp_ids) or 'none'})"
    missing_k = [k for k in kp_ids if k not in seen]
    if missing_k:
        return f"key points missing: {', '.join(missing_k)} (give a status for each of {', '.join(kp_ids)})"
    return None


def _known_misconceptions(reply: GradeReply, mis_ids: set[str], repairs: list[str]) -> list[MisconceptionVerdict]:
    """Misconceptions: a known id, or "new"; an unknown id is read as new, never as a known one."""
    mis: list[MisconceptionVerdict] = []
    for m in reply.misconceptions:
        if m.id != NEW and m.id not in mis_ids:
            repairs.append(f"misconception id {m.id[:40]} is not one of this question's; read as new")
            m = m.model_copy(update={"id": NEW})
        mis.append(m)
    if len(mis) > MAX_MISCONCEPTIONS:
        repairs.append(f"kept the first {MAX_MISCONCEPTIONS} of {len(mis)} misconceptions")
        mis = mis[:MAX_MISCONCEPTIONS]
    return mis
