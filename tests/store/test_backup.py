"""Backups that protect: taken when there is something to protect, thinned as Anki thins them, described (time,
answers), restored without losing anything, and never leaving -wal/-shm files in the backups folder. The
integrity check runs when it can matter, not on every start."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interviewer.core.errors import DatabaseError
from interviewer.store import backup as bk
from interviewer.store import health
from interviewer.store.db import open_db
from interviewer.store.repo import Store


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _answer(store: Store, i: int = 0, text: str = "kept") -> int:
    return store.add_attempt(bank_id="b", question_id=f"q{i}", prompt="p", answer=text).id


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interviewer", *args], capture_output=True, text=True,
                          input=stdin if stdin is not None else "", timeout=60)


def test_no_backup_of_an_empty_database_then_daily_once_answers_exist(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    Store.open(db, bdir).close()
    Store.open(db, bdir).close()
    assert bk.backups(bdir) == []  # an empty database has nothing to protect (the useless backup)
    s = Store.open(db, bdir)
    _answer(s)
    s.close()
    Store.open(db, bdir).close()
    (daily,) = bk.backups(bdir)
    assert bk._reason(daily) == "daily" and bk.describe(daily).attempts == 1
    Store.open(db, bdir).close()
    assert len(bk.backups(bdir)) == 1  # at most daily
    assert bk.daily_due(bdir, now=datetime.now(UTC) + timedelta(days=1, minutes=1))


def test_any_recent_backup_counts_for_the_day(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    _answer(s)
    bk.backup(s.conn, bdir, "pre-import")
    s.close()
    Store.open(db, bdir).close()
    assert [bk._reason(p) for p in bk.backups(bdir)] == ["pre-import"]


def test_backup_before_migration(tmp_path, monkeypatch):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db)
    _answer(s)
    s.close()
    from interviewer.store import migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_test", "CREATE TABLE t(x);")])
    monkeypatch.setattr("interviewer.store.db.MIGRATIONS", migrations.MIGRATIONS)
    Store.open(db, bdir).close()
    pre = [p for p in bk.backups(bdir) if bk._reason(p) == "pre-migration"]
    assert len(pre) == 1
    c = sqlite3.connect(pre[0])
    assert c.execute("SELECT answer FROM attempts").fetchone()[0] == "kept"
    assert "m999_test" not in {r[0] for r in c.execute("SELECT name FROM migrations")}


def test_backups_leave_no_wal_or_shm_files_in_their_folder(tmp_path):
    """A copy of a WAL database is itself in WAL mode: opening it (to list it, check it, restore it) used to
    leave -wal/-shm files beside it. Backups are switched out of WAL mode; old ones are tidied."""
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    _answer(s)
    made = bk.backup(s.conn, bdir, "manual")
    bk.describe(made)
    assert health.file_problem(made) is None
    c = sqlite3.connect(f"file:{made}?mode=ro", uri=True)
    assert c.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1
    c.close()
    assert sorted(p.name for p in bdir.iterdir()) == [made.name]
    # a backup made the old way (WAL mode), opened read-write once: tidy folds its WAL in and removes both files
    old = bdir / "interviewer-20250101T000000000000Z-daily.db"
    dst = sqlite3.connect(old)
    s.conn.backup(dst)
    dst.execute("INSERT INTO attempts(bank_id, question_id, prompt, answer, submitted_at) "
                "VALUES ('b', 'q9', 'p', 'only in its WAL', '2025-01-01')")
    dst.commit()
    assert (bdir / (old.name + "-wal")).exists()
    bk.tidy(bdir)
    dst.close()
    assert sorted(p.name for p in bdir.iterdir()) == sorted([made.name, old.name])
    assert bk.describe(old).attempts == 2  # the WAL's row was folded in, not thrown away
    s.close()


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime(bk.STAMP)


def test_thinning_keeps_recent_then_one_a_day_week_month(tmp_path):
    """Anki's rule: today's and yesterday's all stay; then the newest of each of 12 days, 10 weeks, 9 months;
    manual backups and files that are not databases take no slot and are never deleted."""
    bdir = tmp_path / "backups"
    bdir.mkdir()
    now = datetime(2026, 6, 30, 12, 0).astimezone()
    made: dict[Path, datetime] = {}
    for hours in range(0, 24 * 400, 7):  # a backup every 7 hours for 400 days
        at = now - timedelta(hours=hours)
        p = bdir / f"interviewer-{_stamp(at)}-daily.db"
        p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
        made[p] = at
    manual = bdir / f"interviewer-{_stamp(now - timedelta(days=300))}-manual.db"
    manual.write_bytes(b"SQLite format 3\x00")
    torn = bdir / f"interviewer-{_stamp(now - timedelta(days=3))}-daily.db"
    torn.write_bytes(b"")
    bk.thin(bdir, now=now)
    kept = {p for p in made if p.exists()}
    assert manual.exists() and torn.exists()
    local = {p: made[p].astimezone() for p in kept}
    recent = [p for p, at in local.items() if at.date() >= now.date() - timedelta(days=1)]
    older = sorted((at for p, at in local.items() if p not in recent), reverse=True)
    assert len(recent) == len([p for p, at in made.items() if at.astimezone().date() >= now.date() - timedelta(days=1)])
    assert len(older) == bk.DAILY + bk.WEEKLY + bk.MONTHLY
    days = [at.date() for at in older[:bk.DAILY]]
    assert len(set(days)) == bk.DAILY  # one a day
    weeks = [at.date().isocalendar()[:2] for at in older[bk.DAILY:bk.DAILY + bk.WEEKLY]]
    assert len(set(weeks)) == bk.WEEKLY
    months = [(at.year, at.month) for at in older[bk.DAILY + bk.WEEKLY:]]
    assert len(set(months)) == bk.MONTHLY
    assert all(at == max(a for a in made.values() if a.astimezone().date() == at.date()) for at in older[:bk.DAILY])
    assert bk.thin(bdir, now=now) == []  # stable


def test_thinning_caps_a_burst_of_recent_backups(tmp_path):
    bdir = tmp_path / "backups"
    bdir.mkdir()
    now = datetime.now(UTC)
    for i in range(bk.RECENT_MAX + 15):
        (bdir / f"interviewer-{_stamp(now - timedelta(minutes=i))}-pre-import.db").write_bytes(b"SQLite format 3\x00")
    bk.thin(bdir, now=now)
    assert len(bk.backups(bdir)) == bk.RECENT_MAX


def _corrupt(db: Path) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(min(4096, size // 2)))


def _filled(db: Path, bdir: Path, n: int = 300) -> Path:
    s = Store.open(db, bdir)
    for i in range(n):
        s.add_attempt(bank_id="b", question_id=f"q{i}", prompt="p" * 200, answer="a" * 500)
    newest = bk.backup(s.conn, bdir, "manual")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return newest


def test_after_an_unclean_shutdown_a_damaged_database_is_refused_untouched(tmp_path):
    """A process that died with the database open leaves its marker: the next open checks the file before
    writing anything, refuses it, names the newest backup (with its age and answers) and writes nothing."""
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    newest = _filled(db, bdir)
    _corrupt(db)
    health.marker(db, pid=2 ** 22 + 12345).touch()  # no such process
    before = _sha(db)
    with pytest.raises(DatabaseError) as ei:
        open_db(db, bdir)
    e = ei.value
    assert e.kind == "damaged"
    assert "damaged" in str(e) and str(newest) in str(e) and f"interviewer db restore {newest.name}" in str(e)
    assert "300 attempts" in str(e) and len(str(e).splitlines()) == 2  # the message and what to do
    assert _sha(db) == before


def test_damage_met_later_reads_the_same(tmp_path):
    """Without an unclean shutdown the check does not run at start; a query that meets the damage ends in the
    same message, through the store's fault translation."""
    from interviewer.store.faults import translate

    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    _filled(db, bdir)
    err = translate(sqlite3.DatabaseError("database disk image is malformed"), db, bdir)
    assert err is not None and err.kind == "damaged" and "interviewer db restore" in str(err)
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError) as ei:
        open_db(db, bdir)
    assert ei.value.kind == "damaged" and "interviewer db restore" in str(ei.value)


