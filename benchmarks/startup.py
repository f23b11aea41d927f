"""Startup: `interviewer --help`, `--version`, `stats` and `history` (target: stats and history under 0.3 s,
without importing textual, litellm or openai), and the TUI's first screen compared with a minimal Textual app in
tmux, side by side in the same run (target: within 1.5x).

Every figure is a fresh process, so imports and file reads are paid each time (the OS file cache is warm, as
for a person who runs the app several times a day). CLI runs: the median wall time of RUNS runs, and the CPU
time the process used (user + system, from wait4), which the load of other programs on this shared machine does
not inflate. TUI: `interviewer` and a Textual "hello" app are started alternately in tmux (100x30, a private
tmux server); "first screen" is when the home screen is on the pane (its action row: it is drawn before the
config, the bank or the database are loaded), "figures" when the bank's title has filled in (the services are
loaded in a thread after the first paint), and for the hello app when "Hello, world" is on the pane. CPU is the
app's own (from /proc) a moment after its figures are in. Then `q` is typed and the time to exit is taken.
Before/after: the code before this work (BEFORE_COMMIT, from `git archive`, with its own history) and this code,
alternating, both as `python -m interviewer`. Writes the `startup` section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from _tmux import TmuxApp  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "interviewer"
RUNS = int(os.environ.get("STARTUP_RUNS", "5"))
TUI_RUNS = int(os.environ.get("STARTUP_TUI_RUNS", "5"))
CLI_TARGET_S = 0.3
TUI_TARGET_RATIO = 1.5
HEAVY = ("textual", "litellm", "openai")
BEFORE_COMMIT = "7183ea2"
"""The code before this work (issue 16: paint first, stats and history without typer); measured side by side."""
PAINTED = "Weakest first"
"""On the home screen from its first paint (the action row and the footer)."""
FIGURES = "100 LLM Interview Questions"
"""The bank's title: on the home screen once the services are loaded and the figures are in."""

HELLO = '''from textual.app import App
from textual.widgets import Static


class Hello(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Static("Hello, world")


Hello().run()
'''

IMPORTS = f"""import sys, json
from interviewer.cli.main import main
rc = main(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules if m in {HEAVY!r})), file=sys.stderr)
"""


# As after `pip install`: compiled bytecode is cached. (This sandbox sets PYTHONDONTWRITEBYTECODE=1, which would
# make every start compile the app's sources again.)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def make_home(n: int) -> Path:
    home = Path(tempfile.mkdtemp()) / "home"
    if n:
        os.environ["INTERVIEWER_HOME"] = str(home)
        from _seed import seed_history

        from interviewer.app.services import Services

        seed_history(Services.create(), n, end=datetime.now(UTC) - timedelta(hours=1))
    return home


def run(cmd: list[str], home: Path) -> tuple[float, float]:
    """(wall s, cpu s) of one run."""
    env = {**os.environ, "INTERVIEWER_HOME": str(home), "COLUMNS": "100"}
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited with {p.returncode}")
    return wall, ru.ru_utime + ru.ru_stime


def heavy_imports(args: list[str], home: Path) -> list[str]:
    env = {**os.environ, "INTERVIEWER_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", IMPORTS, *args], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stderr.strip().splitlines()[-1])


def cli_figures(label: str, args: list[str], home: Path) -> dict:
    run([str(BIN), *args], home)  # the first start of the day makes the daily backup: not what is measured
    walls, cpus = zip(*(run([str(BIN), *args], home) for _ in range(RUNS)), strict=True)
    return {"label": label, "wall": statistics.median(walls), "best": min(walls), "cpu": statistics.median(cpus),
            "heavy": heavy_imports(args, home)}


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tui_once(cmd: list[str], markers: tuple[str, ...], home: Path, extra_env: dict | None = None) -> dict:
    """One start in tmux: seconds until each marker is on the pane, CPU a moment after the last, exit time."""
    with TmuxApp(cmd, env={"INTERVIEWER_HOME": str(home), **(extra_env or {})}, cwd=str(home.parent)) as app:
        times = [app.wait_for(m) for m in markers]
        time.sleep(0.3)  # let start-up work after the first paint finish, as a person would take a moment
        pid = int(app._tmux("display-message", "-p", "-t", app.name, "#{pane_pid}").stdout.strip())
        cpu = _cpu(pid)
        sent = app.send("q")
        done = app.wait_exit()
    return {"marks": times, "quit": done - sent, "cpu": cpu}


