"""Keeping the FSRS schedule up to date around a practice session, without blocking a screen.

- `update_schedule`: right after a grade, bring that question's card up to date (reviewing.after_grade), so
  the schedule on disk reflects every grade even if the app is killed next.
- `schedule_is_current`: whether any scored answer is waiting to be replayed into its card.
- `sync_schedule_off_thread`: replay what is waiting in a thread, on a connection of its own.

The replay itself is scheduling.sync; this module only decides where it runs. UI-agnostic (no Textual).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.models import Attempt

if TYPE_CHECKING:
    from .services import Services


def schedule_is_current(services: Services) -> bool:
    """True when no scored answer is waiting to be replayed into its FSRS card, so a schedule sync is a few
    reads and needs no fsrs import (front ends warm that import off the UI thread when this is False)."""
    from ..store import review_facts

    return not review_facts.dirty(services.store)


async def sync_schedule_off_thread(services: Services, now: datetime | None = None) -> None:
    """Replay the FSRS cards that need it (scheduling.sync) in a thread, on a database connection of its own,
    so a long replay (after an import or a bulk write: seconds at 100,000 answers) never blocks a screen. The
    store's own connection stays with the UI thread; SQLite's locking orders the two writers, and a sync is
    idempotent, so a second one racing it changes nothing. An in-memory store has no second connection: its
    sync runs here after the fsrs import is done in a thread."""
    import asyncio

    from . import scheduling

    store = services.store
    path = str(getattr(store, "path", ":memory:"))
    if path == ":memory:":
        import importlib

        await asyncio.to_thread(importlib.import_module, "fsrs")
        scheduling.sync(store, now=now)
        return

    def run() -> None:
        from ..store.db import connect
        from ..store.repo import Store

        conn = connect(path)
        try:
            scheduling.sync(Store(conn, path), now=now)
        finally:
            conn.close()

    running = _SYNCS.get(path)
    if running is None or running.done():  # one replay at a time per database: the others wait for it
        running = _SYNCS[path] = asyncio.ensure_future(asyncio.to_thread(run))
    await asyncio.shield(running)


_SYNCS: dict[str, Any] = {}
"""Database path -> the off-thread schedule sync in flight (home and the review screen may both ask)."""


async def update_schedule(services: Services, attempt: Attempt) -> None:
    """Bring the attempt's FSRS card up to date right after its grade (reviewing.after_grade), so the schedule
    on disk reflects every grade even if the app is killed next. The fsrs import (~0.1 s, once) is done in a
    thread; the replay itself is one card and runs here, on the store's own thread."""
    import asyncio
    import sys

    from . import reviewing

    if "fsrs" not in sys.modules:
        import importlib

        await asyncio.to_thread(importlib.import_module, "fsrs")
    reviewing.after_grade(services, attempt)