def test_the_integrity_check_runs_only_when_it_can_matter(tmp_path, monkeypatch):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    calls = []
    real = health.integrity_problem
    monkeypatch.setattr(health, "integrity_problem", lambda conn: calls.append(1) or real(conn))
    s = Store.open(db, bdir)
    _answer(s)
    s.close()
    assert calls == []  # a new database: nothing to check
    Store.open(db, bdir).close()
    assert calls == [1]  # the daily backup: checked first, so a damaged file never becomes a backup
    for _ in range(3):
        Store.open(db, bdir).close()
    assert calls == [1]  # clean starts: no check (the 420 ms at 100k answers on every start)
    s = Store.open(db, bdir)
    assert health.marker(db).exists()
    s.close()
    assert not health.marker(db).exists()  # a clean close removes the marker
    health.marker(db, pid=2 ** 22 + 999).touch()  # a process died with it open
    Store.open(db, bdir).close()
    assert calls == [1, 1]
    assert not list(tmp_path.glob("i.db.open-*"))  # checked: the dead marker is cleared
    Store.open(db, bdir).close()
    assert calls == [1, 1]


def test_a_killed_process_leaves_a_marker_that_the_next_start_checks(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    _answer(s)
    s.close()
    code = (f"import os; from interviewer.store.repo import Store; s = Store.open({str(db)!r}, {str(bdir)!r}); "
            "os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code], timeout=60)
    assert len(health.stale_markers(db)) == 1


# --------------------------------------------------------------------------- restore


def test_restore_plan_counts_what_would_be_dropped(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    first = bk.backup(s.conn, bdir, "manual")  # taken while empty: the only backup
    for i in range(17):
        _answer(s, i)
    s.close()
    plan = bk.plan_restore(first, db, bdir)
    assert (plan.backup.attempts, plan.current_attempts, plan.dropped) == (0, 17, 17)
    assert plan.newest_dropped is not None


def test_restore_keeps_the_current_database_as_a_backup_first(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    _answer(s, 0, "in the backup")
    old = bk.backup(s.conn, bdir, "manual")
    _answer(s, 1, "made after the backup")
    s.close()
    res = bk.restore(old, db, bdir)
    assert res.kept_as is not None and bk._reason(res.kept_as) == "pre-restore"
    kept = sqlite3.connect(f"file:{res.kept_as}?mode=ro", uri=True)
    assert sorted(r[0] for r in kept.execute("SELECT answer FROM attempts")) == ["in the backup",
                                                                                "made after the backup"]
    kept.close()
    s = Store.open(db, bdir)
    assert [a.answer for a in s.attempts()] == ["in the backup"]
    s.close()
    assert not [p for p in bdir.iterdir() if p.name.endswith(("-wal", "-shm"))]


def test_restore_refuses_while_the_database_is_open_elsewhere(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    _answer(s)
    old = bk.backup(s.conn, bdir, "manual")
    proc = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                             "c.execute('SELECT COUNT(*) FROM attempts').fetchall(); print('open', flush=True); "
                             "sys.stdin.read()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        s.close()
        with pytest.raises(DatabaseError) as ei:
            bk.restore(old, db, bdir)
        assert ei.value.kind == "locked" and "close the app" in str(ei.value)
    finally:
        proc.communicate("")
    assert Store.open(db, bdir).attempts()  # untouched


def test_restore_a_backup_newer_than_the_code_is_refused(tmp_path):
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    s = Store.open(db, bdir)
    s.conn.execute("INSERT INTO migrations(name, applied_at) VALUES ('m999_future', 'x')")
    newer = bk.backup(s.conn, bdir, "manual")
    s.conn.execute("DELETE FROM migrations WHERE name = 'm999_future'")
    s.close()
    with pytest.raises(DatabaseError, match="newer version"):
        bk.plan_restore(newer, db, bdir)


def test_cli_restore_says_what_it_drops_and_asks(isolated_home):
    """The issue's case: the only backup was taken while the database was empty, 17 answers later. `db restore`
    names the backup's age and answers and what it would drop; without a terminal to ask on, it needs --yes;
    with --yes the 17 answers are kept in a pre-restore backup."""
    db, bdir = isolated_home / "interviewer.db", isolated_home / "backups"
    s = Store.open(db, bdir)
    empty = bk.backup(s.conn, bdir, "manual")
    for i in range(17):
        _answer(s, i)
    s.close()
    out = _run("db", "backups")
    assert out.returncode == 0 and empty.name in out.stdout and "0 attempts" in out.stdout and "(just now)" in out.stdout
    out = _run("db", "restore", empty.name)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "0 attempts" in out.stdout and "17 attempts" in out.stdout and "drops 17 attempts" in out.stdout
    assert "--yes" in out.stderr
    s = Store.open(db)
    assert len(s.attempts()) == 17  # nothing happened
    s.close()
    out = _run("db", "restore", empty.name, "--yes")
    assert out.returncode == 0, out.stderr
    (pre,) = [p for p in bk.backups(bdir) if bk._reason(p) == "pre-restore"]
    assert bk.describe(pre).attempts == 17 and str(pre) in out.stdout
    s = Store.open(db)
    assert s.attempts() == []
    s.close()


def test_cli_restore_puts_the_backup_back_and_keeps_the_damaged_file(isolated_home):
    db = isolated_home / "interviewer.db"
    s = Store.open(db)
    for i in range(300):
        s.add_attempt(bank_id="b", question_id=f"q{i}", prompt="p" * 200, answer="a" * 500)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    out = _run("db", "backup")
    assert out.returncode == 0, out.stderr
    _corrupt(db)
    out = _run("db", "check")
    assert out.returncode == 2 and "damaged" in out.stderr and "Traceback" not in out.stderr
    newest = bk.backups(isolated_home / "backups")[0]
    out = _run("db", "restore", str(newest))  # a damaged database has no answers it could drop: no question
    assert out.returncode == 0, out.stderr
    assert "cannot be read (damaged)" in out.stdout
    assert _run("db", "check").returncode == 0
    assert Store.open(db).conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 300
    assert any(p.name.startswith("interviewer.db.damaged-") for p in isolated_home.iterdir())


def test_deleting_a_session_backs_up_first(services):
    from interviewer.app import reviewing

    st = services.store
    sess = st.start_session("llm-100")
    for i in range(3):
        st.add_attempt(bank_id="llm-100", question_id=f"llm-q00{i + 1}", prompt="p", answer=f"a{i}",
                       session_id=sess.id)
    assert reviewing.delete_session(services, sess.id) == 3
    (pre,) = [p for p in bk.backups(services.locations.backups_dir) if bk._reason(p) == "pre-delete"]
    assert bk.describe(pre).attempts == 3


def test_a_process_that_exits_without_closing_leaves_no_marker(tmp_path):
    """The app ends without closing the store: a normal exit is not an unclean shutdown (no check next start)."""
    db, bdir = tmp_path / "i.db", tmp_path / "backups"
    code = f"from interviewer.store.repo import Store; s = Store.open({str(db)!r}, {str(bdir)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert health.stale_markers(db) == [] and not list(tmp_path.glob("i.db.open-*"))


def test_db_check_names_the_answers_whose_shown_grade_is_damaged(isolated_home):
    """A hand-edited grade: `db check` says which answers show only a score and how to get their feedback back;
    once graded again, the damaged grade is history and the note is gone."""
    from _review_seed import add, day
    from interviewer.store.history import iso

    s = Store.open(isolated_home / "interviewer.db")
    ok = add(s, "llm-q001", day(0), 60)
    bad = add(s, "llm-q001", day(1))
    s.conn.execute("INSERT INTO grades(attempt_id, created_at, backend, score, verdict, result) "
                   "VALUES (?, ?, 'offline', 70, 'solid', '{not json')", (bad, iso(day(1, 1))))
    s.close()
    out = _run("db", "check")
    assert out.returncode == 0, out.stderr
    assert "the grade of 1 answer cannot be read in detail" in out.stdout
    assert out.stdout.rstrip().count(f"interviewer regrade {bad}") == 1 and f"regrade {ok}" not in out.stdout
    assert _run("regrade", str(bad), "--backend", "offline").returncode == 0
    assert "cannot be read" not in _run("db", "check").stdout
