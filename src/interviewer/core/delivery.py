"""Delivery measured from the audio and the word timings: pace, pauses, speech against silence, fillers.

This module owns how a spoken answer's *delivery* is measured, as opposed to its content (the grader's job).
It is pure: word timings, the silences found in the signal (`voice.wav.silent_spans`), the transcript text
in; a frozen `Delivery` out; no audio decoding, no I/O, no engine. The typed-answer estimates (words / 150
wpm) stay in `core.insights`, labelled as estimates; these figures come from what was actually said.

Definitions (one take; several takes are measured each on its own and added up, because the gap between
pressing stop and recording again is not a pause in speech):

- **span**: from the first speech to the last. The silence before it (`start_delay_seconds`: thinking
  before speaking, reaching for the key) and after it is left out.
- **silence**: every stretch of at least `SILENCE_GAP_SECONDS` (0.3 s) inside the span with no speech.
  Taken from the audio when its silences are given, which is what the voice layer does: Whisper's word
  timings stretch the word before a silence into it, so gaps between words miss real pauses (measured on
  synthetic speech: true gaps of 1.4 s and 1.9 s between two sentences read as no gap at all). Without the
  audio, the gaps between word timings are used (`pauses_from` says which).
- **speech time** = span - silence; **speaking rate** = words / speech time, in words per minute. So a long
  pause lowers the speech ratio, not the rate: the rate is how fast you talk while you talk.
- **unheard speech**: a stretch of the audio's speech (between two silences) of at least UNHEARD_SECONDS in
  which the transcript has no word at all: the model skipped it (seen with tiny.en: a whole first sentence
  dropped). It is left out of the rate (the words said in it are not counted either) and reported, so the
  figures never rest on words the transcript does not have.
- **long pause**: a silence of at least `LONG_PAUSE_SECONDS` (1 s, the point where a listener notices),
  with where it fell: after which word (the last word that began before it), the few words before it, the
  time, and how far through the answer (0-1 by words). With no word timings it is placed by time.
- **fillers**: counted in the transcript text with `core.insights.count_fillers` (the one filler list).

What Whisper drops, honestly: the models were trained on transcripts that mostly leave disfluencies out, so
they tend to drop the *vocal* fillers ("um", "uh", "er", "erm", "hmm"), repeated words ("the the") and false
starts. Measured with tiny.en at beam 5, temperature 0 on synthetic speech (docs/benchmarks.md, voice): 2
of 4 "um"/"uh" kept, the other two silently dropped, and in other sentences every "Um,"/"Uh," dropped. Treat
the um/uh count as a lower bound. The *lexical* fillers ("like", "you know", "basically", "actually",
"sort of", "kind of", "I mean", "I guess") are ordinary words and are transcribed as said (5 of 5 kept).
Fillers are counted in the transcript as heard, before any edit the candidate makes to the text.
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
UNHEARD_SECONDS = 0.8

Pace = Literal["slow", "conversational", "fast", "unknown"]
Source = Literal["audio", "word timings", "mixed", "none"]
Seconds = Annotated[float, Field(ge=0)]


class Pause(Strict):
    """One long pause and where it fell."""

    take: Annotated[int, Field(ge=0)] = 0
    """Which take (0 = the first) when the answer was recorded in several."""
    after_index: Annotated[int, Field(ge=0)]
    """Index, in the whole answer, of the word said just before the pause."""
    after_word: str
    """The word said just before the pause; "" when the transcript has none before it (unheard speech)."""
    before_word: str
    """The word that ended the pause; "" when the transcript has none after it."""
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
    """False when some take had no word timings (pauses are then placed by time, not after a known word)."""
    pauses_from: Source = "word timings"
    """Where silence and pauses were measured: the audio signal (preferred), the gaps between word timings,
    "mixed" across takes, or "none" (text only and no audio: the whole take counts as speech)."""
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
    unheard_seconds: Seconds = 0.0
    """Speech in the audio with no word in the transcript (UNHEARD_SECONDS or longer): left out of the rate."""


def pace_of(wpm: float, speech_seconds: float) -> Pace:
    if speech_seconds < MIN_SPEECH_FOR_PACE or wpm <= 0:
        return "unknown"
    if wpm < SLOW_WPM:
        return "slow"
    if wpm > FAST_WPM:
        return "fast"
    return "conversational"


Span = tuple[float, float]
"""A silence found in the audio, (start, end) in seconds from the start of its take."""
EDGE_SECONDS = 0.05


@dataclass
class _Take:
    """Figures of one take before they are added up."""

    duration: float
    tokens: list[str]
    """The words said, in order (from the word timings, or from the text when there are none)."""
    text: str
    timed: bool
    source: Source = "word timings"
    span: float = 0.0
    silence: float = 0.0
    start_delay: float = 0.0
    gaps: list[tuple[int, float, float]] = field(default_factory=list)
    unheard: float = 0.0
    """(index of the word before, start of the pause, length) for every long pause."""


def _from_words(t: _Take, ws: list[Word], long_pause: float) -> None:
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


def _from_audio(t: _Take, ws: list[Word], silences: Sequence[Span], long_pause: float) -> None:
    """Speech bounds, silence and pauses from the audio's silences; the words only say where a pause fell."""
    spans = sorted((max(0.0, a), min(t.duration, b)) for a, b in silences if b > a)
    start, end = 0.0, t.duration
    if spans and spans[0][0] <= EDGE_SECONDS:
        start = spans[0][1]
    if spans and spans[-1][1] >= t.duration - EDGE_SECONDS and spans[-1][0] > start:
        end = spans[-1][0]
    t.start_delay, t.span = start, max(0.0, end - start)
    inner = [(max(a, start), min(b, end)) for a, b in spans]
    inner = [(a, b) for a, b in inner if b - a >= SILENCE_GAP_SECONDS]
    t.silence = min(t.span, sum(b - a for a, b in inner))
    speech, n, before = t.span - t.silence, len(t.tokens), 0.0
    for a, b in inner:
        if b - a >= long_pause and n >= 2:
            if ws:  # the last word that began before the silence (Whisper may stretch it into the silence)
                idx = max((i for i, w in enumerate(ws) if w.start < a + EDGE_SECONDS), default=-1)
            else:  # no word timings: the words said before it, as if spread evenly over the speech time
                said = (a - start) - before
                idx = min(max(int(n * said / speech) - 1 if speech > 0 else 0, 0), n - 2)
            t.gaps.append((idx, a, b - a))
        before += b - a
    if ws:  # speech the transcript has no word for
        edges = [start, *[x for ab in inner for x in ab], end]
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if b - a >= UNHEARD_SECONDS and not any(w.start < b and w.end > a for w in ws):
                t.unheard += b - a


