"""Export the history (Markdown report, CSV, JSON, Anki deck) and import a JSON export back.

Every file is written atomically (interviewer.fsutil): a crash leaves the old file or the new one, never half.

- md: the report a person reads (export_report.py): topics weakest first, what they often leave out, what is
  due, then every attempt with its feedback.
- csv: one row per attempt with its newest grade and newest override side by side (for spreadsheets and
  for checking the grader's calibration against your own scores). A text cell that a spreadsheet would run
  as a formula (starting with = + - @) is written with a leading apostrophe.
- json: everything (sessions, attempts, every grade, every override, a spoken answer's transcripts and
  delivery), the format `import` reads.
- anki: the weak questions as an Anki text import (CSV with file headers: Basic note type, front/back, tags,
  a stable guid so re-importing updates the cards instead of duplicating them). No extra dependency.

`import_history` validates the whole file first (a clear error naming the item and field that is wrong),
then restores it in one transaction (store.transfer): all or nothing.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from ..core.delivery import Delivery
from ..core.errors import FileFormatError, InterviewerError
from ..core.models import AttemptKind, AttemptStatus, Grade, Strict
from ..core.transcript import SpokenTake
from ..fsutil import atomic_write_text
from ..store import history, transfer
from . import reviewing
from .export_csv import CSV_COLUMNS, FORMULA_START, render_csv  # noqa: F401 - the CSV format lives there

if TYPE_CHECKING:
    from .services import Services

FORMATS = ("md", "csv", "json", "anki")
EXPORT_FORMAT = "interviewer-history"
EXPORT_VERSION = 2
"""2: a spoken attempt carries `voice` (its takes with transcripts and word timings, and its delivery)."""
ANKI_DECK = "Interviewer::Weak questions"


@dataclass(frozen=True)
class ExportResult:
    path: Path | None
    """None when written to stdout."""
    format: str
    items: int
    """Attempts exported (cards for anki)."""
    text: str = ""


def default_path(services: Services, fmt: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    name = {"md": "report.md", "csv": "attempts.csv", "json": "history.json", "anki": "anki-weak.csv"}[fmt]
    return services.locations.exports_dir / f"interviewer-{stamp}-{name}"


def parse_since(value: str | None) -> datetime | None:
    """'YYYY-MM-DD' (midnight, local time) or a full ISO timestamp."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InterviewerError(f"--since {value!r} is not a date", hint="use YYYY-MM-DD, e.g. --since 2025-03-01") from None
    return dt if dt.tzinfo else dt.astimezone()


def export(services: Services, fmt: str, output: Path | str | None = None, *, since: datetime | None = None,
           now: datetime | None = None) -> ExportResult:
    """Render `fmt` and write it to `output` ('-' for stdout; None for the exports folder)."""
    if fmt not in FORMATS:
        raise InterviewerError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    now = now or datetime.now(UTC)
    if fmt == "json":
        data = export_data(services, since=since, now=now)
        text, n = json_text(data), len(data["attempts"])
    elif fmt == "csv":
        text, n = render_csv(services, since=since)
    elif fmt == "anki":
        text, n = render_anki(services, since=since, now=now)
    else:
        from .export_report import render_markdown

        text, n = render_markdown(services, since=since, now=now)
    if output == "-" or output == Path("-"):
        return ExportResult(None, fmt, n, text)
    path = Path(output) if output else default_path(services, fmt, now)
    atomic_write_text(path, text)
    return ExportResult(path, fmt, n)


# --------------------------------------------------------------------------- json


def export_data(services: Services, *, since: datetime | None = None, now: datetime | None = None) -> dict[str, Any]:
    body = transfer.dump(services.store, since=since)
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
            "exported_at": history.iso(now or datetime.now(UTC)), "since": history.iso(since) if since else None,
            **body}


def json_text(data: dict[str, Any]) -> str:
    """The export as JSON with one session or attempt per line: readable and diff-able, and written by the
    C encoder (json's indent= falls back to the pure-Python one, ~6x slower on a long history)."""
    def enc(x: Any) -> str:
        return json.dumps(x, ensure_ascii=False)

    head = ",\n".join(f" {enc(k)}: {enc(v)}" for k, v in data.items() if k not in ("sessions", "attempts"))
    parts = []
    for key in ("sessions", "attempts"):
        items = ",\n".join(f"  {enc(item)}" for item in data[key])
        parts.append(f" {enc(key)}: [\n{items}\n ]" if items else f" {enc(key)}: []")
    return "{\n" + head + ",\n" + ",\n".join(parts) + "\n}\n"


class _GradeRec(Strict):
    created_at: datetime
    grade: Grade


class _OverrideRec(Strict):
    score: Annotated[float, Field(ge=0, le=100)]
    reason: Annotated[str, Field(min_length=1)]
    created_at: datetime


