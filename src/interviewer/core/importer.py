"""Turn a Markdown Q&A file (the seed's format and the variants people write) into a Bank.

Recognised:
- `## Section` headings become topics (sections with no questions, such as a table of contents or a summary,
  are skipped and mentioned).
- Questions: `### Q12: text`, `### Q12. text`, `### Question 12: text`, `### 12. text`, `**Q12:** text`,
  a bare `Q12. text` line, or any `###` heading inside a section that is followed by an answer.
- Answers: `**Answer:**`, `**A:**`, `Answer:`, `A:` (bold or not), with text on the same line and/or below,
  running until the next question, section or `---` rule.
- Misconceptions, optional, after the answer: a `**Misconceptions:**` (or `Common mistakes:`, `Pitfalls:`) line
  followed by bullets `- <wrong claim> — <correction> (said as: phrase; phrase)`; the correction may also follow
  `->`, `=>`, `Right:` or `Correction:`, and the phrasings `Said as:` or `Signals:`.
- Siblings, optional, after the answer: a `**Not to be confused with:** Q44` (or `Distinct from:`) line names the
  questions, by number, about a sibling concept whose name shares this one's words (`Question.distinct_from`).
- CRLF line endings, a BOM and trailing whitespace are tolerated.

Whatever could not be parsed is reported with its line number; nothing is dropped silently. Key points are
*drafted* from the answer's bullets or sentences and marked `drafted = true` for a person to refine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import BankError
from .models import Bank, BankInfo, Difficulty, KeyPoint, Misconception, Question

_SECTION = re.compile(r"^##\s+(?!#)(.+?)\s*#*\s*$")
_TITLE = re.compile(r"^#\s+(?!#)(.+?)\s*$")
_HEADING3 = re.compile(r"^#{3,6}\s+(.+?)\s*#*\s*$")
_QNUM = re.compile(
    r"^(?:\*\*)?\s*(?:Q(?:uestion)?\s*\.?\s*(\d+)|(\d+))\s*[.:)\-]\s*(?:\*\*)?\s*(.*?)\s*(?:\*\*)?\s*$",
    re.IGNORECASE,
)
_ANSWER = re.compile(r"^\s*(?:\*\*|__)?\s*(?:answer|ans|a)\s*(?:\*\*|__)?\s*[:.]\s*(?:\*\*|__)?\s*(.*)$", re.IGNORECASE)
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MISC_LABEL = re.compile(r"^\s*(?:\*\*|__|#+\s*)?\s*(?:common\s+)?(?:misconceptions?|mistakes|pitfalls|wrong answers)"
                         r"\s*(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$", re.IGNORECASE)
_MISC_SPLIT = re.compile(r"\s+(?:—|--|->|→|=>)\s+|\s*\b(?:right|correction|actually)\s*:\s*", re.IGNORECASE)
_MISC_SAID = re.compile(r"\(?\s*\b(?:said as|signals?|phrasings?)\s*:\s*([^()]*)\)?\s*\.?\s*$", re.IGNORECASE)
_DISTINCT = re.compile(r"^\s*(?:\*\*|__)?\s*(?:not\s+to\s+be\s+confused\s+with|distinct\s+from|(?:often\s+)?confused"
                       r"\s+with)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$", re.IGNORECASE)
_DISTINCT_NUMBER = re.compile(r"\bQ(?:uestion)?\s*\.?\s*(\d+)\b|(?<![\w.])(\d+)\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_PAREN = re.compile(r"\(([^()]{2,60})\)")
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\b")
_COMPARISON = re.compile(r"\bdifference(s)? between\b|\bvs\.?\b|\bversus\b|\bcompare\b|\bcompared\b", re.I)


@dataclass
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    bank: Bank
    problems: list[ImportProblem] = field(default_factory=list)
    skipped_sections: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    number: int | None
    topic: str
    question: str
    line: int
    answer_lines: list[str] = field(default_factory=list)
    has_answer: bool = False
    misconception_lines: list[tuple[int, str]] | None = None
    """(line number, text) of each misconception bullet, once a misconceptions label was seen."""
    distinct: list[tuple[int, int]] = field(default_factory=list)
    """(line number, question number) of each sibling a `Not to be confused with:` line names."""


def slugify(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "bank"


def _match_question(line: str) -> tuple[int | None, str] | None:
    """A question line: returns (number or None, text)."""
    h = _HEADING3.match(line)
    body = h.group(1) if h else line.strip()
    m = _QNUM.match(body)
    if m and (m.group(3) or "").strip():
        num = m.group(1) or m.group(2)
        if h or m.group(1):  # bare "12. text" lines are list items, not questions
            return int(num), m.group(3).strip().strip("*").strip()
    if h:
        return None, body.strip("*").strip()
    return None


def _clean(text: str) -> str:
    text = _BOLD.sub(r"\1", text)
    return re.sub(r"\s+", " ", text.replace("`", "")).strip()


def _split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text)
    return [p.strip() for p in parts if len(p.split()) >= 3]


def _split_clauses(sentence: str) -> list[str]:
    parts = re.split(r",\s+(?:and\s+|enabling\s+|which\s+|while\s+)?|;\s+", sentence)
    out = [p.strip().rstrip(".") for p in parts if len(p.split()) >= 4]
    return out if len(out) >= 2 else [sentence]


def _alternatives(raw: str) -> list[str]:
    alts: list[str] = []
    for m in _BOLD.finditer(raw):
        alts.append(m.group(1).strip(" :"))
    for m in _PAREN.finditer(raw):
        alts.extend(a.strip() for a in re.split(r",|/|;", m.group(1).replace("e.g.", "")) if a.strip())
    alts.extend(m.group(0) for m in _ACRONYM.finditer(_BOLD.sub(r"\1", raw)))
    seen: dict[str, None] = {}
    for a in alts:
        a = _clean(a)[:120]
        if a and len(a) >= 2 and a.lower() not in {s.lower() for s in seen}:
            seen[a] = None
    return list(seen)[:8]


def draft_key_points(answer: str, limit: int = 6) -> list[KeyPoint]:
    """Key points drafted from an answer: its bullets, else its sentences (split at clauses when few)."""
    bullets = [m.group(1) for ln in answer.splitlines() if (m := _BULLET.match(ln))]
    raws: list[str]
    if len(bullets) >= 2:
        raws = bullets
    else:
        prose = " ".join(ln.strip() for ln in answer.splitlines() if ln.strip())
        raws = _split_sentences(prose) or ([prose] if prose else [])
        if len(raws) < 3:
            raws = [c for s in raws for c in _split_clauses(s)]
    kps: list[KeyPoint] = []
    for raw in raws[:limit]:
        text = _clean(raw).rstrip(".")
        if len(text) < 3:
            continue
        if len(text) > 300:
            text = text[:297].rsplit(" ", 1)[0] + "..."
        kps.append(KeyPoint(id=f"k{len(kps) + 1}", text=text, alternatives=_alternatives(raw), drafted=True))
    return kps


def _misconceptions(lines: list[tuple[int, str]], problems: list[ImportProblem]) -> list[Misconception]:
    """`- wrong claim — correction (said as: phrase; phrase)` bullets -> misconceptions; a bullet without a
    correction is reported and left out (a misconception is shown with what is right)."""
    out: list[Misconception] = []
    for n, raw in lines:
        text = _clean(raw)
        signals: list[str] = []
        if m := _MISC_SAID.search(text):
            signals = [x.strip(" \"'“”") for x in re.split(r";|,", m.group(1)) if len(x.strip(" \"'“”")) >= 3]
            text = text[:m.start()].rstrip(" ,;")
        parts = _MISC_SPLIT.split(text, maxsplit=1)
        if len(parts) < 2 or len(parts[0].strip(" \"'“”")) < 3 or len(parts[1].strip()) < 3:
            problems.append(ImportProblem(n, "misconception without a correction was not imported (write "
                                             "'- wrong claim — what is right')"))
            continue
        try:
            out.append(Misconception(id=f"m{len(out) + 1}", claim=parts[0].strip(" \"'“”")[:300],
                                     correction=parts[1].strip()[:400], signals=[x[:160] for x in signals]))
        except ValidationError as e:
            problems.append(ImportProblem(n, f"misconception could not be imported: {e.errors()[0]['msg']}"))
    return out


def _prefix_for(bank_id: str) -> str:
    """A short id prefix: the first word of the bank id with a letter in it ("100-llm-questions" -> "llm")."""
    for tok in bank_id.split("-"):
        if re.search(r"[a-z]", tok):
            return tok[:16]
    return "q"


class _Reader:
    """The parser's state while it reads the lines: the title, the current section and question, what is done."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.doc_title: str | None = None
        self.topic: str | None = None
        self.section_has_q: dict[str, bool] = {}
        self.current: _Draft | None = None
        self.stray: list[int] = []
        self.problems: list[ImportProblem] = []

    def close(self) -> None:
        if self.current is not None:
            self.drafts.append(self.current)
        self.current = None

    def read(self, i: int, line: str) -> None:
        if (m := _TITLE.match(line)) and self.doc_title is None and not self.drafts and self.current is None:
            self.doc_title = m.group(1)
            return
        if m := _SECTION.match(line):
            self.close()
            self.topic = _clean(m.group(1))
            self.section_has_q.setdefault(self.topic, False)
            return
        q = _match_question(line)
        if q is not None and (self.current is None or self.current.has_answer or _HEADING3.match(line)):
            self.close()
            self.current = _Draft(q[0], self.topic or "General", q[1], i)
            if self.topic is not None:
                self.section_has_q[self.topic] = True
            return
        if self.current is not None:
            self._in_question(self.current, i, line)
        elif line.strip() and not _RULE.match(line) and self.topic is not None and self.section_has_q.get(self.topic):
            self.stray.append(i)

    def _siblings(self, current: _Draft, i: int, text: str) -> None:
        """A `Not to be confused with: Q44, Q45` line: the numbers it names (resolved to ids in `_questions`)."""
        found = [int(a or b) for a, b in _DISTINCT_NUMBER.findall(text)]
        if not found:
            self.problems.append(ImportProblem(i, "a 'Not to be confused with:' line names no question number "
                                                  "(write it as 'Not to be confused with: Q44')"))
        current.distinct.extend((i, n) for n in found)

    def _in_question(self, current: _Draft, i: int, line: str) -> None:
        """A line after a question's heading: its answer, its misconceptions, its siblings, or the rule that ends
        it."""
        if current.has_answer and (m := _DISTINCT.match(line)):
            self._siblings(current, i, m.group(1))
            return
        if current.has_answer and _MISC_LABEL.match(line):
            current.misconception_lines = []
            return
        if current.misconception_lines is not None and not _RULE.match(line):
            _misconception_line(current.misconception_lines, i, line)
            return
        if not current.has_answer and (a := _ANSWER.match(line)):
            current.has_answer = True
            if a.group(1).strip():
                current.answer_lines.append(a.group(1).strip())
            return
        if _RULE.match(line):
            self.close()
        elif current.has_answer:
            current.answer_lines.append(line)
        elif line.strip():
            current.question = f"{current.question} {line.strip()}"