def _measure_take(words_: Sequence[Word], duration: float, text: str, timed: bool, long_pause: float,
                  silences: Sequence[Span] | None = None) -> _Take:
    ws = sorted(words_, key=lambda w: (w.start, w.end)) if timed else []
    tokens = [w.text for w in ws] if timed else words(text)
    t = _Take(duration=max(0.0, duration), tokens=tokens, text=text, timed=timed)
    if not tokens:
        return t
    if silences is not None:
        t.source = "audio"
        _from_audio(t, ws, silences, long_pause)
    elif ws:
        _from_words(t, ws, long_pause)
    else:  # text only, no audio: the whole take counts as speech, its pauses are unknown
        t.source = "none"
        t.span = t.duration
    return t


def measure_takes(takes: Sequence[Transcript], *, silences: Sequence[Sequence[Span] | None] | None = None,
                  long_pause: float = LONG_PAUSE_SECONDS) -> Delivery:
    """Delivery of an answer recorded in one or more takes. `silences`, one list per take (or None for a
    take whose audio is gone), are the silences measured in the audio (`voice.wav.silent_spans`): with them,
    silence and pauses come from the signal and the word timings only locate them."""
    per_take = list(silences) if silences is not None else [None] * len(takes)
    if len(per_take) != len(takes):
        raise ValueError(f"{len(takes)} takes but {len(per_take)} lists of silences")
    return _combine([_measure_take(tr.words, tr.duration, tr.text, tr.word_timings, long_pause, sil)
                     for tr, sil in zip(takes, per_take, strict=True)], long_pause)


def measure_delivery(words_: Sequence[Word], duration: float, text: str | None = None, *,
                     silences: Sequence[Span] | None = None, word_timings: bool = True,
                     long_pause: float = LONG_PAUSE_SECONDS) -> Delivery:
    """Delivery of one take. `text` defaults to the words joined (fillers are counted in it)."""
    text = " ".join(w.text for w in words_) if text is None else text
    return _combine([_measure_take(words_, duration, text, word_timings, long_pause, silences)], long_pause)


def _combine(parts: list[_Take], long_pause: float) -> Delivery:
    if not parts:
        parts = [_Take(duration=0.0, tokens=[], text="", timed=True)]
    said = [p for p in parts if p.tokens]
    sources = {p.source for p in said}
    source: Source = sources.pop() if len(sources) == 1 else ("mixed" if sources else "word timings")
    total_words = sum(len(p.tokens) for p in parts)
    span = speech = silence = unheard = 0.0
    pauses: list[Pause] = []
    longest = 0.0
    n_long = 0
    offset = 0
    for take_no, p in enumerate(parts):
        span += p.span
        silence += p.silence
        speech += p.span - p.silence
        unheard += p.unheard
        n = len(p.tokens)
        for idx, at, secs in p.gaps:  # idx -1: before the first word heard; n - 1: after the last
            n_long += 1
            longest = max(longest, secs)
            if len(pauses) < MAX_PAUSES_KEPT:
                pauses.append(Pause(
                    take=take_no, after_index=offset + max(idx, 0), after_word=p.tokens[idx] if idx >= 0 else "",
                    before_word=p.tokens[idx + 1] if idx + 1 < n else "",
                    context=" ".join(p.tokens[max(0, idx - CONTEXT_WORDS + 1): idx + 1]),
                    at=round(at, 2), seconds=round(secs, 2),
                    position=round(min(1.0, (offset + idx + 1) / max(1, total_words)), 3)))
        offset += len(p.tokens)
    fillers: Counter[str] = Counter()
    for p in parts:
        fillers.update(count_fillers(p.text))
    n_fill = sum(fillers.values())
    heard = max(0.0, speech - unheard)  # the rate counts the words heard over the speech they were heard in
    wpm = total_words * 60.0 / heard if heard > 0 else 0.0
    return Delivery(
        takes=len(parts), word_timings=all(p.timed for p in said), pauses_from=source,
        duration_seconds=round(sum(p.duration for p in parts), 2),
        span_seconds=round(span, 2), speech_seconds=round(speech, 2), silence_seconds=round(silence, 2),
        speech_ratio=round(speech / span, 3) if span > 0 else 0.0,
        start_delay_seconds=round(parts[0].start_delay, 2),
        word_count=total_words, words_per_minute=round(wpm, 1), pace=pace_of(wpm, heard),
        long_pause_threshold=long_pause, long_pause_count=n_long, longest_pause_seconds=round(longest, 2),
        pauses=pauses, filler_count=n_fill, fillers=dict(sorted(fillers.items())),
        fillers_per_minute=round(n_fill * 60.0 / heard, 1) if heard > 0 else 0.0,
        unheard_seconds=round(unheard, 2),
    )