class _VoiceRec(Strict):
    takes: list[SpokenTake] = Field(default_factory=list)
    delivery: Delivery | None = None


class _SessionRec(Strict):
    id: int
    bank_id: Annotated[str, Field(min_length=1)]
    started_at: datetime
    ended_at: datetime | None = None
    settings: dict[str, Any] = Field(default_factory=dict)


class _AttemptRec(Strict):
    id: int
    session_id: int | None = None
    bank_id: Annotated[str, Field(min_length=1)]
    question_id: Annotated[str, Field(min_length=1)]
    prompt: str
    answer: str
    kind: AttemptKind = AttemptKind.answer
    status: AttemptStatus
    error: str | None = None
    parent_id: int | None = None
    started_at: datetime | None = None
    submitted_at: datetime
    duration_s: float | None = None
    grades: list[_GradeRec] = Field(default_factory=list)
    overrides: list[_OverrideRec] = Field(default_factory=list)
    voice: _VoiceRec | None = None


class HistoryFile(Strict):
    format: Literal["interviewer-history"]
    version: int
    exported_at: datetime | None = None
    since: datetime | None = None
    sessions: list[_SessionRec]
    attempts: list[_AttemptRec]

    @model_validator(mode="after")
    def _references(self) -> HistoryFile:
        if self.version > EXPORT_VERSION:
            raise ValueError(f"version {self.version} was written by a newer interviewer (this one reads "
                             f"version {EXPORT_VERSION}); upgrade interviewer to import it")
        sessions = Counter(s.id for s in self.sessions)
        attempts = Counter(a.id for a in self.attempts)
        for what, ids in (("session", sessions), ("attempt", attempts)):
            dup = sorted(i for i, n in ids.items() if n > 1)
            if dup:
                raise ValueError(f"{what} id {dup[0]} appears more than once")
        for i, a in enumerate(self.attempts):
            if a.session_id is not None and a.session_id not in sessions:
                raise ValueError(f"attempts[{i}] (id {a.id}): session_id {a.session_id} is not a session in this file")
            if a.parent_id is not None and a.parent_id not in attempts:
                raise ValueError(f"attempts[{i}] (id {a.id}): parent_id {a.parent_id} is not an attempt in this file")
        return self


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_INT64 = 2 ** 63


def _bad_value(obj: Any, loc: tuple[Any, ...] = ()) -> tuple[tuple[Any, ...], str] | None:
    """The first value JSON accepts but the database cannot hold: a lone surrogate escape (like \\ud800) in a
    string, or an integer beyond 64 bits. Returns (location, what is wrong)."""
    if isinstance(obj, dict):
        return next(filter(None, (_bad_value(k, loc) or _bad_value(v, (*loc, k)) for k, v in obj.items())), None)
    if isinstance(obj, list):
        return next(filter(None, (_bad_value(v, (*loc, i)) for i, v in enumerate(obj))), None)
    problem = _bad_scalar(obj)
    return (loc, problem) if problem else None


def _bad_scalar(obj: Any) -> str | None:
    if isinstance(obj, str) and any("\ud800" <= ch <= "\udfff" for ch in obj):
        return "holds a lone surrogate escape (like \\ud800), not a character"
    if isinstance(obj, int) and not isinstance(obj, bool) and not -_INT64 <= obj < _INT64:
        return "is a number too large to store"
    return None


def _line_of(raw: str, loc: tuple[Any, ...]) -> int | None:
    """The line of sessions[i] / attempts[i] in a file laid out as `export` writes it (one record per line)."""
    if len(loc) < 2 or loc[0] not in ("sessions", "attempts") or not isinstance(loc[1], int):
        return None
    lines = raw.splitlines()
    head = next((n for n, ln in enumerate(lines) if ln.strip() == f'"{loc[0]}": ['), None)
    n = None if head is None else head + 1 + loc[1]
    return n + 1 if n is not None and n < len(lines) and not lines[n].lstrip().startswith("]") else None


