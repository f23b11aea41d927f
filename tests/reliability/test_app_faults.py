"""The app's fault handling (tui/faults.py), in Pilot: an error nothing caught ends the app without a traceback on
the terminal (a bug's traceback in the log), and tui.run hands it to the one reporter; a background job that fails says so with the log's path; an autosave the database will
not take is not a crash, and the text is rescued if the session ends before it could be saved."""

from __future__ import annotations

import pytest

from interviewer.app.practice import SessionOptions
from interviewer.core.errors import DatabaseError
from tui_helpers import screen_is, tui_app, type_text, until


class Boom(RuntimeError):
    pass


async def test_a_fault_nothing_caught_ends_the_app_with_one_message(services, monkeypatch):
    """A storage fault in a handler (nothing there catches it): Textual stops that message loop, so the app ends,
    but cleanly: no traceback printed, the fault kept for tui.run to raise and cli.report to print (exit 2),
    nothing written to the bug log."""
    app = tui_app(services)

    def refused(to):
        raise DatabaseError("cannot write to /x: the folder is read-only for this user",
                            hint="make it writable", kind="readonly")

    with pytest.raises(DatabaseError):
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, screen_is(app, "HomeScreen"))
            monkeypatch.setattr(app, "navigate", refused)
            await pilot.press("h")
            await pilot.pause()
    assert isinstance(app.fault, DatabaseError) and app.return_code == 2
    assert app._exit_renderables == []
    assert not (services.locations.data_dir / "interviewer.log").exists()


async def test_a_bug_in_a_handler_ends_the_app_and_is_logged(services, monkeypatch):
    app = tui_app(services)

    def broken(to):
        raise Boom("the navigation code has a bug")

    with pytest.raises(Boom):  # Pilot re-raises what ended the app, as Textual does for tests
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, screen_is(app, "HomeScreen"))
            monkeypatch.setattr(app, "navigate", broken)
            await pilot.press("h")
            await pilot.pause()
    assert isinstance(app.fault, Boom)
    assert app.return_code == 1
    assert app._exit_renderables == []  # Textual's traceback is not printed over the terminal
    log = services.locations.data_dir / "interviewer.log"
    assert log.exists() and "the navigation code has a bug" in log.read_text() and "Traceback" in log.read_text()


async def test_a_background_job_that_fails_says_so_with_the_log(services, monkeypatch):
    from interviewer.app import practice_schedule

    async def broken(*a, **kw):
        raise Boom("schedule sync blew up")

    monkeypatch.setattr(practice_schedule, "schedule_is_current", lambda svc: False)
    monkeypatch.setattr(practice_schedule, "sync_schedule_off_thread", broken)
    app = tui_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: any("schedule sync blew up" in n.message for n in app._notifications),
                    what="a notification about the failed job")
        note = next(n.message for n in app._notifications if "schedule sync blew up" in n.message)
        log = services.locations.data_dir / "interviewer.log"
        assert str(log) in note and "Your answers are saved" in note
        assert app.is_running and app.fault is None
    assert "schedule sync blew up" in log.read_text()


async def test_an_autosave_the_database_refuses_is_rescued_when_the_session_ends(services, monkeypatch):
    """The disk fills while typing: autosave fails quietly (no crash, the text is on screen); Esc ends the
    session, and the text that could not become a draft goes to a rescue file."""
    from interviewer.app.rescue import answer_of

    app = tui_app(services, start=SessionOptions(count=1, order="in-order"), autosave_interval=0.05)
    store = services.store

    def full(*a, **kw):
        raise DatabaseError("the disk holding /x is full (0 bytes free)", hint="free some space", kind="full")

    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        monkeypatch.setattr(store, "save_draft", full)
        await type_text(pilot, "half an answer about attention")
        await pilot.pause(0.2)  # several autosaves fail
        assert app.is_running and screen_is(app, "QuestionScreen")()
        await pilot.press("escape")
        await until(pilot, lambda: any("could not be kept as a draft" in n.message for n in app._notifications))
    (rescued,) = (services.locations.data_dir / "rescued").glob("*.txt")
    assert answer_of(rescued.read_text()) == "half an answer about attention"
    assert store.drafts() == [] and store.attempts() == []


def test_run_tui_raises_what_ended_the_app(services, monkeypatch):
    """tui.run hands the fault to the caller (cli.report prints it): here the bank check before the app."""
    from interviewer.core.errors import InterviewerError
    from interviewer.tui.run import run_tui

    monkeypatch.setenv("INTERVIEWER_BANK", "nope")
    from interviewer.app.services import Services

    svc = Services.create()
    with pytest.raises(InterviewerError, match="no bank with id 'nope'"):
        run_tui(svc)
    svc.close()