def _misconception_line(lines: list[tuple[int, str]], i: int, line: str) -> None:
    """A line of a misconceptions block: a new bullet, or a bullet's wrapped continuation."""
    if (b := _BULLET.match(line)) and b.group(1).strip():
        lines.append((i, b.group(1).strip()))
    elif line.strip() and lines:
        n, text = lines[-1]
        lines[-1] = (n, f"{text} {line.strip()}")


def _questions(drafts: list[_Draft], prefix: str, problems: list[ImportProblem]) -> list[Question]:
    """The drafts that have an answer and a number of their own, as questions (the others reported)."""
    questions: list[Question] = []
    siblings: list[tuple[int, list[tuple[int, int]]]] = []  # (index in questions, the draft's sibling lines)
    used_numbers: set[int] = set()
    next_number = 1
    for d in drafts:
        answer = "\n".join(d.answer_lines).strip()
        if not d.has_answer or not answer:
            problems.append(ImportProblem(d.line, f"question has no answer (expected '**Answer:** ...'): {d.question[:60]!r}"))
            continue
        number = d.number if d.number is not None else next_number
        if number in used_numbers:
            problems.append(ImportProblem(d.line, f"question number {number} appears twice; this one was skipped"))
            continue
        used_numbers.add(number)
        next_number = max(next_number, number + 1)
        try:
            kps = draft_key_points(answer)
            misconceptions = _misconceptions(d.misconception_lines or [], problems)
            questions.append(Question(
                id=f"{prefix}-q{number:03d}", number=number, topic=d.topic, question=d.question,
                reference=answer, difficulty=Difficulty.intermediate,
                rubric="comparison" if _COMPARISON.search(d.question) else "default", key_points=kps,
                misconceptions=misconceptions,
            ))
            siblings.append((len(questions) - 1, d.distinct))
        except ValidationError as e:
            problems.append(ImportProblem(d.line, f"question could not be imported: {e.errors()[0]['msg']}"))
    by_number = {q.number: q.id for q in questions}
    for at, lines in siblings:
        q, ids = questions[at], []
        for line, n in lines:
            if n not in by_number or by_number[n] == q.id:
                problems.append(ImportProblem(line, f"'Not to be confused with: Q{n}' names no other question of "
                                                    "this file; it was left out"))
            elif by_number[n] not in ids:
                ids.append(by_number[n])
        if ids:
            questions[at] = q.model_copy(update={"distinct_from": ids})
    return questions


