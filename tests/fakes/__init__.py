"""Test fakes shared by test files: a real HTTP server speaking the OpenAI and Ollama protocols.

Import as `from fakes import FakeLLMServer, Reply` (pytest puts tests/ on sys.path via the root conftest).
"""

from .llm_server import (
    FakeLLMServer,
    Recorded,
    Reply,
    auto_grade,
    make_reply,
    refused_url,
    request_answer,
    request_criterion_ids,
    request_key_point_ids,
)

__all__ = [
    "FakeLLMServer", "Recorded", "Reply", "auto_grade", "make_reply", "refused_url", "request_answer",
    "request_criterion_ids", "request_key_point_ids",
]
