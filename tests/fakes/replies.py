"""Building valid judge replies, from a question's ids or from the request itself (`auto_grade`), and a
grader wired to the fake server with fast retries, for tests in any area (CLI, TUI, reliability)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from .protocol import Recorded, Reply

_TAG_OPEN = re.compile(r"<answer-([0-9a-f]+)>\n?(.*?)\n?</answer-\1>", re.S)
_KP_LINE = re.compile(r"^- ([a-z0-9][a-z0-9._-]*): ", re.M)


def request_answer(rec: Recorded) -> str | None:
    """The candidate's answer as sent, between the nonce tags of the last user message."""
    users = [m for m in rec.messages if m.get("role") == "user"]
    for m in users[:1]:
        found = _TAG_OPEN.search(str(m.get("content", "")))
        if found:
            return found.group(2)
    return None


def request_key_point_ids(rec: Recorded) -> list[str]:
    users = [m for m in rec.messages if m.get("role") == "user"]
    text = str(users[0].get("content", "")) if users else ""
    section = text.split("Key points", 1)[1] if "Key points" in text else ""
    section = section.split("<answer-", 1)[0]
    return _KP_LINE.findall(section)


def request_criterion_ids(rec: Recorded) -> list[str]:
    schema = rec.schema
    if schema is None:  # JSON mode: the schema is in the system prompt
        system = next((str(m.get("content", "")) for m in rec.messages if m.get("role") == "system"), "")
        start = system.find('{"type":"object"')
        schema = json.JSONDecoder().raw_decode(system[start:])[0] if start >= 0 else {}
    return list(schema.get("properties", {}).get("criteria", {}).get("properties", {}))


def make_reply(key_point_ids: Iterable[str], criterion_ids: Iterable[str], answer: str = "", *,
               level: int | dict[str, int] = 3, status: str | dict[str, str] = "covered",
               evidence: str | dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
    """A valid reply dict. Evidence defaults to the answer's first words (so it verifies)."""
    default_quote = " ".join(answer.split()[:6]) if answer else ""
    kps = []
    for k in key_point_ids:
        st = status.get(k, "missing") if isinstance(status, dict) else status
        ev = evidence.get(k, default_quote) if isinstance(evidence, dict) else (
            default_quote if evidence is None else evidence)
        kps.append({"id": k, "status": st, "evidence": "" if st == "missing" else ev})
    crits = {c: {"rationale": f"Fake rationale for {c}.",
                 "level": level.get(c, 2) if isinstance(level, dict) else level} for c in criterion_ids}
    reply = {"key_points": kps, "criteria": crits, "misconceptions": [],
             "summary": "Fake summary: the core idea is there.",
             "better_answer": "A fake stronger answer, said out loud.",
             "follow_up": "Why is the scaling factor needed?", "instructions_in_answer": False}
    reply.update(fields)
    return reply


def auto_grade(rec: Recorded, **kw: Any) -> Reply:
    """A valid grade for whatever was asked: every key point covered with a quote from the answer."""
    answer = request_answer(rec) or ""
    return Reply.ok(make_reply(request_key_point_ids(rec), request_criterion_ids(rec), answer, **kw))


def fake_grader(server: Any, kind: str = "openai", model: str | None = None, **cfg: Any):
    """An LLMGrader talking to `server` over `kind` ('openai' or 'ollama'), retrying fast (0.01 s backoff)."""
    from interviewer.backends.registry import make_backend
    from interviewer.backends.retry import RetryPolicy
    from interviewer.config import GraderConfig
    from interviewer.grading.llm.grader import LLMGrader

    url = server.openai_url if kind == "openai" else server.url
    c = GraderConfig(backend=kind, model=model or ("fake-model" if kind == "openai" else "llama3.1:8b"),
                     base_url=url, **cfg)
    return LLMGrader(make_backend(c), c, retry=RetryPolicy(max_retries=c.max_retries, base_delay=0.01))
