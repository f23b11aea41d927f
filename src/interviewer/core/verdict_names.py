"""The names of the verdict bands as each grader says them: apart from core.scoring, which needs the models
only to count, so the models can name a stored grade's verdict without importing it."""

from __future__ import annotations

OFFLINE_NAMES: dict[str, str] = {"interview-ready": "complete"}
"""The offline grader's own name for a band whose usual name claims what it cannot check. "Interview-ready"
says the answer could be given as it is; the offline grader finds key points and known misconceptions, not every
wrong claim. On answers written for this bank by people who never saw its lists, about a third of those it placed
in its top band held a wrong claim it did not know (docs/benchmarks.md). So its top band says what it did check:
the key points found (at least in part) and no known misconception. The score and the band's bounds are the same
for every grader; only the word differs. Stored offline grades from before the rename read the same (`named`)."""


def named(verdict: str, backend: str = "") -> str:
    """A verdict as `backend` says it: the offline grader's name for its top band, every other name as it is."""
    return OFFLINE_NAMES.get(verdict, verdict) if backend == "offline" else verdict
