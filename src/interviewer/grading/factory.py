"""Build the configured grader. Heavy modules (LLM clients) are imported only here, only when chosen."""

from __future__ import annotations

from ..config import GraderConfig
from .base import Grader


def make_grader(cfg: GraderConfig) -> Grader:
    if cfg.backend == "offline":
        from .offline.grader import OfflineGrader

        return OfflineGrader()
    from ..backends.registry import make_backend
    from .llm.grader import LLMGrader

    return LLMGrader(make_backend(cfg), cfg)
