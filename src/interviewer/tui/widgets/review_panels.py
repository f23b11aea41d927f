"""The review dashboard's panels, rendered from a reviewing.ReviewReport: topics as bars (weakest first), the score
trend (a sparkline of the daily averages), the key points most often left out, and the questions due.

Rendering only: every figure comes from the report (core.review computes them, once). Bank and answer text is
shown literally (tui.text.plain).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.table import Table
from rich.text import Text

from ...core.models import Question
from ...core.review import DueCard, KeyPointMastery, Mastery
from ..text import bar, plain, score_style

TREND_ARROW = {"improving": "↑", "declining": "↓", "steady": "→"}


BLOCKS = " ▁▂▃▄▅▆▇█"


class TrendSpark:
    """The daily average score as a sparkline, oldest day on the left. The scale runs from a round floor
    10-20 points under the lowest day up to 100 (`floor`), so differences between days show without a flat 60
    looking like a cliff; trend_caption states the floor. Each day gets up to three columns; where days
    outnumber columns, a column shows the mean of its days (not the max, which would flatter). One day is one
    short bar, not a solid block. A Rich renderable: it lays itself out for the width it is given."""

    def __init__(self, values: Sequence[float], height: int = 3) -> None:
        self.values = list(values)
        self.height = height
        self.floor = scale_floor(self.values)

    def columns(self, width: int) -> list[float]:
        v = self.values
        if not v or width <= 0:
            return []
        if len(v) <= width:
            each = max(1, min(3, width // len(v)))
            return [x for x in v for _ in range(each)]
        out = []
        for i in range(width):
            chunk = v[i * len(v) // width:(i + 1) * len(v) // width] or [v[min(len(v) - 1, i * len(v) // width)]]
            out.append(sum(chunk) / len(chunk))
        return out

    def __rich_console__(self, console, options):
        cols = self.columns(options.max_width)
        steps = self.height * 8
        rows = []
        for r in range(self.height - 1, -1, -1):
            line = Text()
            for value in cols:
                share = (max(self.floor, min(100.0, value)) - self.floor) / (100.0 - self.floor)
                level = max(1, round(share * steps))  # every day shows a little
                cell = min(8, max(0, level - r * 8))
                line.append(BLOCKS[cell], score_style(value).replace("bold ", ""))
            rows.append(line)
        yield from rows

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(1, options.max_width)


def scale_floor(values: Sequence[float]) -> float:
    """The bottom of the trend's scale: a multiple of 10 at least 10 points under the lowest day (0 at most)."""
    if not values:
        return 0.0
    return float(max(0, min(80, int((min(values) - 10) // 10 * 10))))


def short_date(dt: datetime | str) -> str:
    if isinstance(dt, str):
        dt = datetime.fromisoformat(dt)
    return f"{dt:%b} {dt.day}"


def topics_table(topics: Sequence[Mastery], *, show_new: bool = True) -> Table | Text:
    """One row per topic, weakest first: a mastery bar, the mastery, the trend, attempts, last practised and
    the status (weak in red, new dimmed)."""
    shown = [m for m in topics if show_new or m.status != "new"]
    if not shown:
        return Text("No topics yet.", "dim")
    t = Table(box=None, expand=True, padding=(0, 1), show_edge=False, header_style="bold")
    t.add_column("topic", ratio=1, no_wrap=True, overflow="ellipsis")
    t.add_column("mastery", no_wrap=True)
    t.add_column("", justify="right", no_wrap=True)
    t.add_column("trend", justify="right", no_wrap=True)
    t.add_column("answers", justify="right", no_wrap=True)
    t.add_column("last", no_wrap=True)
    t.add_column("", no_wrap=True)
    for m in shown:
        style = score_style(m.mastery)
        status = {"weak": Text("weak", "bold red"), "new": Text("new", "dim"), "ok": Text("")}[m.status]
        trend = Text("")
        if m.trend is not None:
            trend = Text(f"{TREND_ARROW.get(m.trend_label, '')}{m.trend:+.0f}",
                         {"improving": "green", "declining": "red"}.get(m.trend_label, "dim"))
        t.add_row(plain(m.key, "dim" if m.status == "new" else ""),
                  Text(bar(m.mastery / 100, 10) if m.mastery is not None else "·" * 10,
                       style if m.mastery is not None else "dim"),
                  Text("-" if m.mastery is None else f"{m.mastery:.0f}", style),
                  trend, Text(str(m.attempts) if m.attempts else "-", "dim" if not m.attempts else ""),
                  Text(short_date(m.last_practised) if m.last_practised else "-", "dim"), status)
    return t


def trend_caption(daily: Sequence[tuple[str, float, int]]) -> Text:
    """What the sparkline shows: the span, first and latest day, low and high."""
    if not daily:
        return Text("No graded answers yet: the trend starts with your first grade.", "dim")
    first, last = daily[0], daily[-1]
    n = len(daily)
    t = Text("daily average, ", "dim")
    t.append(f"{n} day{'s' if n != 1 else ''} practised", "dim")
    floor = scale_floor([d[1] for d in daily])
    if floor:
        t.append(f" · bars from {floor:.0f} to 100", "dim")
    t.append("\n")
    t.append(f"{short_date(first[0])} ", "dim")
    t.append(f"{first[1]:.0f}", score_style(first[1]))
    if n > 1:
        t.append(f" → {short_date(last[0])} ", "dim")
        t.append(f"{last[1]:.0f}", score_style(last[1]))
        lo = min(daily, key=lambda d: d[1])
        hi = max(daily, key=lambda d: d[1])
        t.append(f" · low {lo[1]:.0f} · high {hi[1]:.0f}", "dim")
    return t


def missed_text(kps: Sequence[KeyPointMastery], questions: Mapping[str, Question], limit: int = 8) -> Table | Text:
    """The key points most often left out ("you often leave out: ..."), with how often and in which question."""
    if not kps:
        return Text("Nothing you keep leaving out (a key point shows here once its coverage is weak).", "dim")
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    g.add_column(no_wrap=True, justify="right")
    for k in kps[:limit]:
        mark = Text("✗", "bold red") if k.last_status.value == "missing" else Text("~", "bold yellow")
        body = plain(k.text)
        q = questions.get(k.question_id)
        body.append("\n")
        body.append(plain(q.question if q else k.question_id, "dim italic"))
        g.add_row(mark, body, Text(k.record, "dim"))
    return g


def due_text(due: Sequence[DueCard], questions: Mapping[str, Question], now: datetime, *, cards: int,
             limit: int = 6) -> Table | Text:
    """The questions due for review, most overdue first, one line each."""
    if not due:
        if not cards:
            return Text("Nothing scheduled yet: each graded answer schedules its question (FSRS).", "dim")
        return Text(f"Nothing due now. {cards} question{'s' if cards != 1 else ''} scheduled.", "dim")
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    g.add_column(no_wrap=True, justify="right")
    for c in due[:limit]:
        q = questions.get(c.question_id)
        days = (now - c.due).total_seconds() / 86400
        g.add_row(plain(q.question if q else c.question_id), Text(f"{days:.0f} d" if days >= 1 else "today", "dim"))
    if len(due) > limit:
        g.add_row(Text(f"… and {len(due) - limit} more", "dim"), Text(""))
    return g
