"""Prompt size of the LLM grader: prompt and completion tokens for a typical spoken answer, the static
(cacheable) share, the spread over the 100 questions, and the num_ctx the Ollama backend asks for.
Writes the `prompt-size` section of docs/benchmarks.md.

Tokens are counted with tiktoken's o200k_base (GPT-4o / 4o-mini family) and cl100k_base. tiktoken downloads
its encoding files on first use; offline, this script reads the copies bundled inside the installed litellm
package (found on disk, litellm itself is not imported). If neither works, it falls back to an estimate of
4 characters per token and says so in the report.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402

QUESTION = "llm-q030"
ANSWER = (
    "Okay so, um, the attention formula is softmax of Q K transpose over the square root of d k, times V. "
    "Q is the queries, like what each token is looking for, K are the keys, what we match against, and V "
    "are the values, the actual information we pull out. You take the dot product of each query with every "
    "key to get scores, then you divide by root d k because, uh, with big dimensions the dot products get "
    "really large and the softmax saturates, so the gradients get tiny. Then softmax turns the scores into "
    "weights that add up to one, and you multiply by V, so each output is a weighted sum of the values. "
    "In practice you run several of these heads in parallel, that's multi-head attention."
)
# A hand-written reply of the length and shape a capable judge returns for this answer (not a model's output).
REPLY = {
    "key_points": {
        "k1": {"status": "covered", "evidence": "take the dot product of each query with every key"},
        "k2": {"status": "covered", "evidence": "divide by root d k"},
        "k3": {"status": "covered", "evidence": "softmax turns the scores into weights that add up to one"},
        "k4": {"status": "covered", "evidence": "each output is a weighted sum of the values"},
        "k5": {"status": "covered", "evidence": "what each token is looking for, K are the keys"},
        "k6": {"status": "covered", "evidence": "the softmax saturates, so the gradients get tiny"},
    },
    "criteria": {
        "correctness": {"rationale": "Every statement is right, including why the scaling is needed.", "level": 4},
        "coverage": {"rationale": "All six key points are stated clearly in the candidate's own words.", "level": 4},
        "clarity": {"rationale": "Leads with the formula, then walks through each part in order; easy to follow "
                                 "by ear despite the fillers.", "level": 4},
        "depth": {"rationale": "Explains the saturation problem behind the scaling and mentions multi-head "
                               "attention, but gives no concrete example.", "level": 3},
    },
    "misconceptions": [],
    "summary": "A complete, correct explanation that leads with the formula and explains every term. The "
               "reason for the scaling is well put. An example would make it interview-perfect.",
    "better_answer": "Attention is softmax of Q K transpose over root d k, times V. Each token's query is "
                     "compared with every key by a dot product, which gives a score for how relevant each other "
                     "token is. We divide by the square root of the key dimension because large dot products push "
                     "softmax into saturation, where gradients vanish. Softmax turns the scores into weights that "
                     "sum to one, and the output is the weighted sum of the value vectors. For example, in 'the "
                     "cat sat because it was tired', the query for 'it' puts most weight on 'cat'. Transformers "
                     "run several such heads in parallel so each can attend to different relations.",
    "follow_up": "What would go wrong in training if you left out the square-root scaling with d_k = 512?",
    "instructions_in_answer": False,
}
CHAT_OVERHEAD_PER_MESSAGE = 3
"""OpenAI's chat format adds about 3 tokens per message plus 3 to prime the reply (their cookbook's count)."""


def encoders():
    """{name: encode function}, and a note on where the encodings came from."""
    try:
        import tiktoken
    except ImportError:
        return {}, "tiktoken is not installed"
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        spec = importlib.util.find_spec("litellm")
        if spec and spec.submodule_search_locations:
            bundled = Path(list(spec.submodule_search_locations)[0]) / "litellm_core_utils" / "tokenizers"
            if bundled.is_dir():
                os.environ["TIKTOKEN_CACHE_DIR"] = str(bundled)
    out = {}
    for name in ("o200k_base", "cl100k_base"):
        try:
            enc = tiktoken.get_encoding(name)
        except Exception:  # noqa: BLE001 - offline and no bundled copy
            continue
        out[name] = enc.encode
    return out, f"tiktoken {tiktoken.__version__}"


def main() -> None:
    from interviewer.app.services import Services
    from interviewer.backends.ollama_backend import num_ctx_for
    from interviewer.grading.base import GradeRequest
    from interviewer.grading.llm.grader import MAX_TOKENS
    from interviewer.grading.llm.prompt import PROMPT_VERSION, build_prompt, reask_message
    from interviewer.grading.llm.schema import reply_schema

    svc = Services.create(env={"INTERVIEWER_HOME": os.environ.get("TMPDIR", "/tmp") + "/interviewer-bench"})
    bank = svc.bank()
    _, q = svc.find_question(QUESTION)
    rubric = svc.rubric_for(q)
    p = build_prompt(GradeRequest(q, rubric, ANSWER), nonce="0" * 16)
    schema_text = json.dumps(reply_schema(rubric), separators=(",", ":"))  # the generic form the system prompt shows
    reply_text = json.dumps(REPLY)
    encs, source = encoders()
    estimated = not encs
    if estimated:
        encs = {"estimate (4 chars/token)": lambda s: [0] * max(1, round(len(s) / 4))}
        source += "; encodings unavailable offline, so figures are ESTIMATES at 4 characters per token"

    rows = []
    for name, enc in encs.items():
        n = lambda s, enc=enc: len(enc(s))  # noqa: E731
        system, user = n(p.system), n(p.user)
        prompt = system + user + 3 * CHAT_OVERHEAD_PER_MESSAGE
        per_q = []
        for qq in bank.questions:
            pq = build_prompt(GradeRequest(qq, svc.rubric_for(qq), ANSWER), nonce="0" * 16)
            per_q.append(n(pq.system) + n(pq.user) + 3 * CHAT_OVERHEAD_PER_MESSAGE)
        reask = n(reask_message("criteria.depth.level: Input should be less than or equal to 4 (got 5)",
                                GradeRequest(q, rubric, ANSWER)))
        rows.append({
            "enc": name, "system": system, "schema": n(schema_text), "user": user, "answer": n(ANSWER),
            "prompt": prompt, "completion": n(reply_text), "static_share": system / prompt,
            "min": min(per_q), "median": statistics.median(per_q), "max": max(per_q),
            "reask_extra": prompt + n(reply_text) + reask + CHAT_OVERHEAD_PER_MESSAGE * 2,
        })
        print(f"{name}: prompt {prompt} (system {system}, user {user}), completion {n(reply_text)}, "
              f"bank prompt min/median/max {min(per_q)}/{statistics.median(per_q):.0f}/{max(per_q)}")

    num_ctx = num_ctx_for(p.messages, MAX_TOKENS)
    words = len(ANSWER.split())
    table = ["| figure | " + " | ".join(r["enc"] for r in rows) + " |",
             "|---|" + "---:|" * len(rows)]

    def line(label: str, key: str, fmt: str = "{:,}") -> None:
        table.append(f"| {label} | " + " | ".join(fmt.format(r[key]) for r in rows) + " |")

    line("system message: role, rules, rubric, output contract (static per rubric)", "system")
    line("  of which the JSON schema", "schema")
    line("user message: question, reference, key points, known misconceptions, answer", "user")
    line(f"  of which the answer ({words} words)", "answer")
    line("**prompt tokens, typical answer** (incl. ~3/message chat framing)", "prompt")
    line("static, cacheable share of the prompt", "static_share", "{:.0%}")
    line("**completion tokens, representative reply**", "completion")
    line("prompt tokens over all 100 questions, same answer: min", "min")
    line("  median", "median", "{:,.0f}")
    line("  max", "max")
    line("extra prompt tokens when a re-ask is needed (prompt + bad reply + error)", "reask_extra")
    body = "\n".join([
        f"Prompt `{PROMPT_VERSION}`, rubric `{rubric.ref}`, question `{QUESTION}`, a typical spoken answer of "
        f"{words} words. Counted with {source}. The completion is a hand-written reply of the length and shape a "
        "capable judge returns (six key points with quotes, four rationales, a "
        f"{len(REPLY['better_answer'].split())}-word stronger answer), not a model's output; real replies vary "
        "with the model.",
        "",
        *table,
        "",
        f"The static system message is identical for every question graded with the same rubric, so providers' "
        f"prefix caching applies to it (OpenAI caches prefixes of 1,024 tokens or more). The reply budget is "
        f"max_tokens = {MAX_TOKENS} (3,000 on a re-ask after a cut-off). For this prompt the Ollama backend "
        f"asks for num_ctx = {num_ctx:,} (prompt estimated at 3 characters per token, plus the reply budget, "
        "rounded up to 1,024), above Ollama's small default context which would silently drop the start of "
        "the prompt.",
    ])
    write_section("prompt-size", "LLM grading prompt size", body)


if __name__ == "__main__":
    main()
