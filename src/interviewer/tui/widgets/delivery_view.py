"""Delivery as the app shows it: one spoken answer's figures (the feedback screen, beside the content grade)
and the pace and pause trend over spoken answers (the review dashboard).

Rendering only: the figures come from core.delivery (measured from the recording) and core.delivery_trend;
a typed answer has none, and its speaking time stays an estimate in the wording section, labelled so.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ...core.delivery import FAST_WPM, SLOW_WPM, Delivery
from ...core.delivery_trend import DeliveryTrend
from ..text import clock, plain

SPARK = "▁▂▃▄▅▆▇█"
PACE_STYLE = {"conversational": "green", "slow": "yellow", "fast": "yellow", "unknown": "dim"}


def _grid() -> Table:
    g = Table.grid(padding=(0, 2), expand=True)
    g.add_column(no_wrap=True, style="bold")
    g.add_column(ratio=1)
    return g


def _secs(x: float) -> str:
    return f"{x:.1f} s"


def delivery_table(d: Delivery) -> Table:
    """Pace, pauses (where they fell), speech against silence, fillers: what was measured, and how."""
    g = _grid()
    pace = Text()
    if d.pace == "unknown":
        pace.append(f"{d.words_per_minute:.0f} words a minute" if d.words_per_minute else "not measured", "dim")
        pace.append(f" (too little speech to call: {_secs(d.speech_seconds)})", "dim")
    else:
        pace.append(f"{d.words_per_minute:.0f} words a minute", f"bold {PACE_STYLE[d.pace]}")
        band = f"{SLOW_WPM:.0f}-{FAST_WPM:.0f}"
        pace.append(f"  {d.pace}", PACE_STYLE[d.pace])
        pace.append(f" ({band})" if d.pace == "conversational" else f" (conversational is {band})", "dim")
        pace.append(f" over {clock(d.speech_seconds - d.unheard_seconds)} of speech", "dim")
    g.add_row("Pace", pace)

    pauses = Text()
    if d.long_pause_count == 0:
        pauses.append(f"no pause of {d.long_pause_threshold:g} s or more", "green")
    else:
        n = d.long_pause_count
        pauses.append(f"{n} long pause{'s' if n != 1 else ''} (≥ {d.long_pause_threshold:g} s), longest "
                      f"{_secs(d.longest_pause_seconds)}", "bold yellow" if n > 2 else "bold")
        for p in d.pauses[:5]:
            if p.after_word:
                pauses.append(f"\n{_secs(p.seconds)} after “")
                pauses.append(plain(p.context, "italic"))
                pauses.append(f"” ({p.position * 100:.0f}% in)", "dim")
            else:  # before the first word the transcript has
                pauses.append(f"\n{_secs(p.seconds)} before “")
                pauses.append(plain(p.before_word, "italic"))
                pauses.append(f"” ({p.at:.0f} s into take {p.take + 1})", "dim")
        if len(d.pauses) > 5:
            pauses.append(f"\n… and {n - 5} more", "dim")
    if d.pauses_from == "none":
        pauses = Text("not measured (no audio and no word timings)", "dim")
    g.add_row("Pauses", pauses)

    speech = Text(f"{d.speech_ratio * 100:.0f}% of the time speaking", "bold")
    speech.append(f" · {clock(d.span_seconds)} from the first word to the last", "dim")
    if d.start_delay_seconds >= 1:
        speech.append(f" · started after {_secs(d.start_delay_seconds)}", "dim")
    g.add_row("Speech", speech)

    fill = Text()
    if d.filler_count:
        fill.append(f"{d.filler_count} ({d.fillers_per_minute:.1f} a minute): ", "bold")
        fill.append(", ".join(f"{k} ×{v}" for k, v in sorted(d.fillers.items(), key=lambda kv: -kv[1])))
    else:
        fill.append("none heard")
    fill.append("\nThe speech model often leaves out “um” and “uh”: treat their count as a lower bound.", "dim")
    g.add_row("Fillers", fill)

    if d.unheard_seconds:
        g.add_row("Note", Text(f"About {_secs(d.unheard_seconds)} of your speech has no words in the transcript (the "
                               "speech model skipped it): the pace counts only what was transcribed. Check the "
                               "text, or try a larger voice.model.", "yellow"))
    how = f"{d.takes} take{'s' if d.takes != 1 else ''}, {clock(d.duration_seconds)} recorded · pauses measured "
    how += {"audio": "from the audio", "word timings": "from the word timings", "mixed": "from the audio and "
            "word timings", "none": "-"}[d.pauses_from]
    g.add_row("", Text(how, "dim"))
    return g


def sparkline(values: Sequence[float], width: int = 30) -> str:
    """The newest `width` values, scaled to their own range (a flat line when they are all the same)."""
    v = list(values)[-width:]
    if not v:
        return ""
    lo, hi = min(v), max(v)
    if hi - lo < 1e-9:
        return SPARK[3] * len(v)
    return "".join(SPARK[round((x - lo) / (hi - lo) * (len(SPARK) - 1))] for x in v)


def trend_text(t: DeliveryTrend | None) -> Text:
    """'Your pace' and 'your pauses' over the spoken answers (the review dashboard)."""
    if t is None:
        return Text("No spoken answers yet: press Ctrl+T on a question to answer out loud, and your pace and "
                    "pauses show here.", "dim")
    out = Text()
    out.append("Your pace  ", "bold")
    if t.pace_lately is None:
        out.append("not measured yet (answers too short)", "dim")
    else:
        out.append(f"{t.pace_lately:.0f} words a minute", f"bold {PACE_STYLE[t.pace_band]}")
        out.append(f" lately ({t.pace_band})")
        if t.pace_before is not None:
            out.append(f", {t.pace_change} (was {t.pace_before:.0f})" if t.pace_change != "steady"
                       else f", steady (was {t.pace_before:.0f})", "dim")
        out.append("\n  " + sparkline(t.pace_points), PACE_STYLE[t.pace_band])
    out.append("\nYour pauses  ", "bold")
    if t.pauses_lately is not None:
        good = t.pauses_lately < 1.0
        out.append(f"{t.pauses_lately:.1f} long pauses a minute", "bold " + ("green" if good else "yellow"))
        out.append(" lately")
        if t.longest_pause_lately:
            out.append(f", longest {_secs(t.longest_pause_lately)}")
        if t.pauses_before is not None:
            out.append(f", {t.pause_change} (was {t.pauses_before:.1f})", "dim")
        out.append("\n  " + sparkline(t.pause_points), "green" if good else "yellow")
    lately = f"your newest {t.window} answer{'s' if t.window != 1 else ''}"
    out.append(f"\n{t.answers} spoken answer{'s' if t.answers != 1 else ''}; lately = {lately}"
               + (f", against the {t.window} before" if t.pauses_before is not None else "") + ".", "dim")
    return out
