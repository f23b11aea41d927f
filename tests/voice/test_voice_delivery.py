"""Delivery figures (core/delivery.py): tables of word timings and audio silences with known gaps, and real
speech with 1.5 s silences joined by sox, transcribed by the real tiny.en model, silences found in the audio."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from interviewer.core import insights
from interviewer.core.delivery import (
    LONG_PAUSE_SECONDS,
    Delivery,
    measure_delivery,
    measure_takes,
    pace_of,
)
from interviewer.core.transcript import Transcript, Word
from interviewer.voice.wav import silent_spans

from .voice_audio import PAUSE_SECONDS, PAUSED


def timed(*spec: tuple[str, float, float]) -> list[Word]:
    return [Word(text=t, start=s, end=e) for t, s, e in spec]


def evenly(n: int, start: float = 0.0, per_word: float = 0.4, gap: float = 0.0) -> list[Word]:
    return [Word(text=f"w{i}", start=start + i * (per_word + gap), end=start + i * (per_word + gap) + per_word)
            for i in range(n)]


def test_rate_is_over_speech_time_not_wall_time():
    # 10 words of 0.4 s back to back = 4 s of speech (150 wpm), then 3 s of silence, then 10 more words.
    words = [*evenly(10, start=2.0), *evenly(10, start=9.0)]
    d = measure_delivery(words, duration=15.0)
    assert d.word_count == 20
    assert d.speech_seconds == pytest.approx(8.0)
    assert d.words_per_minute == pytest.approx(150.0)
    assert d.span_seconds == pytest.approx(11.0)
    assert d.silence_seconds == pytest.approx(3.0)
    assert d.speech_ratio == pytest.approx(8 / 11, abs=1e-3)
    assert d.start_delay_seconds == pytest.approx(2.0)
    assert d.pace == "conversational"


def test_long_pauses_where_and_how_long():
    words = timed(("Attention", 0.0, 0.5), ("weighs", 0.5, 0.9), ("tokens.", 0.9, 1.4),
                  ("Then", 3.0, 3.3), ("a", 3.3, 3.4), ("layer", 3.4, 3.8), ("follows.", 3.8, 4.3),
                  ("Done.", 5.5, 5.9))
    d = measure_delivery(words, duration=6.5)
    assert d.long_pause_count == 2
    assert d.longest_pause_seconds == pytest.approx(1.6)
    first, second = d.pauses
    assert (first.after_word, first.before_word, first.after_index) == ("tokens.", "Then", 2)
    assert first.context == "Attention weighs tokens."
    assert first.at == pytest.approx(1.4) and first.seconds == pytest.approx(1.6)
    assert first.position == pytest.approx(3 / 8, abs=1e-3)
    assert (second.after_word, second.seconds) == ("follows.", pytest.approx(1.2))
    assert second.context == "Then a layer follows."


def test_short_gaps_are_speech_and_silence_gaps_are_not():
    words = timed(("a", 0.0, 0.3), ("b", 0.5, 0.8), ("c", 1.2, 1.5))  # gaps 0.2 (speech), 0.4 (silence)
    d = measure_delivery(words, duration=2.0)
    assert d.silence_seconds == pytest.approx(0.4)
    assert d.speech_seconds == pytest.approx(1.1)
    assert d.long_pause_count == 0


@pytest.mark.parametrize("threshold,count", [(0.5, 2), (1.0, 1), (2.5, 0)])
def test_long_pause_threshold_is_a_parameter(threshold, count):
    words = timed(("a", 0.0, 0.5), ("b", 1.2, 1.5), ("c", 3.0, 3.4))  # gaps 0.7 and 1.5
    assert measure_delivery(words, 4.0, long_pause=threshold).long_pause_count == count


def test_overlapping_and_unsorted_words_make_no_negative_gaps():
    words = timed(("c", 2.0, 2.5), ("a", 0.0, 1.2), ("b", 1.0, 1.9))
    d = measure_delivery(words, 3.0)
    assert d.silence_seconds == pytest.approx(0.1 if 2.0 - 1.9 >= 0.3 else 0.0)
    assert d.span_seconds == pytest.approx(2.5)
    assert d.long_pause_count == 0


def test_fillers_come_from_the_one_list_in_insights():
    text = "Um, so basically attention is, like, you know, a weighted sum. Uh, I mean it mixes tokens."
    d = measure_delivery(evenly(18), duration=8.0, text=text)
    assert d.fillers == insights.count_fillers(text)
    assert d.filler_count == sum(insights.count_fillers(text).values()) >= 6
    assert d.fillers_per_minute == pytest.approx(d.filler_count * 60 / d.speech_seconds, abs=0.1)


def test_nothing_said():
    d = measure_delivery([], duration=4.0, text="")
    assert (d.word_count, d.words_per_minute, d.speech_seconds, d.long_pause_count) == (0, 0.0, 0.0, 0)
    assert d.pace == "unknown" and d.word_timings


def test_text_without_word_timings_counts_the_take_as_speech_and_pauses_as_unknown():
    tr = Transcript(text="one two three four five six seven eight nine ten", duration=5.0, word_timings=False)
    d = measure_takes([tr])
    assert not d.word_timings
    assert d.word_count == 10 and d.words_per_minute == pytest.approx(120.0)
    assert d.long_pause_count == 0 and d.pauses == []


def test_takes_are_measured_each_on_its_own_and_added_up():
    a = Transcript(text="w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", words=evenly(10, start=1.0), duration=6.0)
    b = Transcript(text="w0 w1 w2 w3 w4", words=[*evenly(3, start=0.5), *evenly(2, start=4.0)], duration=5.0)
    d = measure_takes([a, b])
    assert d.takes == 2 and d.word_count == 15
    assert d.duration_seconds == pytest.approx(11.0)
    assert d.start_delay_seconds == pytest.approx(1.0)  # the first take's
    assert d.long_pause_count == 1  # inside take 2 only; the time between takes is not a pause
    (p,) = d.pauses
    assert p.take == 1 and p.after_index == 12 and p.position == pytest.approx(13 / 15, abs=1e-3)


def test_pace_bands():
    assert pace_of(100, 30) == "slow"
    assert pace_of(140, 30) == "conversational"
    assert pace_of(190, 30) == "fast"
    assert pace_of(190, 1.0) == "unknown"


def test_delivery_is_frozen_and_round_trips_as_json():
    d = measure_delivery(evenly(12, gap=0.2), 6.0)
    with pytest.raises(ValidationError):
        d.word_count = 3  # type: ignore[misc]
    assert Delivery.model_validate_json(d.model_dump_json()) == d


def test_silences_from_the_audio_override_stretched_word_timings():
    """Whisper stretched "tokens." over the silence (no gap between the words), the audio has 1.6 s of it."""
    words = timed(("Attention", 1.1, 1.6), ("weighs", 1.6, 2.0), ("tokens.", 2.0, 4.1),
                  ("Then", 4.1, 4.4), ("layers", 4.4, 4.9), ("follow.", 4.9, 5.6))
    assert measure_delivery(words, 7.0).long_pause_count == 0  # the word gaps alone see nothing
    d = measure_delivery(words, 7.0, silences=[(0.0, 1.2), (2.5, 4.1), (4.5, 4.7), (5.5, 7.0)])
    assert d.pauses_from == "audio" and d.start_delay_seconds == pytest.approx(1.2)
    assert d.span_seconds == pytest.approx(4.3)  # 1.2 .. 5.5, the silences at both ends left out
    assert d.silence_seconds == pytest.approx(1.6)  # the 0.2 s one is a join of connected speech
    (p,) = d.pauses
    assert (p.after_word, p.before_word, p.at, p.seconds) == ("tokens.", "Then", 2.5, pytest.approx(1.6))
    assert d.words_per_minute == pytest.approx(6 * 60 / 2.7, abs=0.1)


def test_audio_silences_without_word_timings_place_pauses_by_time():
    tr = Transcript(text="one two three four five six seven eight", duration=10.0, word_timings=False)
    d = measure_takes([tr], silences=[[(0.0, 1.0), (5.0, 7.0)]])
    assert d.pauses_from == "audio" and not d.word_timings
    (p,) = d.pauses
    assert p.seconds == pytest.approx(2.0) and p.after_word == "four" and p.before_word == "five"
    assert d.speech_seconds == pytest.approx(7.0)
    with pytest.raises(ValueError, match="2 takes but 1"):
        measure_takes([tr, tr], silences=[[]])


@pytest.mark.slow
async def test_real_speech_pauses_are_found_after_the_right_words(paused_wav, tiny):
    """Three espeak-ng sentences joined by 1.5 s of silence: exactly two long pauses, each after the last
    word of a sentence, as long as the silence (plus espeak's own padding), measured from the audio;
    no false pauses inside the sentences."""
    tr = await tiny.transcribe(paused_wav)
    d = measure_takes([tr], silences=[silent_spans(paused_wav)])
    assert d.pauses_from == "audio"
    assert d.long_pause_count == 2, (tr.text, d.pauses)
    ends = [s.split()[-1].lower().strip(".") for s in PAUSED[:2]]
    for pause, end in zip(d.pauses, ends, strict=True):
        assert pause.after_word.lower().strip(".,") == end
        assert PAUSE_SECONDS <= pause.seconds <= PAUSE_SECONDS + 0.6  # espeak pads each clip a little
    assert 1.0 <= d.start_delay_seconds <= 1.3  # the 1 s of silence before the first word, and espeak's pad
    assert 95 <= d.words_per_minute <= 200  # espeak-ng at a nominal 150 wpm; merged words ("nanafeed") count low
    assert d.speech_ratio < 0.9 and d.long_pause_threshold == LONG_PAUSE_SECONDS


def test_speech_the_transcript_has_no_words_for_is_left_out_of_the_rate_and_reported():
    """The model skipped the first sentence (0.5-3.5 s of speech, no word in it): the pause after it is placed
    before the first word heard, and the rate is the words heard over the speech they were heard in."""
    words = timed(("The", 5.0, 5.3), ("model", 5.3, 5.8), ("learns", 5.8, 6.3), ("which", 6.3, 6.6),
                  ("words", 6.6, 7.0), ("matter.", 7.0, 8.0))
    d = measure_delivery(words, 8.5, silences=[(0.0, 0.5), (3.5, 5.0), (8.0, 8.5)])
    assert d.unheard_seconds == pytest.approx(3.0)
    assert d.speech_seconds == pytest.approx(6.0)  # what the audio says: the skipped sentence was spoken
    assert d.words_per_minute == pytest.approx(6 * 60 / 3.0)  # 6 words over the 3 s they were heard in
    (p,) = d.pauses
    assert (p.after_word, p.before_word, p.context, p.seconds) == ("", "The", "", pytest.approx(1.5))
    heard = measure_delivery(words, 8.5, silences=[(0.0, 4.8), (8.0, 8.5)])
    assert heard.unheard_seconds == 0 and heard.long_pause_count == 0
