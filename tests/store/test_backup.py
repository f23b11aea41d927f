"""Backups: made before migrations and daily, thinned, atomic; a damaged database is refused untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.core.errors import DatabaseError
from interviewer.store import backup as bk
from interviewer.store.db import open_db
from interviewer.store.repo import Store


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_first_open_makes_no_backup_then_daily_once(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    open_db(db, bdir).close()
    assert bk.backups(bdir) == []  # a brand-new database has nothing to back up
    open_db(db, bdir).close()
    assert [bk._reason(p) for p in bk.backups(bdir)] == ["daily"]
    open_db(db, bdir).close()
    assert len(bk.backups(bdir)) == 1  # at most daily


def test_backup_before_migration(tmp_path, monkeypatch):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db)
    s.add_attempt(bank_id="b", question_id="q", prompt="p", answer="kept")
    s.close()
    from interviewer.store import migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_test", "CREATE TABLE t(x);")])
    monkeypatch.setattr("interviewer.store.db.MIGRATIONS", migrations.MIGRATIONS)
    open_db(db, bdir).close()
    pre = [p for p in bk.backups(bdir) if bk._reason(p) == "pre-migration"]
    assert len(pre) == 1
    c = sqlite3.connect(pre[0])
    assert c.execute("SELECT answer FROM attempts").fetchone()[0] == "kept"
    assert "m999_test" not in {r[0] for r in c.execute("SELECT name FROM migrations")}


def test_thinning_keeps_a_bounded_number(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    conn = open_db(db)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(12):
        bk.backup(conn, bdir, "daily", now=t0 + timedelta(days=i))
    kept = bk.backups(bdir)
    assert len(kept) == bk.KEEP["daily"]
    assert kept[0].name.startswith("interviewer-20260112")
    assert not any(p.name.endswith(".tmp") for p in bdir.iterdir())
    assert not bk.daily_due(bdir, now=t0 + timedelta(days=11, hours=23))
    assert bk.daily_due(bdir, now=t0 + timedelta(days=12, hours=1))


def _corrupt(db):
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(min(4096, size // 2)))


def test_damaged_database_is_refused_untouched_and_names_the_newest_backup(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    for i in range(300):
        s.add_attempt(bank_id="b", question_id=f"q{i}", prompt="p" * 200, answer="a" * 500)
    newest = bk.backup(s.conn, bdir, "manual")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    _corrupt(db)
    before = _sha(db)
    with pytest.raises(DatabaseError) as ei:
        open_db(db, bdir)
    msg = str(ei.value)
    assert "damaged" in msg and str(newest) in msg and "interviewer db restore" in msg
    assert _sha(db) == before


def test_restore_puts_the_backup_back_and_keeps_the_damaged_file(tmp_path, isolated_home):
    env = {**os.environ}
    run = lambda *a: subprocess.run([sys.executable, "-m", "interviewer", *a], capture_output=True, text=True,  # noqa: E731
                                    env=env)
    db = isolated_home / "interviewer.db"
    s = Store.open(db)
    for i in range(300):
        s.add_attempt(bank_id="b", question_id=f"q{i}", prompt="p" * 200, answer="a" * 500)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    out = run("db", "backup")
    assert out.returncode == 0, out.stderr
    _corrupt(db)
    out = run("db", "check")
    assert out.returncode == 2 and "damaged" in out.stderr and "Traceback" not in out.stderr
    newest = bk.backups(isolated_home / "backups")[0]
    out = run("db", "restore", str(newest), "--yes")
    assert out.returncode == 0, out.stderr
    assert run("db", "check").returncode == 0
    assert Store.open(db).conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 300
    assert any(p.name.startswith("interviewer.db.replaced-") for p in isolated_home.iterdir())
