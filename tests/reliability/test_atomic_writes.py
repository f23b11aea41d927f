"""Exports and backups are never left half-written: a child process writes a JSON export and a database backup
over and over; the parent SIGKILLs it at random moments. After every kill the export file is either the
previous complete export or the new complete one (it parses, with every attempt), and every backup the app
lists passes its own integrity check with every attempt in it."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from interviewer.store import backup as bk
from interviewer.store.repo import Store

N = 200
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from interviewer.app.exporting import export
    from interviewer.app.services import Services
    from interviewer.store import backup as bk
    svc = Services.create()
    out = Path(sys.argv[1])
    print("ready", flush=True)
    for i in range(10_000):
        export(svc, "json", out)
        bk.backup(svc.store.conn, svc.locations.backups_dir, "manual")
        print("round", i, flush=True)
""")


@pytest.mark.slow
def test_sigkill_never_leaves_a_half_written_export_or_backup(isolated_home, tmp_path):
    store = Store.open(isolated_home / "interviewer.db")
    for i in range(N):
        store.add_attempt(bank_id="llm-100", question_id=f"llm-q{i % 100 + 1:03d}", prompt="p",
                          answer=f"answer {i} " + "words " * 300)
    store.close()
    out = tmp_path / "exports" / "history.json"
    out.parent.mkdir()
    rng = random.Random(3)
    rounds = 0
    for _kill in range(10):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(out)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.5))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        rounds += rest.count("round")
        if out.exists():
            data = json.loads(out.read_text())  # never a torn file
            assert data["format"] == "interviewer-history" and len(data["attempts"]) == N
        for b in bk.backups(isolated_home / "backups"):
            con = sqlite3.connect(f"file:{b}?mode=ro", uri=True)
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", b.name
            assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == N
            con.close()
    assert out.exists() and rounds > 0  # the loop really wrote exports and backups between kills
    # a killed write may leave its hidden temp file behind, never anything under the real name
    others = [p.name for p in out.parent.iterdir() if p != out]
    assert all(n.startswith(".history.json.") and n.endswith(".tmp") for n in others), others


def test_import_backs_up_the_database_first(services, tmp_path):
    from interviewer.app.exporting import export, import_history

    a = services.store.add_attempt(bank_id="llm-100", question_id="llm-q001", prompt="p", answer="before the import")
    export(services, "json", tmp_path / "h.json")
    services.store.delete_attempt(a.id)
    services.store.add_attempt(bank_id="llm-100", question_id="llm-q002", prompt="p", answer="only here")
    bdir = services.locations.backups_dir
    import_history(services, tmp_path / "h.json")
    (pre,) = [b for b in bk.backups(bdir) if b.name.endswith("-pre-import.db")]
    con = sqlite3.connect(pre)
    assert [r[0] for r in con.execute("SELECT answer FROM attempts")] == ["only here"]  # the state before
    con.close()
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    try:
        import_history(services, bad)
    except Exception:  # noqa: BLE001 - the file is refused; what matters is that no backup was made for it
        pass
    assert len([b for b in bk.backups(bdir) if b.name.endswith("-pre-import.db")]) == 1
