"""Measuring a grader against human labels: the engine behind `interviewer eval` and the benchmarks.

Owns three steps, none of which touches the user's database (an evaluation is not practice history):
- `load_records`: a JSONL file of labelled answers -> records with a Question and a Rubric each. A record
  naming a bank question (`question_id`) is graded with that question's curated key points and rubric; any
  other record needs `question` and `reference` (key points are then derived by the offline grader).
- `run_eval`: grade every record with any Grader, with bounded concurrency (LLM graders retry inside their
  own retry layer, so a slot is held for the whole attempt), through the same `grade_answer` path as the app.
- `EvalReport`: Pearson, Spearman, quadratic weighted kappa (after mapping the 0-100 score to the label scale),
  MAE, a per-question breakdown, throughput, and tokens/cost when the grades carry usage.
A grading failure is counted and reported, never scored as zero.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from ..core.errors import InterviewerError
from ..core.metrics import mae, pearson, quadratic_weighted_kappa, spearman, to_scale
from ..core.models import Grade, Question, Rubric, is_valid_id
from .base import Catalogue, Grader, GradingError
from .service import grade_answer

LABEL_FIELDS = ("score_avg", "score", "label", "grade")
"""Tried in this order when no label field is named."""


@dataclass(frozen=True)
class LabelledRecord:
    line: int
    group: str
    """What the per-question breakdown groups by: the bank question id, the record's `qid`, or the question."""
    question: Question
    rubric: Rubric
    answer: str
    label: float
    level: str = ""
    """Optional quality tag carried by the record (the calibration set says strong / partial / weak / wrong)."""
    bank: tuple[Question, ...] = ()
    """The questions of the bank a `question_id` record's question comes from (GradeRequest.bank)."""


@dataclass
class EvalItem:
    record: LabelledRecord
    grade: Grade | None = None
    error: str | None = None

    @property
    def score(self) -> float | None:
        return None if self.grade is None else self.grade.score


@dataclass
class GroupStats:
    group: str
    question: str
    n: int
    mean_label: float
    mean_predicted: float
    pearson: float | None
    mae: float


@dataclass
class KindStats:
    """Figures for one kind of answer (the record's `level`: strong, partial, weak, wrong, mixed, offtopic ...),
    on the grader's own 0-100 scale, so "how many wrong answers read as solid" can be read off directly."""

    kind: str
    n: int
    mean_score: float
    median_score: float
    solid_or_better: int
    """How many scored at least the "solid" band's floor (core.scoring)."""
    ready: int
    """How many scored in the top band ("interview-ready"; the offline grader calls it "complete")."""


KIND_ORDER = ("strong", "partial", "terse", "weak", "mixed", "wrong", "offtopic", "keywords")
RANKS = (("strong", "partial"), ("partial", "weak"), ("weak", "wrong"), ("weak", "offtopic"), ("weak", "keywords"),
         ("terse", "keywords"))
"""Pairs (a, b) where a question's `a` answer should score at least its `b` answer: checked per question."""


