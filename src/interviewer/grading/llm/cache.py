"""The grade cache: the same answer to the same question, under the same rubric version, prompt version,
backend and model, is not paid for twice.

The key is a SHA-256 over exactly those inputs (the question's text, reference, key points and known
misconceptions included, so an edited bank question is a new key; the server URL too, since one model name can mean different weights
on different servers). Grades live in the store's `grade_cache` table; the key holds no answer text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from ...core.models import Grade
from ..base import GradeRequest

if TYPE_CHECKING:
    from ...store.repo import Store

CACHE_NOTE = "reused a cached grade (same question, answer, rubric version, prompt version, backend and model)"


def cache_key(request: GradeRequest, *, backend: str, model: str, base_url: str, prompt_version: str) -> str:
    q = request.question
    payload = {
        "question": [q.id, request.asked, q.reference, [[kp.id, kp.text, kp.alternatives] for kp in q.key_points],
                     [[m.id, m.claim, m.correction, m.signals, m.contradicts] for m in q.misconceptions]],
        "answer": request.answer.strip(),
        "rubric": [request.rubric.id, request.rubric.version],
        "prompt": prompt_version,
        "backend": backend,
        "model": model,
        "base_url": base_url,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class GradeCache:
    """Get/put grades by key, through a Store (or a function returning one, so the DB opens lazily)."""

    def __init__(self, store: Store | Callable[[], Store]) -> None:
        self._store = store

    @property
    def store(self) -> Store:
        s = self._store
        if callable(s) and not hasattr(s, "cache_get"):
            return s()
        return cast("Store", s)

    def get(self, key: str) -> Grade | None:
        grade = self.store.cache_get(key)
        if grade is None:
            return None
        notes = grade.notes if CACHE_NOTE in grade.notes else [*grade.notes, CACHE_NOTE]
        return grade.model_copy(update={"notes": notes})

    def put(self, key: str, grade: Grade) -> None:
        self.store.cache_put(key, grade)
