"""Issue 12 item 5 on the LLM path: the prompt lists the question's known misconceptions with their ids; the model
names one by id (it gets the bank's claim and correction) or a new one (it keeps the model's words), each with a
quote verified like key-point evidence. A misconception whose quote is not in the answer, or does not state it, is
dropped and said in the notes (an accusation counts only with the candidate's words). Stated misconceptions lower
the correctness criterion (one: at most 2, "a notable error"; two or more: at most 1, "a serious error at the
core") and cap the verdict as the offline grader does (below "solid"; two or more: "needs work"), in code, however
high the model's levels. A known misconception makes the key points it contradicts missing."""

from __future__ import annotations

import asyncio

import pytest

from fakes import FakeLLMServer, Reply, careful_reply, fake_grader
from interviewer.core.models import KeyPoint, KeyPointStatus, Misconception, Question
from interviewer.core.scoring import score_below
from interviewer.grading.base import GradeRequest

KINDS = ["openai", "ollama", "litellm"]
WRONG = ("Attention takes Q, K and V, which are just identical copies of the input, and you take the dot product "
         "of the query with each key, Q times K transpose. Then the square root makes them sum to one, and you "
         "multiply by V to get a weighted sum of the values.")


@pytest.fixture
def srv():
    with FakeLLMServer() as s:
        yield s


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")


@pytest.fixture
def q030(services):
    _, q = services.find_question("llm-q030")
    return q, services.rubric_for(q)


def grade(srv, kind, q, rubric, answer):
    async def go():
        g = fake_grader(srv, kind)
        try:
            return await g.grade(GradeRequest(question=q, rubric=rubric, answer=answer))
        finally:
            await g.aclose()

    return asyncio.run(go())


def named(*items):
    """A judge that gives level 4 everywhere, covers what it can quote, and names these misconceptions."""
    def respond(rec):
        return Reply.ok(careful_reply(rec, level=4, misconceptions=[
            {"id": i, "claim": c, "correction": r, "quote": quote} for i, c, r, quote in items]))
    return respond


def crit(gr, cid):
    return next(c.level for c in gr.criteria if c.criterion_id == cid)


def test_the_prompt_lists_the_known_misconceptions_with_their_ids(srv, q030):
    q, rubric = q030
    grade(srv, "openai", q, rubric, WRONG)
    user = srv.chat_requests[0].messages[1]["content"]
    section = user.split("Known misconceptions", 1)[1].split("<answer-", 1)[0]
    for m in q.misconceptions:
        assert f"- {m.id}: {m.claim}" in section
    assert user.index("Known misconceptions") < user.index("<answer-")


@pytest.mark.parametrize("kind", KINDS)
def test_a_known_misconception_gets_the_banks_words_and_caps_the_verdict(srv, q030, kind):
    q, rubric = q030
    srv.script(Reply.dynamic(named(("m1", "model words, not used", "", "which are just identical copies of the "
                                                                        "input"))))
    gr = grade(srv, kind, q, rubric, WRONG)
    (m,) = gr.misconceptions
    m1 = next(x for x in q.misconceptions if x.id == "m1")
    assert (m.id, m.source, m.claim, m.correction) == ("m1", "bank", m1.claim, m1.correction)
    assert m.evidence == "which are just identical copies of the input"
    assert crit(gr, "correctness") == 2  # the model said 4; one stated misconception is "a notable error"
    assert gr.score <= score_below("solid") and gr.verdict == "partial"
    assert any("correctness 4\u21922" in n and "a stated misconception is a notable error" in n for n in gr.notes)
    k5 = next(k for k in gr.key_points if k.key_point_id == "k5")  # m1 contradicts k5
    assert k5.status is KeyPointStatus.missing and k5.contradiction == m.evidence


@pytest.mark.parametrize("kind", KINDS)
def test_two_misconceptions_cap_at_needs_work(srv, q030, kind):
    q, rubric = q030
    srv.script(Reply.dynamic(named(
        ("m1", "", "", "Q, K and V, which are just identical copies"),
        ("m2", "", "", "the square root makes them sum to one"),
        ("new", "Says the dot product is taken with the values.", "It is taken with the keys.",
         "the square root makes them sum to one"))))  # the same words as m2: not a third claim
    gr = grade(srv, kind, q, rubric, WRONG)
    assert [m.id for m in gr.misconceptions] == ["m1", "m2"]
    assert crit(gr, "correctness") == 1
    assert gr.score <= score_below("partial") and gr.verdict == "needs work"


def test_a_misconception_without_the_answers_words_is_dropped(srv, q030):
    q, rubric = q030
    srv.script(Reply.dynamic(named(
        ("m3", "", "", "the keys hold the information retrieved"),  # not in the answer
        ("m4", "", "", "you multiply by V"),                          # in the answer, but it does not state m4
        ("new", "Says softmax is applied twice.", "Once.", ""))))     # no quote at all
    gr = grade(srv, "openai", q, rubric, WRONG)
    assert gr.misconceptions == []
    assert crit(gr, "correctness") == 4 and gr.score > score_below("solid")
    assert any(n.startswith('misconception(s) m3, m4, "Says softmax is applied twice." named without words from '
                            "the answer that state them; not counted") for n in gr.notes)


def test_a_new_misconception_keeps_the_models_words(srv, q030):
    q, rubric = q030
    srv.script(Reply.dynamic(named(("new", "Says the scores are divided by the square root to sum to one.",
                                    "Softmax makes them sum to one.", "the square root makes them sum to one"))))
    gr = grade(srv, "openai", q, rubric, WRONG)
    (m,) = gr.misconceptions
    assert (m.source, m.id, m.claim, m.correction) == (
        "model", None, "Says the scores are divided by the square root to sum to one.",
        "Softmax makes them sum to one.")
    assert crit(gr, "correctness") == 2


def test_a_question_with_its_own_misconceptions(srv, services):
    """Any question's misconceptions, not only the bank's: ids go into the schema's enum and the prompt."""
    rubric = services.rubric("default")
    q = Question(id="t-1", number=1, topic="Caching", question="What does a KV cache store?",
                 reference="The keys and values of past tokens, so decoding does not recompute them.",
                 key_points=[KeyPoint(id="k1", text="It stores the keys and values of past tokens"),
                             KeyPoint(id="k2", text="Decoding reuses them instead of recomputing attention inputs")],
                 misconceptions=[Misconception(id="stores-outputs", claim="The KV cache stores the model's outputs",
                                               correction="It stores keys and values, not outputs.",
                                               signals=["stores the outputs"], contradicts=["k1"])])
    answer = "The KV cache stores the outputs of the model so it can reuse them when decoding the next token."
    srv.script(Reply.dynamic(named(("stores-outputs", "", "", "The KV cache stores the outputs of the model"))))
    gr = grade(srv, "ollama", q, rubric, answer)
    (rec,) = srv.chat_requests
    assert rec.schema["properties"]["misconceptions"]["items"]["properties"]["id"]["enum"] == ["stores-outputs",
                                                                                               "new"]
    assert "- stores-outputs: The KV cache stores the model's outputs" in rec.messages[1]["content"]
    assert gr.misconceptions[0].claim == "The KV cache stores the model's outputs"
    assert gr.key_points[0].status is KeyPointStatus.missing and gr.key_points[0].contradiction
    assert gr.verdict in ("partial", "needs work")
