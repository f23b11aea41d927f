"""`interviewer eval` and grading.evaluate: loading labelled JSONL, bounded concurrency, failures counted (never
zero), usage totals, the CLI on a tiny file and on the shipped calibration set."""

from __future__ import annotations

import asyncio
import json

import pytest

from interviewer.cli.main import main
from interviewer.core.errors import InterviewerError
from interviewer.core.models import Grade, GraderInfo, Usage
from interviewer.grading.base import Grader, GradingError
from interviewer.grading.evaluate import load_records, run_eval

TINY = [
    {"qid": "s1", "question": "What does a stack's pop operation do?", "reference":
        "Pop removes and returns the element on the top of the stack.",
     "answer": "It removes the top element of the stack and returns it.", "score_avg": 5.0},
    {"qid": "s1", "question": "What does a stack's pop operation do?", "reference":
        "Pop removes and returns the element on the top of the stack.",
     "answer": "It adds an item to the queue.", "score_avg": 1.0},
    {"qid": "s1", "question": "What does a stack's pop operation do?", "reference":
        "Pop removes and returns the element on the top of the stack.",
     "answer": "Um, it takes the top thing off.", "score_avg": 3.5},
    {"question_id": "llm-q021", "answer": "Tokenization splits text into smaller units called tokens, like words "
     "or subwords, and each one maps to an ID in the vocabulary, with BPE or WordPiece.", "score_avg": 5.0},
    {"question_id": "llm-q021", "answer": "It's about credit card security.", "score_avg": 0.0},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_load_records_uses_bank_key_points_and_derives_otherwise(services, tmp_path):
    recs, field = load_records(write_jsonl(tmp_path / "l.jsonl", TINY), services=services)
    assert field == "score_avg" and len(recs) == 5
    assert recs[0].question.key_points == [] and recs[0].group == "s1"
    assert recs[3].question.id == "llm-q021" and len(recs[3].question.key_points) >= 3
    assert recs[3].rubric.id == services.rubric_for(recs[3].question).id
    # a bank question is graded as the app grades it: with the questions of its bank (GradeRequest.bank)
    assert recs[0].bank == () and recs[3].question in recs[3].bank and len(recs[3].bank) == 100


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not valid JSON"),
    ('{"question": "q?", "reference": "r", "answer": "a", "score_avg": 9}', "outside the scale"),
    ('{"question": "q?", "reference": "r", "answer": "a"}', "'score_avg' is missing or not a number"),
    ('{"question": "q?", "answer": "a", "score_avg": 2}', "'question' and 'reference'"),
    ('{"question_id": "nope-q1", "answer": "a", "score_avg": 2}', "not in any installed bank"),
])
def test_bad_lines_name_the_line(services, tmp_path, line, message):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps(TINY[0]) + "\n" + line + "\n")
    with pytest.raises(InterviewerError) as e:
        load_records(p, services=services)
    assert f"{p}:2:" in e.value.message and message in e.value.message


class SlowFakeGrader(Grader):
    """Counts how many gradings run at once; fails on one answer; reports token usage like an LLM."""

    name = "fake:model"

    def __init__(self) -> None:
        self.active = self.peak = 0

    async def grade(self, request) -> Grade:
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            await asyncio.sleep(0.01)
            if "credit card" in request.answer:
                raise GradingError("the model returned prose instead of JSON")
            return Grade(score=80.0, verdict="interview-ready", criteria=[], grader=GraderInfo(backend="fake"),
                         usage=Usage(prompt_tokens=100, completion_tokens=20, cost_usd=0.001))
        finally:
            self.active -= 1


async def test_concurrency_is_bounded_failures_are_counted_and_usage_summed(services, tmp_path):
    recs, field = load_records(write_jsonl(tmp_path / "l.jsonl", TINY * 4), services=services)
    fake = SlowFakeGrader()
    report, items = await run_eval(recs, fake, label_field=field, concurrency=3)
    assert fake.peak == 3
    assert report.n == 20 and report.failed == 4 and report.graded == 16
    assert all(it.grade is None for it in items if it.error)  # a failure is not a zero
    assert report.prompt_tokens == 1600 and report.completion_tokens == 320
    assert report.cost_usd == pytest.approx(0.016)
    assert report.errors and "prose instead of JSON" in report.errors[0]


async def test_offline_grader_agrees_on_the_tiny_file(services, tmp_path):
    recs, field = load_records(write_jsonl(tmp_path / "l.jsonl", TINY), services=services)
    report, items = await run_eval(recs, services.make_grader("offline"), label_field=field, concurrency=2)
    assert report.failed == 0
    assert report.pearson is not None and report.pearson > 0.7
    assert report.prompt_tokens is None and report.cost_usd is None  # the offline grader has no usage
    by = {it.record.answer: it.score for it in items}
    assert by[TINY[0]["answer"]] > by[TINY[1]["answer"]]
    assert {g.group for g in report.per_question} == {"s1", "llm-q021"}


