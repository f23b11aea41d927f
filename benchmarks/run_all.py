"""Run every benchmark script in this folder (`make bench`), each in its own process, and report timings.

Each script writes its own section of docs/benchmarks.md. A failing script is reported and the rest still run;
the exit code is non-zero if any failed.

The crash loop (200 SIGKILLs, about 3.5 minutes on its own) is a reliability figure, not a speed one: it runs
with `make bench-crash` (or `run_all.py --all`), so that `make bench` stays under 5 minutes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEPARATE = {"crash_loop"}


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py")
    args = sys.argv[1:]
    everything = "--all" in args
    only = {a for a in args if not a.startswith("--")}
    failed = []
    t_all = time.perf_counter()
    for s in scripts:
        if only and s.stem not in only:
            continue
        if not only and not everything and s.stem in SEPARATE:
            print(f"== {s.stem}: run separately (make bench-crash)\n", flush=True)
            continue
        print(f"== {s.stem}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(s)], cwd=HERE.parent)
        print(f"== {s.stem}: {'ok' if rc == 0 else f'FAILED ({rc})'} in {time.perf_counter() - t0:.1f} s\n", flush=True)
        if rc:
            failed.append(s.stem)
    print(f"all benchmarks in {time.perf_counter() - t_all:.1f} s; failed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
