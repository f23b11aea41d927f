"""Shared by the benchmark scripts: machine facts, and writing one named section of docs/benchmarks.md.

Each script owns a section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; running it replaces only
that section, so scripts can be run alone or together (`make bench`).
"""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Figures written by the scripts in `benchmarks/` (`make bench` runs them all). Each section says the machine,
the date and the method; ratios are measured side by side in the same run. Do not edit a section by hand:
rerun its script.
"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {sys.version.split()[0]}")


def stamp() -> str:
    return f"_Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}._"


def write_section(name: str, title: str, body: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text() if DOC.exists() else HEADER
    block = f"<!-- bench:{name} -->\n## {title}\n\n{stamp()}\n\n{body.strip()}\n<!-- /bench:{name} -->"
    pat = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    if pat.search(text):
        text = pat.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(text)
    tmp.replace(DOC)
