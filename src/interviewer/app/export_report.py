"""The Markdown report: what a person reads to know what to work on, and what each answer got.

Sections, in the order a reader wants them: the headline figures; topics weakest first (with what "weak"
means); the key points they most often leave out; the questions due for review; then every attempt, day by
day, with the question, their answer, the score (and their override), the key points covered and missed,
the misconceptions, a better answer and what changed since their previous attempt at that question (within
the exported period).
All figures come from reviewing.report (core.review), so the report, `stats` and the dashboard agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core import review as rv
from ..core.delivery import Delivery
from ..core.delivery_trend import DeliveryTrend
from ..core.models import Attempt, AttemptKind, Grade, KeyPointStatus, Question, StoredGrade
from ..store import history, transfer
from ..store.repo import damaged_grade
from . import reviewing, wording

if TYPE_CHECKING:
    from .services import Services


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _quote(text: str) -> str:
    lines = text.strip().splitlines() or [""]
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def _f(x: float | None, fmt: str = "{:.0f}") -> str:
    return "–" if x is None else fmt.format(x)


def _day(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d") if dt else "–"


def _trend(t: rv.Mastery) -> str:
    if t.trend is None:
        return "–"
    arrow = {"improving": "↑", "declining": "↓", "steady": "→"}[t.trend_label]
    return f"{arrow} {t.trend_label} ({t.trend:+.0f})"


def render_markdown(services: Services, *, since: datetime | None = None, now: datetime | None = None) -> tuple[str, int]:
    rep = reviewing.report(services, now=now, since=since)
    qs = reviewing.question_index(services)
    out: list[str] = ["# Interview practice report", ""]
    scope = f"answers since {_day(since)}" if since else "all answers"
    out.append(f"Generated {rep.now.astimezone().strftime('%Y-%m-%d %H:%M')} · {scope}")
    out.append("")
    t = rep.totals
    passed = t["passed"]
    not_graded = max(0, t["ungraded"] + t["pending"] - passed)  # a skip is stored ungraded: it is no answer to grade
    avg = f" · average score **{rep.average:.0f}**" if rep.average is not None else ""
    out.append(f"**{wording.answers_said(t['attempts'], passed)}**, over {wording.counted(t['questions'], 'question')} in "
               f"{wording.counted(t['sessions'], 'session')} · "
               f"{t['graded']} graded, {not_graded} {wording.UNGRADED}{avg} · **{len(rep.due)} due** for review")
    out.append("")
    out += _topics_section(rep)
    out += _missed_section(rep, qs)
    out += _due_section(rep, qs)
    if rep.delivery is not None:
        out += ["## Your delivery (spoken answers)", "", *_trend_lines(rep.delivery), ""]

    details = _details(services, qs, since)
    out += ["## Answers", ""]
    current_day = None
    for detail in details:
        d = _day(detail.attempt.submitted_at)
        if d != current_day:
            out += [f"### {d}", ""]
            current_day = d
        out += _attempt_section(detail)
    if not details:
        out.append("No answers in this period.")
    from ..termsafe import safe  # answers and model feedback: a report read in a terminal sends no escapes

    return safe("\n".join(out).rstrip() + "\n"), len(details)


def _topics_section(rep: reviewing.ReviewReport) -> list[str]:
    practised = [m for m in rep.topics if m.status != "new"]
    out = ["## Topics, weakest first", "", f"*{wording.sentence(rep.weak_explanation)}*", ""]
    if practised:
        out.append("| Topic | Mastery | Recent avg | Trend | Attempts | Questions | Last practised | |")
        out.append("|---|---:|---:|---|---:|---:|---|---|")
        for m in practised:
            flag = "**weak**" if m.weak else ""
            qn = f"{m.questions_practised}/{m.questions_total}" if m.questions_total else str(m.questions_practised)
            out.append(f"| {_cell(m.key)} | {_f(m.mastery)} | {_f(m.recent_avg)} | {_trend(m)} | {m.attempts} "
                       f"| {qn} | {_day(m.last_practised)} | {flag} |")
    else:
        out.append("No graded answers yet.")
    new = [m.key for m in rep.topics if m.status == "new" and m.questions_total]
    if new:
        out += ["", f"Not practised yet: {', '.join(new)}."]
    out.append("")
    return out


def _grade(data: dict[str, Any]) -> Grade:
    """A dumped grade as a Grade; one damaged deeper than the dump's shape check looks (store.transfer) is shown by
    its score, as the app shows it (store.repo.damaged_grade)."""
    try:
        return Grade.model_validate(data)
    except ValueError:
        grader = data.get("grader")
        who = grader if isinstance(grader, dict) else {}
        return damaged_grade(data.get("score"), who.get("backend"), who.get("model"))


def _missed_section(rep: reviewing.ReviewReport, qs: Mapping[str, Question]) -> list[str]:
    out = ["## What you often leave out", ""]
    if rep.most_missed:
        for i, k in enumerate(rep.most_missed, 1):
            q = qs.get(k.question_id)
            asked = f" — *{q.question}*" if q else ""
            how = f"missed {k.missing}" + (f" and partly covered {k.partial}" if k.partial else "")
            out.append(f"{i}. **{k.text}**{asked} ({k.question_id}: {how} of {wording.counted(k.seen, 'time')}; "
                       f"last time {k.last_said})")
    else:
        out.append("Nothing stands out: no key point is weak.")
    out.append("")
    return out


def _due_section(rep: reviewing.ReviewReport, qs: Mapping[str, Question]) -> list[str]:
    out = ["## Due for review", "", f"*Spaced repetition: {rep.rating_explanation}.*", ""]
    if rep.due:
        for c in rep.due:
            q = qs.get(c.question_id)
            out.append(f"- {c.question_id}{' — ' + q.question if q else ''} (due since {_day(c.due)})")
    else:
        out.append("Nothing is due.")
    out.append("")
    return out


def _details(services: Services, qs: Mapping[str, Question], since: datetime | None) -> list[reviewing.AttemptDetail]:
    """Every attempt of the period with all its grades and overrides, read in bulk (one query per table,
    not one per attempt), oldest first, each linked to the previous scored attempt at the same question
    within the period for the 'since your previous attempt' line."""
    data = transfer.dump(services.store, since=since)
    last: dict[str, reviewing.AttemptDetail] = {}
    out = []
    for rec in data["attempts"]:
        a = Attempt.model_validate({k: v for k, v in rec.items() if k not in ("grades", "overrides", "voice")})
        newest = rec["grades"][-1:]  # the report shows the newest grade and says how many there are
        grades = [StoredGrade(id=0, attempt_id=a.id, created_at=history.parse_ts(g["created_at"]),
                              grade=_grade(g["grade"])) for g in newest]
        overrides = [history.Override(id=0, attempt_id=a.id, score=o["score"], reason=o["reason"],
                                      created_at=history.parse_ts(o["created_at"])) for o in reversed(rec["overrides"])]
        spoken = (rec.get("voice") or {}).get("delivery")
        d = reviewing.AttemptDetail(attempt=a, question=qs.get(a.question_id), grades=grades, overrides=overrides,
                                    grade_count=len(rec["grades"]),
                                    delivery=Delivery.model_validate(spoken) if spoken else None)
        if a.parent_id is None:
            d.previous = last.get(a.question_id)
            if grades:
                last[a.question_id] = d
        out.append(d)
    return out


def _delivery_line(d: Delivery) -> str:
    pace = "pace not measured" if d.pace == "unknown" else f"{d.words_per_minute:.0f} words a minute ({d.pace})"
    pauses = (f"{d.long_pause_count} long pause{'s' if d.long_pause_count != 1 else ''}, longest "
              f"{d.longest_pause_seconds:.1f} s" if d.long_pause_count else "no long pause")
    return (f"*Spoken ({d.takes} take{'s' if d.takes != 1 else ''}, {d.duration_seconds:.0f} s): {pace}, {pauses}, "
            f"{d.speech_ratio * 100:.0f}% speaking, {d.filler_count} filler{'s' if d.filler_count != 1 else ''}.*")


def _trend_lines(t: DeliveryTrend) -> list[str]:
    lines = [f"{wording.counted(t.answers, 'spoken answer')}; *lately* is the newest {t.window}."]
    if t.pace_lately is not None:
        was = f", {t.pace_change} (was {t.pace_before:.0f})" if t.pace_before is not None else ""
        lines.append(f"- **Your pace:** {t.pace_lately:.0f} words a minute lately ({t.pace_band}){was}")
    if t.pauses_lately is not None:
        was = f", {t.pause_change} (was {t.pauses_before:.1f})" if t.pauses_before is not None else ""
        lines.append(f"- **Your pauses:** {t.pauses_lately:.1f} long pauses a minute of speech lately, longest "
                     f"{t.longest_pause_lately:.1f} s{was}")
    return lines


def _attempt_section(detail: reviewing.AttemptDetail) -> list[str]:
    a, q = detail.attempt, detail.question
    topic = f" · {q.topic}" if q else ""
    follow = " · follow-up" if a.parent_id else ""
    out = [f"#### {a.submitted_at.astimezone().strftime('%H:%M')} · {a.question_id}{topic}{follow}", "",
           f"**Q:** {wording.tidy(a.prompt)}", ""]
    if a.kind is AttemptKind.skipped:
        return out + [f"*{wording.SKIPPED.capitalize()}.*", ""]
    if a.kind is AttemptKind.dont_know:
        return out + [f"*“{wording.DONT_KNOW}”.*", ""]
    out += ["**Your answer:**", "", _quote(a.answer), ""]
    if detail.delivery is not None:
        out += [_delivery_line(detail.delivery), ""]
    g = detail.grade
    if g is None:
        return out + [f"*{wording.UNGRADED.capitalize()}{': ' + a.error if a.error else ''}.*", ""]
    gr = g.grade
    who = gr.grader.backend + (f":{gr.grader.model}" if gr.grader.model else "")
    more = f"; {detail.n_grades} grades, newest shown" if detail.n_grades > 1 else ""
    out += [f"**Score {gr.score:.0f} — {gr.verdict}** (graded by {who}{more})", ""]
    if detail.overrides:
        o = detail.overrides[0]
        out += [f"**Your score: {o.score:.0f}** — you disputed the grade: “{o.reason}”", ""]
    if gr.summary:
        out += [wording.tidy(gr.summary), ""]
    texts = {kp.id: kp.text for kp in q.key_points} if q else {}
    return out + _grade_lines(gr, texts, a.answer) + _comparison_lines(detail, texts)


def _key_point_lines(gr: Grade, texts: dict[str, str], answer: str) -> list[str]:
    out = ["Key points:", ""]
    for kp in gr.key_points:
        text = texts.get(kp.key_point_id, kp.key_point_id)
        if kp.status is KeyPointStatus.covered:
            ev = ""
            if kp.evidence:
                before, quote, after = wording.quote_in_context(kp.evidence, answer)
                ev = f" — “{before}**{quote}**{after}”" if before or after else f" — “{quote}”"
            out.append(f"- [x] {text}{ev}")
        else:
            out.append(f"- [ ] {text} *({'partly covered' if kp.status is KeyPointStatus.partial else 'missing'})*")
    out.append("")
    return out


def _grade_lines(gr: Grade, texts: dict[str, str], answer: str) -> list[str]:
    """A grade's key points, misconceptions, stronger answer, follow-up and flags."""
    out = _key_point_lines(gr, texts, answer) if gr.key_points else []
    if gr.misconceptions:
        out += ["Misconceptions:", "", *[f"- {m.as_text()}" for m in gr.misconceptions], ""]
    if gr.better_answer:
        out += ["A stronger answer:", "", _quote(wording.tidy(gr.better_answer)), ""]
    if gr.follow_up:
        out += [f"Follow-up to practise: *{wording.tidy(gr.follow_up)}*", ""]
    if gr.flags:
        out += [f"Flags: {'; '.join(gr.flags)}", ""]
    return out


def _comparison_lines(detail: reviewing.AttemptDetail, texts: dict[str, str]) -> list[str]:
    out: list[str] = []
    c = detail.comparison()
    if c is not None:
        parts = [f"score {c.score_change:+.0f}"]
        if c.newly_covered:
            parts.append("newly covered: " + "; ".join(texts.get(k, k) for k in c.newly_covered))
        if c.still_missed:
            parts.append("still missing: " + "; ".join(texts.get(k, k) for k in c.still_missed))
        if c.newly_missed:
            parts.append("dropped: " + "; ".join(texts.get(k, k) for k in c.newly_missed))
        out += [f"Since your previous attempt: {' · '.join(parts)}", ""]
    return out