def read_history_file(path: Path | str) -> HistoryFile:
    """Parse and validate a JSON export; raises FileFormatError saying where and what is wrong."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InterviewerError(f"{path}: no such file", hint="give the path of a JSON export") from None
    except UnicodeDecodeError as e:
        raise FileFormatError(path, f"not UTF-8 text (byte 0x{e.object[e.start]:02x})",
                              line=e.object[:e.start].count(b"\n") + 1, hint="give the path of a JSON export") from None
    except OSError as e:
        raise FileFormatError(path, f"cannot read the file ({e})", hint="give the path of a JSON export") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise FileFormatError(path, f"not valid JSON: {e.msg}", line=e.lineno,
                              hint="import reads files made by `interviewer export --format json`") from None
    except (ValueError, RecursionError) as e:  # a number thousands of digits long, nesting thousands deep
        why = "nested too deeply" if isinstance(e, RecursionError) else str(e).split(";")[0]
        raise FileFormatError(path, f"not usable JSON ({why})",
                              hint="import reads files made by `interviewer export --format json`") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise FileFormatError(path, f"not an interviewer history export (expected \"format\": \"{EXPORT_FORMAT}\")",
                              hint="import reads files made by `interviewer export --format json`")
    bad = _bad_value(data)
    if bad is not None:
        raise FileFormatError(path, f"{_where(bad[0]) or 'a value'} {bad[1]}", line=_line_of(raw, bad[0]),
                              hint="fix the file or export it again; nothing was imported")
    try:
        return HistoryFile.model_validate(data)
    except ValidationError as e:
        errs = e.errors(include_url=False)
        first = errs[0]
        where = _where(first["loc"])
        more = f" (and {len(errs) - 1} more problem{'s' if len(errs) > 2 else ''})" if len(errs) > 1 else ""
        msg = first["msg"].removeprefix("Value error, ")
        raise FileFormatError(path, f"{where + ': ' if where else ''}{msg}{more}", line=_line_of(raw, first["loc"]),
                              hint="fix the file or export it again; nothing was imported") from None


def _ordered(attempts: list[_AttemptRec]) -> list[_AttemptRec]:
    """Parents before their follow-ups."""
    done: set[int] = set()
    out: list[_AttemptRec] = []
    pending = sorted(attempts, key=lambda a: (a.submitted_at, a.id))
    while pending:
        rest = [a for a in pending if a.parent_id is not None and a.parent_id not in done]
        for a in pending:
            if a.parent_id is None or a.parent_id in done:
                out.append(a)
                done.add(a.id)
        if len(rest) == len(pending):
            raise InterviewerError(f"attempt {rest[0].id}: its follow-up chain loops back on itself",
                                   hint="fix parent_id in the file; nothing was imported")
        pending = [a for a in rest if a.id not in done]
    return out


def import_history(services: Services, path: Path | str, *, now: datetime | None = None) -> dict[str, int]:
    """Validate, then restore in one transaction; then bring the review schedule up to date."""
    from . import scheduling

    hf = read_history_file(path)
    sessions = [s.model_dump() for s in hf.sessions]
    attempts = []
    for a in _ordered(hf.attempts):
        rec = a.model_dump(exclude={"grades", "overrides", "voice"})
        rec["kind"], rec["status"] = a.kind.value, a.status.value
        rec["grades"] = [{"created_at": g.created_at, "grade": g.grade} for g in a.grades]
        rec["overrides"] = [o.model_dump() for o in a.overrides]
        if a.voice is not None:
            rec["voice"] = (a.voice.takes, a.voice.delivery)
        attempts.append(rec)
    from ..store import backup

    backup.backup(services.store.conn, services.locations.backups_dir, "pre-import")  # issue 7: before every import
    counts = transfer.restore(services.store, sessions, attempts)
    scheduling.sync(services.store, now=now)
    return counts


# --------------------------------------------------------------------------- anki


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def render_anki(services: Services, *, since: datetime | None = None, now: datetime | None = None) -> tuple[str, int]:
    """The weak questions (core.review.is_weak on their mastery), weakest first, as an Anki text import."""
    rep = reviewing.report(services, now=now, since=since, missed_limit=None)
    qs = reviewing.question_index(services)
    missed_by_q: dict[str, set[str]] = {}
    for k in rep.key_points:
        if k.weak:
            missed_by_q.setdefault(k.question_id, set()).add(k.key_point_id)
    buf = io.StringIO()
    buf.write("#separator:Comma\n#html:true\n#notetype:Basic\n")
    buf.write(f"#deck:{ANKI_DECK}\n#columns:Front,Back,Tags,GUID\n#tags column:3\n#guid column:4\n")
    w = csv.writer(buf, lineterminator="\n")
    n = 0
    for m in sorted((m for m in rep.questions.values() if m.weak), key=lambda m: (m.mastery, m.key)):
        q = qs.get(m.key)
        if q is None:
            continue
        front = f"{_html(q.question)}<br><small>{_html(q.topic)} · {q.id}</small>"
        missed = missed_by_q.get(q.id, set())
        items = "".join(f"<li>{'<b>' if kp.id in missed else ''}{_html(kp.text)}"
                        f"{' (you tend to leave this out)</b>' if kp.id in missed else ''}</li>"
                        for kp in q.key_points)
        back = (f"<b>Key points</b><ul>{items}</ul><b>Reference answer</b><br>{_html(q.reference)}"
                f"<br><br><small>your mastery: {m.mastery:.0f}/100 over {m.attempts} attempt(s)</small>")
        tag_topic = "".join(ch if ch.isalnum() else "_" for ch in q.topic).strip("_")
        w.writerow([front, back, f"interviewer weak {tag_topic}", f"interviewer-{q.id}"])
        n += 1
    return buf.getvalue(), n