def tui_figures(home: Path) -> dict:
    hello = home.parent / "hello.py"
    hello.write_text(HELLO)
    runs: dict[str, list[dict]] = {"interviewer": [], "hello": []}
    for _ in range(TUI_RUNS):
        runs["hello"].append(tui_once([sys.executable, str(hello)], ("Hello, world",), home))
        runs["interviewer"].append(tui_once([str(BIN)], (PAINTED, FIGURES), home))
    med = statistics.median
    out = {k: {"first": med(r["marks"][0] for r in v), "last": med(r["marks"][-1] for r in v),
               "quit": med(r["quit"] for r in v), "cpu": med(r["cpu"] for r in v),
               "all_first": [r["marks"][0] for r in v]} for k, v in runs.items()}
    return out


def before_after() -> dict | None:
    """stats, history and the TUI's first screen with the code at BEFORE_COMMIT (from `git archive`, its own
    1,000-answer history: it may not open a database migrated past it) and with this code, both started as
    `python -m interviewer`, alternating. None when git or the commit is not available."""
    tmp = Path(tempfile.mkdtemp())
    old = tmp / "before"
    old.mkdir()
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_COMMIT, "src", "data", "rubrics"],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    trees = {"before": old / "src", "now": ROOT / "src"}
    seed = ("import sys; sys.path.insert(0, {here!r})\nfrom datetime import UTC, datetime, timedelta\n"
            "from interviewer.app.services import Services\nfrom _seed import seed_history\n"
            "seed_history(Services.create(), 1000, end=datetime.now(UTC) - timedelta(hours=1))\n")
    homes = {}
    for k, src in trees.items():
        homes[k] = tmp / f"home-{k}"
        env = {**os.environ, "INTERVIEWER_HOME": str(homes[k]), "PYTHONPATH": str(src)}
        subprocess.run([sys.executable, "-c", seed.format(here=str(Path(__file__).resolve().parent))], env=env,
                       check=True, capture_output=True)

    def once(k: str, args: list[str]) -> tuple[float, float]:
        env = {**os.environ, "INTERVIEWER_HOME": str(homes[k]), "PYTHONPATH": str(trees[k]), "COLUMNS": "100"}
        t = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "interviewer", *args], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise RuntimeError(f"{k}: interviewer {' '.join(args)} failed")
        return time.perf_counter() - t, ru.ru_utime + ru.ru_stime

    out: dict[str, dict[str, float]] = {"before": {}, "now": {}}
    for name, args in (("help", ["--help"]), ("stats", ["stats"]), ("history", ["history"])):
        for k in trees:
            once(k, args)  # warm-up (and the daily backup)
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in trees}
        for _ in range(RUNS):
            for k in trees:
                runs[k].append(once(k, args))
        for k in trees:
            out[k][name] = statistics.median(w for w, _ in runs[k])
            out[k][name + "_cpu"] = statistics.median(c for _, c in runs[k])
    markers = {"before": (FIGURES,), "now": (PAINTED, FIGURES)}
    tui: dict[str, list[dict]] = {k: [] for k in trees}
    for _ in range(TUI_RUNS):
        for k in trees:
            tui[k].append(tui_once([sys.executable, "-m", "interviewer"], markers[k], homes[k],
                                   {"PYTHONPATH": str(trees[k])}))
    for k in trees:
        out[k]["tui"] = statistics.median(r["marks"][0] for r in tui[k])
        out[k]["tui_figures"] = statistics.median(r["marks"][-1] for r in tui[k])
    return out


