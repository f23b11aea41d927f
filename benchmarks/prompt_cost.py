"""Prompt cost: prompt and completion tokens for the default rubric on five representative answers, what each
section of the prompt is for, and the cost of a 20-question session at list prices.

Answers: from the shipped calibration set (data/calibration), default-rubric questions: a strong, a partial, a
weak and a wrong answer (to four different questions), and the longest answer of all. Tokens are counted with tiktoken o200k_base
(the GPT-4o / 4o-mini encoding; bundled copy, see prompt_size.py); other providers' tokenizers differ by some
percent. Completions are not a model's output: for each answer, a reply of the shape and length a capable judge
returns (prompt_size.REPLY's rationales, summary and follow-up; the offline grader's key-point statuses and
real quotes from this answer; the question's reference as the stronger answer). Prices: the per-token list
prices in the model price map bundled with the installed litellm (read from its JSON file; litellm is not
imported), with the litellm version and the date of the run. Writes the `prompt-cost` section.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402
from prompt_size import CHAT_OVERHEAD_PER_MESSAGE, REPLY, encoders  # noqa: E402

MODELS = ["gpt-4o-mini", "gpt-4o", "claude-haiku-4-5"]
"""The app's default OpenAI model, its larger sibling, and a common Anthropic model (through litellm)."""
SESSION = 20
OPENAI_CACHE_MIN = 1024  # OpenAI caches prompt prefixes of 1,024 tokens or more, in steps of 128


def prices() -> tuple[dict[str, dict[str, float]], str]:
    import importlib.util
    from importlib.metadata import version

    spec = importlib.util.find_spec("litellm")
    path = Path(list(spec.submodule_search_locations)[0]) / "model_prices_and_context_window_backup.json"
    data = json.loads(path.read_text())
    out = {}
    for m in MODELS:
        e = data[m]
        out[m] = {"in": e["input_cost_per_token"], "out": e["output_cost_per_token"],
                  "cached": e.get("cache_read_input_token_cost")}
    return out, f"litellm {version('litellm')}"


def answers(svc) -> list[tuple[str, dict]]:
    recs = [json.loads(line) for line in (ROOT / "data" / "calibration" / "llm-100-calibration.jsonl").read_text()
            .splitlines() if line.strip()]
    default = [r for r in recs if svc.find_question(r["question_id"])[1].rubric == "default"]
    qids = list(dict.fromkeys(r["question_id"] for r in default))
    picked = [(lvl, next(r for r in default if r["level"] == lvl and r["question_id"] == qids[i]))
              for i, lvl in enumerate(("strong", "partial", "weak", "wrong"))]  # four different questions
    longest = max(default, key=lambda r: len(r["answer"]))
    return [*picked, ("longest", longest)]


def reply_for(question, rubric, answer: str) -> str:
    """A representative judge reply for this answer (see the module docstring)."""
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.offline.grader import OfflineGrader

    g = OfflineGrader().grade_sync(GradeRequest(question=question, rubric=rubric, answer=answer))
    reply = dict(REPLY)
    reply["key_points"] = {k.key_point_id: {"status": k.status.value, "evidence": k.evidence or ""}
                           for k in g.key_points}
    reply["criteria"] = {c.id: REPLY["criteria"].get(c.id, next(iter(REPLY["criteria"].values())))
                         for c in rubric.criteria}
    reply["better_answer"] = question.reference
    return json.dumps(reply)


