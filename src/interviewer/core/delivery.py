"""Delivery measured from word timings: pace, pauses, speech against silence, fillers.

This module owns how a spoken answer's *delivery* is measured, as opposed to its content (the grader's job).
It is pure: word timings and transcript text in, a frozen `Delivery` out; no audio, no I/O, no engine. The
typed-answer estimates (words / 150 wpm) stay in `core.insights`, labelled as estimates; these figures come
from what was actually said.

Definitions (one take; several takes are measured each on its own and added up, because the gap between
pressing stop and recording again is not a pause in speech):

- **span**: from the start of the first word to the end of the last. The silence before the first word
  (`start_delay_seconds`, thinking before speaking, reaching for the key) and after the last is left out.
- **silence**: every gap between two words of at least `SILENCE_GAP_SECONDS` (0.3 s: shorter gaps are the
  ordinary joins of connected speech, and Whisper's word boundaries are only good to ~0.1-0.2 s anyway).
- **speech time** = span - silence; **speaking rate** = words / speech time, in words per minute. So a long
  pause lowers the speech ratio, not the rate: the rate is how fast you talk while you talk.
- **long pause**: a gap between two words of at least `LONG_PAUSE_SECONDS` (1 s, the point where a listener
  notices a silence), with where it fell: after which word, the few words before it, the time, and how far
  through the answer (0-1 by words).
- **fillers**: counted in the transcript text with `core.insights.count_fillers` (the one filler list).

What Whisper drops, honestly: the models were trained on transcripts that mostly leave disfluencies out, so
they tend to drop the *vocal* fillers ("um", "uh", "er", "erm", "hmm"), repeated words ("the the") and false
starts. With beam search 5 at temperature 0 the measurement notes saw "Um," and "Uh," kept at the start of
sentences in synthetic speech, and we have also seen tiny.en drop both in other sentences: treat the count
of um/uh as a lower bound. The *lexical* fillers ("like", "you know", "basically", "actually", "sort of",
"kind of", "I mean", "I guess") are ordinary words and are transcribed as said. Fillers are counted in the
transcript as heard, before any edit the candidate makes to the text.

Word timings are approximate: Whisper tends to stretch the last word before a silence into it, which
shortens the pause measured there (a 4 s silence read as ~2 s without the VAD filter, ~3.9 s with it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import Field

from .insights import count_fillers, words
from .models import Strict
from .transcript import Transcript, Word

DELIVERY_VERSION = 1
"""Bumped when a definition above changes, so stored figures can be told apart."""
SILENCE_GAP_SECONDS = 0.3
LONG_PAUSE_SECONDS = 1.0
SLOW_WPM = 110.0
FAST_WPM = 170.0
"""Pace bands: conversational English runs at roughly 120-160 words a minute."""
MIN_SPEECH_FOR_PACE = 3.0
"""Below this much speech a rate is too noisy to call slow or fast."""
CONTEXT_WORDS = 4
MAX_PAUSES_KEPT = 20

Pace = Literal["slow", "conversational", "fast", "unknown"]
Seconds = Annotated[float, Field(ge=0)]


class Pause(Strict):
    """One long pause and where it fell."""

    take: Annotated[int, Field(ge=0)] = 0
    """Which take (0 = the first) when the answer was recorded in several."""
    after_index: Annotated[int, Field(ge=0)]
    """Index, in the whole answer, of the word said just before the pause."""
    after_word: str
    before_word: str
    """The word that ended the pause."""
    context: str
    """The last few words before the pause, e.g. "every other token"."""
    at: Seconds
    """When the pause began, in seconds from the start of its take."""
    seconds: Seconds
    position: Annotated[float, Field(ge=0, le=1)]
    """How far through the answer, by words (0.5 = halfway)."""


class Delivery(Strict):
    """The stored delivery figures of one spoken answer (all its takes)."""

    version: int = DELIVERY_VERSION
    takes: Annotated[int, Field(ge=1)] = 1
    word_timings: bool = True
    """False when some take had no word timings: then speech time is the take's length and pauses are unknown."""
    duration_seconds: Seconds
    """The audio, every take, silences included."""
    span_seconds: Seconds
    speech_seconds: Seconds
    silence_seconds: Seconds
    """Silence inside the span (gaps of at least SILENCE_GAP_SECONDS between words)."""
    speech_ratio: Annotated[float, Field(ge=0, le=1)]
    """speech / span: 1.0 is talking without a break."""
    start_delay_seconds: Seconds
    """Silence before the first word of the first take."""
    word_count: Annotated[int, Field(ge=0)]
    words_per_minute: Seconds
    """Over speech time, not wall time; 0 when nothing was said."""
    pace: Pace
    long_pause_threshold: Seconds = LONG_PAUSE_SECONDS
    long_pause_count: Annotated[int, Field(ge=0)]
    longest_pause_seconds: Seconds
    pauses: list[Pause] = Field(default_factory=list)
    """The long pauses in order (the first MAX_PAUSES_KEPT; `long_pause_count` counts them all)."""
    filler_count: Annotated[int, Field(ge=0)]
    fillers: dict[str, int] = Field(default_factory=dict)
    fillers_per_minute: Seconds
    """Fillers per minute of speech."""