def import_markdown(text: str, *, bank_id: str | None = None, title: str | None = None, source: str = "",
                    id_prefix: str | None = None, fallback_id: str | None = None,
                    path: Path | str = "<markdown>") -> ImportResult:
    """Parse Markdown text into a bank. Raises BankError only when no question at all could be read."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.rstrip() for ln in text.split("\n")]
    reader = _Reader()
    for i, line in enumerate(lines, start=1):
        reader.read(i, line)
    reader.close()
    problems = [ImportProblem(ln, f"text outside any question was not imported: {lines[ln - 1][:60]!r}")
                for ln in reader.stray] + reader.problems
    doc_title = reader.doc_title
    bank_id = bank_id or slugify(doc_title or fallback_id or "imported")[:64].strip("-")
    questions = _questions(reader.drafts, id_prefix or _prefix_for(bank_id), problems)
    skipped = [t for t, has in reader.section_has_q.items() if not has]
    if not questions:
        raise BankError(path, "no questions found", hint="questions look like '### Q1: ...' followed by "
                        "'**Answer:** ...'; see the README's 'Bring your own questions'")
    bank = Bank(bank=BankInfo(id=bank_id, title=title or doc_title or bank_id, source=source), questions=questions)
    return ImportResult(bank, problems, skipped)


def import_markdown_file(path: Path | str, **kw: Any) -> ImportResult:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise BankError(p, f"cannot read: {e.strerror or e}", hint="check the path") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BankError(p, "not UTF-8 text", line=raw[: e.start].count(b"\n") + 1,
                        hint="save the file as UTF-8") from None
    kw.setdefault("fallback_id", slugify(p.stem))
    kw.setdefault("source", p.name)
    return import_markdown(text, path=p, **kw)
