"""Building valid judge replies, from a question's ids or from the request itself (`auto_grade`), and a
grader wired to the fake server with fast retries, for tests in any area (CLI, TUI, reliability).

`auto_grade` plays a careful judge: for each key point it quotes the six words of the answer that share the most
words with the point (the question's own words do not count), and marks the point missing when nothing does, so
its quotes pass the grader's evidence checks the way a good model's would. Replies have the shape of prompt
grade-v2 (key points keyed by id); `make_reply(..., key_points_as_list=True)` gives grade-v1's list."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from .protocol import Recorded, Reply

_TAG_OPEN = re.compile(r"<answer-([0-9a-f]+)>\n?(.*?)\n?</answer-\1>", re.S)
_KP_LINE = re.compile(r"^- ([a-z0-9][a-z0-9._-]*): (.*)$", re.M)
_WORD = re.compile(r"[A-Za-z0-9]+")
_STOP = frozenset("""a an the and or but of to in on at by for with as is are was were be been it its this that these
those from into than then so not no can could would should will may might do does did has have had what which who
how why when where there here we you they he she i um uh like just also very more most some any each every one""".split())


def request_answer(rec: Recorded) -> str | None:
    """The candidate's answer as sent, between the nonce tags of the last user message."""
    users = [m for m in rec.messages if m.get("role") == "user"]
    for m in users[:1]:
        found = _TAG_OPEN.search(str(m.get("content", "")))
        if found:
            return found.group(2)
    return None


def _first_user(rec: Recorded) -> str:
    users = [m for m in rec.messages if m.get("role") == "user"]
    return str(users[0].get("content", "")) if users else ""


def _section(text: str, head: str) -> str:
    section = text.split(head, 1)[1] if head in text else ""
    for end in ("Known misconceptions", "<answer-", "The candidate's answer follows"):
        section = section.split(end, 1)[0]
    return section


def request_key_points(rec: Recorded) -> dict[str, str]:
    """Key point id -> text, as the prompt lists them."""
    return dict(_KP_LINE.findall(_section(_first_user(rec), "Key points")))


def request_key_point_ids(rec: Recorded) -> list[str]:
    return list(request_key_points(rec))


def request_misconceptions(rec: Recorded) -> dict[str, str]:
    """Known misconception id -> claim, as the prompt lists them."""
    return dict(_KP_LINE.findall(_section(_first_user(rec), "Known misconceptions")))


def request_question(rec: Recorded) -> str:
    m = re.search(r"^Question: (.*)$", _first_user(rec), re.M)
    return m.group(1) if m else ""


def _stem(w: str) -> str:
    return w.lower()[:5]


def best_quote(answer: str, point: str, ignore: str = "", width: int = 6) -> str:
    """The `width` words of one sentence of `answer` sharing the most words with `point` (words of `ignore` do not
    count): the quote a careful judge would give; "" when no word is shared."""
    want = {_stem(w) for w in _WORD.findall(point) if w.lower() not in _STOP} - {
        _stem(w) for w in _WORD.findall(ignore)}
    best, score = "", 0
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", answer):
        words = sentence.split()
        for i in range(max(1, len(words) - width + 1)):
            window = words[i:i + width]
            n = sum(1 for w in window for t in _WORD.findall(w) if _stem(t) in want and t.lower() not in _STOP)
            if n > score and len(window) >= 3:
                best, score = " ".join(window), n
    return best


def request_criterion_ids(rec: Recorded) -> list[str]:
    schema = rec.schema
    if schema is None:  # JSON mode: the schema is in the system prompt
        system = next((str(m.get("content", "")) for m in rec.messages if m.get("role") == "system"), "")
        start = system.find('{"type":"object"')
        schema = json.JSONDecoder().raw_decode(system[start:])[0] if start >= 0 else {}
    return list(schema.get("properties", {}).get("criteria", {}).get("properties", {}))


def make_reply(key_point_ids: Iterable[str], criterion_ids: Iterable[str], answer: str = "", *,
               level: int | dict[str, int] = 3, status: str | dict[str, str] = "covered",
               evidence: str | dict[str, str] | None = None, key_points_as_list: bool = False,
               **fields: Any) -> dict[str, Any]:
    """A valid reply dict. Evidence defaults to the answer's first six words (it occurs in the answer; whether it
    shows each point is for the grader to check)."""
    default_quote = " ".join(answer.split()[:6]) if answer else ""
    kps = {}
    for k in key_point_ids:
        st = status.get(k, "missing") if isinstance(status, dict) else status
        ev = evidence.get(k, default_quote) if isinstance(evidence, dict) else (
            default_quote if evidence is None else evidence)
        kps[k] = {"status": st, "evidence": "" if st == "missing" else ev}
    crits = {c: {"rationale": f"Fake rationale for {c}.",
                 "level": level.get(c, 2) if isinstance(level, dict) else level} for c in criterion_ids}
    reply = {"key_points": [{"id": k, **v} for k, v in kps.items()] if key_points_as_list else kps,
             "misconceptions": [], "criteria": crits,
             "summary": "Fake summary: the core idea is there.",
             "better_answer": "A fake stronger answer, said out loud.",
             "follow_up": "Why is the scaling factor needed?", "instructions_in_answer": False}
    reply.update(fields)
    return reply


def careful_reply(rec: Recorded, **kw: Any) -> dict[str, Any]:
    """The reply a careful judge gives: each key point covered with the quote that shows it (`best_quote`), or
    missing when the answer shares no word with it. Keyword arguments go to `make_reply`."""
    answer = request_answer(rec) or ""
    question = request_question(rec)
    quotes = {k: best_quote(answer, text, question) for k, text in request_key_points(rec).items()}
    kw.setdefault("status", {k: "covered" if q else "missing" for k, q in quotes.items()})
    kw.setdefault("evidence", quotes)
    return make_reply(list(quotes), request_criterion_ids(rec), answer, **kw)


def auto_grade(rec: Recorded, **kw: Any) -> Reply:
    """A valid grade for whatever was asked, from a careful judge (`careful_reply`)."""
    return Reply.ok(careful_reply(rec, **kw))


DEFAULT_MODELS = {"openai": "fake-model", "ollama": "llama3.1:8b", "litellm": "openai/fake-model"}


def fake_grader(server: Any, kind: str = "openai", model: str | None = None, **cfg: Any):
    """An LLMGrader talking to `server` over `kind`, retrying fast (0.01 s backoff): 'openai', 'ollama', or
    'litellm' (by default as litellm's OpenAI-compatible provider, "openai/fake-model"; an "ollama_chat/..." model
    talks Ollama's protocol)."""
    from interviewer.backends.registry import make_backend
    from interviewer.backends.retry import RetryPolicy
    from interviewer.config import GraderConfig
    from interviewer.grading.llm.grader import LLMGrader

    model = model or DEFAULT_MODELS[kind]
    ollama = kind == "ollama" or model.startswith(("ollama/", "ollama_chat/"))
    url = server.url if ollama else server.openai_url
    c = GraderConfig(backend=kind, model=model, base_url=url, **cfg)
    return LLMGrader(make_backend(c), c, retry=RetryPolicy(max_retries=c.max_retries, base_delay=0.01))
