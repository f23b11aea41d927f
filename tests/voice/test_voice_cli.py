"""The voice commands as a user runs them: `interviewer transcribe FILE.wav [--json]` and `--pending`,
`interviewer grade --audio-file`, plain mode's `/voice FILE.wav`, `doctor`'s voice section and `stats`' pace
and pauses. Real speech (espeak-ng + sox), the real tiny.en model named in config.toml, no network."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from interviewer.app.practice import SessionOptions
from interviewer.app.services import Services
from interviewer.cli.commands.plain import run_plain
from interviewer.cli.main import main
from interviewer.store import voice as spoken
from interviewer.voice.takes import TakeStore

from .voice_audio import PAUSE_SECONDS


@pytest.fixture
def voice_home(isolated_home, tiny_model_dir):
    """config.toml as a user would write it: the model is a folder (no hub), typing-only recorder settings."""
    (isolated_home / "config.toml").write_text(f"[voice]\nmodel = {json.dumps(str(tiny_model_dir))}\ncpu_threads = 1\n")
    return isolated_home


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_transcribe_prints_the_transcript_and_the_delivery(voice_home, capsys, paused_wav):
    code, out, err = run(capsys, "transcribe", paused_wav)
    assert code == 0, err
    assert str(paused_wav) in out and "local:" in out
    assert "token" in out.lower() and "layer" in out.lower()
    assert "Delivery (measured from the recording):" in out
    assert "pauses   2 of 1 s or more" in out and "words a minute" in out
    assert "lower bound" in out  # the honest note on fillers the model drops


@pytest.mark.slow
def test_transcribe_json_is_the_transcript_with_word_timings_silences_and_delivery(voice_home, capsys, paused_wav):
    code, out, err = run(capsys, "transcribe", "--json", paused_wav)
    assert code == 0, err
    data = json.loads(out)  # progress went to stderr: stdout is pure JSON
    assert data["file"] == str(paused_wav)
    words = data["transcript"]["words"]
    assert len(words) >= 15 and all(w["end"] >= w["start"] for w in words)
    long_silences = [s for s in data["silences"] if s[1] - s[0] >= 1.0]
    assert len(long_silences) == 3  # the lead-in and the two pauses
    d = data["delivery"]
    assert d["long_pause_count"] == 2 and d["pauses_from"] == "audio"
    assert all(PAUSE_SECONDS <= p["seconds"] <= PAUSE_SECONDS + 0.6 for p in d["pauses"])
    assert paused_wav.exists() and not paused_wav.with_suffix(".json").exists()  # a user's file is only read


def test_transcribe_says_what_is_wrong_with_bad_files_and_exits_non_zero(voice_home, capsys, tmp_path):
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    code, out, err = run(capsys, "transcribe", tmp_path / "missing.wav", text)
    assert code == 1
    assert "missing.wav: no such file" in err and "not a WAV file" in err and "sox" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "transcribe")
    assert code == 2 and "no audio file given" in err


@pytest.mark.slow
def test_transcribe_pending_transcribes_a_kept_take_again(voice_home, capsys, answer_wav):
    takes = TakeStore(voice_home / "audio")
    wav = takes.new_path()
    shutil.copy(answer_wav, wav)
    (wav.with_suffix(".failed.json")).write_text('{"message": "the server answered 503", "kind": "server"}')
    assert len(takes.pending()) == 1
    code, out, err = run(capsys, "transcribe", "--pending")
    assert code == 0, err
    assert wav.name in out and "token" in out.lower()
    assert takes.pending() == [] and takes.load(wav).status == "transcribed"


@pytest.mark.slow
def test_grade_audio_file_stores_the_transcript_the_grade_and_the_delivery(voice_home, capsys, answer_wav):
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "--audio-file", answer_wav, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["score"] >= 0 and "token" in data["transcript"].lower()
    assert data["delivery"]["word_count"] >= 10
    svc = Services.create()
    try:
        (a,) = svc.store.attempts()
        assert a.answer == data["transcript"]
        assert spoken.delivery_for(svc.store, a.id).word_count == data["delivery"]["word_count"]
        (take,) = spoken.takes_for(svc.store, a.id)
        assert take.audio == str(answer_wav.resolve()) and take.recorder == "file"
    finally:
        svc.close()
    code, out, err = run(capsys, "grade", "-q", "llm-q030", "--audio-file", answer_wav)
    assert code == 0, err
    assert "Score " in out and "Delivery (measured from the recording):" in out
    code, out, err = run(capsys, "stats")  # pace and pauses over the spoken answers
    assert code == 0, err
    assert "Your delivery (2 spoken answers" in out and "words a minute lately" in out
    code, out, _ = run(capsys, "stats", "--json")
    assert json.loads(out)["delivery"]["spoken_answers"] == 2


@pytest.mark.slow
def test_grade_audio_file_refuses_silence_and_a_second_answer(voice_home, capsys, tmp_path, answer_wav):
    from .voice_audio import silence

    quiet = silence(3.0, tmp_path / "quiet.wav")
    code, _, err = run(capsys, "grade", "-q", "llm-q030", "--audio-file", quiet)
    assert code == 2 and "no speech was heard" in err and "nothing was stored" in err
    code, _, err = run(capsys, "grade", "-q", "llm-q030", "--audio-file", answer_wav, "--answer", "typed")
    assert code == 2 and "give the answer once" in err
    svc = Services.create()
    assert svc.store.attempts() == []
    svc.close()


@pytest.mark.slow
def test_plain_mode_voice_adds_the_transcript_and_prints_the_delivery(voice_home, answer_wav):
    svc = Services.create()
    try:
        out = io.StringIO()
        script = f"/voice {answer_wav}\nAnd I typed this line too.\n\n\n"
        assert run_plain(svc, SessionOptions(order="in-order", count=1), io.StringIO(script), out) == 0
        text = out.getvalue()
        assert "/voice FILE.wav" in text  # the help says how
        assert "Heard (" in text and "added to your answer" in text
        assert "Delivery (measured from the recording):" in text and "if spoken (an estimate" not in text
        (a,) = svc.store.attempts()
        assert a.answer.endswith("And I typed this line too.") and "token" in a.answer.lower()
        assert spoken.delivery_for(svc.store, a.id) is not None
        out = io.StringIO()
        assert run_plain(svc, SessionOptions(order="in-order", count=1), io.StringIO("/voice /nope.wav\ntyped\n\n\n"),
                         out) == 0
        assert "Could not use that recording" in out.getvalue() and "if spoken (an estimate" in out.getvalue()
    finally:
        svc.close()


def test_doctor_reports_voice_without_failing(voice_home, capsys, stand_in, answer_wav):
    with open(voice_home / "config.toml", "a") as f:
        f.write(f"record_command = {json.dumps(stand_in(answer_wav))}\n")
    code, out, err = run(capsys, "doctor")
    assert code == 0, out + err
    section = out[out.index("Voice"):]
    assert "recorder      command" in section and "recording works" in section
    assert "faster-whisper" in section and "folder " in section
    assert "voice: ready" in section


def test_doctor_says_when_there_is_no_microphone(voice_home, capsys, stand_in, answer_wav):
    with open(voice_home / "config.toml", "a") as f:
        f.write(f"record_command = {json.dumps(stand_in(answer_wav, '--fail', 'arecord: audio open error'))}\n")
    code, out, err = run(capsys, "doctor")
    assert code == 0, out + err  # voice is optional: the grading checks decide
    assert "no microphone found" in out and "voice: not available" in out


def test_an_api_key_in_the_voice_section_is_refused(isolated_home, capsys):
    (isolated_home / "config.toml").write_text('[voice]\nbackend = "openai"\napi_key = "sk-secret"\n')
    code, out, err = run(capsys, "doctor")
    assert code == 1  # a failed check, with what to do
    assert "voice.api_key" in out and "must not be stored" in out and "sk-secret" not in out + err
