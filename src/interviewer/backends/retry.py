"""The one retry layer. SDK retries are switched off (openai max_retries=0, litellm num_retries=0), so a
grading makes at most 1 + max_retries requests per model call, and the overall deadline holds.

Retried: 429, 5xx, timeouts, connection errors (`BackendError.retryable`). Never retried: 400/401/403/404
and configuration errors: asking again cannot fix them. The wait is exponential backoff with jitter, or
exactly what the server asked for in `Retry-After` when it sent one. A wait that would pass the deadline is
not started: the error is reported at once.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .base import BackendError

T = TypeVar("T")


@dataclass
class RetryPolicy:
    max_retries: int = 3
    """Retries after the first request (so at most 1 + max_retries requests)."""
    base_delay: float = 0.5
    """First backoff in seconds; doubled on each retry."""
    max_delay: float = 20.0
    jitter: float = 0.5
    """Fraction of each backoff that is randomised (0 = none, 1 = 'full jitter')."""
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic
    rng: Callable[[], float] = field(default=random.random)

    def backoff(self, retry_index: int) -> float:
        d = min(self.max_delay, self.base_delay * (2 ** retry_index))
        return d * (1.0 - self.jitter) + d * self.jitter * self.rng()


@dataclass
class CallStats:
    """What the retry layer did, for the grade record and for tests."""

    requests: int = 0
    waits: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def call_with_retries(
    fn: Callable[[float], Awaitable[T]],
    *,
    policy: RetryPolicy,
    deadline_at: float,
    timeout: float,
    stats: CallStats | None = None,
) -> T:
    """Call `fn(per_call_timeout)` until it succeeds, a non-retryable error, retries run out or the deadline.

    `deadline_at` is a `policy.clock()` instant shared by every call of one grading. Raises BackendError;
    the last error is re-raised (its kind tells why), or a 'deadline' error when time ran out.
    """
    stats = stats if stats is not None else CallStats()
    retry = 0
    while True:
        remaining = deadline_at - policy.clock()
        if remaining <= 0:
            raise _deadline_error(stats)
        per_call = min(timeout, remaining)
        stats.requests += 1
        try:
            async with asyncio.timeout(remaining + 0.05):
                return await fn(per_call)
        except TimeoutError:
            # Our own guard fired: the client did not honour its timeout, or the deadline cut the call short.
            stats.errors.append("deadline")
            raise _deadline_error(stats) from None
        except BackendError as err:
            stats.errors.append(err.kind)
            if not err.retryable or retry >= policy.max_retries:
                raise
            wait = err.retry_after if err.retry_after is not None else policy.backoff(retry)
            remaining = deadline_at - policy.clock()
            if remaining <= 0:
                raise _deadline_error(stats) from err
            if wait >= remaining:
                if err.retry_after is not None:
                    err.hint = (f"the server asked to wait {err.retry_after:.0f}s (Retry-After), past the "
                                "grading deadline; try again later or raise grader.deadline")
                raise
            stats.waits.append(wait)
            retry += 1
            await policy.sleep(wait)


def _deadline_error(stats: CallStats) -> BackendError:
    return BackendError(
        f"no usable reply before the grading deadline ({stats.requests} request(s) made)",
        kind="deadline",
        hint="the model is slow or overloaded: raise grader.deadline / grader.timeout, or use a smaller model",
    )
