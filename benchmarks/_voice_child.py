"""One model configuration measured in a process of its own (so its peak RSS is its own), for voice.py.

    python benchmarks/_voice_child.py JOB.json   -> prints one JSON line

The job names the model (a folder or a cached name), beam size, VAD, the clips to transcribe, a clip to
transcribe three times (determinism), and optionally the stop-to-transcript runs: a real recording through the
app's own path, app.voice_capture (the stand-in recording command "records" a prepared answer), then what
Ctrl+T does on stop: `Recording.stop()`, then `VoiceCapture.finish` (silences measured, transcribed, the
transcript written beside the take), timed from the stop. The first run is cold (the model loads after the stop, as on a
first take with no warm-up); the others are warm (the model was prepared when recording started).
"""

from __future__ import annotations

import asyncio
import json
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


async def record_and_transcribe(voice, source: Path) -> dict:  # noqa: ANN001
    r = voice.start()
    r.wait_ready(2.0)
    target = source.stat().st_size
    until = time.monotonic() + 120
    while r.path.stat().st_size < target and time.monotonic() < until:
        await asyncio.sleep(0.02)
    t0 = time.perf_counter()
    take = await asyncio.to_thread(r.stop)
    t_stop = time.perf_counter() - t0
    spoken = await voice.finish(r)  # stopping again returns the same take; then silences and the transcript
    return {"audio_s": take.duration, "stop_s": round(t_stop, 4), "total_s": round(time.perf_counter() - t0, 3),
            "words": len(spoken.transcript.words)}


async def main(job: dict) -> dict:
    import faster_whisper  # noqa: F401 - counted in the baseline, as in the app once the extra is used

    from interviewer.app.voice_capture import VoiceCapture
    from interviewer.config import VoiceConfig
    from interviewer.locations import Locations
    from interviewer.voice.local import LocalTranscriber

    out: dict = {"baseline_rss_mb": round(rss_mb(), 1)}

    def make() -> LocalTranscriber:
        return LocalTranscriber(job["model"], beam_size=job["beam"], vad_filter=job["vad"],
                                cpu_threads=job.get("threads", 0))

    t = make()
    home = Path(tempfile.mkdtemp())
    stt = job.get("stop_to_transcript")
    if stt:
        cmd = " ".join(shlex.quote(p) for p in (sys.executable, stt["stand_in"], "{src}", "{path}", "--speed", "20"))
        recorders = [(Path(s), VoiceCapture(VoiceConfig(record_command=cmd.replace("{src}", shlex.quote(s))),
                                            Locations(home, home), transcriber=t)) for s in stt["sources"]]
        src, voice = recorders[0]
        out["cold"] = await record_and_transcribe(voice, src)  # the model loads after the stop
        out["load_s"] = None
    else:
        t0 = time.perf_counter()
        await t.prepare()
        out["load_s"] = round(time.perf_counter() - t0, 3)
    clips = []
    for c in job["clips"]:
        t0 = time.perf_counter()
        tr = await t.transcribe(Path(c["wav"]))
        clips.append({"id": c["id"], "seconds": round(time.perf_counter() - t0, 3), "duration": tr.duration,
                      "text": tr.text, "words": [[w.text, w.start, w.end] for w in tr.words]})
    out["clips"] = clips
    runs = [(await t.transcribe(Path(job["repeat"]))).text for _ in range(3)]
    out["distinct_transcripts"] = len(set(runs))
    if stt:
        out["warm"] = []
        for src, voice in recorders:
            await t.prepare()  # what the TUI does when recording starts
            out["warm"].append(await record_and_transcribe(voice, src))
    out["peak_rss_mb"] = round(rss_mb(), 1)
    return out


if __name__ == "__main__":
    job = json.loads(Path(sys.argv[1]).read_text())
    print(json.dumps(asyncio.run(main(job))))
