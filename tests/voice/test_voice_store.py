"""A spoken answer kept with its attempt: the m003_voice migration on a database written before it, the takes
and delivery stored, trended, exported (JSON round trip, CSV, Markdown) and deleted with their attempt (and
its recordings, never a user's own file); the [voice] settings in config.toml and the environment."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.app import exporting, reviewing
from interviewer.app.services import Services
from interviewer.config import load_config
from interviewer.core.delivery import measure_takes
from interviewer.core.delivery_trend import delivery_trend
from interviewer.core.errors import ConfigError
from interviewer.core.transcript import SpokenTake, Transcript, Word
from interviewer.store import voice as spoken
from interviewer.store.db import migrate, open_db
from interviewer.store.migrations import MIGRATIONS
from interviewer.store.repo import Store


def a_take(audio: str = "", words: int = 12, gap_after: int | None = 5, recorder: str = "arecord") -> SpokenTake:
    """A take of `words` words at 0.4 s each, with a 1.5 s silence after word `gap_after`."""
    ws, t = [], 0.5
    for i in range(words):
        ws.append(Word(text=f"word{i}", start=round(t, 2), end=round(t + 0.35, 2)))
        t += 0.4 + (1.5 if i == gap_after else 0.0)
    silences = [(0.0, 0.5)] + ([(ws[gap_after].end, ws[gap_after + 1].start)] if gap_after is not None else [])
    tr = Transcript(text=" ".join(w.text for w in ws), words=ws, duration=round(t + 0.5, 2), model="tiny.en",
                    backend="local")
    return SpokenTake(transcript=tr, audio=audio, silences=silences, recorder=recorder)


def add_spoken(svc, takes: list[SpokenTake], question: str = "llm-q001"):
    bank, q = svc.find_question(question)
    a = svc.store.add_attempt(bank_id=bank.id, question_id=q.id, prompt=q.question,
                              answer=" ".join(t.transcript.text for t in takes))
    d = svc.voice.keep(svc.store, a.id, takes)
    return a, d


def test_the_migration_adds_the_voice_tables_to_a_database_written_before_it(tmp_path):
    db = tmp_path / "old.db"
    conn = open_db(db)  # every migration, then roll the voice tables back to look like an m002 database
    conn.executescript("DROP TABLE attempt_takes; DROP TABLE deliveries; DELETE FROM migrations WHERE name = 'm003_voice';")
    conn.execute("INSERT INTO sessions(bank_id, started_at) VALUES ('llm-100', '2025-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO attempts(session_id, bank_id, question_id, prompt, answer, submitted_at) "
                 "VALUES (1, 'llm-100', 'llm-q001', 'Q?', 'typed before voice', '2025-01-01T00:01:00+00:00')")
    conn.commit()
    assert migrate(conn) == ["m003_voice"]
    assert "m003_voice" in [n for n, _ in MIGRATIONS]
    store = Store(conn)
    (a,) = store.attempts()
    assert a.answer == "typed before voice" and spoken.delivery_for(store, a.id) is None
    take = a_take()
    d = measure_takes([take.transcript], silences=[take.silences])
    spoken.save_voice(store, a.id, [take], d)
    assert spoken.takes_for(store, a.id) == [take] and spoken.delivery_for(store, a.id) == d
    store.conn.execute("DELETE FROM attempts WHERE id = ?", (a.id,))  # the voice rows go with the attempt
    assert store.conn.execute("SELECT COUNT(*) FROM attempt_takes").fetchone()[0] == 0
    assert store.conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0
    conn.close()


def test_columns_agree_with_the_stored_delivery_and_feed_the_trend(services):
    a, d = add_spoken(services, [a_take(), a_take(gap_after=None)])
    (p,) = spoken.delivery_points(services.store)
    assert (p.attempt_id, p.words_per_minute, p.long_pauses, p.longest_pause_seconds, p.speech_seconds) == (
        a.id, d.words_per_minute, d.long_pause_count, d.longest_pause_seconds, d.speech_seconds)
    assert d.takes == 2 and d.long_pause_count == 1 and d.pauses_from == "audio"
    rep = reviewing.report(services)
    assert rep.delivery is not None and rep.delivery.answers == 1
    assert rep.to_dict()["delivery"]["pace"]["lately_wpm"] == pytest.approx(d.words_per_minute, abs=0.05)


def test_the_trend_compares_the_newest_answers_with_the_ones_before():
    class P:
        def __init__(self, day: int, wpm: float, pauses: int) -> None:
            self.submitted_at = (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=day)).isoformat()
            self.words_per_minute, self.pace, self.speech_seconds = wpm, "conversational", 60.0
            self.long_pauses, self.longest_pause_seconds = pauses, 1.0 + pauses

    pts = [P(i, 180 - 5 * i, 4 - i // 3) for i in range(12)]  # slowing down, fewer pauses
    t = delivery_trend(pts)
    assert t.window == 5 and t.answers == 12 and len(t.days) == 12
    assert t.pace_lately == pytest.approx(sum(180 - 5 * i for i in range(7, 12)) / 5)
    assert t.pace_before == pytest.approx(sum(180 - 5 * i for i in range(2, 7)) / 5)
    assert t.pace_change == "slower" and t.pause_change == "fewer"
    one = delivery_trend(pts[:1])
    assert one.pace_before is None and one.pace_change == "" and one.window == 1
    assert delivery_trend([]) is None
    short = P(0, 400, 0)
    short.pace = "unknown"  # too little speech to call: not a pace point
    assert delivery_trend([short]).pace_lately is None


def test_json_export_and_import_carry_the_takes_and_the_delivery(services, isolated_home, tmp_path):
    a, d = add_spoken(services, [a_take()])
    out = tmp_path / "history.json"
    exporting.export(services, "json", out)
    other = tmp_path / "other"
    other.mkdir()
    from interviewer.locations import Locations

    svc2 = Services.create(locations=Locations(other, other))
    try:
        counts = exporting.import_history(svc2, out)
        assert counts["attempts"] == 1 and counts["voice"] == 1
        (b,) = svc2.store.attempts()
        assert spoken.delivery_for(svc2.store, b.id) == d
        assert spoken.takes_for(svc2.store, b.id) == spoken.takes_for(services.store, a.id)
        again = exporting.import_history(svc2, out)  # the same file twice: nothing doubled
        assert again["attempts_existing"] == 1 and again["voice"] == 0
        assert svc2.store.conn.execute("SELECT COUNT(*) FROM attempt_takes").fetchone()[0] == 1
    finally:
        svc2.close()


def test_csv_and_markdown_show_the_delivery_of_spoken_answers_only(services):
    a, d = add_spoken(services, [a_take()])
    bank, q = services.find_question("llm-q002")
    services.store.add_attempt(bank_id=bank.id, question_id=q.id, prompt=q.question, answer="typed")
    rows = list(csv.DictReader(io.StringIO(exporting.render_csv(services)[0])))
    by_answer = {r["answer"]: r for r in rows}
    said = by_answer[a.answer]
    assert float(said["words_per_minute"]) == d.words_per_minute and said["long_pauses"] == "1"
    assert by_answer["typed"]["words_per_minute"] == "" and by_answer["typed"]["long_pauses"] == ""
    from interviewer.app.export_report import render_markdown

    md, _ = render_markdown(services)
    assert "## Your delivery (spoken answers)" in md and "**Your pace:**" in md
    assert f"{d.words_per_minute:.0f} words a minute" in md and md.count("*Spoken (") == 1


def test_deleting_an_attempt_deletes_its_recordings_but_never_a_users_file(services, isolated_home, tmp_path):
    ours = services.voice.takes.new_path()
    ours.write_bytes(b"RIFF")
    ours.with_suffix(".json").write_text("{}")
    theirs = tmp_path / "my-answer.wav"
    theirs.write_bytes(b"RIFF")
    a, _ = add_spoken(services, [a_take(str(ours)), a_take(str(theirs), recorder="file")])
    reviewing.delete_attempt(services, a.id)
    assert not ours.exists() and not ours.with_suffix(".json").exists()
    assert theirs.exists()
    assert services.store.conn.execute("SELECT COUNT(*) FROM attempt_takes").fetchone()[0] == 0


def test_a_skipped_answer_drops_its_takes(services):
    from interviewer.app.practice import Practice, SessionOptions
    from interviewer.core.models import AttemptKind

    p = Practice.start(services, SessionOptions(count=1, order="in-order"))
    wav = services.voice.takes.new_path()
    shutil.copy(__file__, wav)  # any bytes: only the file's fate is checked
    p.stage_voice(p.current.question, [a_take(str(wav))])
    ans = p.submit(p.current.question, "", kind=AttemptKind.skipped)
    assert ans.delivery is None and not wav.exists()
    assert spoken.takes_for(services.store, ans.attempt.id) == []


def test_voice_settings_from_the_file_and_the_environment(isolated_home):
    path = isolated_home / "config.toml"
    path.write_text('[voice]\nmodel = "small.en"\nkeep_audio = false\nlong_pause = 1.5\n')
    cfg = load_config(path, env={})
    assert (cfg.voice.model, cfg.voice.keep_audio, cfg.voice.long_pause) == ("small.en", False, 1.5)
    assert cfg.voice.effective_model() == "small.en" and cfg.voice.backend == "local"
    env = {"INTERVIEWER_VOICE_BACKEND": "openai", "INTERVIEWER_VOICE_MODEL": "whisper-1"}
    cfg = load_config(path, env=env)
    assert (cfg.voice.backend, cfg.voice.model) == ("openai", "whisper-1")
    path.write_text('[voice]\nbackend = "cloud"\nbeam_size = 0\n')
    with pytest.raises(ConfigError) as e:
        load_config(path, env={})
    assert "voice.backend" in str(e.value) or "backend" in str(e.value)
    assert "beam_size" in str(e.value)
    assert load_config(None, env={}).voice.effective_model() == "base.en"