@dataclass
class EvalReport:
    grader: str
    source: str
    label_field: str
    label_max: float
    n: int
    graded: int
    failed: int
    pearson: float | None
    spearman: float | None
    qwk: float | None
    mae: float | None
    mean_label: float | None
    mean_predicted: float | None
    seconds: float
    answers_per_s: float
    concurrency: int
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    per_question: list[GroupStats] = field(default_factory=list)
    per_kind: list[KindStats] = field(default_factory=list)
    """Empty when the records carry no `level`."""
    order_violations: dict[str, int] = field(default_factory=dict)
    """"a>b" -> questions where the `b` answer outscored the `a` answer (only pairs both present)."""
    errors: list[str] = field(default_factory=list)
    """Up to ten failure reasons, with the record's line number."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fail(path: Path, line: int, message: str, hint: str = "") -> InterviewerError:
    return InterviewerError(f"{path}:{line}: {message}", hint=hint or "each line must be a JSON object with "
                            "'answer', a numeric label, and 'question' + 'reference' or a bank 'question_id'")


def _pick_label_field(obj: dict[str, Any], path: Path, line: int) -> str:
    for name in LABEL_FIELDS:
        if name in obj:
            return name
    raise _fail(path, line, f"no label field (looked for {', '.join(LABEL_FIELDS)})",
                hint="name the field holding the human score with --label-field")


def _question_for(obj: dict[str, Any], services: Catalogue | None, path: Path, line: int,
                  default_rubric: Rubric) -> tuple[Question, Rubric, str, tuple[Question, ...]]:
    qid = obj.get("question_id")
    if qid is not None and services is not None:
        try:
            bank, q = services.find_question(str(qid))
        except InterviewerError:
            q = None
        if q is not None:
            return q, services.rubric_for(q), q.id, tuple(bank.questions)
    text, ref = obj.get("question"), obj.get("reference")
    if not isinstance(text, str) or not text.strip() or not isinstance(ref, str) or not ref.strip():
        what = f"question_id {qid!r} is not in any installed bank and " if qid is not None else ""
        raise _fail(path, line, f"{what}the record needs non-empty 'question' and 'reference' strings")
    group = str(obj.get("qid") or qid or "")
    slug = group.lower().replace(" ", "-") if group else ""
    if not (slug and is_valid_id(slug) and len(slug) <= 60):
        slug = "q-" + hashlib.sha1(text.encode()).hexdigest()[:10]
    q = Question(id=slug, number=1, topic="eval", question=text.strip(), reference=ref.strip())
    return q, default_rubric, group or slug, ()


def _read_jsonl(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InterviewerError(f"no such file: {p}", hint="give the path of a JSONL file of labelled answers, "
                               "or run `interviewer eval` alone for the shipped calibration set") from None
    except UnicodeDecodeError as e:
        raise _fail(p, e.object[:e.start].count(b"\n") + 1, f"not UTF-8 text (byte 0x{e.object[e.start]:02x})",
                    hint="save the file as UTF-8") from None
    except OSError as e:
        raise InterviewerError(f"cannot read {p}: {e}", hint="it must be a UTF-8 JSONL file") from None


def _json_object(raw: str, p: Path, line_no: int) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as e:
        raise _fail(p, line_no, f"not valid JSON ({e.msg} at column {e.colno})") from None
    except (ValueError, RecursionError) as e:  # a number thousands of digits long, nesting thousands deep
        why = "nested too deeply" if isinstance(e, RecursionError) else str(e).split(";")[0]
        raise _fail(p, line_no, f"not usable JSON ({why})") from None
    if not isinstance(obj, dict):
        raise _fail(p, line_no, "expected a JSON object")
    return obj


def _label_and_answer(obj: dict[str, Any], label_field: str, label_max: float, p: Path, line_no: int) -> tuple[float, str]:
    label = obj.get(label_field)
    if isinstance(label, bool) or not isinstance(label, int | float):
        raise _fail(p, line_no, f"label field {label_field!r} is missing or not a number",
                    hint="name the field holding the human score with --label-field")
    if not 0 <= label <= label_max:
        raise _fail(p, line_no, f"label {label} is outside the scale 0..{label_max:g}",
                    hint="set the top of the human scale with --label-max")
    answer = obj.get("answer")
    if not isinstance(answer, str):
        raise _fail(p, line_no, "'answer' is missing or not a string")
    for name in ("answer", "question", "reference", "qid", "question_id", "level"):
        v = obj.get(name)
        if isinstance(v, str) and any("\ud800" <= ch <= "\udfff" for ch in v):
            raise _fail(p, line_no, f"'{name}' holds a lone surrogate escape (like \\ud800), not a character")
    return float(label), answer


def _record(obj: dict[str, Any], label: float, answer: str, services: Catalogue | None, p: Path, line_no: int,
            default_rubric: Rubric) -> LabelledRecord:
    try:
        q, rubric, group, bank = _question_for(obj, services, p, line_no, default_rubric)
    except ValidationError as e:  # e.g. a question too short or too long for a Question
        err = e.errors(include_url=False)[0]
        field = ".".join(str(x) for x in err["loc"]) or "question"
        raise _fail(p, line_no, f"the record's {field} is not usable: {err['msg']}") from None
    return LabelledRecord(line_no, group, q, rubric, answer, label, str(obj.get("level", "")), bank)


def load_records(path: Path | str, *, services: Catalogue | None = None, label_field: str | None = None,
                 label_max: float = 5.0, limit: int | None = None, default_rubric: Rubric | None = None) -> tuple[list[LabelledRecord], str]:
    """Read a labelled JSONL file. Returns (records, label field used). Raises InterviewerError naming the line."""
    p = Path(path)
    text = _read_jsonl(p)
    if default_rubric is None:
        if services is None:
            raise InterviewerError("no rubric to grade with", hint="pass services or default_rubric")
        default_rubric = services.rubric("default")
    records: list[LabelledRecord] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if limit is not None and len(records) >= limit:
            break
        obj = _json_object(raw, p, line_no)
        if label_field is None:
            label_field = _pick_label_field(obj, p, line_no)
        label, answer = _label_and_answer(obj, label_field, label_max, p, line_no)
        records.append(_record(obj, label, answer, services, p, line_no, default_rubric))
    if not records:
        raise InterviewerError(f"{p}: no records", hint="the file must hold one JSON object per line")
    return records, label_field or LABEL_FIELDS[0]


async def grade_records(records: list[LabelledRecord], grader: Grader, *, concurrency: int = 4,
                        on_done: Callable[[EvalItem], None] | None = None) -> list[EvalItem]:
    """Grade every record, at most `concurrency` at a time; results in record order."""
    if concurrency < 1:
        raise InterviewerError(f"concurrency must be at least 1 (got {concurrency})", hint="pass --concurrency 1 or more")
    sem = asyncio.Semaphore(concurrency)
    items = [EvalItem(r) for r in records]

    async def one(item: EvalItem) -> None:
        async with sem:
            r = item.record
            try:
                item.grade = await grade_answer(grader, r.question, r.rubric, r.answer, bank=r.bank)
            except asyncio.CancelledError:
                raise
            except GradingError as e:
                item.error = e.message
            except Exception as e:  # one broken record must not sink the whole evaluation
                item.error = f"grading failed unexpectedly ({type(e).__name__}: {e})"
        if on_done is not None:
            on_done(item)

    await asyncio.gather(*(one(it) for it in items))
    return items


_N = TypeVar("_N", int, float)


def _sum_opt(values: Iterable[_N | None]) -> _N | None:
    vals = [v for v in values if v is not None]
    return sum(vals) if vals else None


def kind_figures(items: list[EvalItem]) -> tuple[list[KindStats], dict[str, int]]:
    """Per-kind figures and per-question order violations, for records that carry a `level`."""
    from statistics import median

    from ..core.scoring import band_floor

    ready_at, solid_at = band_floor("interview-ready"), band_floor("solid")
    by_kind: dict[str, list[float]] = {}
    by_question: dict[str, dict[str, float]] = {}
    for it in items:
        if it.grade is None or not it.record.level:
            continue
        by_kind.setdefault(it.record.level, []).append(it.grade.score)
        by_question.setdefault(it.record.group, {})[it.record.level] = it.grade.score
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    stats = [KindStats(k, len(v), sum(v) / len(v), float(median(v)), sum(1 for x in v if x >= solid_at),
                       sum(1 for x in v if x >= ready_at))
             for k, v in sorted(by_kind.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))]
    violations: dict[str, int] = {}
    for a, b in RANKS:
        both = [d for d in by_question.values() if a in d and b in d]
        if both:
            violations[f"{a}>{b}"] = sum(1 for d in both if d[b] > d[a])
    return stats, violations


def summarise(items: list[EvalItem], *, grader: str, source: str, label_field: str, label_max: float,
              seconds: float, concurrency: int) -> EvalReport:
    ok = [it for it in items if it.grade is not None]
    labels = [it.record.label for it in ok]
    preds = [it.grade.score / 100.0 * label_max for it in ok]  # type: ignore[union-attr]
    top = int(label_max // 1)
    groups: dict[str, list[tuple[EvalItem, float]]] = {}
    for it, p in zip(ok, preds, strict=True):
        groups.setdefault(it.record.group, []).append((it, p))
    per_q = []
    for g, rows in groups.items():
        ls = [it.record.label for it, _ in rows]
        ps = [p for _, p in rows]
        per_q.append(GroupStats(g, rows[0][0].record.question.question, len(rows), sum(ls) / len(ls),
                                sum(ps) / len(ps), pearson(ps, ls), mae(ps, ls) or 0.0))
    usages = [it.grade.usage for it in ok]  # type: ignore[union-attr]
    per_kind, violations = kind_figures(items)
    return EvalReport(
        grader=grader, source=source, label_field=label_field, label_max=label_max,
        n=len(items), graded=len(ok), failed=len(items) - len(ok),
        pearson=pearson(preds, labels) if ok else None,
        spearman=spearman(preds, labels) if ok else None,
        qwk=quadratic_weighted_kappa([to_scale(p, label_max) for p in preds],
                                     [to_scale(v, label_max) for v in labels], 0, top) if ok else None,
        mae=mae(preds, labels) if ok else None,
        mean_label=sum(labels) / len(labels) if ok else None,
        mean_predicted=sum(preds) / len(preds) if ok else None,
        seconds=seconds, answers_per_s=len(items) / seconds if seconds > 0 else 0.0, concurrency=concurrency,
        prompt_tokens=_sum_opt(u.prompt_tokens for u in usages),
        completion_tokens=_sum_opt(u.completion_tokens for u in usages),
        cost_usd=_sum_opt(u.cost_usd for u in usages),
        per_question=per_q, per_kind=per_kind, order_violations=violations,
        errors=[f"line {it.record.line}: {it.error}" for it in items if it.error][:10],
    )


async def run_eval(records: list[LabelledRecord], grader: Grader, *, source: str = "", label_field: str = "score",
                   label_max: float = 5.0, concurrency: int = 4,
                   on_done: Callable[[EvalItem], None] | None = None) -> tuple[EvalReport, list[EvalItem]]:
    t0 = time.perf_counter()
    items = await grade_records(records, grader, concurrency=concurrency, on_done=on_done)
    seconds = time.perf_counter() - t0
    report = summarise(items, grader=getattr(grader, "name", type(grader).__name__), source=source,
                       label_field=label_field, label_max=label_max, seconds=seconds, concurrency=concurrency)
    return report, items