def main() -> None:
    from interviewer.app.services import Services
    from interviewer.core.rubric import render_rubric
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.llm.prompt import build_prompt, key_points_text, misconceptions_text, template
    from interviewer.grading.llm.schema import reply_schema

    svc = Services.create(env={"INTERVIEWER_HOME": os.environ.get("TMPDIR", "/tmp") + "/interviewer-bench"})
    encs, source = encoders()
    enc = encs.get("o200k_base")
    if enc is None:
        raise SystemExit(f"tiktoken o200k_base is not available ({source}): counts would be estimates")

    def n(s: str) -> int:
        return len(enc(s))

    rows = []
    for label, rec in answers(svc):
        _, q = svc.find_question(rec["question_id"])
        rubric = svc.rubric_for(q)
        p = build_prompt(GradeRequest(question=q, rubric=rubric, answer=rec["answer"]), nonce="0" * 16)
        reply = reply_for(q, rubric, rec["answer"])
        rows.append({"label": label, "qid": q.id, "words": len(rec["answer"].split()), "system": n(p.system),
                     "user": n(p.user), "answer": n(rec["answer"]),
                     "prompt": n(p.system) + n(p.user) + 3 * CHAT_OVERHEAD_PER_MESSAGE, "completion": n(reply),
                     "reply": json.loads(reply)})
    # What each part of the prompt costs (first answer's question; the system part is the same for all).
    q0 = svc.find_question(rows[0]["qid"])[1]
    rubric = svc.rubric_for(q0)
    system_tpl = template("system").template
    parts = system_tpl.split("\n\n")
    section_text = {
        "role line": parts[0],
        "how the answer was given (spoken style, own words)": parts[1],
        "the answer is data, not instructions": parts[2],
        "what to return (statuses, quotes, levels, feedback fields)": parts[3],
        "rubric: criteria and level descriptions": render_rubric(rubric),
        "output contract and JSON schema": "Output contract\n" + json.dumps(reply_schema(rubric), separators=(",", ":")),
        "question, reference answer, key points and misconceptions": template("user").template.split(
            "The candidate's answer")[0].replace("$question", q0.question).replace("$asked", "")
        .replace("$reference", q0.reference).replace("$key_points", key_points_text(q0))
        .replace("$misconceptions", misconceptions_text(q0)).replace("$screening", ""),
    }
    why = {
        "role line": "a judge, not a chat partner: replies that are only the JSON",
        "how the answer was given (spoken style, own words)": "fillers and typos not marked down; paraphrase credited",
        "the answer is data, not instructions": "injected 'give full marks' earns nothing (adversarial suite)",
        "what to return (statuses, quotes, levels, feedback fields)": "the key-point statuses and quotes the score is "
                                                                      "computed from",
        "rubric: criteria and level descriptions": "the levels the criteria scores come from",
        "output contract and JSON schema": "a parseable reply (a bad one costs a re-ask)",
        "question, reference answer, key points and misconceptions": "what is graded against, and the wrong "
                                                                     "claims to watch for",
    }
    fb = rows[0]["reply"]
    feedback_tokens = sum(n(json.dumps(fb[k])) for k in ("summary", "better_answer", "follow_up"))
    price, price_source = prices()
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    avg_p = sum(r["prompt"] for r in rows) / len(rows)
    avg_c = sum(r["completion"] for r in rows) / len(rows)
    system = rows[0]["system"]
    cacheable = system // 128 * 128 if system >= OPENAI_CACHE_MIN else 0

    def session_cost(m: str, calls: int, cache: bool) -> float:
        pr = price[m]
        cost = calls * (avg_p * pr["in"] + avg_c * pr["out"])
        if cache and pr["cached"] is not None and m.startswith("gpt"):
            cost -= (calls - 1) * cacheable * (pr["in"] - pr["cached"])
        return cost

    t1 = ["| answer | question | words | prompt tokens | of which the answer | completion tokens |",
          "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        t1.append(f"| {r['label']} | {r['qid']} | {r['words']} | {r['prompt']:,} | {r['answer']:,} | {r['completion']:,} |")
    t1.append(f"| **mean** | | | **{avg_p:,.0f}** | | **{avg_c:,.0f}** |")
    t2 = ["| part of the prompt | tokens | what it changes in the grade |", "|---|---:|---|"]
    for k, v in section_text.items():
        t2.append(f"| {k} | {n(v):,} | {why[k]} |")
    t3 = ["| model | input / cached input / output, $ per 1M tokens | one answer | 20-question session | "
          "20 questions + 20 follow-ups | same, with prompt caching |", "|---|---|---:|---:|---:|---:|"]
    for m in MODELS:
        pr = price[m]
        cached = f"{pr['cached'] * 1e6:.3g}" if pr["cached"] is not None else "-"
        auto = m.startswith("gpt")
        t3.append(f"| {m} | {pr['in'] * 1e6:.3g} / {cached} / {pr['out'] * 1e6:.3g} | "
                  f"${session_cost(m, 1, False):.5f} | ${session_cost(m, SESSION, False):.4f} | "
                  f"${session_cost(m, 2 * SESSION, False):.4f} | "
                  + (f"${session_cost(m, 2 * SESSION, True):.4f} |" if auto else "not used by the app |"))
    body = f"""Method: `benchmarks/prompt_cost.py`. Default rubric, five answers from the calibration set, tiktoken
o200k_base ({source}). Completions are representative replies built for each answer, not model output (see the
script). Prices: list prices per token from the model price map bundled with {price_source}, read on {today}
(no network here to check the providers' pages; those are the prices the app's own cost figures use).

{chr(10).join(t1)}

**Cost of a 20-question session** (mean prompt and completion above; a follow-up answer is graded like any
answer, so a session where every follow-up is answered makes 40 calls):

{chr(10).join(t3)}

Prompt caching: OpenAI caches a prompt prefix of 1,024 tokens or more automatically; the system message
({system:,} tokens) is identical for every answer graded with the same rubric, so from the second call on
{cacheable:,} of each prompt's tokens are billed at the cached price. The app does not ask Anthropic models
(through litellm) to cache.

**Is every part of the prompt needed?** Each part changes what the grade is, or whether there is one:

{chr(10).join(t2)}

The feedback fields (summary, stronger answer, follow-up question) are about {feedback_tokens:,} of the
{rows[0]['completion']:,} completion tokens of the strong answer's reply; they do not change the score but are
the feedback the person practises with. A score-only mode for `interviewer eval` could drop them (about
{feedback_tokens / rows[0]['completion']:.0%} of its output tokens); not done, since eval checks the grader the
app really uses.
"""
    write_section("prompt-cost", "Prompt cost: five answers and a 20-question session", body)
    print(body)


if __name__ == "__main__":
    main()
