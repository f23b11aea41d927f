"""Run every benchmark script in this folder (`make bench`), each in its own process, and report timings.

Each script writes its own section of docs/benchmarks.md. A failing script is reported and the rest still run;
the exit code is non-zero if any failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py")
    only = set(sys.argv[1:])
    failed = []
    t_all = time.perf_counter()
    for s in scripts:
        if only and s.stem not in only:
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