def phases(home: Path, hello: bool = False, runs: int = 3) -> list[tuple[str, float]]:
    """Median CPU ms per start-up phase (benchmarks/_startup_phases.py in tmux)."""
    import json

    out = home.parent / ("phases-hello.json" if hello else "phases.json")
    cmd = [sys.executable, str(Path(__file__).resolve().parent / "_startup_phases.py"), str(out)] + (
        ["hello"] if hello else [])
    all_runs = []
    for _ in range(runs):
        with TmuxApp(cmd, env={"INTERVIEWER_HOME": str(home)}, cwd=str(home.parent)) as app:
            app.wait_exit(60)
        all_runs.append(json.loads(out.read_text()))
    return [(name, statistics.median(r[i][1] for r in all_runs)) for i, (name, _) in enumerate(all_runs[0])]


def main() -> None:
    empty, k1 = make_home(0), make_home(1000)
    cli = [cli_figures("`interviewer --help`", ["--help"], empty),
           cli_figures("`interviewer --version`", ["--version"], empty),
           cli_figures("`interviewer stats`, empty database", ["stats"], empty),
           cli_figures("`interviewer stats`, 1,000 answers", ["stats"], k1),
           cli_figures("`interviewer history`, 1,000 answers", ["history"], k1)]
    base = {"label": "`python -c pass` (the interpreter alone)", **dict(zip(
        ("wall", "cpu"), map(statistics.median, zip(*(run([sys.executable, "-c", "pass"], empty)
                                                       for _ in range(RUNS)), strict=True)), strict=True)),
        "heavy": []}
    base["best"] = base["wall"]
    tui = tui_figures(k1)
    ph, ph_hello = phases(k1), phases(k1, hello=True)
    ba = before_after()
    print(ba, flush=True)
    for r in (*cli, base):
        print(r, flush=True)
    print(tui, flush=True)
    lines = ["| command | median wall (s) | best (s) | CPU (s) | textual / litellm / openai imported |",
             "|---|---:|---:|---:|---|"]
    for r in (*cli, base):
        lines.append(f"| {r['label']} | {r['wall']:.3f} | {r['best']:.3f} | {r['cpu']:.3f} | "
                     f"{', '.join(r['heavy']) or 'none'} |")
    timed = [r for r in cli if "stats" in r["label"] or "history" in r["label"]]
    met = all(r["wall"] < CLI_TARGET_S and not r["heavy"] for r in timed)
    cpu_met = all(r["cpu"] < CLI_TARGET_S for r in timed)
    i, h = tui["interviewer"], tui["hello"]
    ratio, full_ratio, cpu_ratio = i["first"] / h["first"], i["last"] / h["first"], i["cpu"] / h["cpu"]
    tlines = ["| app | first screen (s) | figures in (s) | exit after `q` (s) | CPU to figures (s) |",
              "|---|---:|---:|---:|---:|",
              f"| minimal Textual app (\"Hello, world\") | {h['first']:.3f} | | {h['quit']:.3f} | {h['cpu']:.3f} |",
              f"| `interviewer` (home screen, 1,000 answers) | {i['first']:.3f} | {i['last']:.3f} | {i['quit']:.3f} "
              f"| {i['cpu']:.3f} |",
              f"| **ratio to the minimal app** | **{ratio:.2f}x** | {full_ratio:.2f}x | | {cpu_ratio:.2f}x |"]
    names = [n for n, _ in ph]
    hello_ms = dict(ph_hello)
    plines = ["| phase (CPU ms, median of 3 starts) | `interviewer` | Textual hello |", "|---|---:|---:|"]
    for n in names:
        hv = hello_ms.get(n)
        plines.append(f"| {n} | {dict(ph)[n]:.0f} | {'' if hv is None else f'{hv:.0f}'} |")
    plines.append(f"| **total** | **{sum(v for _, v in ph):.0f}** | **{sum(hello_ms.values()):.0f}** |")
    if ba is None:
        before_text = f"(Before/after skipped: `git archive {BEFORE_COMMIT}` is not available here.)"
    else:
        b, n = ba["before"], ba["now"]
        before_text = "\n".join([
            f"**Before and after**, side by side in this run: the code at commit {BEFORE_COMMIT} (before this work, "
            "from `git archive`, with its own 1,000-answer history) and this code, both started as `python -m "
            f"interviewer`, alternating ({RUNS} runs each; TUI {TUI_RUNS}, in tmux):", "",
            "| median | before: wall (s) | now: wall (s) | before: CPU (s) | now: CPU (s) |", "|---|---:|---:|---:|---:|",
            f"| `--help` | {b['help']:.3f} | {n['help']:.3f} | {b['help_cpu']:.3f} | {n['help_cpu']:.3f} |",
            f"| `stats`, 1,000 answers | {b['stats']:.3f} | {n['stats']:.3f} | {b['stats_cpu']:.3f} | "
            f"{n['stats_cpu']:.3f} |",
            f"| `history`, 1,000 answers | {b['history']:.3f} | {n['history']:.3f} | {b['history_cpu']:.3f} | "
            f"{n['history_cpu']:.3f} |",
            f"| TUI: home screen on screen | {b['tui']:.3f} | {n['tui']:.3f} | | |",
            f"| TUI: home screen's figures in | {b['tui_figures']:.3f} | {n['tui_figures']:.3f} | | |", "",
            "Before, the home screen appeared with its figures, after typer, the config (pydantic and the core "
            "models), the bank and the database (integrity check, daily backup, migrations). Now `interviewer` "
            "(cli/entry.py) skips typer and draws the home screen first; the services are built in a thread and "
            "the figures fill in; `stats` and `history` skip typer too (their options are parsed by "
            "cli/commands/review_quick.py, anything else goes to typer)."])
    body = f"""Method: `benchmarks/startup.py`. {RUNS} runs per command after one warm-up run (the first start of a day
makes the daily database backup); a fresh process each time with the OS file cache warm. Wall time is what a
person waits; CPU time (user + system of the process) is the app's own work, which the load of other programs
on this shared 2-core machine does not inflate. The 1,000-answer database is written by `_seed.py`.

**CLI target: `stats` and `history` under {CLI_TARGET_S} s without importing textual, litellm or openai: \
{'met' if met else 'NOT met'}** (wall time; CPU time {'under' if cpu_met else 'NOT under'} {CLI_TARGET_S} s).

{chr(10).join(lines)}

**TUI target: first screen within {TUI_TARGET_RATIO}x of a minimal Textual app: \
{'met' if ratio <= TUI_TARGET_RATIO else 'NOT met'}** ({ratio:.2f}x; medians of {TUI_RUNS} starts each, alternating, \
in tmux at 100x30). The home screen is on screen at "first screen" and accepts keys (a key that needs the bank \
waits for it); its figures fill in at "figures in" ({full_ratio:.2f}x the minimal app's first screen).

{chr(10).join(tlines)}

{before_text}

**Where the time goes** (`benchmarks/_startup_phases.py`: the same start, marked phase by phase; the loading \
thread waits for the first paint here, so the phases do not overlap):

{chr(10).join(plines)}

What is left. The first screen costs Textual's own start (importing it is most of the minimal app's time too),
the app's modules, and composing, styling and drawing a home screen of ~15 widgets (the stylesheet of every
screen is parsed once at start). The figures then wait for pydantic and the core models (~100 ms of CPU:
the config, the bank and every grade are pydantic models), the bank (its parsed TOML is cached as JSON), the
database's start-up checks (quick_check, grows with the database: see the scale section) and the home figures.
`stats` and `history` pay the interpreter, pydantic and the core models, Rich and the query; typer is gone from
their path.
"""
    write_section("startup", "Startup: CLI commands and the TUI's first screen", body)
    print(body)


if __name__ == "__main__":
    main()
