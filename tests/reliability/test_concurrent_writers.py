"""Two interviewer processes writing at once (say a TUI and a `grade` command) never fail with
"database is locked": writes are short BEGIN IMMEDIATE transactions that queue on the busy timeout."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from interviewer.store.repo import Store

WRITER = textwrap.dedent("""
    import sys
    from interviewer.core.models import Grade, GraderInfo
    from interviewer.store.repo import Store
    s = Store.open(sys.argv[1])
    tag, n = sys.argv[2], int(sys.argv[3])
    g = Grade(score=50, verdict="partial", criteria=[], grader=GraderInfo(backend="t"))
    for i in range(n):
        a = s.add_attempt(bank_id="b", question_id=f"{tag}-{i}", prompt="p", answer="x" * 2000)
        s.save_draft(f"{tag}-draft", bank_id="b", question_id="q", text=str(i))
        s.add_grade(a.id, g)
        s.question_stats() if i % 20 == 0 else None
    print("done", n)
""")


def test_two_processes_write_at_once_without_lock_errors(tmp_path):
    db = tmp_path / "i.db"
    Store.open(db).close()
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), tag, str(n)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for tag in ("tui", "cli", "other")]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
        assert out.strip() == f"done {n}"
    s = Store.open(db)
    assert s.conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 3 * n
    assert s.conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == 3 * n
    assert s.conn.execute("SELECT COUNT(*) FROM attempts WHERE status = 'graded'").fetchone()[0] == 3 * n
    assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