def pace_of(wpm: float, speech_seconds: float) -> Pace:
    if speech_seconds < MIN_SPEECH_FOR_PACE or wpm <= 0:
        return "unknown"
    if wpm < SLOW_WPM:
        return "slow"
    if wpm > FAST_WPM:
        return "fast"
    return "conversational"


@dataclass
class _Take:
    """Figures of one take before they are added up."""

    duration: float
    words: list[Word]
    text: str
    timed: bool
    span: float = 0.0
    silence: float = 0.0
    start_delay: float = 0.0
    gaps: list[tuple[int, float, float]] = field(default_factory=list)
    """(index of the word before, start of the gap, length) for every long gap."""


def _measure_take(words_: Sequence[Word], duration: float, text: str, timed: bool, long_pause: float) -> _Take:
    ws = sorted(words_, key=lambda w: (w.start, w.end))
    t = _Take(duration=max(0.0, duration), words=list(ws), text=text, timed=timed)
    if not timed or not ws:
        return t
    t.start_delay = ws[0].start
    end = ws[0].end
    for i in range(1, len(ws)):
        gap = ws[i].start - end  # from the latest end so far: overlapping words make no gap
        if gap >= SILENCE_GAP_SECONDS:
            t.silence += gap
        if gap >= long_pause:
            t.gaps.append((i - 1, end, gap))
        end = max(end, ws[i].end)
    t.span = max(0.0, end - ws[0].start)
    t.silence = min(t.silence, t.span)
    return t


def measure_takes(takes: Sequence[Transcript], *, long_pause: float = LONG_PAUSE_SECONDS) -> Delivery:
    """Delivery of an answer recorded in one or more takes."""
    parts = [_measure_take(tr.words, tr.duration, tr.text, tr.word_timings, long_pause) for tr in takes]
    return _combine(parts, long_pause)


def measure_delivery(words_: Sequence[Word], duration: float, text: str | None = None, *,
                     word_timings: bool = True, long_pause: float = LONG_PAUSE_SECONDS) -> Delivery:
    """Delivery of one take. `text` defaults to the words joined (fillers are counted in it)."""
    text = " ".join(w.text for w in words_) if text is None else text
    return _combine([_measure_take(words_, duration, text, word_timings, long_pause)], long_pause)


def _combine(parts: list[_Take], long_pause: float) -> Delivery:
    if not parts:
        parts = [_Take(duration=0.0, words=[], text="", timed=True)]
    timed = all(p.timed or not p.text.strip() for p in parts)  # a silent take has nothing to time
    counts = [len(p.words) if p.timed else len(words(p.text)) for p in parts]
    total_words = sum(counts)
    span = speech = silence = 0.0
    pauses: list[Pause] = []
    longest = 0.0
    n_long = 0
    offset = 0
    for take_no, (p, n) in enumerate(zip(parts, counts, strict=True)):
        if p.timed:
            span += p.span
            silence += p.silence
            speech += p.span - p.silence
            for idx, at, secs in p.gaps:
                n_long += 1
                longest = max(longest, secs)
                if len(pauses) < MAX_PAUSES_KEPT:
                    before = p.words[max(0, idx - CONTEXT_WORDS + 1): idx + 1]
                    pauses.append(Pause(
                        take=take_no, after_index=offset + idx, after_word=p.words[idx].text,
                        before_word=p.words[idx + 1].text, context=" ".join(w.text for w in before),
                        at=round(at, 2), seconds=round(secs, 2),
                        position=round(min(1.0, (offset + idx + 1) / max(1, total_words)), 3)))
        elif n:  # text only: the whole take counts as speech, its pauses are unknown
            span += p.duration
            speech += p.duration
        offset += n
    fillers: Counter[str] = Counter()
    for p in parts:
        fillers.update(count_fillers(p.text))
    n_fill = sum(fillers.values())
    wpm = total_words * 60.0 / speech if speech > 0 else 0.0
    first = parts[0]
    return Delivery(
        takes=len(parts), word_timings=timed,
        duration_seconds=round(sum(p.duration for p in parts), 2),
        span_seconds=round(span, 2), speech_seconds=round(speech, 2), silence_seconds=round(silence, 2),
        speech_ratio=round(speech / span, 3) if span > 0 else 0.0,
        start_delay_seconds=round(first.start_delay, 2),
        word_count=total_words, words_per_minute=round(wpm, 1), pace=pace_of(wpm, speech),
        long_pause_threshold=long_pause, long_pause_count=n_long, longest_pause_seconds=round(longest, 2),
        pauses=pauses, filler_count=n_fill, fillers=dict(sorted(fillers.items())),
        fillers_per_minute=round(n_fill * 60.0 / speech, 1) if speech > 0 else 0.0,
    )