def test_cli_on_a_tiny_file_json(tmp_path, capsys):
    p = write_jsonl(tmp_path / "tiny.jsonl", TINY)
    assert main(["eval", str(p), "--json", "--backend", "offline"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 5 and out["graded"] == 5 and out["label_field"] == "score_avg"
    assert out["grader"] == "offline" and out["pearson"] > 0.7
    assert {"pearson", "spearman", "qwk", "mae", "answers_per_s", "per_question"} <= set(out)


def test_cli_limit_and_label_options(tmp_path, capsys):
    rows = [dict(r, mark=r["score_avg"] * 2) for r in TINY]
    p = write_jsonl(tmp_path / "ten.jsonl", rows)
    assert main(["eval", str(p), "--json", "--limit", "3", "--label-field", "mark", "--label-max", "10"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 3 and out["label_field"] == "mark" and out["label_max"] == 10


def test_cli_table_on_the_calibration_set(capsys, services):
    assert services.locations.calibration_path.exists()
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    assert "Pearson r" in out and "quadratic weighted kappa" in out and "Per question" in out
    assert "llm-q029" in out and "answers/s" in out


def test_cli_bad_file_is_one_clear_line(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


def test_cli_with_an_llm_backend_against_the_fake_server(tmp_path, capsys, monkeypatch):
    """The real LLMGrader (openai backend) through `interviewer eval`, served by the fake OpenAI-compatible server
    on 127.0.0.1: every record graded, concurrency bounded, tokens summed, the key never printed."""
    from fakes import FakeLLMServer

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-123")
    p = write_jsonl(tmp_path / "tiny.jsonl", TINY)
    with FakeLLMServer() as srv:
        rc = main(["--base-url", srv.openai_url, "eval", str(p), "--backend", "openai", "--model", "fake-model",
                   "--concurrency", "2", "--json"])
        n_requests = len(srv.chat_requests)
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    out = json.loads(captured.out)
    assert out["graded"] == 5 and out["failed"] == 0 and n_requests == 5
    assert "openai" in out["grader"] and out["concurrency"] == 2
    assert out["prompt_tokens"] > 0 and out["completion_tokens"] > 0
    assert "sk-test-SECRET-123" not in captured.out + captured.err


class ByKindGrader(Grader):
    """Scores each answer by the number written in it, so the per-kind figures are known in advance."""

    name = "by-kind"

    async def grade(self, request):
        score = float(request.answer.split()[-1])
        return Grade(score=score, verdict="x", criteria=[], grader=GraderInfo(backend="by-kind"))


async def test_per_kind_figures_and_order_per_question(services, tmp_path):
    rows = [("llm-q001", "strong", 95), ("llm-q001", "weak", 40), ("llm-q001", "wrong", 65),
            ("llm-q002", "strong", 85), ("llm-q002", "weak", 45), ("llm-q002", "wrong", 20),
            ("llm-q003", "wrong", 59.9)]
    f = tmp_path / "kinds.jsonl"
    f.write_text("\n".join(json.dumps({"question_id": q, "answer": f"it is {s}", "score": 1, "level": k})
                           for q, k, s in rows))
    records, field = load_records(f, services=services)
    report, _ = await run_eval(records, ByKindGrader(), label_field=field)
    kinds = {k.kind: k for k in report.per_kind}
    assert [k.kind for k in report.per_kind] == ["strong", "weak", "wrong"]  # the reading order, not file order
    wrong = kinds["wrong"]
    assert (wrong.n, round(wrong.mean_score, 2), wrong.median_score) == (3, 48.3, 59.9)
    assert (wrong.solid_or_better, wrong.ready) == (1, 0)  # 65 reads as solid; 59.9 does not
    assert (kinds["strong"].solid_or_better, kinds["strong"].ready) == (2, 2)
    # llm-q001's wrong answer outscored its weak one; llm-q003 has no weak answer to compare with.
    assert report.order_violations == {"weak>wrong": 1}  # only pairs present in some question are reported


async def test_keyword_lists_and_terse_answers_are_kinds_in_the_order(services, tmp_path):
    """The keyword-list sets' kinds (data/calibration/llm-100-lists*.jsonl): a terse answer reads after partial,
    a keyword list last, and either must score at most the weak answer and the terse one to its question."""
    rows = [("llm-q001", "keywords", 50), ("llm-q001", "weak", 40), ("llm-q001", "terse", 70),
            ("llm-q002", "keywords", 80), ("llm-q002", "weak", 45), ("llm-q002", "terse", 75)]
    f = tmp_path / "lists.jsonl"
    f.write_text("\n".join(json.dumps({"question_id": q, "answer": f"it is {s}", "score": 1, "level": k})
                           for q, k, s in rows))
    records, field = load_records(f, services=services)
    report, _ = await run_eval(records, ByKindGrader(), label_field=field)
    assert [k.kind for k in report.per_kind] == ["terse", "weak", "keywords"]
    assert report.order_violations == {"weak>keywords": 2, "terse>keywords": 1}


def test_cli_json_carries_the_per_kind_figures(tmp_path, capsys):
    f = tmp_path / "kinds.jsonl"
    f.write_text("\n".join(json.dumps({"question_id": "llm-q001", "answer": a, "score": s, "level": k}) for a, s, k in (
        ("An LLM is a transformer trained on huge amounts of text to predict the next token.", 4, "strong"),
        ("Not sure, some kind of AI.", 1, "weak"))))
    assert main(["eval", str(f), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [k["kind"] for k in d["per_kind"]] == ["strong", "weak"]
    assert d["per_kind"][0]["n"] == 1 and "weak>wrong" not in d["order_violations"]
